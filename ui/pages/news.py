"""News item: header, quote strip, analysis with citations and fact-check marks, sources, charts,
signals, related items and the disclaimer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import streamlit as st

from assistant import (
    Document,
    Footnote,
    FootnoteError,
    analysis_window,
    disclaimer,
    market_label,
    metric_label,
    receipts,
)
from ui import data, routes
from ui.components import factcheck
from ui.components.auto_accept import auto_accept
from ui.components.markdown import safe, with_marks
from ui.components.quotes import missing_data, quote_strip
from ui.components.receipts import citation_row, source_body
from ui.state import footnote
from ui.text import lang, t

if TYPE_CHECKING:
    import plotly.graph_objects as go

VERDICTS = ("holds", "holds_with_caveat", "wrong_date", "differs", "unverifiable")
_SIGNAL_COLORS = {
    "triggered": "red",
    "not_triggered": "green",
    "untracked": "gray",
    "no_data": "orange",
}


def _header(svc: Footnote, doc: Document) -> None:
    st.page_link(routes.FEED, label=t("news.back"), icon=":material/arrow_back:")
    st.title(safe(doc.title), anchor=False)
    market = market_label(doc.market, lang()) if doc.market else ""
    meta = " · ".join(x for x in (doc.published and doc.published.isoformat(), market) if x)
    st.caption(safe(meta))
    if doc.tags:
        st.markdown(" ".join(f":gray-badge[{safe(tag)}]" for tag in doc.tags))
    quote_strip(
        data.quotes(svc, data.key(svc), tuple(doc.tickers[:6]), lang()), analysis_window(doc)
    )


def _next(svc: Footnote, doc: Document) -> None:
    """What happened next: each ticker from the publication date to the latest session."""
    moves = data.moves_since(svc, data.key(svc), doc.id, lang())
    if not moves:
        return
    st.subheader(t("news.next"), anchor=False)
    entries: list[dict[str, object]] = []
    lines = []
    for move in moves:
        if move.change is None or move.points is None:
            lines.append(f"- **{safe(move.name)}**: {safe(move.error)} {safe(move.hint)}")
            continue
        found = move.receipt_entries(len(entries) + 1)
        entries += found
        lines.append(
            "- "
            + t(
                "news.next_line",
                name=safe(move.name),
                start=move.change.start.isoformat() if move.change.start else "?",
                end=move.change.end.isoformat() if move.change.end else "?",
                ret=move.change.display(lang()),
                pts=move.points.display(lang()),
                n=found[0]["n"],
                m=found[1]["n"],
            )
        )
    st.markdown("\n".join(lines))
    st.caption(t("news.next_help"))
    citation_row(receipts({"citations": entries}, lang()), key=f"next-{doc.id}")


def _sources(doc: Document) -> None:
    for source in doc.sources:
        with st.container(border=True):
            source_body(source)


def _charts(svc: Footnote, doc: Document) -> None:
    if not doc.tickers:
        return
    symbol = st.selectbox(t("news.price_chart"), doc.tickers, key="chart_symbol")
    window = analysis_window(doc)
    charts: list[tuple[str, Callable[[], go.Figure], Sequence[str]]] = [
        ("price_chart", lambda: data.price_chart(svc, data.key(svc), symbol, lang()), [symbol])
    ]
    if window is not None and len(doc.tickers) >= 2:
        tickers = tuple(doc.tickers)
        charts.append(
            (
                "relative_chart",
                lambda: data.relative_chart(
                    svc, data.key(svc), tickers, window[0], window[1], lang()
                ),
                tickers,
            )
        )
    if window is not None:
        charts.append(
            ("sector_chart", lambda: data.sector_chart(svc, data.key(svc), window[1], lang()), [])
        )
    failed: list[tuple[Exception, Sequence[str]]] = []
    for key, draw, named in charts:
        try:
            st.plotly_chart(draw(), key=key)
        except FootnoteError as exc:
            failed.append((exc, named))
    if failed:  # one note for the charts that could not be drawn: the first one says why
        missing_data(*failed[0], window=window)


def _signals(svc: Footnote, doc: Document) -> None:
    for signal in data.signals(svc, data.key(svc), doc.id, lang()):
        with st.container(border=True):
            n = signal.sources[0] if signal.sources else "?"
            label = (
                t("signal.untracked", n=n)
                if signal.state == "untracked"
                else t("signal." + signal.state)
            )
            st.badge(label, color=_SIGNAL_COLORS[signal.state])  # type: ignore[arg-type]
            st.markdown(with_marks(signal.text, []))
            if signal.figures:
                shown = " · ".join(
                    f"{f.symbol} {metric_label(f.metric, lang())} **{f.display(lang())}** "
                    f"({t('card.as_of')} {f.as_of})"
                    + (f" :orange[{t('news.stale')}]" if f.stale else "")
                    for f in signal.figures
                )
                st.markdown(safe(shown))


def _experts(svc: Footnote, doc: Document) -> None:
    rows = data.expert_views(svc, data.key(svc), doc.id, lang())
    if not rows:
        return
    st.markdown(f"**{t('news.experts')}**")
    columns = t("experts.columns").split("|")
    stances = dict(zip(("bull", "bear", "neutral"), t("experts.stance").split("|"), strict=True))
    table = []
    for row in rows:
        distance = ""
        if row.distance is not None and row.close is not None:
            distance = t(
                "experts.distance",
                distance=row.distance.display(lang()),
                close=row.close.display(lang()),
                day=row.close.end,
            ) + (t("experts.at_horizon") if row.at_horizon else "")
        values = [
            row.person,
            row.organisation or "",
            stances.get(row.stance, row.stance),
            row.claim,
            row.figure or "",
            distance,
            f"[{row.source}]" if row.source else "",
        ]
        table.append(dict(zip(columns, (safe(v) for v in values), strict=True)))
    st.table(table)


def _related(svc: Footnote, doc: Document) -> None:
    items = data.related(svc, data.key(svc), doc.id, lang())
    if not items:
        st.caption(t("news.no_related"))
    for item in items:
        shared = ", ".join([*item.shared_tickers, *item.shared_tags])
        st.page_link(
            routes.NEWS,
            label=f"{item.doc.title} ({shared})",
            icon=":material/link:",
            query_params={"id": item.doc.id},
        )


def _item_label(doc: Document) -> str:
    day = doc.published.isoformat() if doc.published else ""
    return f"{day} · {doc.title}" if day else doc.title


def _pick(svc: Footnote) -> Document | None:
    items = data.news_items(svc, data.key(svc), lang())
    if not items:
        return None
    by_id = {d.id: d for d in items}
    picked = st.selectbox(
        t("news.pick"),
        list(by_id),
        format_func=lambda i: _item_label(by_id[i]),
        key="news_pick",
    )
    return by_id.get(picked or "", items[0])


def render() -> None:
    """Show the news item named by `?id=`."""
    svc = footnote()
    doc_id = st.query_params.get("id")
    doc = data.news_item(svc, data.key(svc), doc_id, lang()) if doc_id else None
    if doc is None:
        # opened from the sidebar (no id) or with an id no longer stored: the latest item and
        # a picker for the others
        if doc_id:
            st.info(t("news.missing"))
        doc = _pick(svc)
        if doc is None:
            st.info(t("feed.empty"))
            st.page_link(routes.FEED, label=t("news.back"), icon=":material/arrow_back:")
            return
    _header(svc, doc)
    links = st.columns(3, vertical_alignment="center")
    links[0].page_link(
        routes.CHAT,
        label=t("news.chat_link"),
        icon=":material/chat:",
        query_params={"news": doc.id},
    )
    links[1].page_link(
        routes.RESEARCH,
        label=t("news.research"),
        icon=":material/science:",
        query_params={"news": doc.id},
    )
    with links[2]:
        auto_accept("news_auto")
    checks = data.fact_checks(svc, data.key(svc), doc.id)
    tabs = st.tabs(
        [
            t("news.analysis"),
            t("news.charts"),
            t("news.signals"),
            t("news.sources"),
            t("news.related"),
        ]
    )
    with tabs[0]:
        _next(svc, doc)
        factcheck.marked_document(doc, checks)
    with tabs[1]:
        _charts(svc, doc)
    with tabs[2]:
        _signals(svc, doc)
        _experts(svc, doc)
    with tabs[3]:
        _sources(doc)
    with tabs[4]:
        _related(svc, doc)
    st.caption(safe(disclaimer(lang(), doc)))
    question = st.chat_input(t("news.ask"), key="news_question")
    if question:
        routes.ask_in_chat(question, doc.id)


render()
