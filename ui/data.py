"""Cached reads for the pages: news items, quotes, signals, fact-checks and charts.

Each function takes the session's `Footnote` (not hashed) and `key(svc)` (hashed): the object's
own key, so an injected test object never shares a cache entry with the configured one, and its
data version, so an ingest or a price import (here or from the CLI) shows on the next rerun
instead of after a timer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st

from assistant import (
    Document,
    ExpertRow,
    FactSummary,
    Footnote,
    Move,
    PriceHealth,
    Quote,
    Related,
    Signal,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

MAX_ENTRIES = 256  # bounds memory; freshness comes from the data version in the key


def key(svc: Footnote) -> str:
    """The cache key of a session's data: which `Footnote`, and the version of what it stores."""
    return svc.data_version()


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def news_items(_fn: Footnote, key: str, lang: str) -> list[Document]:
    """Return the news items, one per translation, newest first."""
    return _fn.news_items(lang)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def documents(_fn: Footnote, key: str) -> list[Document]:
    """Return every stored document, newest first."""
    return _fn.documents()


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def search_docs(_fn: Footnote, key: str, query: str, k: int = 30) -> list[str]:
    """Return the ids of the documents whose text holds every word of `query`, best first
    (the hybrid search ranks; a passage without the words does not count as found)."""
    words = query.casefold().split()
    hits = [p for p in _fn.search(query, k) if all(w in p.text.casefold() for w in words)]
    return list(dict.fromkeys(p.doc_id for p in hits))


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def news_item(_fn: Footnote, key: str, doc_id: str, lang: str) -> Document | None:
    """Return one news item in `lang` when translated."""
    return _fn.news_item(doc_id, lang)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def quotes(_fn: Footnote, key: str, symbols: tuple[str, ...], lang: str) -> list[Quote]:
    """Return the latest quote of each symbol."""
    return _fn.quotes(symbols, lang)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def moves_since(_fn: Footnote, key: str, doc_id: str, lang: str) -> list[Move]:
    """Return what happened next: each ticker's move since the item was published."""
    doc = _fn.news_item(doc_id, lang)
    return _fn.moves_since(doc, lang) if doc is not None else []


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def signals(_fn: Footnote, key: str, doc_id: str, lang: str) -> list[Signal]:
    """Return the signals of one item with their live status."""
    doc = _fn.news_item(doc_id, lang)
    return _fn.signals(doc) if doc is not None else []


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def expert_views(_fn: Footnote, key: str, doc_id: str, lang: str) -> list[ExpertRow]:
    """Return the expert views of one item, forecasts measured against the latest close."""
    doc = _fn.news_item(doc_id, lang)
    return _fn.expert_views(doc) if doc is not None else []


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def related(_fn: Footnote, key: str, doc_id: str, lang: str) -> list[Related]:
    """Return the items related to one item."""
    doc = _fn.news_item(doc_id, lang)
    return _fn.related(doc, lang) if doc is not None else []


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def fact_checks(_fn: Footnote, key: str, doc_id: str, check_missing: bool = True) -> FactSummary:
    """Return the fact-check of one document (checked now unless told not to)."""
    return _fn.fact_checks(doc_id, check_missing)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def price_chart(_fn: Footnote, key: str, symbol: str, lang: str) -> go.Figure:
    """Return the price chart of one symbol up to its latest stored session."""
    return _fn.price_chart(symbol, lang)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def relative_chart(
    _fn: Footnote, key: str, symbols: tuple[str, ...], start: dt.date, end: dt.date, lang: str
) -> go.Figure:
    """Return the relative-performance chart of several symbols over one window."""
    return _fn.relative_chart(symbols, start, end, lang)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def sector_chart(_fn: Footnote, key: str, on: dt.date, lang: str) -> go.Figure:
    """Return the sector ETFs' day changes on one session."""
    return _fn.sector_chart(on, lang)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def price_health(_fn: Footnote, key: str) -> list[PriceHealth]:
    """Return the stored prices' data health, one summary per symbol."""
    return _fn.price_health()
