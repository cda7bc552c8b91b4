"""Checked claims per document in SQLite (WAL), so the app can mark each number of a text."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from assistant.factcheck.claims import CheckedClaim

_SCHEMA = """
CREATE TABLE IF NOT EXISTS factcheck_results (
    doc_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    claims_json TEXT NOT NULL
);
"""


class FactcheckStore:
    """One SQLite file; each call opens its own short connection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def save(self, doc_id: str, content_hash: str, results: list[CheckedClaim]) -> None:
        """Replace the stored results of one document."""
        payload = json.dumps([r.model_dump(mode="json") for r in results], ensure_ascii=False)
        checked_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO factcheck_results VALUES (?, ?, ?, ?)",
                (doc_id, content_hash, checked_at, payload),
            )

    def load(self, doc_id: str) -> tuple[str, list[CheckedClaim]] | None:
        """Return (content hash, results) stored for a document, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT content_hash, claims_json FROM factcheck_results WHERE doc_id = ?",
                (doc_id,),
            ).fetchone()
        if row is None:
            return None
        return row[0], [CheckedClaim.model_validate(r) for r in json.loads(row[1])]

    def checked_at(self, doc_id: str) -> datetime | None:
        """When the stored results of a document were made, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT checked_at FROM factcheck_results WHERE doc_id = ?", (doc_id,)
            ).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def delete(self, doc_id: str) -> None:
        """Forget the results of one document."""
        with self._connect() as db:
            db.execute("DELETE FROM factcheck_results WHERE doc_id = ?", (doc_id,))
