"""The bilingual question set over the demo corpus and how to score a retrieval method on it.

Each question names the language its gold text is in (`language`) and is searched with that
language as a filter, as the assistant does; `cross` questions ask in the other language, about
text that then exists only in the language searched. A passage is a hit when it belongs to a gold
document and contains the gold snippet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUESTIONS = Path(__file__).resolve().parent / "data" / "bilingual_questions.jsonl"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    gold: list[dict[str, str]]
    cross: bool = False


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    """The questions, each gold snippet normalised as ingest normalises the text it is found in."""
    from knowledge.text import normalise

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        for gold in row.get("gold", []):
            gold["contains"] = normalise(gold["contains"])
    return [Question(**row) for row in rows]


def rank_of(question: Question, passages: list[Any]) -> int | None:
    """1-based rank of the first gold passage, or None."""
    for rank, passage in enumerate(passages, start=1):
        for gold in question.gold:
            if passage.doc_id == gold["doc"] and gold["contains"] in passage.text:
                return rank
    return None


def evaluate(
    library: Any, method: str, questions: list[Question], depth: int = 10
) -> dict[str, Any]:
    """hit@1, hit@3 and MRR@depth of one method, overall and for cross-language questions."""
    ranks: list[tuple[Question, int | None]] = []
    for q in questions:
        hits = library.search(q.question, k=depth, language=q.language, method=method)
        ranks.append((q, rank_of(q, hits)))

    def score(subset: list[tuple[Question, int | None]]) -> dict[str, float]:
        n = max(len(subset), 1)
        return {
            "hit@1": sum(1 for _, r in subset if r == 1) / n,
            "hit@3": sum(1 for _, r in subset if r is not None and r <= 3) / n,
            "mrr": sum(1 / r for _, r in subset if r) / n,
        }

    return {
        "all": score(ranks),
        "cross": score([x for x in ranks if x[0].cross]),
        "same": score([x for x in ranks if not x[0].cross]),
        "misses": [q.id for q, r in ranks if r is None or r > 3],
    }
