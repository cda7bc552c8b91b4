"""Combine dense and BM25 rankings, and drop near-duplicate hits.

Measured on our bilingual set (benchmarks/bench_bilingual.py): equal-weight fusion loses to dense
alone, because BM25 cannot match an English question to Chinese text and its misses push dense
hits down. The shipped rule, `DEFAULT_METHOD`, is the best one on that set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from knowledge.text import has_cjk

Method = Literal["dense", "bm25", "rrf", "weighted", "cjk"]
METHODS: tuple[Method, ...] = ("dense", "bm25", "rrf", "weighted", "cjk")
DEFAULT_METHOD: Method = "weighted"
RRF_K = 60
BM25_WEIGHT = {"rrf": 1.0, "weighted": 0.5, "cjk": 1.0}


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
