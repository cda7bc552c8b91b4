"""How the knowledge store reopens Chroma: the public `Client.close()` first, and the one Chroma
internal it may fall back on (`SharedSystemClient._identifier_to_system`), which this file pins
so that a Chroma release moving it fails here, not in a user's app after another process wrote."""

from __future__ import annotations

from pathlib import Path

import chromadb
import numpy as np
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings

from knowledge._chroma import ChromaStore, cached_system, forget


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


def test_reopen_loads_a_fresh_system_and_keeps_the_data(tmp_path: Path) -> None:
    store = ChromaStore(tmp_path / "chroma")
    _add(store, 4)
    before = _system_of(tmp_path / "chroma")
    store.reopen()
    assert _system_of(tmp_path / "chroma") is not before
    assert sorted(store.chunk_ids()) == ["c0", "c1", "c2", "c3"]
    forget(tmp_path / "chroma")


def test_reopen_is_fresh_even_with_a_stray_client_on_the_folder(tmp_path: Path) -> None:
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
