"""Combine dense and BM25 results, and drop near-duplicate hits.

Measured on our bilingual set (benchmarks/bench_bilingual.py): equal-weight fusion loses to dense
alone, because BM25 cannot match an English question to Chinese text and its misses push dense
hits down. Rank fusion (RRF) also throws away how far apart the hits are: BM25 often puts the
right chunk first by a wide margin while dense has it second by a hair, and RRF scores those two
orderings alike. `score` fusion keeps the margins: the e5 cosines of every candidate (BM25-only
ones included) are min-max scaled over the candidates, BM25 scores are divided by the best one,
and the two are added with BM25 at `SCORE_BM25_WEIGHT`. It is the shipped rule, `DEFAULT_METHOD`.

Dividing by the best BM25 score alone makes the lexical side sure of itself even when its best
hit shares only a word or two with a long question: on FinanceBench that cost 5 of 150 pages.
So the BM25 weight is also scaled by `coverage ** COVERAGE_POWER`, where coverage is the best
BM25 score over the most any chunk could score for this query (`BM25Index.ceiling`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from knowledge.text import has_cjk

Method = Literal["dense", "bm25", "rrf", "weighted", "cjk", "score"]
METHODS: tuple[Method, ...] = ("dense", "bm25", "rrf", "weighted", "cjk", "score")
DEFAULT_METHOD: Method = "score"
RRF_K = 60
# Chosen on the bilingual set and FinanceBench together (benchmarks/bench_bilingual.py,
# bench_financebench.py): weights 0.9 to 1.1 with power 0.25 keep both targets; power 0.15 costs
# FinanceBench pages, 0.35 costs bilingual hit@1. Small sets: treat these as measured, not tuned.
SCORE_BM25_WEIGHT = 0.9
COVERAGE_POWER = 0.25
BM25_WEIGHT = {"rrf": 1.0, "weighted": 0.5, "cjk": 1.0, "score": SCORE_BM25_WEIGHT}


def weights(method: Method, query: str) -> tuple[float, float]:
    """(dense, bm25) weights the method gives this query."""
    if method == "dense":
        return 1.0, 0.0
    if method == "bm25":
        return 0.0, 1.0
    if method == "cjk" and not has_cjk(query):
        return 1.0, 0.0
    return 1.0, BM25_WEIGHT[method]


def reciprocal_rank_fusion(
    rankings: Sequence[tuple[Sequence[str], float]], k: int = RRF_K
) -> dict[str, float]:
    """Weighted RRF: each list adds weight / (k + rank) to the ids it ranks."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        if weight <= 0:
            continue
        for rank, item in enumerate(ids, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def score_fusion(
    dense: Mapping[str, float],
    lexical: Mapping[str, float],
    lexical_weight: float,
    lexical_ceiling: float | None = None,
) -> dict[str, float]:
    """Min-max scaled cosine plus `lexical_weight` times BM25 over its best, per candidate.

    `dense` should hold the cosine of every candidate; one it lacks counts as the lowest. With
    `lexical_ceiling` (the most a chunk could score for this query) the BM25 weight shrinks by
    `(best / ceiling) ** COVERAGE_POWER`.
    """
    candidates = list(dict.fromkeys([*dense, *lexical]))
    if not candidates:
        return {}
    cosines = [dense[c] for c in candidates if c in dense]
    low = min(cosines, default=0.0)
    span = max(cosines, default=0.0) - low
    best = max(lexical.values(), default=0.0)
    if lexical_ceiling and best > 0:
        lexical_weight *= min(best / lexical_ceiling, 1.0) ** COVERAGE_POWER
    scores: dict[str, float] = {}
    for item in candidates:
        scaled = (dense.get(item, low) - low) / span if span > 0 else float(item in dense)
        bm25 = lexical.get(item, 0.0) / best if best > 0 and lexical_weight > 0 else 0.0
        scores[item] = scaled + lexical_weight * bm25
    return scores


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _shingles(text: str, size: int = 4) -> set[str]:
    flat = _NON_WORD.sub("", text.lower())
    if len(flat) <= size:
        return {flat}
    return {flat[i : i + size] for i in range(len(flat) - size + 1)}


def near_duplicate(a: str, b: str, threshold: float = 0.85) -> bool:
    """True when two texts share at least `threshold` of their character 4-grams (Jaccard)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return False
    return len(sa & sb) / len(sa | sb) >= threshold


def drop_near_duplicates(texts: Sequence[tuple[str, str]], limit: int) -> list[str]:
    """Ids of (id, text) pairs in order, skipping any that nearly repeats one already kept."""
    kept: list[tuple[str, str]] = []
    for item, text in texts:
        if any(near_duplicate(text, other) for _, other in kept):
            continue
        kept.append((item, text))
        if len(kept) >= limit:
            break
    return [item for item, _ in kept]
