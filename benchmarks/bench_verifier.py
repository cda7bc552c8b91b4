"""The claim-level verifier: time on a 2,000-word report and false alarms on the demo answers.

The report is built from the recorded demo answers and the demo research report (each used once,
citations renumbered into one ledger), in English (>= 2,000 words) and in Chinese (the same
items in Chinese), so the text mixes returns, closes, averages, ranges, drawdowns, betas, sector
moves and quoted passages as real output does. Input: data/verifier_corpus.json (see
benchmarks/verifier_corpus.py); no market data is read.
"""

from __future__ import annotations

import re
import time
from typing import Any

from benchmarks.runner import Measure, check, median, percentile

NAME = "verifier"
DESCRIPTION = (
    "Claim-level verification (numbers read as claims, checked against receipts) of a "
    "2,000-word report built from varied demo answers: warm p50/p95 (target p95 < 50 ms), "
    "and false alarms on every demo answer and report in both languages (target 0)"
)
REPEAT = 11
_WORDS = 2000


def _renumbered(items: list[dict[str, Any]], words: int | None) -> tuple[str, Any, list[str]]:
    """One text from `items` (in order, each once, until `words` is reached), one ledger, and
    the questions the items answer (their numbers are premises)."""
    from assistant.grounding.ledger import Ledger
    from knowledge.text import CITATION_MARKER, marker_numbers

    ledger = Ledger()
    parts: list[str] = []
    questions: list[str] = []
    count = 0
    for item in items:
        own = Ledger.model_validate(item["ledger"])
        mapping = {c.n: ledger.add(c) for c in own.entries}

        def renumber(match: re.Match[str], mapping: dict[int, int] = mapping) -> str:
            numbers = [str(mapping.get(n, n)) for n in marker_numbers(match.group(1))]
            return "[" + ", ".join(numbers) + "]"

        text = CITATION_MARKER.sub(renumber, item["text"])
        parts.append(text)
        questions += [item["question"]] if item["question"] else []
        count += len(text.split()) if item["language"] == "en" else len(text) // 2
        if words is not None and count >= words:
            break
    return "\n\n".join(parts), ledger, questions


def _items(lang: str) -> list[dict[str, Any]]:
    from benchmarks.verifier_corpus import load

    seen: set[str] = set()
    out = []
    for item in load():
        if item["language"] == lang and item["text"] not in seen:
            seen.add(item["text"])
            out.append(item)
    # answers first (varied metrics), then the report's sections
    return sorted(out, key=lambda i: i["kind"] != "answer")


def _forget() -> None:
    """Drop everything earlier runs kept about texts (numbers, readings, symbols, dates per
    sentence: every cache in the readers and the verifier): a fresh text. What stays warm is
    what any text needs: imports, compiled patterns, the calendar."""
    import sys

    from assistant.grounding import gates

    for name, module in list(sys.modules.items()):
        if name.startswith(("assistant.reading", "assistant.grounding")) and module is not None:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    gates.forget()


def _time(
    text: str, ledger: Any, questions: list[str], fresh: bool
) -> tuple[list[float], list[float], Any]:
    """Wall and CPU milliseconds per verification; `fresh`: as if the text were new."""
    from assistant.grounding.verifier import verify
    from assistant.reading import read_claims

    wall, cpu = [], []
    result = None
    for _ in range(REPEAT):
        if fresh:
            _forget()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = verify(text, ledger, given=questions, reader=read_claims)
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    return wall, cpu, result


def false_alarms() -> tuple[int, int, list[str]]:
    """(numbers checked, numbers marked, what was marked) over every demo answer and report."""
    from assistant.grounding.ledger import Ledger
    from assistant.grounding.verifier import verify
    from assistant.reading import read_claims
    from benchmarks.verifier_corpus import load

    total = marked = 0
    seen: list[str] = []
    for item in load():
        ledger = Ledger.model_validate(item["ledger"])
        question = item["question"]
        given = [question] if question else []
        result = verify(item["text"], ledger, given=given, reader=read_claims)
        total += result.numbers_total
        marked += result.numbers_total - result.numbers_verified
        seen += [f"{item['language']} {f.kind}: {f.text} ({f.detail})" for f in result.findings]
    return total, marked, seen


def run() -> list[Measure]:
    out: list[Measure] = []
    _time(
        *_renumbered(_items("en")[:3], None), fresh=True
    )  # warm: calendar, patterns, the reader's grammar
    for lang in ("en", "zh"):
        text, ledger, questions = _renumbered(_items(lang), _WORDS)
        wall, cpu, result = _time(text, ledger, questions, fresh=True)
        again, _, _ = _time(text, ledger, questions, fresh=False)
        size = f"{len(text.split())} words" if lang == "en" else f"{len(text)} characters"
        note = f"{size}, {result.numbers_total} numbers, {len(ledger)} citations"
        p50, p95 = round(median(wall), 1), round(percentile(wall, 95), 1)
        out.append(check(f"verify a new {lang} report, wall p50", p50, "ms", "<=", 50, note))
        out.append(Measure(f"verify a new {lang} report, wall p95", p95, "ms"))
        out.append(Measure(f"verify a new {lang} report, CPU p50", round(median(cpu), 1), "ms"))
        out.append(
            Measure(f"verify the same {lang} report again, wall p50", round(median(again), 1), "ms")
        )
        if result.findings:
            out.append(Measure(f"findings in the built {lang} report", len(result.findings), ""))
    total, marked, seen = false_alarms()
    rate = 100 * marked / total if total else 0.0
    out.append(
        check("false alarms on demo answers and reports", round(rate, 2), "%", "<=", 0,
              f"{marked} of {total} numbers marked; " + "; ".join(seen[:5]))
    )  # fmt: skip
    return out


if __name__ == "__main__":
    for measure in run():
        print(measure)
