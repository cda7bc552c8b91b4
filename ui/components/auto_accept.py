"""The auto-accept toggle: beside the deep-research button on the news page and on the research
page, one choice remembered for the whole browser session."""

from __future__ import annotations

import streamlit as st

from ui.text import t

REMEMBERED = "auto_accept_plan"  # not a widget key: Streamlit drops those when a page is left


def auto_accept(key: str) -> bool:
    """Show the toggle (under its own widget `key`) and return the session's choice."""
    st.session_state[key] = bool(st.session_state.get(REMEMBERED, False))

    def remember() -> None:
        st.session_state[REMEMBERED] = bool(st.session_state[key])

    st.toggle(t("research.auto"), key=key, on_change=remember, help=t("research.auto_help"))
    return bool(st.session_state.get(REMEMBERED, False))
