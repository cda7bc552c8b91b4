"""One answer as the chat shows it: text with citation badges, receipts, verification, footer."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import caveats, figures_csv, receipts
from ui.components.markdown import safe, with_markers
from ui.components.receipts import citation_row
from ui.text import t


def verification_badge(
    verification: dict[str, Any], cited: bool = True, warned: bool = False
) -> None:
    """Show "12/12 numbers verified" (green when every number is traced and no banner warns
    about the answer, orange otherwise).

    A message that cites nothing (an error, a refusal, help) has nothing verified: it gets a
    neutral badge, never a green one."""
    total = int(verification.get("numbers_total") or 0)
    ok = int(verification.get("numbers_verified") or 0)
    clean = not verification.get("findings") and ok == total and not warned
    if total == 0 or (not cited and clean):
        st.badge(t("badge.none"), icon=":material/info:", color="gray")
    else:
        st.badge(
            t("badge.verified", ok=ok, total=total),
            icon=":material/verified:" if clean else ":material/warning:",
            color="green" if clean else "orange",
        )
    unsupported = verification.get("unsupported") or []
    if unsupported:
        st.caption(t("badge.unsupported", items=", ".join(safe(str(u)) for u in unsupported)))


def coverage_badge(coverage: dict[str, Any] | None) -> None:
    """Show "answers 2 of 3 asked items" apart from the numbers badge, and what was not answered."""
    if not coverage:
        return
    total = int(coverage.get("asked") or 0)
    ok = int(coverage.get("answered") or 0)
    st.badge(
        t("badge.coverage", ok=ok, total=total, noun="item" if total == 1 else "items"),
        icon=":material/task_alt:" if ok == total else ":material/rule:",
        color="green" if ok == total else "orange",
    )
    missing = coverage.get("missing") or []
    if missing:
        st.caption(t("badge.missing", items="; ".join(safe(str(m)) for m in missing)))


def render_answer(answer: dict[str, Any], key: str, lang: str) -> None:
    """Show a stored or fresh answer (the shape of `Answer.to_json`)."""
    banner = answer.get("banner")
    if banner:  # in the asker's language, above the answer, in place of a green badge
        st.error(safe(str(banner)), icon=":material/report:")
    st.markdown(with_markers(str(answer.get("answer") or "")))
    # A figure computed across an unresolved step says so beside the answer, not only in its receipt.
    for n, caveat in dict.fromkeys(caveats(answer)):
        st.warning(t("answer.caveat", n=n, text=safe(caveat)), icon=":material/warning:")
    verification_badge(
        answer.get("verification") or {},
        cited=bool(answer.get("citations")),
        warned=bool(banner),
    )
    coverage_badge(answer.get("coverage"))
    citation_row(receipts(answer, lang), key)
    if answer.get("figures"):
        st.download_button(
            t("answer.csv"),
            figures_csv(answer),
            file_name="footnote-figures.csv",
            mime="text/csv",
            key=f"{key}-csv",
            on_click="ignore",
            icon=":material/download:",
        )
    if answer.get("footer"):
        st.caption(safe(str(answer["footer"])))


def follow_ups(answer: dict[str, Any], key: str) -> str | None:
    """Show the suggested follow-up questions as buttons; return the one clicked."""
    suggestions = [s for s in answer.get("suggestions") or [] if s][:3]
    if not suggestions:
        return None
    st.caption(t("chat.follow_ups"))
    picked = None
    for i, (column, text) in enumerate(
        zip(st.columns(len(suggestions)), suggestions, strict=False)
    ):
        if column.button(text, key=f"{key}-follow-{i}", width="stretch"):
            picked = text
    return picked
