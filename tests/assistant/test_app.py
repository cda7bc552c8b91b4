"""The Footnote object: parts opened on first use and shared by session copies; reports listed
from the state store alone; the demo corpus fact-checked whichever part opens first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.app import Footnote
from assistant.errors import FootnoteError
from assistant.settings import get_settings
from assistant.store import Database, ReportStore


def test_a_session_copy_shares_parts_not_yet_opened() -> None:
    shared = Footnote(demo=False)
    session = shared.with_settings(get_settings().model_copy(update={"language": "zh"}))
    assert session.store is shared.store  # opened through the copy, seen by the original
    assert session.key == shared.key
    assert session.settings.language == "zh" and shared.settings.language != "zh"


def test_listing_reports_opens_only_the_state_store() -> None:
    fn = Footnote()
    assert fn.reports() == []
    assert fn._parts.market is None and fn._parts.library is None


def test_the_demo_corpus_is_checked_when_the_library_opens_first(shared_prices: Path) -> None:
    fn = Footnote()
    news = [d for d in fn.documents() if d.kind == "news"]  # the library first, then the market
    assert news
    assert all(fn.store.factchecks.load(d.id) is not None for d in news)


def test_research_on_an_unknown_news_item_is_a_plain_error(shared_prices: Path) -> None:
    with pytest.raises(FootnoteError, match="No news item"):
        Footnote().research.plan("anything", news_id="no-such-item")


COLUMNS = "id, news_id, title, created_at, updated_at"


def test_a_failed_write_leaves_the_shared_connection_usable(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite")

    def insert_twice() -> None:
        with db.write() as conn:
            conn.execute(f"INSERT INTO threads ({COLUMNS}) VALUES ('t', NULL, 'x', 'a', 'a')")
            conn.execute(f"INSERT INTO threads ({COLUMNS}) VALUES ('t', NULL, 'x', 'a', 'a')")

    with pytest.raises(sqlite3.IntegrityError):
        insert_twice()
    assert not db._conn.in_transaction
    with db.write() as conn:
        conn.execute(f"INSERT INTO threads ({COLUMNS}) VALUES ('u', NULL, 'y', 'a', 'a')")
    with db.read() as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM threads")] == ["u"]


def test_older_reports_are_adopted_once_and_a_damaged_file_is_kept(tmp_path: Path) -> None:
    old = tmp_path / "research.sqlite"
    src = sqlite3.connect(old)
    src.execute(
        "CREATE TABLE reports (id TEXT PRIMARY KEY, title TEXT, language TEXT, topic TEXT,"
        " news_id TEXT, created_at TEXT, json TEXT NOT NULL)"
    )
    src.execute("INSERT INTO reports VALUES ('r1', 't', 'en', 'x', NULL, '2026-01-01', '{}')")
    src.commit()
    src.close()
    reports = ReportStore(tmp_path / "state.sqlite")
    assert reports.adopt(old) == 1
    assert not old.exists() and (tmp_path / "research.sqlite.adopted").exists()
    assert reports.adopt(old) == 0  # nothing left to adopt
    damaged = tmp_path / "other.sqlite"
    damaged.write_bytes(b"not a database at all" * 100)
    assert reports.adopt(damaged) == 0
    assert damaged.exists()  # kept for a later try, not renamed away


def test_a_market_question_does_not_open_the_knowledge_store(shared_prices: Path) -> None:
    first = Footnote()
    first.ask("What's the latest close of the Dow?")  # a fresh home: demo corpus, people index
    assert (first.settings.home / "people.json").is_file()
    again = Footnote()  # a later `footnote ask` in a new process
    answer = again.ask("How much did the Russell 2000 rise from Dec 1 to Jan 23?")
    assert "+6.75%" in answer.text and answer.verification.ok
    assert again._parts.library is None  # Chroma and the embedding model never loaded
    expert = again.ask("What did Jeffrey Hirsch say about the January effect?")
    assert again._parts.library is not None and expert.ledger.passages


def test_ingest_refreshes_the_experts_index(shared_prices: Path, tmp_path: Path) -> None:
    fn = Footnote()
    assert "quill" not in fn.people()
    doc = tmp_path / "note.md"
    doc.write_text(
        "---\ntitle: A note\nkind: analysis\nsources:\n  - n: 1\n    publisher: Northwind"
        " Capital\n    person: Ada Quill, chief strategist, Northwind\n---\n\n## View\n\n"
        "Rates matter [1].\n",
        encoding="utf-8",
    )
    assert [o.status for o in fn.ingest([doc])] == ["added"]
    assert Footnote().people()["quill"] == "Ada Quill"  # read back from the file
