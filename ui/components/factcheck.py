"""A document's fact-check: its badge and its marked text, the same on the feed, the news item
page and the library."""

from __future__ import annotations

import streamlit as st

from assistant import Document, FactSummary, attribution_marks, markers, section_marks
from ui.components.markdown import COLORS, safe, with_marks
from ui.components.receipts import source_row
from ui.text import t

VERDICTS = ("holds", "holds_with_caveat", "wrong_date", "differs", "unverifiable")
SHOWN = (*VERDICTS, "attribution")


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


def marked_document(doc: Document, checks: FactSummary | None, key: str = "sec") -> None:
    """A document's sections with each checked number marked by its verdict, the notes on
    request, and the sources each section cites (the news page and the library alike)."""
    marks = section_marks(doc, checks) if checks is not None else {}
    badge(checks)
    # who said it: a sentence naming someone its cited source does not name is marked the
    # same way as a number the data contradict, and counted beside the fact-check badge
    attributions = attribution_marks(doc)
    for mark in attributions:
        marks.setdefault(int(mark.section or 0), []).append(mark)
    if attributions:
        st.badge(
            t("news.attribution_badge", n=len(attributions)),
            icon=":material/warning:",
            color="orange",
        )
    if checks is not None and checks.marks:
        st.caption(
            " · ".join(
                f":{color}-background[{t('verdict.' + verdict)}]"
                for verdict, color in (
                    ("holds", "green"),
                    ("holds_with_caveat", "blue"),
                    ("wrong_date", "orange"),
                    ("differs", "red"),
                    ("unverifiable", "gray"),
                )
            )
        )
    for i, section in enumerate(doc.sections):
        if section.heading:
            st.subheader(safe(section.heading), anchor=False)
        spans = [(m.start, m.end, m.verdict) for m in marks.get(i, [])]
        st.markdown(with_marks(section.text, spans))
        cited = [s for n in markers(section.text) if (s := doc.source(n)) is not None]
        source_row(cited, key=f"{key}{i}")
        notes = [m for m in marks.get(i, []) if m.detail]
        if notes:
            with st.expander(t("news.factcheck") + f" ({len(notes)})"):
                st.markdown(
                    "\n".join(
                        f"- :{COLORS.get(m.verdict, 'gray')}-background[{safe(m.claim)}] "
                        f"{t('verdict.' + m.verdict) if m.verdict in SHOWN else safe(m.verdict)}: "
                        f"{safe(m.detail)}"
                        for m in notes
                    )
                )
