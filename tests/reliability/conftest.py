"""Fixtures for the fault suite: hashed embeddings (the store is under test, not the model),
subprocesses on the worktree's code, and a place to record time and peak memory of each case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge import Library
from tests.reliability.worker import hashed

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results" / "reliability.jsonl"


@pytest.fixture
def hashed_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    import knowledge.embeddings as embeddings

    monkeypatch.setattr(embeddings, "embed_passages", hashed)
    monkeypatch.setattr(embeddings, "embed_query", lambda text: hashed([text])[0])


@pytest.fixture
def store(tmp_path: Path, hashed_embeddings: None) -> Library:
    return Library(tmp_path / "store")


def python(*args: str, timeout: float = 120, **kw: object) -> subprocess.CompletedProcess[str]:
    """Run `python args...` on this worktree's code; fail the test when it overruns."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
        **kw,  # type: ignore[call-overload]
    )


def spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def record(case: str, **measured: object) -> None:
    """Append one case's measurements to bench-results/reliability.jsonl."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"case": case, **measured}) + "\n")


@pytest.fixture
def measure() -> Callable[..., dict[str, object]]:
    """Run a snippet in a fresh process; return its JSON result with seconds and peak RSS (MB)."""

    def run(case: str, code: str, timeout: float = 120) -> dict[str, object]:
        wrapper = (
            "import json, time, sys\n"
            "start = time.monotonic()\n"
            "result = {}\n"
            f"exec(compile({code!r}, '<case>', 'exec'))\n"
            "result['seconds'] = round(time.monotonic() - start, 2)\n"
            # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
            "result['peak_rss_mb'] = round(int(hwm.split()[1]) / 1024, 1)\n"
            "print(json.dumps(result))\n"
        )
        done = python("-c", wrapper, timeout=timeout)
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads(done.stdout.strip().splitlines()[-1])
        record(case, **result)
        return dict(result)

    return run
