"""The one state adapter: threads, fact-check results, reports and graph checkpoints in SQLite.

One long-lived connection per database and process, shared by every thread under a lock: each
call used to open and close its own connection, and closing the last WAL connection checkpoints
and syncs the file, which cost about half of a warm offline answer. WAL mode keeps readers in
other processes (the CLI next to the app) unblocked; `synchronous=NORMAL` loses no committed row
on a crash of the process.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import FootnoteError

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver

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
CREATE TABLE IF NOT EXISTS factcheck_results (
    doc_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    claims_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY,
    title TEXT,
    language TEXT,
    topic TEXT,
    news_id TEXT,
    created_at TEXT,
    json TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class StateDamaged(FootnoteError):
    """The state database fails SQLite's integrity check or cannot be opened."""


def _damaged(path: Path, reason: str) -> StateDamaged:
    return StateDamaged(
        f"The state database {path.name} is damaged ({reason}): its threads, fact-check "
        "results and reports cannot be read.",
        f"`footnote doctor --repair` moves it aside (to {path.name}.damaged-<time>) and starts "
        "a fresh one; rows may be recovered from the copy with `sqlite3 <copy> .recover`.",
    )


def check_database(path: Path) -> str | None:
    """Why the SQLite file at `path` is damaged (`PRAGMA quick_check`), or None when it is
    whole or absent."""
    if str(path) == ":memory:" or not Path(path).exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    problems = [str(r[0]) for r in rows if r and r[0] != "ok"]
    return "; ".join(problems[:3]) or None


def set_aside_database(path: Path) -> Path | None:
    """Move a damaged database (and its WAL files) aside; where it went."""
    path = Path(path)
    if not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(aside.with_name(aside.name + suffix))
    return aside


class Database:
    """One SQLite file behind one connection that every thread of the process shares.

    Opening runs `PRAGMA quick_check`: a damaged file raises `StateDamaged` with what was lost
    and how to start again, never a traceback from the first query that trips on it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        reason = check_database(self.path)
        if reason is not None:
            raise _damaged(self.path, reason)
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA busy_timeout=30000")
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            with self._lock:
                self._conn.executescript(_SCHEMA)  # idempotent: every statement is IF NOT EXISTS
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, str(exc)) from None

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection, held by this thread until the block ends."""
        with self._lock:
            yield self._conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on any error).

        Writes do not nest. A failed COMMIT is rolled back too, so the shared connection is
        never left inside a transaction for the next caller."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()


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


class ThreadStore:
    """Conversation threads: messages and answers with their ledgers survive restarts."""

    def __init__(self, db: Database | Path) -> None:
        self.db = db if isinstance(db, Database) else Database(db)

    def create(self, title: str, news_id: str | None = None) -> Thread:
        """Start a new thread."""
        now = _now()
        thread = Thread(uuid.uuid4().hex[:12], news_id, title[:120] or "New thread", now, now)
        with self.db.write() as db:
            db.execute(
                "INSERT INTO threads VALUES (?, ?, ?, ?, ?)",
                (thread.id, thread.news_id, thread.title, thread.created_at, thread.updated_at),
            )
        return thread

    def get(self, thread_id: str) -> Thread | None:
        with self.db.read() as db:
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
        with self.db.read() as db:
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
        with self.db.write() as db:
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

    def messages(self, thread_id: str) -> list[Message]:
        with self.db.read() as db:
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
        with self.db.read() as db:
            row = db.execute(
                "SELECT context_json FROM messages WHERE thread_id = ? AND role = 'assistant'"
                " ORDER BY id DESC LIMIT 1",
                (thread_id,),
            ).fetchone()
        return json.loads(row[0]) if row and row[0] else {}


class FactcheckStore:
    """Checked claims per document (as JSON), so the app can mark each number of a text."""

    def __init__(self, db: Database | Path) -> None:
        self.db = db if isinstance(db, Database) else Database(db)

    def save(self, doc_id: str, content_hash: str, claims: list[dict[str, Any]]) -> None:
        """Replace the stored results of one document."""
        payload = json.dumps(claims, ensure_ascii=False)
        checked_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.write() as db:
            db.execute(
                "INSERT OR REPLACE INTO factcheck_results VALUES (?, ?, ?, ?)",
                (doc_id, content_hash, checked_at, payload),
            )

    def load(self, doc_id: str) -> tuple[str, list[dict[str, Any]]] | None:
        """Return (content hash, results) stored for a document, or None."""
        with self.db.read() as db:
            row = db.execute(
                "SELECT content_hash, claims_json FROM factcheck_results WHERE doc_id = ?",
                (doc_id,),
            ).fetchone()
        if row is None:
            return None
        claims: list[dict[str, Any]] = json.loads(row[1])
        return row[0], claims

    def checked_at(self, doc_id: str) -> datetime | None:
        """When the stored results of a document were made, or None."""
        with self.db.read() as db:
            row = db.execute(
                "SELECT checked_at FROM factcheck_results WHERE doc_id = ?", (doc_id,)
            ).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def delete(self, doc_id: str) -> None:
        """Forget the results of one document."""
        with self.db.write() as db:
            db.execute("DELETE FROM factcheck_results WHERE doc_id = ?", (doc_id,))


@dataclass(frozen=True)
class ReportRow:
    id: str
    title: str
    language: str
    topic: str
    news_id: str | None
    created_at: str


class ReportStore:
    """Research reports as JSON, with the columns a list of them needs."""

    def __init__(self, db: Database | Path) -> None:
        self.db = db if isinstance(db, Database) else Database(db)

    def save(self, row: ReportRow, payload: str) -> None:
        """Insert or replace one report."""
        with self.db.write() as db:
            db.execute(
                "INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?, ?, ?)",
                (row.id, row.title, row.language, row.topic, row.news_id, row.created_at, payload),
            )

    def recent(self, limit: int = 50) -> list[ReportRow]:
        """Stored reports, newest first."""
        with self.db.read() as db:
            rows = db.execute(
                "SELECT id, title, language, topic, news_id, created_at FROM reports"
                " ORDER BY created_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [ReportRow(*r) for r in rows]

    def get(self, report_id: str) -> str | None:
        """The JSON of one report, or None."""
        with self.db.read() as db:
            row = db.execute("SELECT json FROM reports WHERE id = ?", (report_id,)).fetchone()
        return str(row[0]) if row else None

    def adopt(self, old: Path) -> int:
        """Copy the reports of an older, separate reports file in (once); return how many.

        The old file is opened read-only and renamed `.adopted` only after a successful read (or
        when it has no reports table); a file another process adopted first is left alone."""
        done = old.with_name(old.name + ".adopted")
        if not old.exists() or done.exists():
            return 0
        try:
            src = sqlite3.connect(f"file:{old}?mode=ro", uri=True, timeout=30)
        except sqlite3.OperationalError:  # gone (adopted by another process) or unreadable
            return 0
        try:
            rows = src.execute(
                "SELECT id, title, language, topic, news_id, created_at, json FROM reports"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            if "no such table" not in str(exc):
                return 0  # locked or damaged: keep the file and try again next start
            rows = []
        finally:
            src.close()
        with self.db.write() as db:
            db.executemany("INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        with contextlib.suppress(OSError):  # renamed by another process meanwhile: same rows
            old.rename(done)
        return len(rows)


class Store:
    """Threads, fact-checks and reports in one database; graph checkpoints in a second one."""

    def __init__(self, path: Path, runs_path: Path | None = None) -> None:
        self.db = Database(path)
        self.threads = ThreadStore(self.db)
        self.factchecks = FactcheckStore(self.db)
        self.reports = ReportStore(self.db)
        in_memory = str(path) == ":memory:"
        default_runs = (
            Path(":memory:") if in_memory else Path(path).with_name("research-runs.sqlite")
        )
        self.runs_path = runs_path or default_runs
        self._saver: BaseCheckpointSaver[str] | None = None
        self._saver_conn: sqlite3.Connection | None = None
        self._saver_lock = threading.Lock()

    def checkpointer(self) -> BaseCheckpointSaver[str]:
        """LangGraph's SQLite checkpointer on the runs database, opened once per process."""
        with self._saver_lock:
            if self._saver is None:
                from langgraph.checkpoint.sqlite import SqliteSaver

                conn = sqlite3.connect(self.runs_path, check_same_thread=False, timeout=30)
                self._saver_conn = conn
                self._saver = SqliteSaver(conn)
            return self._saver

    def close(self) -> None:
        """Close both connections (the process would on exit anyway)."""
        with self._saver_lock:
            if self._saver_conn is not None:
                self._saver_conn.close()
                self._saver_conn = None
                self._saver = None
        self.db.close()
