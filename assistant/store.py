"""The one state adapter: threads, fact-check results, reports and graph checkpoints.

SQLite under FOOTNOTE_HOME by default; PostgreSQL when `FOOTNOTE_DATABASE_URL` names a server
(`postgresql://...`), so several app processes and the CLI share one set of threads and reports.
The stores below write one SQL text for both: `?` placeholders (turned into `%s` for psycopg),
`INSERT ... ON CONFLICT` for upserts. The schema is created and migrated on open, idempotently,
under a lock (SQLite's write lock; a PostgreSQL advisory lock), so two processes starting at once
migrate it once.

Threads and reports carry an `owner`: "" when the app runs single-user, the signed-in identity
when Streamlit's authentication is configured. `Store.for_owner(owner)` is a view that reads and
writes only that owner's rows.

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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from assistant.errors import FootnoteError

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver

# Each migration is a list of statements, applied once and in order; `schema_version` holds the
# highest applied. Version 1 is the schema before versioning (IF NOT EXISTS: a file made by an
# older Footnote has its tables already), version 2 gives threads and reports an owner.
_AUTO_ID = {"sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT", "postgres": "BIGSERIAL PRIMARY KEY"}
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS threads (
            id TEXT PRIMARY KEY,
            news_id TEXT,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS messages (
            id {auto_id},
            thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            answer_json TEXT,
            context_json TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS messages_by_thread ON messages(thread_id, id)",
        """CREATE TABLE IF NOT EXISTS factcheck_results (
            doc_id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            claims_json TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS reports (
            id TEXT PRIMARY KEY,
            title TEXT,
            language TEXT,
            topic TEXT,
            news_id TEXT,
            created_at TEXT,
            json TEXT NOT NULL
        )""",
    ),
    (
        "ALTER TABLE threads ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE reports ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX IF NOT EXISTS threads_by_owner ON threads(owner, updated_at)",
        "CREATE INDEX IF NOT EXISTS reports_by_owner ON reports(owner, created_at)",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)
_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
# Any constant both processes agree on: the key of the advisory lock held while migrating.
_MIGRATION_LOCK = 0x466F6F74  # "Foot"


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


class Conn(Protocol):
    """What the stores ask of a connection: run one statement (`?` placeholders), get a
    cursor back (`fetchone`, `fetchall`, iteration, `rowcount`)."""

    def execute(self, sql: str, args: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Any: ...


def _migrate(conn: Conn, dialect: str) -> int:
    """Bring the schema to SCHEMA_VERSION inside the caller's write transaction; return the
    version found. Safe to run again and from two processes at once (the caller holds the lock)."""
    conn.execute(_VERSION_TABLE)
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    found = int(row[0]) if row and row[0] is not None else 0
    for version in range(found + 1, SCHEMA_VERSION + 1):
        for statement in _MIGRATIONS[version - 1]:
            if dialect == "sqlite" and statement.startswith("ALTER TABLE"):
                table, column = statement.split()[2], statement.split()[5]
                columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                if column in columns:  # added by hand or by an interrupted older run
                    continue
            elif statement.startswith("ALTER TABLE"):
                statement = statement.replace("ADD COLUMN", "ADD COLUMN IF NOT EXISTS", 1)
            conn.execute(statement.format(auto_id=_AUTO_ID[dialect]))
        conn.execute("DELETE FROM schema_version")
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    return found


class Database:
    """One SQLite file behind one connection that every thread of the process shares.

    Opening runs `PRAGMA quick_check`: a damaged file raises `StateDamaged` with what was lost
    and how to start again, never a traceback from the first query that trips on it."""

    dialect = "sqlite"

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
            with self.write() as conn:  # BEGIN IMMEDIATE: one process migrates at a time
                _migrate(conn, self.dialect)
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, str(exc)) from None

    def describe(self) -> str:
        return str(self.path)

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


def redact_url(url: str) -> str:
    """A database URL fit to show: the password replaced by stars."""
    from assistant.settings import _redact_url

    return _redact_url(url)


class ServerUnreachable(FootnoteError):
    """The database server named by FOOTNOTE_DATABASE_URL cannot be reached or refused us."""


class _PgConn:
    """A pooled psycopg connection that reads the stores' `?` placeholders and returns tuples."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, args: Sequence[Any] = (), /) -> Any:
        from psycopg.rows import tuple_row

        return self._conn.cursor(row_factory=tuple_row).execute(sql.replace("?", "%s"), args)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Any:
        from psycopg.rows import tuple_row

        cursor = self._conn.cursor(row_factory=tuple_row)
        cursor.executemany(sql.replace("?", "%s"), list(rows))
        return cursor


@contextmanager
def _schema_lock(pool: Any, timeout_s: float = 120.0) -> Iterator[None]:
    """Hold the advisory lock under which one process at a time makes or migrates the schema.

    A session lock, taken by polling outside any transaction: LangGraph's `setup()` builds an
    index CONCURRENTLY, which waits for every transaction open when it starts; a second process
    waiting for the lock inside a statement would be such a transaction, and the two would wait
    for each other for ever."""
    import time

    with pool.connection() as conn:
        deadline = time.monotonic() + timeout_s
        while not conn.execute(
            "SELECT pg_try_advisory_lock(%s::bigint) AS got", (_MIGRATION_LOCK,)
        ).fetchone()["got"]:
            if time.monotonic() > deadline:
                raise TimeoutError("another process has been migrating the schema too long")
            time.sleep(0.1)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s::bigint)", (_MIGRATION_LOCK,))


class PostgresDatabase:
    """A PostgreSQL database behind a psycopg connection pool, shared by every thread.

    The pool's connections are in autocommit mode with dictionaries for rows and no prepared
    statements, as LangGraph's `PostgresSaver` needs them, so the checkpointer uses the same
    pool; the stores ask for tuples and wrap each write in one transaction."""

    dialect = "postgres"

    def __init__(self, url: str, max_size: int = 10) -> None:
        import psycopg
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.url = url
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
            check=ConnectionPool.check_connection,  # a restarted server costs one reconnect
            open=False,
            name="footnote",
        )
        try:
            # one plain connection first: a server that is not there fails in seconds with
            # libpq's own reason, where the pool would retry until its timeout
            psycopg.connect(url, connect_timeout=10).close()
            self.pool.open(wait=True, timeout=30)
            with _schema_lock(self.pool), self.write() as conn:
                _migrate(conn, self.dialect)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            self.pool.close()
            raise ServerUnreachable(
                f"The PostgreSQL server at {redact_url(url)} cannot be reached "
                f"({str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}): "
                "threads, reports and fact-checks are kept there.",
                "Start the server (README, 'Team setup'), check FOOTNOTE_DATABASE_URL, or unset "
                "it to keep them in the local SQLite file under FOOTNOTE_HOME.",
            ) from None

    def describe(self) -> str:
        return redact_url(self.url)

    @contextmanager
    def read(self) -> Iterator[_PgConn]:
        with self.pool.connection() as conn:
            yield _PgConn(conn)

    @contextmanager
    def write(self) -> Iterator[_PgConn]:
        """One transaction on one pooled connection, rolled back on any error."""
        with self.pool.connection() as conn, conn.transaction():
            yield _PgConn(conn)

    def close(self) -> None:
        self.pool.close()


def is_database_url(value: str | Path) -> bool:
    return isinstance(value, str) and value.startswith(("postgresql://", "postgres://"))


def open_database(where: Path | str) -> Database | PostgresDatabase:
    """A `postgresql://` URL opens the server; anything else is a SQLite file path."""
    if is_database_url(where):
        return PostgresDatabase(str(where))
    return Database(Path(where))


AnyDatabase = Database | PostgresDatabase


@dataclass(frozen=True)
class Thread:
    id: str
    news_id: str | None
    title: str
    created_at: str
    updated_at: str
    owner: str = ""


@dataclass(frozen=True)
class Message:
    role: str
    content: str
    answer: dict[str, Any] | None
    context: dict[str, Any]
    created_at: str


class UnknownThread(FootnoteError):
    """A message was added to a thread that does not exist or belongs to someone else."""


_THREAD_COLUMNS = "id, news_id, title, created_at, updated_at, owner"


class ThreadStore:
    """Conversation threads of one owner: messages and answers with their ledgers survive
    restarts; another owner's threads are neither listed nor readable nor writable."""

    def __init__(self, db: AnyDatabase | Path | str, owner: str = "") -> None:
        self.db = db if isinstance(db, Database | PostgresDatabase) else open_database(db)
        self.owner = owner

    def for_owner(self, owner: str) -> ThreadStore:
        return ThreadStore(self.db, owner)

    def create(self, title: str, news_id: str | None = None) -> Thread:
        """Start a new thread."""
        now = _now()
        thread = Thread(
            uuid.uuid4().hex[:12], news_id, title[:120] or "New thread", now, now, self.owner
        )
        with self.db.write() as db:
            db.execute(
                f"INSERT INTO threads ({_THREAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    thread.id,
                    thread.news_id,
                    thread.title,
                    thread.created_at,
                    thread.updated_at,
                    thread.owner,
                ),
            )
        return thread

    def get(self, thread_id: str) -> Thread | None:
        with self.db.read() as db:
            row = db.execute(
                f"SELECT {_THREAD_COLUMNS} FROM threads WHERE id = ? AND owner = ?",
                (thread_id, self.owner),
            ).fetchone()
        return Thread(*row) if row else None

    def recent(self, news_id: str | None = None, limit: int = 50) -> list[Thread]:
        """Most recently used first; only those of `news_id` when given."""
        query = f"SELECT {_THREAD_COLUMNS} FROM threads WHERE owner = ?"
        args: tuple[Any, ...] = (self.owner,)
        if news_id is not None:
            query += " AND news_id = ?"
            args = (*args, news_id)
        query += " ORDER BY updated_at DESC, id LIMIT ?"
        with self.db.read() as db:
            return [Thread(*row) for row in db.execute(query, (*args, limit)).fetchall()]

    def append(
        self,
        thread_id: str,
        role: str,
        content: str,
        answer: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        """Add one message in a single transaction (to one of this owner's threads)."""
        now = _now()
        with self.db.write() as db:
            touched = db.execute(
                "UPDATE threads SET updated_at = ? WHERE id = ? AND owner = ?",
                (now, thread_id, self.owner),
            ).rowcount
            if touched != 1:
                raise UnknownThread(
                    f"No thread {thread_id!r} to add a message to.",
                    "Start a new thread; threads are kept per signed-in user.",
                )
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

    def messages(self, thread_id: str) -> list[Message]:
        with self.db.read() as db:
            rows = db.execute(
                "SELECT m.role, m.content, m.answer_json, m.context_json, m.created_at"
                " FROM messages m JOIN threads t ON t.id = m.thread_id"
                " WHERE m.thread_id = ? AND t.owner = ? ORDER BY m.id",
                (thread_id, self.owner),
            ).fetchall()
        return [
            Message(role, content, json.loads(a) if a else None, json.loads(c or "{}"), at)
            for role, content, a, c, at in rows
        ]

    def last_context(self, thread_id: str) -> dict[str, Any]:
        """The context of the thread's latest answer, for follow-up questions."""
        with self.db.read() as db:
            row = db.execute(
                "SELECT m.context_json FROM messages m JOIN threads t ON t.id = m.thread_id"
                " WHERE m.thread_id = ? AND t.owner = ? AND m.role = 'assistant'"
                " ORDER BY m.id DESC LIMIT 1",
                (thread_id, self.owner),
            ).fetchone()
        return json.loads(row[0]) if row and row[0] else {}


class FactcheckStore:
    """Checked claims per document (as JSON), so the app can mark each number of a text.
    Shared by every user: they check the documents of one library against one market."""

    def __init__(self, db: AnyDatabase | Path | str) -> None:
        self.db = db if isinstance(db, Database | PostgresDatabase) else open_database(db)

    def save(self, doc_id: str, content_hash: str, claims: list[dict[str, Any]]) -> None:
        """Replace the stored results of one document."""
        payload = json.dumps(claims, ensure_ascii=False)
        checked_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.write() as db:
            db.execute(
                "INSERT INTO factcheck_results (doc_id, content_hash, checked_at, claims_json)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET"
                " content_hash = excluded.content_hash, checked_at = excluded.checked_at,"
                " claims_json = excluded.claims_json",
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

    def version(self) -> str:
        """Changes whenever a result is saved or deleted, by any process (how many, latest)."""
        with self.db.read() as db:
            row = db.execute("SELECT COUNT(*), MAX(checked_at) FROM factcheck_results").fetchone()
        return f"{row[0]}:{row[1]}" if row else ""

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


_REPORT_COLUMNS = "id, title, language, topic, news_id, created_at, json, owner"


class ReportStore:
    """Research reports of one owner as JSON, with the columns a list of them needs."""

    def __init__(self, db: AnyDatabase | Path | str, owner: str = "") -> None:
        self.db = db if isinstance(db, Database | PostgresDatabase) else open_database(db)
        self.owner = owner

    def for_owner(self, owner: str) -> ReportStore:
        return ReportStore(self.db, owner)

    def save(self, row: ReportRow, payload: str) -> None:
        """Insert or replace one report (never another owner's: that one stays as it is)."""
        with self.db.write() as db:
            db.execute(
                f"INSERT INTO reports ({_REPORT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
                " language = excluded.language, topic = excluded.topic,"
                " news_id = excluded.news_id, created_at = excluded.created_at,"
                " json = excluded.json WHERE reports.owner = excluded.owner",
                (
                    row.id,
                    row.title,
                    row.language,
                    row.topic,
                    row.news_id,
                    row.created_at,
                    payload,
                    self.owner,
                ),
            )

    def recent(self, limit: int = 50) -> list[ReportRow]:
        """Stored reports, newest first."""
        with self.db.read() as db:
            rows = db.execute(
                "SELECT id, title, language, topic, news_id, created_at FROM reports"
                " WHERE owner = ? ORDER BY created_at DESC, id LIMIT ?",
                (self.owner, limit),
            ).fetchall()
        return [ReportRow(*r) for r in rows]

    def get(self, report_id: str) -> str | None:
        """The JSON of one report, or None."""
        with self.db.read() as db:
            row = db.execute(
                "SELECT json FROM reports WHERE id = ? AND owner = ?", (report_id, self.owner)
            ).fetchone()
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
            db.executemany(
                f"INSERT INTO reports ({_REPORT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                [(*r, self.owner) for r in rows],
            )
        with contextlib.suppress(OSError):  # renamed by another process meanwhile: same rows
            old.rename(done)
        return len(rows)


class _Runs:
    """The LangGraph checkpointer of one store, opened once per process and shared by every
    owner's view (a run's checkpoints are keyed by its own id)."""

    def __init__(self, db: AnyDatabase, runs_path: Path) -> None:
        self.db = db
        self.runs_path = runs_path
        self.saver: BaseCheckpointSaver[str] | None = None
        self.conn: sqlite3.Connection | None = None
        self.lock = threading.Lock()

    def checkpointer(self) -> BaseCheckpointSaver[str]:
        with self.lock:
            if self.saver is None:
                if isinstance(self.db, PostgresDatabase):
                    self.saver = _postgres_saver(self.db)
                else:
                    from langgraph.checkpoint.sqlite import SqliteSaver

                    conn = sqlite3.connect(self.runs_path, check_same_thread=False, timeout=30)
                    self.conn = conn
                    self.saver = SqliteSaver(conn)
            return self.saver

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                self.conn.close()
                self.conn = None
            self.saver = None


def _postgres_saver(db: PostgresDatabase) -> BaseCheckpointSaver[str]:
    """LangGraph's Postgres checkpointer on the store's pool; its tables made or migrated by
    `setup()` once, under the same advisory lock as the store's own schema."""
    from langgraph.checkpoint.postgres import PostgresSaver

    saver = PostgresSaver(db.pool)  # type: ignore[arg-type]  # its connections make dict rows
    with _schema_lock(db.pool):
        saver.setup()
    return saver


class Store:
    """Threads, fact-checks and reports in one database; graph checkpoints beside them (a
    second SQLite file, or the same PostgreSQL database).

    `where` is a SQLite path (`:memory:` too) or a `postgresql://` URL."""

    def __init__(self, where: Path | str, runs_path: Path | None = None, owner: str = "") -> None:
        self.db = open_database(where)
        self._init(self.db, owner)
        if isinstance(self.db, Database):
            in_memory = str(where) == ":memory:"
            default_runs = (
                Path(":memory:") if in_memory else Path(where).with_name("research-runs.sqlite")
            )
            self.runs_path = runs_path or default_runs
        else:
            self.runs_path = Path("postgresql")  # unused: checkpoints live in the database
        self._runs = _Runs(self.db, self.runs_path)

    def _init(self, db: AnyDatabase, owner: str) -> None:
        self.owner = owner
        self.threads = ThreadStore(db, owner)
        self.factchecks = FactcheckStore(db)
        self.reports = ReportStore(db, owner)

    @property
    def backend(self) -> str:
        """`sqlite` or `postgres`."""
        return self.db.dialect

    def for_owner(self, owner: str) -> Store:
        """A view of the same database and checkpointer holding only `owner`'s threads and
        reports (fact-checks are shared)."""
        if owner == self.owner:
            return self
        view = Store.__new__(Store)
        view.db = self.db
        view.runs_path = self.runs_path
        view._runs = self._runs
        view._init(self.db, owner)
        return view

    def checkpointer(self) -> BaseCheckpointSaver[str]:
        """LangGraph's checkpointer (SQLite or PostgreSQL), opened once per process."""
        return self._runs.checkpointer()

    def close(self) -> None:
        """Close the connections (the process would on exit anyway)."""
        self._runs.close()
        self.db.close()
