"""Deep research (wired to `assistant.research.open_research`)."""

from __future__ import annotations

import streamlit as st

from ui.state import services
from ui.text import t


def render() -> None:
    """Show the deep-research page."""
    st.title(t("research.title"), anchor=False)
    if services().research is None:
        st.info(t("research.unavailable"))


render()
