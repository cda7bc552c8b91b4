"""Per-user state under Streamlit's authentication, with AppTest's faked `st.user`: a signed-in
user sees only their own threads and reports; without sign-in the app is single-user and says
so; with sign-in configured and nobody signed in, only the sign-in page shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from assistant.settings import get_settings
from assistant.store import ReportRow, Store
from tests.ui.conftest import APP, TIMEOUT_S, texts
from tests.ui.fakes import FakeLibrary, demo_documents
from tools import calendar
from tools.market import Market
from tools.prices.fake import FakeSource, synthetic_ohlcv
from ui.state import FOOTNOTE_KEY

TODAY = dt.date(2026, 3, 9)
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret",
    "client_id": "footnote",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration",
}
ADA = {"is_logged_in": True, "email": "Ada@Example.com", "name": "Ada", "sub": "a-1"}
BOB = {"is_logged_in": True, "email": "bob@example.com", "name": "Bob", "sub": "b-2"}


@pytest.fixture
def svc(tmp_path: Path) -> Footnote:
    """One process's Footnote over a real state store, with Ada's thread and report in it."""
    sessions = calendar.sessions_between(dt.date(2025, 6, 2), dt.date(2026, 3, 6))
    frames = synthetic_ohlcv(["^RUT", "^GSPC"], sessions)
    store = Store(tmp_path / "state.sqlite")
    ada = store.for_owner("ada@example.com")
    thread = ada.threads.create("Ada's private question")
    ada.threads.append(thread.id, "user", "What did the small caps do in February?")
    row = ReportRow("r-ada", "Ada's private report", "en", "t", None, "2026-03-01T10:00:00+00:00")
    ada.reports.save(row, "{}")
    return Footnote(
        get_settings(),
        market=Market(FakeSource(frames), today=lambda: TODAY),
        library=FakeLibrary(demo_documents()),
        store=store,
        demo=False,
    )


def app(svc: Footnote, user: dict[str, Any] | None, auth: bool = True) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state[FOOTNOTE_KEY] = svc
    at.context["locale"] = "en-US"
    if auth:
        at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    return at


def thread_id(svc: Footnote, owner: str) -> str:
    (thread,) = svc.for_user(owner).threads.recent()
    return thread.id


def test_a_signed_in_user_sees_only_their_own_threads(svc: Footnote) -> None:
    ada_thread = thread_id(svc, "ada@example.com")
    at = app(svc, ADA)
    at.query_params["thread"] = ada_thread
    at.run()
    assert "Signed in as Ada" in [c.value for c in at.sidebar.caption]
    assert "Sign out" in [b.label for b in at.sidebar.button]
    at.switch_page("pages/chat.py").run()
    assert not at.exception
    assert "What did the small caps do in February?" in texts(at)

    bob = app(svc, BOB)
    bob.query_params["thread"] = ada_thread  # a shared link to Ada's thread
    bob.run()
    bob.switch_page("pages/chat.py").run()
    assert not bob.exception
    assert "small caps" not in texts(bob)
    assert all(
        "Ada's private question" not in str(option)
        for box in bob.selectbox
        for option in box.options
    )


def test_reports_are_listed_for_their_owner_only(svc: Footnote) -> None:
    ada = app(svc, ADA)
    ada.run()
    ada.switch_page("pages/research.py").run()
    assert not ada.exception
    assert any("Ada's private report" in b.label for b in ada.button)
    bob = app(svc, BOB)
    bob.run()
    bob.switch_page("pages/research.py").run()
    assert not bob.exception
    assert not any("Ada's private report" in b.label for b in bob.button)
    assert "No reports yet." in texts(bob)


def test_a_question_asked_signed_in_is_kept_as_that_users_thread(svc: Footnote) -> None:
    at = app(svc, BOB)
    at.run()
    at.switch_page("pages/chat.py").run()
    at.chat_input(key="chat_question").set_value("What was the latest close of ^RUT?").run()
    assert not at.exception
    (mine,) = svc.for_user("bob@example.com").threads.recent()
    assert mine.owner == "bob@example.com" and "^RUT" in mine.title
    assert [t.id for t in svc.for_user("ada@example.com").threads.recent()] != [mine.id]
    assert svc.threads.recent() == []  # nothing lands with the single user either


def test_nobody_signed_in_sees_only_the_sign_in_page(svc: Footnote) -> None:
    at = app(svc, {"is_logged_in": False})
    at.run()
    assert not at.exception
    assert at.title[0].value == "Sign in"
    assert [b.label for b in at.button] == ["Sign in"]
    assert "small caps" not in texts(at)


def test_the_settings_page_says_who_the_state_belongs_to(svc: Footnote) -> None:
    single = app(svc, None, auth=False)
    single.run()
    single.switch_page("pages/settings.py").run()
    assert not single.exception
    assert "Single-user: no sign-in is configured" in texts(single)
    ada = app(svc, ADA)
    ada.run()
    ada.switch_page("pages/settings.py").run()
    # the address is shown as text (a code span), never as a mailto: autolink
    shown = texts(ada)
    assert "Signed in as `ada@example.com`. Your threads and research reports are yours alone" in (
        shown
    )
