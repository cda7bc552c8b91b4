"""Cached reads for the pages: news items, quotes, signals and charts.

Each function takes the session's `Services` (not hashed) and its `key` (hashed), so an injected
fake never shares a cache entry with the real services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from assistant.views import feed as views
from ui.state import Services

TTL_S = 300


@st.cache_data(ttl=TTL_S, show_spinner=False)
def news_items(_svc: Services, key: str, lang: str) -> list[Any]:
    """Return the news items, one per translation, newest first."""
    return views.news_items(_svc.library, lang)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def news_item(_svc: Services, key: str, doc_id: str, lang: str) -> Any | None:
    """Return one news item in `lang` when translated."""
    return views.news_item(_svc.library, doc_id, lang)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def quotes(_svc: Services, key: str, symbols: tuple[str, ...], lang: str) -> list[views.Quote]:
    """Return the latest quote of each symbol."""
    return views.quotes(_svc.market, symbols, lang)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def signals(_svc: Services, key: str, doc_id: str, lang: str) -> list[views.Signal]:
    """Return the signals of one item with their live status."""
    doc = views.news_item(_svc.library, doc_id, lang)
    return views.signals(doc, _svc.market) if doc is not None else []


@st.cache_data(ttl=TTL_S, show_spinner=False)
def related(_svc: Services, key: str, doc_id: str, lang: str) -> list[views.Related]:
    """Return the items related to one item."""
    doc = views.news_item(_svc.library, doc_id, lang)
    return views.related(_svc.library, doc, lang) if doc is not None else []


@st.cache_data(ttl=TTL_S, show_spinner=False)
def fact_checks(
    _svc: Services, key: str, doc_id: str, check_missing: bool = True
) -> views.FactSummary | None:
    """Return the fact-check of one document (checked now unless told not to), or None."""
    if _svc.fact_checks is None:
        return None
    summary: views.FactSummary | None = _svc.fact_checks(doc_id, check_missing)
    return summary


@st.cache_data(ttl=TTL_S, show_spinner=False)
def price_chart(_svc: Services, key: str, symbol: str, lang: str) -> Any:
    """Return the price chart of one symbol up to its latest stored session."""
    from assistant.views import charts  # pandas and plotly load only when a chart is drawn

    return charts.price_chart(symbol, lang=lang, market=_svc.market)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def relative_chart(
    _svc: Services, key: str, symbols: tuple[str, ...], start: dt.date, end: dt.date, lang: str
) -> Any:
    """Return the relative-performance chart of several symbols over one window."""
    from assistant.views import charts

    return charts.relative_chart(symbols, start, end, lang=lang, market=_svc.market)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def sector_chart(_svc: Services, key: str, on: dt.date, lang: str) -> Any:
    """Return the sector ETFs' day changes on one session."""
    from assistant.views import charts

    return charts.sector_chart(on, lang=lang, market=_svc.market)
