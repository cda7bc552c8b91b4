"""The quote strip: last close, day change, as-of and a stale marker per ticker; one calm note
for the tickers without prices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from assistant import Quote, explain_error, no_prices_text
from ui import routes
from ui.text import lang, t

Window = tuple[dt.date, dt.date] | None


def _fix_button() -> None:
    st.page_link(routes.SETTINGS, label=t("data.import"), icon=":material/upload_file:")


def missing_prices(quotes: Sequence[Quote], window: Window) -> None:
    """Say once which tickers have no prices for `window` (the item's), why, and the fix."""
    missing = [q for q in quotes if q.close is None or q.change is None]
    if not missing:
        return
    start, end = window or (None, None)
    for cause in dict.fromkeys(q.cause for q in missing):
        symbols = [q.symbol for q in missing if q.cause == cause]
        st.info(no_prices_text(symbols, start, end, cause, lang()), icon=":material/info:")
    _fix_button()


def missing_data(exc: Exception, symbols: Sequence[str] = (), window: Window = None) -> None:
    """Explain a failed chart or lookup in the reader's words (for `window`), with the fix."""
    st.info(explain_error(exc, lang(), symbols, window=window), icon=":material/info:")
    _fix_button()


def quote_strip(quotes: Sequence[Quote], window: Window = None) -> None:
    """Show one metric per ticker with prices; the others are named once, with the fix."""
    shown = [q for q in quotes if q.close is not None and q.change is not None]
    for column, q in zip(st.columns(len(shown)) if shown else [], shown, strict=False):
        with column:
            assert q.close is not None and q.change is not None
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
    missing_prices(quotes, window)
