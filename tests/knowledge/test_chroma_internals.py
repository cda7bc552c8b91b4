"""The Chroma internals the knowledge store relies on, pinned here so that a Chroma release that
changes them fails in this file, not in a user's app:

- how it reopens Chroma's client: the public `Client.close()` first, and the internal it may fall
  back on (`SharedSystemClient._identifier_to_system`);
- the read-only view a search opens on Chroma's Rust core (`chromadb_rust_bindings`) instead of
  importing chromadb's client: it must answer every read as the client does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import chromadb
import numpy as np
import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings

from knowledge._chroma import CHUNKS, DOCUMENTS, ChromaStore, cached_system, forget


def _system_of(folder: Path) -> object:
    return SharedSystemClient._identifier_to_system[str(folder.resolve())]


def _add(store: ChromaStore, n: int) -> None:
    rng = np.random.default_rng(n)
    store.add_chunks(
        [f"c{i}" for i in range(n)],
        rng.random((n, 8)).astype(np.float32),
        [f"text {i}" for i in range(n)],
        [{"doc_id": "d"} for _ in range(n)],
    )


def test_the_internal_the_fallback_uses_is_still_there() -> None:
    assert isinstance(SharedSystemClient._identifier_to_system, dict)
    assert isinstance(SharedSystemClient._identifier_to_refcount, dict)
    assert callable(getattr(chromadb.api.client.Client, "close", None))  # the public way


def test_closing_through_the_public_api_uncaches_the_folder(tmp_path: Path) -> None:
    store = ChromaStore(tmp_path / "chroma")
    _add(store, 3)
    assert cached_system(tmp_path / "chroma")
    forget(tmp_path / "chroma")
    assert not cached_system(tmp_path / "chroma")


@pytest.fixture
def client_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reopen with Chroma's client, not the read-only view (the client's own reopen path)."""
    monkeypatch.setenv("FOOTNOTE_CHROMA_READER", "0")


def test_reopen_loads_a_fresh_system_and_keeps_the_data(tmp_path: Path, client_only: None) -> None:
    store = ChromaStore(tmp_path / "chroma")
    _add(store, 4)
    before = _system_of(tmp_path / "chroma")
    store.reopen()
    assert _system_of(tmp_path / "chroma") is not before
    assert sorted(store.chunk_ids()) == ["c0", "c1", "c2", "c3"]
    forget(tmp_path / "chroma")


def test_reopen_is_fresh_even_with_a_stray_client_on_the_folder(
    tmp_path: Path, client_only: None
) -> None:
    """Another client in the process keeps the system referenced past our close(): the fallback
    drops the folder's cache entry, and other folders' systems are left alone."""
    other = ChromaStore(tmp_path / "other")
    _add(other, 2)
    store = ChromaStore(tmp_path / "chroma")
    _add(store, 2)
    stray = chromadb.PersistentClient(
        path=str((tmp_path / "chroma").resolve()),
        settings=Settings(anonymized_telemetry=False, allow_reset=False),
    )
    before = _system_of(tmp_path / "chroma")
    store.reopen()
    assert _system_of(tmp_path / "chroma") is not before
    assert sorted(store.chunk_ids()) == ["c0", "c1"]
    assert sorted(other.chunk_ids()) == ["c0", "c1"]  # not a clear_system_cache()
    del stray
    forget(tmp_path / "chroma")
    forget(tmp_path / "other")


def _client(folder: Path) -> Any:
    return chromadb.PersistentClient(
        path=str(folder.resolve()), settings=Settings(anonymized_telemetry=False)
    )


def _filled(folder: Path) -> None:
    """A store written by Footnote's own code (the client), then closed: 60 chunks of three
    documents with list metadata, an update and a deletion."""
    store = ChromaStore(folder)
    rng = np.random.default_rng(7)
    ids = [f"d{i % 3}#g:{i}" for i in range(60)]
    metas = [
        {"doc_id": f"d{i % 3}", "position": i, "tickers": ["AAA", "BBB"][: 1 + i % 2]}
        for i in range(60)
    ]
    store.add_chunks(ids, rng.random((60, 16)).astype(np.float32), [f"t{i}" for i in ids], metas)
    store.add_chunks(ids[:5], rng.random((5, 16)).astype(np.float32), ["new"] * 5, metas[:5])
    store.delete_chunks(ids[-3:])
    store.commit_documents(["d0"], ['{"id": "d0"}'], rng.random((1, 16)).astype(np.float32),
                           [{"chunks": 3}])  # fmt: skip
    assert store._h.client is not None and store._h.reader is None  # writes took the client
    forget(folder)


def test_a_search_opens_the_read_only_view_and_it_answers_as_the_client_does(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "chroma"
    _filled(folder)
    store = ChromaStore(folder)
    assert store._h.reader is not None and store._h.client is None
    assert not cached_system(folder)  # no client system was started
    client = _client(folder)
    chunks, documents = client.get_collection(CHUNKS), client.get_collection(DOCUMENTS)
    view = store._h.reader
    assert view.chunks.count() == chunks.count() == 57
    assert view.documents.count() == documents.count() == 1
    where = {"$and": [{"doc_id": "d1"}, {"tickers": {"$contains": "BBB"}}]}
    gets = [
        {"include": ["documents", "metadatas"]},
        {"include": ["metadatas"], "where": where},
        {"include": [], "limit": 7, "offset": 14},
        {"include": ["documents", "metadatas"], "ids": ["d2#g:8", "d0#g:0", "absent"]},
        {"include": ["embeddings"], "ids": ["d1#g:1", "d0#g:3"]},
    ]
    for kwargs in gets:
        mine, theirs = view.chunks.get(**kwargs), chunks.get(**kwargs)
        for key in ("ids", "documents", "metadatas"):
            assert mine[key] == theirs[key], (kwargs, key)
        if "embeddings" in kwargs["include"]:
            assert np.array_equal(mine["embeddings"], theirs["embeddings"])
    probe = np.random.default_rng(3).random(16).astype(np.float32)
    for where_ in (None, {"doc_id": "d2"}):
        include = ["documents", "metadatas", "distances"]
        mine = view.chunks.query([probe], n_results=9, where=where_, include=include)
        theirs = chunks.query(query_embeddings=[probe], n_results=9, where=where_, include=include)
        for key in ("ids", "documents", "metadatas", "distances"):
            assert mine[key] == theirs[key], (where_, key)
    assert view.documents.get(ids=["d0"], include=["documents"])["documents"] == ['{"id": "d0"}']
    del client
    forget(folder)


def test_the_read_only_view_gives_way_to_the_client_for_a_write_and_reopens_fresh(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "chroma"
    _filled(folder)
    store = ChromaStore(folder)
    assert store.count_chunks() == 57 and store._h.reader is not None
    # another writer (here a client of its own) adds a chunk; the reopened view sees it
    _client(folder).get_collection(CHUNKS).add(
        ids=["late"], embeddings=[np.ones(16, dtype=np.float32)], metadatas=[{"doc_id": "d9"}]
    )
    store.reopen()
    assert store._h.reader is not None and "late" in store.chunk_ids()
    # this process writes: the view is dropped for the client, which sees everything
    store.delete_chunks(["late"])
    assert store._h.reader is None and store._h.client is not None
    assert store.count_chunks() == 57 and "late" not in store.chunk_ids()
    forget(folder)


def test_a_new_store_and_the_switch_off_take_the_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = ChromaStore(tmp_path / "new")  # no collections yet: the client creates them
    assert new._h.client is not None and new._h.reader is None
    assert (tmp_path / "new" / "chroma.sqlite3").is_file()
    client = new._h.client
    _add(new, 2)  # created with the short save interval: no reload at the first write
    assert new._h.client is client
    assert new._chunks.configuration_json["hnsw"]["sync_threshold"] == 100
    forget(tmp_path / "new")
    _filled(tmp_path / "kept")
    monkeypatch.setenv("FOOTNOTE_CHROMA_READER", "0")
    assert ChromaStore(tmp_path / "kept")._h.reader is None
    forget(tmp_path / "kept")


def test_the_hnsw_save_interval_follows_the_store_size() -> None:
    from knowledge._chroma import sync_threshold

    sizes = [0, 5_000, 37_000, 50_000, 50_001, 125_000, 125_001, 250_001, 1_000_000]
    assert [sync_threshold(n) for n in sizes] == [100, 100, 100, 100, 250, 250, 500, 1000, 1000]
    assert all(sync_threshold(n) >= n // 500 or sync_threshold(n) == 1000 for n in sizes)


def test_a_store_written_with_chromas_default_interval_gets_the_short_one_from_its_next_writer(
    tmp_path: Path,
) -> None:
    """A store made before (Chroma's default: save the index every 1000 records) opens and
    searches as it is; the next write sets the interval, reloads, and goes on writing."""
    from knowledge._chroma_e5 import E5EmbeddingFunction

    folder = tmp_path / "chroma"
    client = _client(folder)
    for name in (CHUNKS, DOCUMENTS):  # as Footnote made them before
        client.create_collection(
            name,
            embedding_function=E5EmbeddingFunction(),  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
        )
    client.get_collection(CHUNKS).add(
        ids=["old"], embeddings=[np.ones(8, dtype=np.float32)], metadatas=[{"doc_id": "d"}]
    )
    assert client.get_collection(CHUNKS).configuration_json["hnsw"]["sync_threshold"] == 1000
    del client
    store = ChromaStore(folder)
    assert store._h.reader is not None and store.chunk_ids() == ["old"]
    _add(store, 3)
    for name in (CHUNKS, DOCUMENTS):
        hnsw = store._h.client.get_collection(name).configuration_json["hnsw"]
        assert hnsw["sync_threshold"] == 100, name
    assert sorted(store.chunk_ids()) == ["c0", "c1", "c2", "old"]
    forget(folder)
    assert sorted(ChromaStore(folder).chunk_ids()) == ["c0", "c1", "c2", "old"]
    forget(folder)
