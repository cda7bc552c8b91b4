"""A team on one PostgreSQL server: 8 askers in two processes for 60 s (nothing lost, no
"database is locked", the same history everywhere) and warm answer p50, PostgreSQL vs SQLite.

    python -m benchmarks.bench_team            # or: footnote bench team
    FOOTNOTE_TEAM_SECONDS=60 FOOTNOTE_BENCH_DATABASE_URL=postgresql://... (optional: a server
    of your own instead of a throwaway cluster)
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks.runner import Measure, Skip, check, percentile

NAME = "team"
DESCRIPTION = (
    "8 askers in 2 processes for 60 s on PostgreSQL (0 lost, 0 errors, same history); "
    "warm offline answer p50 on PostgreSQL within 2x of SQLite"
)
WARM_ASKS = 40


def _p50(settings_kw: dict[str, object], folder: Path) -> float:
    """Warm answer p50 (ms) in one process: the same questions, one after another, each in
    its own thread (create, two appends, the follow-up context read)."""
    from assistant.settings import Settings
    from tests.reliability.askers import QUESTIONS, open_footnote

    settings = Settings(home=folder, price_mode="local", **settings_kw)  # type: ignore[arg-type]
    fn = open_footnote(settings)
    for question in QUESTIONS:  # warm: calendar, prices, the store's connection or pool
        fn.ask(question)
    times = []
    for i in range(WARM_ASKS):
        start = time.perf_counter()
        fn.ask(QUESTIONS[i % len(QUESTIONS)])
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 50)


def run() -> list[Measure]:
    from tests.reliability.askers import run_team, write_prices
    from tests.servers import fresh_schema_url, start_postgres, why_no_postgres

    seconds = float(os.environ.get("FOOTNOTE_TEAM_SECONDS", "60"))
    given = os.environ.get("FOOTNOTE_BENCH_DATABASE_URL", "").strip()
    server = None
    if not given:
        reason = why_no_postgres()
        if reason is not None:
            raise Skip(reason)
        server = start_postgres()
    base = given or (server.url if server else "")
    try:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            team = run_team(fresh_schema_url(base), folder / "team", seconds)
            reports = team["reports"]
            errors = [e for r in reports for e in r["errors"]]
            locked = sum("database is locked" in e for e in errors)
            asks = {tid: n for r in reports for tid, n in r["asks"].items()}
            lost = sum(abs(team["parent"][tid][0] - 2 * (1 + n)) for tid, n in asks.items())
            same = reports[0]["histories"] == reports[1]["histories"] == team["parent"]
            millis = [m for r in reports for m in r["millis"]]
            prices = folder / "prices"
            write_prices(prices)
            sqlite = _p50({"prices_root": prices}, folder / "sqlite")
            postgres = _p50(
                {"prices_root": prices, "database_url": fresh_schema_url(base)},
                folder / "postgres",
            )
    finally:
        if server is not None:
            server.stop()
    return [
        Measure("answers in the two-process run", sum(asks.values()), "answers"),
        Measure("seconds of the two-process run", seconds, "s"),
        check("messages lost", lost, "messages", "<=", 0),
        check(
            "errors (of which 'database is locked')",
            len(errors),
            "errors",
            "<=",
            0,
            note=f"{locked} locked",
        ),
        check("histories identical in both processes", int(same), "bool", ">=", 1),
        Measure("answer p50 under 8 concurrent askers", round(percentile(millis, 50), 1), "ms"),
        Measure("warm answer p50, SQLite", round(sqlite, 1), "ms"),
        Measure("warm answer p50, PostgreSQL", round(postgres, 1), "ms"),
        check("PostgreSQL p50 / SQLite p50", round(postgres / sqlite, 2), "x", "<=", 2.0),
    ]


if __name__ == "__main__":
    for measure in run():
        print(
            f"{measure.name}: {measure.value:g} {measure.unit}"
            + (
                f" (target {measure.target}: {'ok' if measure.passed else 'MISSED'})"
                if measure.target
                else ""
            )
            + (f" [{measure.note}]" if measure.note else "")
        )
