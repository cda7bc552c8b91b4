"""Damage to the knowledge store is found, reported in words, and repaired."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from knowledge import Library
from knowledge.errors import StoreError
from knowledge.library import set_aside
from tests.reliability.conftest import record
from tests.reliability.worker import marker, write_corpus


def filled(tmp_path: Path, store: Library, n: int = 8) -> list[str]:
    ids = write_corpus(tmp_path / "notes", "n", n)
    assert {o.status for o in store.ingest([tmp_path / "notes"])} == {"added"}
    return ids


def found_by_marker(library: Library, doc_id: str) -> bool:
    hits = library.search(marker(doc_id), 3, doc_id=doc_id, method="rrf")
    return any(p.doc_id == doc_id for p in hits)


def test_records_lost_for_one_document_are_found_and_reingest_repairs(
    tmp_path: Path, store: Library
) -> None:
    filled(tmp_path, store)
    store._store.delete_chunks(store._store.chunk_ids({"doc_id": "n-3"}))
    found = store.check()
    assert not found.ok and found.damaged == {"n-3": "no searchable records"}
    # Re-ingesting the same files repairs instead of calling the damaged one "unchanged".
    statuses = {Path(o.path).stem: o.status for o in store.ingest([tmp_path / "notes"])}
    assert statuses["n-3"] == "repaired"
    assert {s for k, s in statuses.items() if k != "n-3"} == {"unchanged"}
    assert store.check().ok and found_by_marker(store, "n-3")


def test_lexical_entries_lost_are_found_and_repaired_from_the_stored_text(
    tmp_path: Path, store: Library
) -> None:
    filled(tmp_path, store)
    rows = store._store.get_chunks(where={"doc_id": "n-5"})
    store._store._chunks.update(
        ids=[r[0] for r in rows], metadatas=[{**r[2], "tokens": None} for r in rows]
    )
    assert store.check().damaged == {"n-5": "lexical entries missing"}
    (tmp_path / "notes" / "n-5.md").unlink()  # repair needs only the stored document
    outcomes = store.repair()
    assert [(o.doc_ids, o.status) for o in outcomes] == [(["n-5"], "repaired")]
    assert store.check().ok and found_by_marker(store, "n-5")


def test_a_deleted_chroma_database_is_reported_with_what_was_lost_and_reingested(
    tmp_path: Path, store: Library
) -> None:
    ids = filled(tmp_path, store)
    folder = store.folder
    set_aside(folder)  # closes this process's client before the file goes
    for path in folder.glob("*"):
        if path.name != "documents.jsonl":
            path.unlink() if path.is_file() else None
    reopened = Library(folder)
    found = reopened.check()
    assert [e.doc_id for e in found.lost] == sorted(ids)
    assert f"{len(ids)} of {len(ids)} committed documents are missing" in found.lines()[0]
    outcomes = reopened.repair()
    assert {o.status for o in outcomes} == {"added"}
    assert reopened.check().ok
    assert all(found_by_marker(reopened, doc_id) for doc_id in ids)


def test_a_corrupt_chroma_database_is_a_store_error_then_rebuilt(
    tmp_path: Path, store: Library
) -> None:
    ids = filled(tmp_path, store, 4)
    folder = store.folder
    from knowledge._chroma import forget

    forget(folder)
    database = folder / "chroma.sqlite3"
    data = bytearray(database.read_bytes())
    for offset in range(0, len(data), 4096):
        data[offset + 100 : offset + 200] = b"\xff" * 100
    database.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="cannot be opened") as caught:
        Library(folder)
    assert "doctor --repair" in caught.value.hint
    set_aside(folder)
    rebuilt = Library(folder)
    assert {o.status for o in rebuilt.repair()} == {"added"}
    assert all(found_by_marker(rebuilt, doc_id) for doc_id in ids)
    assert list(folder.parent.glob("store.damaged-*"))  # the damaged copy is kept


def test_search_with_an_unreadable_vector_index_answers_from_words(
    tmp_path: Path, store: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(tmp_path, store, 3)

    def broken(*args: object, **kwargs: object) -> None:
        raise StoreError("the knowledge store's vector index is damaged: test", "repair")

    monkeypatch.setattr(store._store, "query_chunks", broken)
    hits = store.search(marker("n-1"), 3)
    assert hits and hits[0].doc_id == "n-1"


def test_manifest_survives_a_torn_last_line(tmp_path: Path, store: Library) -> None:
    ids = filled(tmp_path, store, 3)
    manifest = store.folder / "documents.jsonl"
    manifest.write_text(manifest.read_text() + '{"op": "commit", "id": "half', encoding="utf-8")
    assert store.check().ok and store.check().recorded == len(ids)


def test_chunk_and_vector_counts_agree_with_the_document_table(
    tmp_path: Path, store: Library
) -> None:
    filled(tmp_path, store, 5)
    with sqlite3.connect(store.folder / "chroma.sqlite3") as conn:
        (embeddings,) = conn.execute("select count(*) from embeddings").fetchone()
    documents, chunks = store.count()
    record("store counts", documents=documents, chunks=chunks, sqlite_rows=embeddings)
    assert documents == 5 and embeddings == documents + chunks
