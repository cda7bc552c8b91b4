"""An append-only list of committed documents kept beside Chroma, to tell what a damaged or lost
Chroma database held (and where each document came from, so it can be ingested again).

One JSON line per event: `{"op": "commit", "id", "generation", "chunks", "origin"}` or
`{"op": "delete", "id"}`. Written under the store's write lock, flushed and fsynced; a torn last
line (a crash mid-write) is ignored when read. Compacted when it holds twice the live entries.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FILE = "documents.jsonl"


@dataclass(frozen=True)
class Entry:
    doc_id: str
    generation: str
    chunks: int
    origin: str


class Manifest:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE

    def exists(self) -> bool:
        return self.path.is_file()

    def read(self) -> dict[str, Entry]:
        """The documents committed and not deleted, by id."""
        entries: dict[str, Entry] = {}
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return entries
        for line in lines:
            try:
                event = json.loads(line)
                doc_id = str(event["id"])
                if event["op"] == "delete":
                    entries.pop(doc_id, None)
                else:
                    entries[doc_id] = Entry(
                        doc_id,
                        str(event.get("generation", "")),
                        int(event.get("chunks", 0)),
                        str(event.get("origin", "")),
                    )
            except (ValueError, KeyError, TypeError):
                continue  # a torn line from a crash mid-append
        self._lines = len(lines)
        return entries

    def _append(self, event: dict[str, object]) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())

    def commit(self, entry: Entry) -> None:
        self.commit_many([entry])

    def commit_many(self, entries: Sequence[Entry]) -> None:
        """Several commits in one append (one flush to disk)."""
        if not entries:
            return
        with self.path.open("a", encoding="utf-8") as out:
            for entry in entries:
                event = {
                    "op": "commit",
                    "id": entry.doc_id,
                    "generation": entry.generation,
                    "chunks": entry.chunks,
                    "origin": entry.origin,
                }
                out.write(json.dumps(event, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())

    def delete(self, doc_id: str) -> None:
        self._append({"op": "delete", "id": doc_id})

    def rewrite(self, entries: dict[str, Entry]) -> None:
        """Replace the file with one commit line per live entry (atomically)."""
        tmp = self.path.with_name(f"{FILE}.{uuid.uuid4().hex}.tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for e in entries.values():
                out.write(
                    json.dumps(
                        {
                            "op": "commit",
                            "id": e.doc_id,
                            "generation": e.generation,
                            "chunks": e.chunks,
                            "origin": e.origin,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)

    def needs_compaction(self, live: int) -> bool:
        return getattr(self, "_lines", 0) > 2 * max(live, 50)
