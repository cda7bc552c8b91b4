"""Knowledge store speed at 10,000 chunks: ingest throughput (embedding included), query latency."""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks.runner import SHARED_DATA, Measure, Skip, check, median, percentile

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


def run() -> list[Measure]:
    if not DATA.exists():
        raise Skip(f"FinanceBench data absent (the speed corpus is built from it): {DATA}")
    from knowledge import Document, Library, Section

    target = int(os.environ.get("FOOTNOTE_BENCH_CHUNKS", "10000"))
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
        planned += 10
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder))
        start = time.perf_counter()
        chunks = sum(library.ingest_document(doc).chunks for doc in docs)
        ingest_s = time.perf_counter() - start
        library.search("warm up", k=5)  # loads the BM25 index once
        latencies = []
        for _ in range(5):
            for query in QUERIES:
                t0 = time.perf_counter()
                library.search(query, k=5)
                latencies.append((time.perf_counter() - t0) * 1000)
    return [
        Measure("chunks stored", chunks, "chunks", note=f"{len(docs)} documents"),
        Measure("ingest throughput (embedding included)", round(chunks / ingest_s, 1), "chunks/s",
                note=f"{ingest_s:.0f} s in all"),
        check("query latency p50", round(median(latencies), 1), "ms", "<=", 50),
        check("query latency p95", round(percentile(latencies, 95), 1), "ms", "<=", 150),
    ]  # fmt: skip
