"""The bilingual reader on its labelled corpus: accuracy per language and category, every miss,
and the reading time per question (warm; the offline answer's 150 ms budget includes it)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import defaultdict

from benchmarks.runner import Measure, check, median, percentile

NAME = "reading"
DESCRIPTION = (
    "Reader (assistant.reading) on tests/reading's labelled zh/en corpus: exact readings per "
    "language (>= 98%) and per category, every miss, reading time per question p50/p95 "
    "(warm, target p95 <= 5 ms) and the cold import"
)
REPEAT = 5


def _import_seconds() -> float:
    code = (
        "import time; t = time.perf_counter(); import assistant.reading; "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def run() -> list[Measure]:
    from tests.reading.corpus import load, read
    from tests.reading.corpus import run as run_corpus

    cases = load()
    outcomes = run_corpus(cases)  # also warms the calendar up
    per_question = []
    for case in cases:
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            read(case)
            times.append(time.perf_counter() - start)
        per_question.append(1000 * median(times))

    totals: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        keys = [outcome.case.lang, f"{outcome.case.lang}/{outcome.case.data['cat']}"]
        if outcome.case.data.get("set") == "holdout":
            keys.append(f"{outcome.case.lang} holdout")
        for key in keys:
            totals[key] += 1
            right[key] += outcome.ok
    misses = [o for o in outcomes if not o.ok]
    for outcome in misses:
        print(f"MISS {outcome.case.name}: {'; '.join(outcome.diffs)}")
    measures = [
        check(
            f"exact readings, {lang} ({totals[lang]} expressions)",
            round(100 * right[lang] / totals[lang], 1),
            "%",
            ">=",
            98,
            note="; ".join(o.case.name for o in misses if o.case.lang == lang),
        )
        for lang in ("en", "zh")
    ]
    measures += [
        Measure(
            f"exact readings, {lang} holdout ({totals[f'{lang} holdout']})",
            round(100 * right[f"{lang} holdout"] / totals[f"{lang} holdout"], 1),
            "%",
            note="written after the reader was tuned; 80% (24/30) exact on first reading",
        )
        for lang in ("en", "zh")
    ]
    measures += [
        Measure(f"exact readings, {key}", round(100 * right[key] / totals[key], 1), "%")
        for key in sorted(totals)
        if "/" in key
    ]
    measures += [
        Measure(
            "reading time per question p50 (warm)", round(percentile(per_question, 50), 3), "ms"
        ),
        check(
            "reading time per question p95 (warm)",
            round(percentile(per_question, 95), 3),
            "ms",
            "<=",
            5,
        ),
        Measure("reading time per question max (warm)", round(max(per_question), 3), "ms"),
        Measure("cold import of assistant.reading", round(1000 * _import_seconds(), 1), "ms"),
    ]
    return measures


if __name__ == "__main__":
    for measure in run():
        target = f" (target {measure.target})" if measure.target else ""
        print(f"{measure.name}: {measure.value} {measure.unit}{target}")
