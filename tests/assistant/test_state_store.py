"""The state store on both backends: schema made and migrated once, reports per owner, the
checkpointer, a clear error for a server that is not there, and the setting that picks it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.app import Footnote
from assistant.errors import FootnoteError
from assistant.settings import Settings
from assistant.store import SCHEMA_VERSION, ReportRow, ServerUnreachable, Store

ROOT = Path(__file__).resolve().parents[2]
OLD_SCHEMA = """
CREATE TABLE threads (id TEXT PRIMARY KEY, news_id TEXT, title TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id TEXT NOT NULL
    REFERENCES threads(id) ON DELETE CASCADE, role TEXT NOT NULL, content TEXT NOT NULL,
    answer_json TEXT, context_json TEXT, created_at TEXT NOT NULL);
CREATE TABLE factcheck_results (doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL,
    checked_at TEXT NOT NULL, claims_json TEXT NOT NULL);
CREATE TABLE reports (id TEXT PRIMARY KEY, title TEXT, language TEXT, topic TEXT,
    news_id TEXT, created_at TEXT, json TEXT NOT NULL);
INSERT INTO threads VALUES ('old1', NULL, 'kept from before', '2026-01-01', '2026-01-01');
INSERT INTO messages (thread_id, role, content, created_at) VALUES ('old1', 'user', 'hi', 'x');
INSERT INTO reports VALUES ('r0', 'Old report', 'en', 't', NULL, '2026-01-01', '{}');
"""


def version(store: Store) -> int:
    with store.db.read() as conn:
        return int(conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0])


def test_a_file_from_before_owners_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "footnote.sqlite"
    old = sqlite3.connect(path)
    old.executescript(OLD_SCHEMA)
    old.close()
    store = Store(path)
    assert version(store) == SCHEMA_VERSION
    assert [t.id for t in store.threads.recent()] == ["old1"]  # the single user's, as before
    assert [m.content for m in store.threads.messages("old1")] == ["hi"]
    assert [r.id for r in store.reports.recent()] == ["r0"]
    store.close()
    again = Store(path)  # a second start migrates nothing and loses nothing
    assert version(again) == SCHEMA_VERSION and len(again.threads.recent()) == 1
    again.close()


def test_reports_belong_to_their_owner(state_where: Path | str) -> None:
    store = Store(state_where)
    ada, bob = store.for_owner("ada"), store.for_owner("bob")
    row = ReportRow("r1", "Ada's report", "en", "topic", None, "2026-11-24T10:00:00+00:00")
    ada.reports.save(row, '{"by": "ada"}')
    assert [r.id for r in ada.reports.recent()] == ["r1"]
    assert bob.reports.recent() == [] and bob.reports.get("r1") is None
    bob.reports.save(row, '{"by": "bob"}')  # the same id cannot take over Ada's report
    assert ada.reports.get("r1") == '{"by": "ada"}'
    assert bob.reports.get("r1") is None
    ada.factchecks.save("doc", "h", [{"verdict": "holds"}])  # fact-checks are shared
    assert bob.factchecks.load("doc") == ("h", [{"verdict": "holds"}])
    assert ada.checkpointer() is bob.checkpointer() is store.checkpointer()
    store.close()


def test_two_processes_starting_at_once_migrate_once(postgres_url: str) -> None:
    from tests.servers import fresh_schema_url

    url = fresh_schema_url(postgres_url)
    code = (
        "import sys; from assistant.store import Store; s = Store(sys.argv[1]); "
        "s.checkpointer(); t = s.threads.create('from ' + sys.argv[2]); print(t.id)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, url, str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        for i in range(3)
    ]
    ids = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        ids.append(out.strip())
    store = Store(url)
    assert version(store) == SCHEMA_VERSION
    assert sorted(t.id for t in store.threads.recent()) == sorted(ids)
    with store.db.read() as conn:
        (rows,) = conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()
    assert rows == 1
    store.close()


def test_an_unreachable_server_says_where_and_what_to_do(tmp_path: Path) -> None:
    url = f"postgresql://ada:s3cret@/footnote?host={tmp_path}&port=5999&connect_timeout=2"
    with pytest.raises(ServerUnreachable) as caught:
        Store(url)
    message = str(caught.value.message)
    assert "PostgreSQL server" in message and "ada:****@" in message
    assert "s3cret" not in message + caught.value.hint
    assert "FOOTNOTE_DATABASE_URL" in caught.value.hint


def test_the_setting_picks_the_server(postgres_url: str, tmp_path: Path) -> None:
    from tests.servers import fresh_schema_url

    url = fresh_schema_url(postgres_url)
    with pytest.raises(ValueError, match="postgresql://"):
        Settings(home=tmp_path, database_url="mysql://nope")
    settings = Settings(home=tmp_path, price_mode="local", database_url=url)
    assert "FOOTNOTE_DATABASE_URL" in settings.masked()
    fn = Footnote(settings, demo=False)
    thread = fn.threads.create("kept on the server")
    assert fn.store.backend == "postgres"
    assert not settings.state_db.exists()  # no SQLite file beside it
    assert [t.id for t in Footnote(settings, demo=False).threads.recent()] == [thread.id]
    assert fn.for_user("ada").threads.recent() == []
    before = fn.data_version()  # a fact-check saved by another process shows on the next run
    Footnote(settings, demo=False).store.factchecks.save("doc", "h", [])
    assert fn.data_version() != before
    from assistant.views.diagnostics import describe_data

    (item,) = [i for i in describe_data(settings) if "PostgreSQL" in i.label]
    assert item.summary.startswith("postgresql://footnote")
    assert isinstance(ServerUnreachable("x"), FootnoteError)
