"""A process that works on a shared store, for the fault suite: `python -m tests.reliability.worker
<ingest|ask> STORE [FOLDER|SECONDS]`. Embeddings come from a hash, so that a run measures the
store, not the model (the real model costs ~0.5 s a document on two shared cores)."""

from __future__ import annotations

import hashlib
import json
import sys
import time
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


def main(argv: list[str]) -> int:
    use_hashed_embeddings()
    from knowledge import Library

    command, store = argv[0], Path(argv[1])
    library = Library(store)
    if command == "ingest":
        outcomes = library.ingest([Path(argv[2])])
        print(json.dumps({o.path: o.status for o in outcomes}))
        return 0
    # ask: search for every stored document by its marker, over and over, counting failures
    deadline = time.monotonic() + float(argv[2])
    asked = failed = 0
    errors: list[str] = []
    while time.monotonic() < deadline:
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
            if time.monotonic() >= deadline:
                break
        time.sleep(0.05)
    print(json.dumps({"asked": asked, "failed": failed, "errors": errors[:5]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
