"""The data-health check over every shared Yahoo symbol, reading the CSVs included."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from benchmarks.runner import SHARED_DATA, Measure, Skip, check, median, timed

NAME = "prices_check"
DESCRIPTION = (
    "Read both shared Yahoo folders (29 CSVs, 19 symbols) and run the data-health check on every "
    "symbol: coverage, NYSE gaps, splits, seams, stale ends, odd rows (target <= 2 s, read included)"
)
FOLDERS = ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03")  # older first, as they are imported
TODAY = dt.date(2026, 3, 9)


def _read_and_check() -> dict[str, list[dict[str, object]]]:
    from tools.prices.csv_import import csv_files, read_price_csv
    from tools.prices.health import Part, check_many

    parts: dict[str, list[Part]] = {}
    for path in csv_files(SHARED_DATA / "prices" / f for f in FOLDERS):
        prices = read_price_csv(path)
        parts.setdefault(prices.symbol, []).append((prices.file, prices.frame))
    return check_many(parts, TODAY)


def run() -> list[Measure]:
    if not (SHARED_DATA / "prices").is_dir():
        raise Skip(f"shared price data absent: {SHARED_DATA / 'prices'}")
    began = time.perf_counter()
    report = _read_and_check()  # the first call also builds the NYSE calendar, as a user's does
    cold = time.perf_counter() - began
    warm = median(timed(_read_and_check, repeat=5, warmup=0))
    kinds = Counter(str(f["kind"]) for findings in report.values() for f in findings)
    return [
        check("read + check, first call in the process", round(cold, 3), "s", "<=", 2.0),
        check("read + check, median of 5 after that", round(warm, 3), "s", "<=", 2.0),
        Measure("symbols checked", len(report), "symbols"),
        Measure(
            "findings",
            sum(kinds.values()),
            "findings",
            note=", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
        ),
    ]
