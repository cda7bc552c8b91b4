"""Feed: a general question box and the news item cards."""

from __future__ import annotations

import streamlit as st

from assistant import Document, Footnote, analysis_window, market_label, written_by_footnote
from ui import data, routes
from ui.components import factcheck
from ui.components.markdown import safe
from ui.components.quotes import missing_prices
from ui.state import footnote
from ui.text import lang, t


def _card(svc: Footnote, doc: Document) -> None:
    with st.container(border=True):
        st.subheader(safe(doc.title), anchor=False)
        market = market_label(doc.market, lang()) if doc.market else ""
        origin = t("origin.footnote") if written_by_footnote(doc) else t("origin.imported")
        day = doc.published.isoformat() if doc.published else ""
        meta = " · ".join(x for x in (day, market, origin) if x)
        st.caption(safe(meta))
        if doc.tags:
            st.markdown(" ".join(f":gray-badge[{safe(tag)}]" for tag in doc.tags))
        if doc.summary:
            st.markdown(safe(doc.summary))
        checks = data.fact_checks(svc, data.key(svc), doc.id, check_missing=False)
        factcheck.badge(checks)
        quotes = data.quotes(svc, data.key(svc), tuple(doc.tickers[:4]), lang())
        priced = [q for q in quotes if q.close is not None and q.change is not None]
        columns = st.columns(max(1, len(priced)))
        for column, q in zip(columns, priced, strict=False):
            assert q.close is not None and q.change is not None
            with column:
                st.metric(
                    q.name,
                    q.close.display(lang()),
                    q.change.display(lang()),
                    chart_data=q.spark or None,
                    chart_type="line",
                    help=f"{t('card.as_of')} {q.as_of}"
                    + (f" · {t('news.stale')}" if q.stale else ""),
                )
        missing_prices(quotes, analysis_window(doc))
        dated = [q for q in quotes if q.as_of is not None]
        if dated:
            as_of = max(q.as_of for q in dated if q.as_of)
            line = f"{t('card.as_of')} {as_of.isoformat()}"
            if any(q.stale for q in dated):
                line += f" · :orange[{t('news.stale')}]"
            st.caption(line, help=t("news.stale_help") if any(q.stale for q in dated) else None)
        st.page_link(
            routes.NEWS,
            label=t("feed.open"),
            icon=":material/arrow_forward:",
            query_params={"id": doc.id},
        )


def render() -> None:
    """Show the feed."""
    st.title(t("feed.title"), anchor=False)
    st.caption(t("app.tagline"))
    question = st.chat_input(t("feed.ask"), key="feed_question")
    if question:
        routes.ask_in_chat(question)
    st.header(t("feed.news"), anchor=False)
    # opened after the question box, so the page is usable while the data load
    svc = footnote()
    if svc.needs_setup():  # a first start: each step named while it runs
        with st.status(t("setup.title") + "…", expanded=True) as status:
            steps = svc.ensure_demo(
                on_step=lambda step: status.update(label=f"{step}…"), lang=lang()
            )
            for line in steps:
                status.write(line)
            status.update(label=t("setup.ready"), state="complete", expanded=False)
    with st.spinner(t("feed.loading")):
        items = data.news_items(svc, data.key(svc), lang())
    if not items:
        st.info(t("feed.empty"))
    for doc in items:
        _card(svc, doc)


render()
