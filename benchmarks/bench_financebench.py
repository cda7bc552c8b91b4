"""FinanceBench evidence retrieval: every evidence page a document, 150 questions, hit@5."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from benchmarks.runner import SHARED_DATA, Measure, Skip, check

NAME = "financebench"
DESCRIPTION = "FinanceBench open set: document and page hit@5 over all evidence pages"
DATA = SHARED_DATA / "benchmarks" / "financebench" / "financebench_open_source.jsonl"


def page_id(doc_name: str, page: int) -> str:
    return f"{re.sub(r'[^A-Za-z0-9]+', '-', doc_name).strip('-').lower()}-p{page}"


def run() -> list[Measure]:
    if not DATA.exists():
        raise Skip(f"FinanceBench data absent: {DATA}")
    from knowledge import Document, Library, Section
    from knowledge.fusion import DEFAULT_METHOD

    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    pages: dict[str, Document] = {}
    for row in rows:
        for ev in row["evidence"]:
            pid = page_id(ev["doc_name"], ev["evidence_page_num"])
            if pid in pages:
                continue
            text = ev.get("evidence_text_full_page") or ev["evidence_text"]
            rest = ev["doc_name"].partition("_")[2]
            title = f"{row['company']} {rest.replace('_', ' ')} page {ev['evidence_page_num']}"
            pages[pid] = Document(
                id=pid, kind="source", title=title, language="en",
                sections=[Section(heading=f"page {ev['evidence_page_num']}", text=text)],
            )  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder))
        start = time.perf_counter()
        chunks = sum(library.ingest_document(doc).chunks for doc in pages.values())
        seconds = time.perf_counter() - start
        results: dict[str, tuple[float, float]] = {}
        for method in (DEFAULT_METHOD, "dense", "bm25"):
            doc_hits = page_hits = 0
            for row in rows:
                hits = library.search(row["question"], k=5, method=method)  # type: ignore[arg-type]
                found = {h.doc_id for h in hits}
                gold_pages = {
                    page_id(e["doc_name"], e["evidence_page_num"]) for e in row["evidence"]
                }
                gold_doc = page_id(row["doc_name"], 0).rsplit("-p", 1)[0]
                page_hits += bool(found & gold_pages)
                doc_hits += any(f.rsplit("-p", 1)[0] == gold_doc for f in found)
            results[method] = (doc_hits / len(rows), page_hits / len(rows))
    shipped_doc, shipped_page = results[DEFAULT_METHOD]
    return [
        Measure(
            "evidence pages ingested",
            len(pages),
            "pages",
            note=f"{chunks} chunks in {seconds:.0f} s",
        ),
        check(f"{DEFAULT_METHOD} (shipped) page hit@5", round(shipped_page, 3), "", ">=", 0.8),
        Measure(f"{DEFAULT_METHOD} (shipped) document hit@5", round(shipped_doc, 3), ""),
        Measure("dense page hit@5", round(results["dense"][1], 3), ""),
        Measure("dense document hit@5", round(results["dense"][0], 3), ""),
        Measure("bm25 page hit@5", round(results["bm25"][1], 3), ""),
        Measure("bm25 document hit@5", round(results["bm25"][0], 3), ""),
    ]
