"""Bilingual retrieval on the demo corpus: dense vs BM25 vs fused, hit@1, hit@3 and MRR."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.bilingual import evaluate, load_questions
from benchmarks.runner import Measure, check

NAME = "bilingual"
DESCRIPTION = "Bilingual retrieval over the demo corpus (48 zh/en questions, 12 cross-language)"


def run() -> list[Measure]:
    from knowledge import Library
    from knowledge.fusion import DEFAULT_METHOD, METHODS

    questions = load_questions()
    measures: list[Measure] = []
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder))
        library.ensure_demo()
        for method in METHODS:
            result = evaluate(library, method, questions)
            overall, cross = result["all"], result["cross"]
            tag = f"{method}{' (shipped)' if method == DEFAULT_METHOD else ''}"
            if method == DEFAULT_METHOD:
                measures.append(check(f"{tag} hit@1", round(overall["hit@1"], 3), "", ">=", 0.85))
                measures.append(check(f"{tag} hit@3", round(overall["hit@3"], 3), "", ">=", 0.95))
            else:
                measures.append(Measure(f"{tag} hit@1", round(overall["hit@1"], 3), ""))
                measures.append(Measure(f"{tag} hit@3", round(overall["hit@3"], 3), ""))
            measures.append(Measure(f"{tag} MRR@10", round(overall["mrr"], 3), ""))
            measures.append(
                Measure(
                    f"{tag} cross-language hit@3",
                    round(cross["hit@3"], 3),
                    "",
                    note=f"misses (rank > 3): {', '.join(result['misses']) or 'none'}",
                )
            )
    return measures
