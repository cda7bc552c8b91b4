"""Citation buttons that open a figure's receipt or a passage's source."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from assistant import Receipt, SourceEntry, link_host, safe_link
from ui.components.markdown import safe
from ui.text import t

PER_ROW = 4


def _short(label: str, size: int = 34) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def receipt_body(receipt: Receipt) -> None:
    """Show one receipt: its rows, the quoted passage and the source link when allowed."""
    st.markdown(f"**[{receipt.n}] {safe(receipt.label)}**")
    if receipt.stale:
        st.warning(t("news.stale_help"))
    for caveat in receipt.caveats:
        st.warning(t("receipt.caveat", text=safe(caveat)), icon=":material/warning:")
    lines = [f"- **{t('receipt.' + name)}**: {safe(value)}" for name, value in receipt.rows]
    st.markdown("\n".join(lines))
    if receipt.quote:
        st.markdown("> " + safe(receipt.quote).replace("\n", "\n> "))
    if receipt.url:
        st.link_button(t("receipt.open"), receipt.url)
    elif receipt.host:
        st.caption(t("news.link_hidden", host=receipt.host))


def citation_row(receipts: Sequence[Receipt], key: str) -> None:
    """Show one popover per citation, a few to a row."""
    if not receipts:
        return
    st.caption(t("citations"))
    for first in range(0, len(receipts), PER_ROW):
        chunk = receipts[first : first + PER_ROW]
        for column, receipt in zip(st.columns(PER_ROW), chunk, strict=False):
            icon = ":material/calculate:" if receipt.kind == "figure" else ":material/article:"
            if receipt.caveats:
                icon = ":material/warning:"
            with (
                column,
                st.popover(
                    f"[{receipt.n}] {_short(receipt.label)}",
                    icon=icon,
                    key=f"{key}-cite-{receipt.n}",
                    width="stretch",
                ),
            ):
                receipt_body(receipt)


def source_body(source: SourceEntry) -> None:
    """Show one numbered source of a document, linking only to allowed hosts."""
    st.markdown(f"**[{source.n}] {safe(source.label())}**")
    if source.summary:
        st.markdown(safe(source.summary))
    url = safe_link(source.url)
    if url:
        st.link_button(t("receipt.open"), url)
    elif source.url:
        st.caption(t("news.link_hidden", host=link_host(source.url)))


def source_row(sources: Sequence[SourceEntry], key: str) -> None:
    """Show one popover per cited source, a few to a row."""
    for first in range(0, len(sources), PER_ROW):
        chunk = sources[first : first + PER_ROW]
        for column, source in zip(st.columns(PER_ROW), chunk, strict=False):
            who = source.person or source.publisher
            with (
                column,
                st.popover(
                    f"[{source.n}] {_short(who, 28)}",
                    icon=":material/article:",
                    key=f"{key}-src-{source.n}",
                    width="stretch",
                ),
            ):
                source_body(source)
