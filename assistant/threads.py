"""Conversation threads in SQLite (WAL): messages and answers with their ledgers survive restarts."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    news_id TEXT,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    answer_json TEXT,
    context_json TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_thread ON messages(thread_id, id);
"""


@dataclass(frozen=True)
class Thread:
    id: str
    news_id: str | None
    title: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Message:
    role: str
    content: str
    answer: dict[str, Any] | None
    context: dict[str, Any]
    created_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ThreadStore:
    """One SQLite file; every call opens its own short connection, so threads never share state."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a crash loses no committed row
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    def create(self, title: str, news_id: str | None = None) -> Thread:
        """Start a new thread."""
        now = _now()
        thread = Thread(uuid.uuid4().hex[:12], news_id, title[:120] or "New thread", now, now)
        with self._connect() as db:
            db.execute(
                "INSERT INTO threads VALUES (?, ?, ?, ?, ?)",
                (thread.id, thread.news_id, thread.title, thread.created_at, thread.updated_at),
            )
        return thread

    def get(self, thread_id: str) -> Thread | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM threads WHERE id = ?", (thread_id,)).fetchone()
        return Thread(*row) if row else None

    def recent(self, news_id: str | None = None, limit: int = 50) -> list[Thread]:
        """Most recently used first; only those of `news_id` when given."""
        query = "SELECT * FROM threads"
        args: tuple[Any, ...] = ()
        if news_id is not None:
            query += " WHERE news_id = ?"
            args = (news_id,)
        query += " ORDER BY updated_at DESC LIMIT ?"
        with self._connect() as db:
            return [Thread(*row) for row in db.execute(query, (*args, limit))]

    def append(
        self,
        thread_id: str,
        role: str,
        content: str,
        answer: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        """Add one message in a single transaction."""
        now = _now()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT INTO messages (thread_id, role, content, answer_json, context_json, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        thread_id,
                        role,
                        content,
                        json.dumps(answer, ensure_ascii=False, default=str) if answer else None,
                        json.dumps(context or {}, ensure_ascii=False, default=str),
                        now,
                    ),
                )
                db.execute("UPDATE threads SET updated_at = ? WHERE id = ?", (now, thread_id))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def messages(self, thread_id: str) -> list[Message]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT role, content, answer_json, context_json, created_at FROM messages"
                " WHERE thread_id = ? ORDER BY id",
                (thread_id,),
            ).fetchall()
        return [
            Message(role, content, json.loads(a) if a else None, json.loads(c or "{}"), at)
            for role, content, a, c, at in rows
        ]

    def last_context(self, thread_id: str) -> dict[str, Any]:
        """The context of the thread's latest answer, for follow-up questions."""
        with self._connect() as db:
            row = db.execute(
                "SELECT context_json FROM messages WHERE thread_id = ? AND role = 'assistant'"
                " ORDER BY id DESC LIMIT 1",
                (thread_id,),
            ).fetchone()
        return json.loads(row[0]) if row and row[0] else {}
