"""Several app processes on one PostgreSQL database: 8 askers in two processes continue threads
begun in a third; no message is lost, nobody sees "database is locked", and every process reads
the same history. (The 60-second run: `python -m benchmarks.bench_team`.)"""

from __future__ import annotations

import os
from pathlib import Path

from tests.reliability.askers import run_team
from tests.servers import fresh_schema_url

SECONDS = float(os.environ.get("FOOTNOTE_TEAM_SECONDS", "4"))


def test_eight_askers_in_two_processes_lose_nothing(postgres_url: str, tmp_path: Path) -> None:
    team = run_team(fresh_schema_url(postgres_url), tmp_path, SECONDS)
    reports = team["reports"]
    errors = [e for r in reports for e in r["errors"]]
    assert errors == []  # no "database is locked", no lost connection, nothing
    asks = {tid: n for r in reports for tid, n in r["asks"].items()}
    assert sorted(asks) == sorted(team["threads"]) and all(n >= 1 for n in asks.values())
    for tid in team["threads"]:
        # the parent's first turn plus every answered ask: two messages each, none lost
        assert team["parent"][tid][0] == 2 * (1 + asks[tid]), tid
    # both asker processes and the parent read every thread the same, message for message
    assert reports[0]["histories"] == reports[1]["histories"] == team["parent"]
