"""A research run in its own process, for the kill -9 cases: `python -m
tests.reliability.research_worker HOME SEED [check RUN_ID]`. Prices are the shared CSVs (a few
symbols), the library is empty with hashed embeddings; each section waits a seeded moment so a
kill lands anywhere in the run. Prints `run <id>` when the run has started, `report <id>` at the
end."""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.research import ResearchService

TOPIC = "SPY versus the S&P 500 and the Russell 2000 from 2025-12-01 to 2026-02-20"
SYMBOLS = ("SPY", "^GSPC", "^RUT", "IWM")


def service(home: Path, *, hash_embeddings: bool = True) -> ResearchService:
    """The research service over `home`. A test calls it with `hash_embeddings=False` under
    the `hashed_embeddings` fixture, which undoes itself; a worker process swaps them for good."""
    if hash_embeddings:
        from tests.reliability.worker import use_hashed_embeddings

        use_hashed_embeddings()
    import pandas as pd

    from assistant.research import ResearchService
    from assistant.settings import SHARED_DIR, Settings
    from assistant.store import Store
    from knowledge.library import Library
    from tools.market import Market
    from tools.prices.csv_import import read_price_csv
    from tools.prices.fake import FakeSource

    frames: dict[str, pd.DataFrame] = {}
    for name in ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03"):  # the newer rows win
        for path in sorted((SHARED_DIR / "data" / "prices" / name).glob("*.csv")):
            if path.stem not in SYMBOLS:
                continue
            frame = read_price_csv(path).frame
            old = frames.get(path.stem)
            if old is not None:
                frame = pd.concat([old[~old.index.isin(frame.index)], frame]).sort_index()
            frames[path.stem] = frame
    market = Market(FakeSource(frames), today=lambda: dt.date(2026, 2, 23))
    settings = Settings(home=home, price_mode="local")
    return ResearchService(
        settings,
        market=market,  # type: ignore[arg-type]
        library=Library(home / "chroma"),
        store=Store(settings.state_db),
    )


def after_kill(home: Path, run_id: str, *, hash_embeddings: bool = True) -> dict[str, Any]:
    """What a store holds after a run was killed: every listed report whole, and the run either
    resumed to one report more or refused in words (never a half-written report shown as done)."""
    from assistant.errors import FootnoteError

    research = service(home, hash_embeddings=hash_embeddings)
    listed = research.reports()
    whole = [
        r.id
        for r in listed
        if (got := research.get(r.id)) is not None and got.sections and got.markdown.strip()
    ]
    outcome: dict[str, Any] = {
        "listed": len(listed),
        "whole": len(whole),
        "stored_before": run_id in {r.id for r in listed},  # killed after its report was saved
    }
    try:
        report = research.resume(run_id)
    except FootnoteError as exc:
        outcome.update(resumed=False, refused=str(exc))
    else:
        outcome.update(resumed=report is not None, refused="")
        done = research.reports()
        outcome["listed_after"] = len(done)
        outcome["whole_after"] = sum(
            1 for r in done if (got := research.get(r.id)) is not None and got.sections
        )
    return outcome


def main(argv: list[str]) -> int:
    home, seed = Path(argv[0]), int(argv[1])
    if argv[2:3] == ["check"]:  # after a kill, in a fresh process
        import json

        print(json.dumps(after_kill(home, argv[3])))
        return 0
    research = service(home)
    rng = random.Random(seed)
    research.fault = lambda index: time.sleep(rng.uniform(0.0, 0.4))
    said = {"run": False}

    def heard(event: object) -> None:
        if not said["run"] and research.last_run_id:
            said["run"] = True
            print(f"run {research.last_run_id}", flush=True)

    plan = research.plan(TOPIC, language="en")
    _, report = research.start(plan, auto_accept=True, on_event=heard)  # type: ignore[arg-type]
    print(f"report {report.id if report else None}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
