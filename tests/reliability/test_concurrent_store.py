"""Several processes on one knowledge store: one writer at a time, readers that reopen, 0 lost."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from knowledge import Library
from knowledge.errors import StoreBusy
from tests.reliability.conftest import python, record, spawn
from tests.reliability.worker import marker, wait_ready, write_corpus

pytestmark = pytest.mark.slow


def searchable(library: Library, doc_id: str) -> bool:
    """Found by its marker word through the dense index (filtered) and through BM25."""
    dense = library.search(marker(doc_id), 3, doc_id=doc_id, method="rrf")
    lexical = library.search(marker(doc_id), 3, method="rrf")
    return any(p.doc_id == doc_id for p in dense) and any(p.doc_id == doc_id for p in lexical)


def test_two_ingests_and_an_asker_lose_nothing(
    tmp_path: Path, store: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_dir = store.folder
    ids = write_corpus(tmp_path / "a", "a", 30) + write_corpus(tmp_path / "b", "b", 30)
    stop = tmp_path / "writers-done"  # the readers search until it appears (25 s at most)
    monkeypatch.setenv("FOOTNOTE_WORKER_STOP", str(stop))
    started = time.monotonic()
    asker = spawn("-m", "tests.reliability.worker", "ask", str(store_dir), "25")
    # the app's Library page (Streamlit AppTest) searching the same store meanwhile
    app = spawn("-m", "tests.reliability.worker", "app", str(store_dir), "25")
    wait_ready(asker)
    wait_ready(app)  # both search from before the first write until the writers are done
    writers = [
        spawn("-m", "tests.reliability.worker", "ingest", str(store_dir), str(tmp_path / name))
        for name in ("a", "b")
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err[-2000:]
        assert set(json.loads(out).values()) == {"added"}
    stop.touch()
    out, err = asker.communicate(timeout=180)
    assert asker.returncode == 0, err[-2000:]
    asks = json.loads(out)
    assert asks["failed"] == 0, asks["errors"]
    assert asks["asked"] > 0
    out, err = app.communicate(timeout=240)
    assert app.returncode == 0, err[-2000:]
    app_asks = json.loads(out.strip().splitlines()[-1])
    assert app_asks["failed"] == 0, app_asks["errors"]
    assert app_asks["asked"] > 0

    # A fresh process and this one (opened before the writers) agree: every document is whole.
    monkeypatch.delenv("FOOTNOTE_WORKER_STOP")  # it searches for its 0.1 s, not one document
    after = python("-m", "tests.reliability.worker", "ask", str(store_dir), "0.1")
    assert json.loads(after.stdout)["failed"] == 0
    listed = [d.id for d in store.documents()]
    assert sorted(listed) == sorted(ids)
    lost = [doc_id for doc_id in listed if not searchable(store, doc_id)]
    found = store.check()
    record(
        "two concurrent ingests + asks",
        documents=len(listed),
        lost=len(lost),
        asks=asks["asked"],
        ask_failures=asks["failed"],
        app_searches=app_asks["asked"],
        app_failures=app_asks["failed"],
        seconds=round(time.monotonic() - started, 1),
    )
    assert lost == []
    assert found.ok, found.lines()
    assert found.chunks == len(store._store.get_embeddings(store._store.chunk_ids()))


def test_a_reader_opened_earlier_sees_another_process_writes(
    tmp_path: Path, store: Library
) -> None:
    write_corpus(tmp_path / "first", "first", 3)
    store.ingest([tmp_path / "first"])
    assert searchable(store, "first-0")  # this process's view now holds a loaded index
    write_corpus(tmp_path / "later", "later", 5)
    done = python(
        "-m", "tests.reliability.worker", "ingest", str(store.folder), str(tmp_path / "later")
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # Before the fix each of these raised "Error finding id" until the process restarted.
    assert all(searchable(store, f"later-{i}") for i in range(5))


def test_a_second_writer_waits_then_reports_busy_in_words(tmp_path: Path, store: Library) -> None:
    holder = spawn(
        "-c",
        "import sys, time; from filelock import FileLock\n"
        f"lock = FileLock({str(store.folder / 'write.lock')!r}); lock.acquire()\n"
        "print('held', flush=True); time.sleep(30)",
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        waiting = Library(store.folder, lock_timeout_s=0.5)
        write_corpus(tmp_path / "x", "x", 1)
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="another process"):
            waiting.ingest([tmp_path / "x"])
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    assert [o.status for o in store.ingest([tmp_path / "x"])] == ["added"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_during_ingest_leaves_a_consistent_store(
    tmp_path: Path, store: Library, seed: int
) -> None:
    import random

    rng = random.Random(seed)
    write_corpus(tmp_path / "base", "base", 5)
    store.ingest([tmp_path / "base"])
    write_corpus(tmp_path / "more", f"more{seed}", 25)
    writer = spawn(
        "-m", "tests.reliability.worker", "ingest", str(store.folder), str(tmp_path / "more")
    )
    wait_ready(writer)  # then kill it anywhere in the ingest, not in its imports
    time.sleep(rng.uniform(0.0, 3.0))
    writer.kill()
    writer.wait()
    # The next writer sweeps what the killed one left half-done; nothing committed is damaged.
    again = Library(store.folder)
    again.sweep()
    found = again.check()
    assert found.ok, found.lines()
    assert all(searchable(again, d.id) for d in again.documents())
    outcomes = again.ingest([tmp_path / "more"])
    assert {o.status for o in outcomes} <= {"added", "unchanged"}
    assert len(again.documents()) == 30
