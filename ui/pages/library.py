"""Library: the stored news items and analyses with search, upload and ingest of your own
documents, and the fact-check of any of them with the marks the news page uses."""

from __future__ import annotations

import streamlit as st

from assistant import Document, Footnote, FootnoteError, market_label, written_by_footnote
from ui import data, routes
from ui.components import factcheck
from ui.components.markdown import safe
from ui.state import footnote
from ui.text import lang, t

KINDS = ("news", "analysis")
SUFFIXES = ["md", "markdown", "txt", "html", "htm", "pdf"]
SELECTED_KEY = "library_selected"
OUTCOMES_KEY = "library_outcomes"
_STATUS_ICONS = {
    "added": ":material/check_circle:",
    "updated": ":material/sync:",
    "unchanged": ":material/check:",
    "skipped": ":material/block:",
    "failed": ":material/error:",
}


def _meta(doc: Document) -> str:
    parts = [
        doc.published.isoformat() if doc.published else "",
        t("kind." + doc.kind),
        t("origin.footnote") if written_by_footnote(doc) else t("origin.imported"),
        market_label(doc.market, lang()) if doc.market else "",
        t(f"lang.name.{doc.language}"),
    ]
    return " · ".join(p for p in parts if p)


def _upload(svc: Footnote) -> None:
    files = st.file_uploader(
        t("library.upload"),
        type=SUFFIXES,
        accept_multiple_files=True,
        help=t("library.upload_help"),
        key="library_upload",
    )
    sent = st.button(
        t("library.ingest"), icon=":material/upload_file:", disabled=not files, key="library_add"
    )
    if sent and files:
        with st.status(t("library.ingesting", n=len(files)), expanded=True) as status:

            def progress(done: int, total: int, name: str) -> None:
                status.update(label=t("library.progress", done=done, total=total))

            try:
                outcomes = svc.ingest_uploads([(f.name, f.getvalue()) for f in files], progress)
            except FootnoteError as exc:
                status.update(label=t("library.failed", error=exc.message), state="error")
                return
            ok = sum(o.ok for o in outcomes)
            status.update(
                label=t("library.ingested", ok=ok, total=len(outcomes)),
                state="complete" if ok == len(outcomes) else "error",
                expanded=False,
            )
        st.session_state[OUTCOMES_KEY] = [
            (o.path, o.status, o.message, o.doc_ids[0] if o.doc_ids else "") for o in outcomes
        ]
    for i, (name, status_, message, doc_id) in enumerate(st.session_state.get(OUTCOMES_KEY, [])):
        row = st.columns([5, 1], vertical_alignment="center")
        detail = t("ingest." + status_) + (f": {message}" if message else "")
        row[0].markdown(f"{_STATUS_ICONS.get(status_, '')} **{safe(name)}** · {safe(detail)}")
        stored = bool(doc_id) and status_ in ("added", "updated", "unchanged")
        if stored and row[1].button(t("library.check"), key=f"outcome-check-{i}"):
            st.session_state[SELECTED_KEY] = doc_id


def _matches(svc: Footnote, docs: list[Document], query: str) -> list[Document]:
    """Documents whose title, summary, tags or tickers hold the words, then those the search
    finds in their text, best first."""
    words = query.casefold().split()
    if not words:
        return docs

    def said(doc: Document) -> bool:
        hay = " ".join([doc.title, doc.summary, *doc.tags, *doc.tickers]).casefold()
        return all(w in hay for w in words)

    found = [d for d in docs if said(d)]
    by_id = {d.id: d for d in docs}
    for doc_id in data.search_docs(svc, data.key(svc), query):
        doc = by_id.get(doc_id)
        if doc is not None and doc not in found:
            found.append(doc)
    return found


def _listing(svc: Footnote) -> None:
    row = st.columns([3, 2], vertical_alignment="bottom")
    query = row[0].text_input(t("library.search"), key="library_query")
    kinds = row[1].segmented_control(
        t("library.kind"),
        list(KINDS),
        format_func=lambda k: t("kind." + k),
        selection_mode="multi",
        default=list(KINDS),
        key="library_kinds",
    )
    docs = [d for d in data.documents(svc, data.key(svc)) if d.kind in (kinds or KINDS)]
    shown = _matches(svc, docs, query.strip())
    st.caption(t("library.count", n=len(shown), total=len(docs)))
    if not docs:
        st.info(t("library.empty"))
    for doc in shown:
        with st.container(border=True):
            st.markdown(f"**{safe(doc.title)}**")
            st.caption(safe(_meta(doc)))
            if doc.summary:
                st.markdown(safe(doc.summary))
            buttons = st.columns(2)
            if doc.kind == "news":
                buttons[0].page_link(
                    routes.NEWS,
                    label=t("feed.open"),
                    icon=":material/arrow_forward:",
                    query_params={"id": doc.id},
                )
            if buttons[1].button(
                t("library.check"), key=f"check-{doc.id}", icon=":material/fact_check:"
            ):
                st.session_state[SELECTED_KEY] = doc.id


def _checked(svc: Footnote, doc_id: str) -> None:
    doc = next((d for d in data.documents(svc, data.key(svc)) if d.id == doc_id), None)
    if doc is None:
        return
    st.header(safe(doc.title), anchor=False)
    st.caption(safe(_meta(doc)))
    with st.status(t("library.checking"), expanded=False) as status:
        checks = data.fact_checks(svc, data.key(svc), doc.id)
        status.update(label=t("library.checked", n=len(checks.marks)), state="complete")
    factcheck.marked_document(doc, checks, key="lib")
    if st.button(t("library.close"), key="library_close", icon=":material/close:"):
        st.session_state.pop(SELECTED_KEY, None)
        st.rerun()


def render() -> None:
    """Show the library."""
    st.title(t("library.title"), anchor=False)
    svc = footnote()
    _upload(svc)
    selected = st.session_state.get(SELECTED_KEY)
    if isinstance(selected, str) and selected:
        _checked(svc, selected)
        st.divider()
    _listing(svc)


render()
