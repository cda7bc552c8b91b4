"""Where each page lives, and moving between them with the question or item they need."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
FEED = "pages/feed.py"
NEWS = "pages/news.py"
CHAT = "pages/chat.py"
RESEARCH = "pages/research.py"
SETTINGS = "pages/settings.py"
LIBRARY = "pages/library.py"
PENDING_KEY = "pending_question"


def ask_in_chat(question: str, news_id: str | None = None) -> None:
    """Open the chat page and ask `question` there (about `news_id` when given)."""
    st.session_state[PENDING_KEY] = question
    st.switch_page(CHAT, query_params={"news": news_id} if news_id else None)


def take_pending() -> str | None:
    """Return (once) the question another page handed to the chat."""
    value = st.session_state.pop(PENDING_KEY, None)
    return value if isinstance(value, str) else None
