"""Find, run and record benchmarks: a table on screen and a JSON file with the machine."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import platform
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import benchmarks

SHARED_DATA = (
    Path(
        os.environ.get("FOOTNOTE_SHARED_DIR")
        or Path(__file__).resolve().parent.parent.parent / "shared"
    )
    / "data"
)


@dataclass
class Measure:
    """One figure a benchmark reports."""

    name: str
    value: float
    unit: str
    target: str | None = None  # e.g. "<= 50" in the same unit
    passed: bool | None = None
    note: str = ""


@dataclass
class BenchResult:
    benchmark: str
    description: str
    measures: list[Measure] = field(default_factory=list)
    skipped: str | None = None
    seconds: float = 0.0


class BenchModule(Protocol):
    NAME: str
    DESCRIPTION: str

    def run(self) -> list[Measure]: ...


class Skip(Exception):
    """Raised by a benchmark whose inputs are absent (e.g. ../shared/data)."""


def check(name: str, value: float, unit: str, op: str, bound: float, note: str = "") -> Measure:
    """A measure with a target: `op` is one of <=, >=."""
    passed = value <= bound if op == "<=" else value >= bound
    return Measure(name, value, unit, f"{op} {bound:g}", passed, note)


def timed(call: Callable[[], Any], repeat: int = 5, warmup: int = 1) -> list[float]:
    """Wall times in seconds of `repeat` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    data = sorted(values)
    if not data:
        raise ValueError("no values")
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def discover() -> dict[str, BenchModule]:
    """Every `benchmarks/bench_*.py` module, by its NAME."""
    found: dict[str, BenchModule] = {}
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if info.name.startswith("bench_"):
            module = importlib.import_module(f"benchmarks.{info.name}")
            found[module.NAME] = module  # type: ignore[assignment]
    return dict(sorted(found.items()))


def machine() -> dict[str, Any]:
    """What this ran on."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {
        "hostname": platform.node(),
        "system": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
    }


def run(names: list[str] | None = None) -> list[BenchResult]:
    """Run the named benchmarks (all when None) and return their results."""
    available = discover()
    unknown = [n for n in names or [] if n not in available]
    if unknown:
        raise KeyError(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(available)}")
    results = []
    for name in names or list(available):
        module = available[name]
        result = BenchResult(name, module.DESCRIPTION)
        start = time.perf_counter()
        try:
            result.measures = module.run()
        except Skip as exc:
            result.skipped = str(exc)
        result.seconds = round(time.perf_counter() - start, 3)
        results.append(result)
    return results


def write_json(results: list[BenchResult], path: Path) -> Path:
    """Write results and the machine they ran on to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "benchmarks": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
