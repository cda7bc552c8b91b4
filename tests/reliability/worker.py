"""A process that works on a shared store, for the fault suite: `python -m tests.reliability.worker
<ingest|ask|check> STORE [FOLDER|SECONDS]`. Embeddings come from a hash, so that a run measures the
store, not the model (the real model costs ~0.5 s a document on two shared cores)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import knowledge.embeddings as embeddings

DIMENSION = embeddings.DIMENSION


def hashed(texts: list[str]) -> np.ndarray:
    """Deterministic unit vectors, one per text."""
    out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    for row, text in enumerate(texts):
        seed = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)
        vector = np.random.default_rng(seed).standard_normal(DIMENSION)
        out[row] = vector / np.linalg.norm(vector)
    return out


def use_hashed_embeddings() -> None:
    embeddings.embed_passages = hashed  # type: ignore[assignment]
    embeddings.embed_query = lambda text: hashed([text])[0]  # type: ignore[assignment]


def write_corpus(folder: Path, prefix: str, n: int) -> list[str]:
    """`n` small Markdown notes, each with one word no other note has; their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(n):
        doc_id = f"{prefix}-{i}"
        body = " ".join(["Small caps rallied while bond yields eased."] * 6)
        (folder / f"{doc_id}.md").write_text(
            f"---\nid: {doc_id}\ntitle: Note {doc_id}\n---\n# Note {doc_id}\n\n"
            f"The marker word is {marker(doc_id)}. {body}\n",
            encoding="utf-8",
        )
        ids.append(doc_id)
    return ids


def marker(doc_id: str) -> str:
    return "qz" + hashlib.sha1(doc_id.encode()).hexdigest()[:10]


def _until(seconds: float) -> Callable[[], bool]:
    """True while a reader should go on: until `seconds` pass, or sooner once the file named
    by FOOTNOTE_WORKER_STOP exists (the test writes it when the writers are done); true at
    least once, so a reader slow to start still searches."""
    deadline = time.monotonic() + seconds
    stop = os.environ.get("FOOTNOTE_WORKER_STOP")
    asked = [0]

    def going() -> bool:
        asked[0] += 1
        if asked[0] == 1:
            return True
        return time.monotonic() < deadline and not (stop and Path(stop).exists())

    return going


def app_reader(library: object, seconds: float) -> dict[str, object]:
    """Drive the app (Streamlit AppTest, the page code `footnote ui` serves) on the same store:
    search the Library page for each listed document's marker until `seconds` pass (or the
    stop file appears); a search that raises or does not show the document counts as failed."""
    import datetime as dt
    import tempfile

    from streamlit.testing.v1 import AppTest

    from assistant.app import Footnote
    from assistant.settings import Settings
    from assistant.store import Store
    from knowledge import Library
    from tools.market import Market
    from tools.prices.fake import FakeSource
    from ui.state import FOOTNOTE_KEY

    assert isinstance(library, Library)
    home = Path(tempfile.mkdtemp(prefix="footnote-app-"))
    # the app notices other processes' writes by the store's revision file under its home
    (home / "chroma").symlink_to(library.folder.resolve(), target_is_directory=True)
    settings = Settings(home=home, price_mode="local")
    services = Footnote(
        settings,
        market=Market(FakeSource({}), today=lambda: dt.date(2026, 3, 9)),  # type: ignore[arg-type]
        library=library,  # type: ignore[arg-type]
        store=Store(home / "state.sqlite"),
        demo=False,
    )
    app = Path(__file__).resolve().parents[2] / "ui" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=120)
    at.session_state[FOOTNOTE_KEY] = services
    at.run()
    at.switch_page("pages/library.py")
    at.run()
    print("ready", file=sys.stderr, flush=True)  # the page is up: searches start now
    going = _until(seconds)
    asked = failed = 0
    errors: list[str] = []
    while going():
        for doc in library.documents():
            at.text_input(key="library_query").set_value(marker(doc.id))
            try:
                at.run()
                shown = [m.value for m in at.markdown]
                asked += 1
                if at.exception or f"**Note {doc.id}**" not in shown:
                    failed += 1
                    errors.append(f"{doc.id}: {[e.value for e in at.exception] or 'not shown'}")
            except Exception as exc:
                failed += 1
                errors.append(f"{doc.id}: {type(exc).__name__}: {exc}"[:200])
            if not going():
                break
        time.sleep(0.05)  # an empty store (before the first write): no spinning
    return {"asked": asked, "failed": failed, "errors": errors[:5]}


def check_after_kill(library: object, folder: Path) -> dict[str, object]:
    """The store after a writer was killed: what the next writer's sweep leaves, whether every
    listed document is found by its marker (dense and BM25), and a re-ingest of the folder."""
    from knowledge import Library

    assert isinstance(library, Library)
    library.sweep()
    found = library.check()
    listed = [d.id for d in library.documents()]
    lost = []
    for doc_id in listed:
        dense = library.search(marker(doc_id), 3, doc_id=doc_id, method="rrf")
        lexical = library.search(marker(doc_id), 3, method="rrf")
        if not (
            any(p.doc_id == doc_id for p in dense) and any(p.doc_id == doc_id for p in lexical)
        ):
            lost.append(doc_id)
    statuses = sorted({o.status for o in library.ingest([folder])})
    return {
        "listed": len(listed),
        "lost": len(lost),
        "check_ok": found.ok,
        "reingest": statuses,
        "after": len(library.documents()),
    }


def wait_ready(process: object) -> None:
    """Wait for a worker to say it starts working (its imports take seconds)."""
    stderr = getattr(process, "stderr", None)
    assert stderr is not None
    for line in stderr:
        if line.strip() == "ready":
            return
    raise AssertionError("the worker ended before it started ingesting")


def main(argv: list[str]) -> int:
    use_hashed_embeddings()
    from knowledge import Library

    command, store = argv[0], Path(argv[1])
    library = Library(store)
    if command == "ingest":
        print("ready", file=sys.stderr, flush=True)  # imports done: a kill from now on hits work
        outcomes = library.ingest([Path(argv[2])])
        print(json.dumps({o.path: o.status for o in outcomes}))
        return 0
    if command == "app":  # the Streamlit app's Library page searching, for a bounded time
        print(json.dumps(app_reader(library, float(argv[2]))))
        return 0
    if command == "check":  # after a kill: sweep, check, search every document, ingest again
        print(json.dumps(check_after_kill(library, Path(argv[2]))))
        return 0
    # ask: search for every stored document by its marker, over and over, counting failures
    print("ready", file=sys.stderr, flush=True)
    going = _until(float(argv[2]))
    asked = failed = 0
    errors: list[str] = []
    while going():
        for doc in library.documents():
            try:
                hits = library.search(marker(doc.id), 3, doc_id=doc.id)
                asked += 1
                if not hits:
                    failed += 1
                    errors.append(f"{doc.id}: no hits")
            except Exception as exc:
                failed += 1
                errors.append(f"{doc.id}: {type(exc).__name__}: {exc}"[:200])
            if not going():
                break
        time.sleep(0.05)
    print(json.dumps({"asked": asked, "failed": failed, "errors": errors[:5]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
