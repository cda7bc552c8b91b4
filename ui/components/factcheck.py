"""The fact-check badge of a document, the same on the feed and the news item page."""

from __future__ import annotations

import streamlit as st

from assistant import FactSummary
from ui.text import t


def badge(checks: FactSummary | None) -> None:
    """Show how many market figures hold; numbers the data cannot judge are counted apart."""
    if checks is None or not checks.marks:
        return
    unchecked = len(checks.marks) - checks.checkable
    if not checks.checkable:  # nothing the data could judge: neutral, never a green "0/0"
        st.badge(t("news.factcheck_unchecked", n=unchecked), icon=":material/info:", color="gray")
        return
    label = t("news.factcheck_badge", ok=checks.holding, total=checks.checkable)
    if unchecked:
        label += " · " + t("news.factcheck_unchecked", n=unchecked)
    st.badge(
        label,
        icon=":material/fact_check:",
        color="green" if checks.holding == checks.checkable else "orange",
    )
