"""The router's fallback: the nearest example question by multilingual embedding similarity."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

# Example questions per intent, in both languages, phrased unlike the router's keyword rules.
EXAMPLES: dict[str, list[str]] = {
    "drivers": [
        "What pushed small caps higher?",
        "What is behind this move?",
        "是什么让小盘股走强的？",
        "这波上涨背后有什么逻辑？",
    ],
    "views": [
        "Which way are the experts leaning?",
        "Who is optimistic and who is skeptical?",
        "专家们怎么看这件事？",
        "市场上乐观和悲观的声音分别是什么？",
    ],
    "risks": [
        "What could derail this?",
        "What might go wrong from here?",
        "有什么可能让行情掉头的因素？",
        "哪些情况会让反弹失败？",
    ],
    "opportunities": [
        "Where is the upside?",
        "What could go right for small caps?",
        "哪里还有上涨空间？",
        "有哪些值得把握的地方？",
    ],
    "signals": [
        "What should I keep an eye on?",
        "Which indicators tell us the move is fading?",
        "接下来应该盯住哪些指标？",
        "有什么值得留意的迹象？",
    ],
    "valuation": [
        "Are small caps priced attractively?",
        "How do multiples compare with large caps?",
        "小盘股现在贵不贵？",
        "和大盘股比，价格划算吗？",
    ],
    "summary": [
        "Give me the short version",
        "What are the main takeaways of this article?",
        "给我讲讲这篇文章的重点",
        "一句话说说这条新闻讲了什么",
    ],
    "sustainability": [
        "Can this momentum continue?",
        "Is this rally here to stay?",
        "这个势头还能延续吗？",
        "小盘股行情会不会很快结束？",
    ],
}
THRESHOLD = 0.87  # e5 similarities sit high; measured: off-topic questions scored 0.80-0.865


class EmbeddingIntentClassifier:
    """Pick the intent of the most similar example, when it is similar enough."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lock = threading.Lock()
        self._matrix: Any = None
        self._labels: list[str] = []

    def _examples(self) -> tuple[Any, list[str]]:
        with self._lock:
            if self._matrix is None:
                from knowledge.embeddings import embed_queries

                labels = [intent for intent, qs in EXAMPLES.items() for _ in qs]
                texts = [q for qs in EXAMPLES.values() for q in qs]
                self._matrix, self._labels = embed_queries(texts), labels
            return self._matrix, self._labels

    def __call__(self, question: str) -> str | None:
        from knowledge.embeddings import embed_query

        matrix, labels = self._examples()
        scores = matrix @ embed_query(question)
        best = int(np.argmax(scores))
        return labels[best] if float(scores[best]) >= self.threshold else None
