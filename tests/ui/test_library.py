"""The Library page and the feed's freshness, on a real knowledge store and synthetic prices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from assistant.settings import get_settings
from assistant.store import Store
from knowledge import Library
from tests.knowledge.conftest import text_pdf
from tests.ui.conftest import APP, TIMEOUT_S, texts
from tools import calendar
from tools.market import Market
from tools.prices.fake import FakeSource, synthetic_ohlcv
from ui.state import FOOTNOTE_KEY

TODAY = dt.date(2026, 3, 9)
NOTE = b"""---
kind: news
title: My own note on small caps
published: 2026-03-02
tickers: ["^RUT"]
---
# My own note on small caps

The Russell 2000 rose 1.50% on 2026-02-27 while large caps lagged.
"""


@pytest.fixture
def svc(tmp_path: Path) -> Footnote:
    sessions = calendar.sessions_between(dt.date(2025, 1, 2), dt.date(2026, 3, 6))
    frames = synthetic_ohlcv(["^RUT", "^GSPC", "^IXIC", "^DJI"], sessions)
    settings = get_settings()
    library = Library(settings.chroma_dir)
    library.ensure_demo()
    return Footnote(
        settings,
        market=Market(FakeSource(frames), today=lambda: TODAY),
        library=library,
        store=Store(tmp_path / "state.sqlite"),
        demo=False,
    )


def app(svc: Footnote, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state[FOOTNOTE_KEY] = svc
    at.context["locale"] = "en-US"
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_library_lists_searches_ingests_and_fact_checks(svc: Footnote) -> None:
    at = app(svc, "pages/library.py")
    assert not at.exception
    body = texts(at)
    assert "**Small caps take the lead: how durable is the Russell 2000 rally?**" in body
    assert "AI-generated" in body  # the demo items are Footnote's own
    at.file_uploader(key="library_upload").set_value(
        [
            ("my note.md", NOTE, "text/markdown"),
            ("memo.pdf", text_pdf("Quarterly memo on breadth"), "application/pdf"),
            ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf"),
        ]
    ).run()
    at.button(key="library_add").click().run()
    assert not at.exception
    lines = [m.value for m in at.markdown if "**" in m.value and "·" in m.value]
    outcome = {
        name: line
        for name in ("my note.md", "memo.pdf", "broken.pdf")
        for line in lines
        if name in line
    }
    assert "added" in outcome["my note.md"] and "added" in outcome["memo.pdf"]
    assert "not added" in outcome["broken.pdf"] and "PDF" in outcome["broken.pdf"]
    assert (get_settings().home / "uploads" / "my-note.md").read_bytes() == NOTE
    # the new documents are listed at once, labelled as imported, and can be searched
    body = texts(at)
    assert "**My own note on small caps**" in body and "Imported" in body
    at.text_input(key="library_query").input("breadth").run()
    shown = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any("Quarterly memo on breadth" in s for s in shown)
    assert not any("Small caps take the lead" in s for s in shown)
    # fact-check of the uploaded note, with the news page's marks
    at.button(key="outcome-check-0").click().run()
    assert not at.exception
    assert at.header[0].value == "My own note on small caps"
    marked = texts(at)
    assert "-background[1.50%]" in marked  # the claim is marked with its verdict's colour


def test_feed_shows_an_item_ingested_elsewhere_on_the_next_run(
    svc: Footnote, tmp_path: Path
) -> None:
    at = app(svc)
    before = [s.value for s in at.subheader]
    note = tmp_path / "elsewhere.md"
    note.write_bytes(NOTE)
    # another process (`footnote ingest`) writes to the same store
    Library(get_settings().chroma_dir).ingest([note])
    at.run()
    after = [s.value for s in at.subheader]
    assert "My own note on small caps" in after and "My own note on small caps" not in before
    # labelled by who wrote it: "AI-generated" only on Footnote's own items
    captions = [c.value for c in at.caption if "·" in c.value]
    assert any(c.endswith("Imported") for c in captions)
    assert any(c.endswith("AI-generated") for c in captions)
    doc_id = next(d.id for d in svc.documents() if d.title == "My own note on small caps")
    at.switch_page("pages/news.py")
    at.query_params["id"] = doc_id
    at.run()
    page = texts(at)
    assert "An imported document, shown as written" in page and "AI-generated" not in page


def test_sidebar_news_item_opens_the_latest_with_a_picker(svc: Footnote) -> None:
    at = app(svc, "pages/news.py")
    assert not at.exception
    assert at.selectbox(key="news_pick").value
    assert at.title[0].value.startswith("Small caps take the lead")
    assert "This news item was not found" not in texts(at)


def test_first_start_names_each_step_in_a_status(shared_prices: Path, tmp_path: Path) -> None:
    """A fresh data folder: the feed shows the set-up steps in a status element, then the items."""
    from tests.ui.fakes import FakeLibrary, demo_documents

    fresh = Footnote(
        get_settings(), library=FakeLibrary(demo_documents()), store=Store(tmp_path / "s.sqlite")
    )
    assert fresh.needs_setup()
    at = app(fresh)
    assert not at.exception
    status = at.main.status
    assert status and status[0].label == "Demo content ready" and status[0].state == "complete"
    written = texts(at)
    assert "Prices: imported" in written and "Data folder:" in written
    assert at.subheader and at.metric  # then the feed, with quotes from the imported prices
    assert not fresh.needs_setup()
