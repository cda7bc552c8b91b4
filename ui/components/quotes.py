"""The quote strip: last close, day change, as-of and a stale marker per ticker."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from assistant import Quote
from ui.components.markdown import safe
from ui.text import lang, t


def missing_data(error: str, hint: str) -> None:
    """Explain missing market data and how to get it."""
    st.warning(t("data.missing", error=safe(error)) + "\n\n" + t("data.how", hint=safe(hint)))


def quote_strip(quotes: Sequence[Quote]) -> None:
    """Show one metric per ticker; a ticker without data says how to get it."""
    if not quotes:
        return
    for column, q in zip(st.columns(len(quotes)), quotes, strict=False):
        with column:
            if q.close is None or q.change is None:
                st.markdown(f"**{safe(q.name)}**")
                missing_data(q.error, q.hint)
                continue
            st.metric(
                q.name,
                q.close.display(lang()),
                q.change.display(lang()),
                help=f"{q.close.formula}\n\n{q.change.formula}",
                chart_data=q.spark or None,
                chart_type="line",
            )
            caption = f"{t('card.as_of')} {q.as_of.isoformat() if q.as_of else '?'}"
            st.caption(caption)
            if q.stale:
                st.badge(
                    t("news.stale"),
                    icon=":material/history:",
                    color="orange",
                    help=t("news.stale_help"),
                )
