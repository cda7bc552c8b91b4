"""kill -9 at a seeded moment of a research run: every report listed afterwards is whole, and the
run resumes to its report or is refused in words. The many-point run is
`benchmarks/bench_kill_points.py`."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import record, spawn
from tests.reliability.research_worker import after_kill

pytestmark = pytest.mark.slow


def kill_research_at(home: Path, seed: int, wait_s: float) -> str:
    """Start a run in a worker, kill -9 it `wait_s` after it started; return the run's id."""
    worker = spawn("-m", "tests.reliability.research_worker", str(home), str(seed))
    assert worker.stdout is not None
    line = worker.stdout.readline().split()
    if not line:
        worker.wait(timeout=60)
        assert worker.stderr is not None
        raise AssertionError(worker.stderr.read()[-2000:])
    assert line[0] == "run", line
    time.sleep(wait_s)
    worker.kill()
    worker.wait(timeout=60)
    return line[1]


@pytest.mark.parametrize("seed", [3])
def test_kill_9_during_research_leaves_no_half_report(
    tmp_path: Path, shared_prices: Path, hashed_embeddings: None, seed: int
) -> None:
    home = tmp_path / "home"
    run_id = kill_research_at(home, seed, random.Random(seed).uniform(0.3, 2.5))
    found = after_kill(home, run_id, hash_embeddings=False)
    record(f"kill -9 during research (seed {seed})", **found)
    assert found["whole"] == found["listed"]  # nothing half-written listed
    if found["resumed"]:
        # the run's report once: added now, or already there and not listed twice
        added = 0 if found["stored_before"] else 1
        assert found["whole_after"] == found["listed_after"] == found["listed"] + added
    else:
        assert found["refused"] and "Traceback" not in found["refused"]


def test_a_finished_run_resumed_keeps_one_report(
    tmp_path: Path, shared_prices: Path, hashed_embeddings: None
) -> None:
    """A process killed after saving its report but before exiting: resuming that run again
    replaces the report rather than listing a second copy."""
    from tests.reliability.research_worker import TOPIC, service

    research = service(tmp_path / "home", hash_embeddings=False)
    run_id, report = research.start(research.plan(TOPIC, language="en"), auto_accept=True)
    assert report is not None and report.id == run_id
    again = research.resume(run_id)
    assert again is not None and again.id == run_id
    assert [r.id for r in research.reports()] == [run_id]
