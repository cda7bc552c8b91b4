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
    tmp_path: Path, shared_prices: Path, seed: int
) -> None:
    home = tmp_path / "home"
    run_id = kill_research_at(home, seed, random.Random(seed).uniform(0.3, 2.5))
    found = after_kill(home, run_id)
    record(f"kill -9 during research (seed {seed})", **found)
    assert found["whole"] == found["listed"]  # nothing half-written listed
    if found["resumed"]:
        assert found["whole_after"] == found["listed_after"] == found["listed"] + 1
    else:
        assert found["refused"] and "Traceback" not in found["refused"]
