"""The reader against the labelled corpus: at least 98% exact, every miss listed."""

from __future__ import annotations

from collections import Counter

from tests.reading.corpus import load, run

FLOOR = 0.98


def test_corpus_is_big_and_balanced() -> None:
    counts = Counter(case.lang for case in load())
    assert counts["en"] >= 200 and counts["zh"] >= 200, counts


def test_corpus_floor() -> None:
    outcomes = run()
    misses = [o for o in outcomes if not o.ok]
    accuracy = 1 - len(misses) / len(outcomes)
    listing = "\n".join(f"{o.case.name}: {'; '.join(o.diffs)}" for o in misses)
    assert accuracy >= FLOOR, f"{accuracy:.1%} exact ({len(misses)} misses):\n{listing}"
