"""Start-up cost of the command line: `footnote --version` and an offline `footnote doctor`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

from benchmarks.runner import Measure, check, median

NAME = "startup"
DESCRIPTION = "Wall time of `footnote --version` and offline `footnote doctor` (target < 2 s)"


def _footnote() -> list[str]:
    found = shutil.which("footnote")
    return [found] if found else [sys.executable, "-c", "from ui.cli import main; main()"]


def _wall(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(_footnote() + args, env=env, check=True, capture_output=True, timeout=60)
    return time.perf_counter() - start


def run() -> list[Measure]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "FOOTNOTE_HOME": home, "FOOTNOTE_CHAT_MODEL": ""}
        env.pop("OPENAI_API_KEY", None)
        version = [_wall(["--version"], env) for _ in range(5)]
        doctor = [_wall(["doctor"], env) for _ in range(5)]
    return [
        Measure("footnote --version, median", round(median(version), 3), "s"),
        check("footnote doctor (offline), median", round(median(doctor), 3), "s", "<=", 2.0),
        check("footnote doctor (offline), worst of 5", round(max(doctor), 3), "s", "<=", 2.0),
    ]
