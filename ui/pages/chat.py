"""Chat: streamed, cited answers in threads that survive a reload (`?thread=` in the address)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import MAX_QUESTION_CHARS, Footnote, explain_failure
from ui import data, routes
from ui.components.answer import follow_ups, render_answer
from ui.components.markdown import safe
from ui.components.stream import stream_answer
from ui.state import footnote
from ui.text import lang, t


def _threads(svc: Footnote, news_id: str | None, current: str | None) -> None:
    threads = svc.threads.recent(news_id=news_id, limit=20)
    left, right = st.columns([3, 1])
    if threads:
        ids = [th.id for th in threads]
        titles = {th.id: th.title for th in threads}
        picked = left.selectbox(
            t("chat.threads"),
            ids,
            index=ids.index(current) if current in ids else None,
            format_func=lambda i: titles.get(i, i),
            key=f"thread_pick_{current}",
        )
        if picked and picked != current:
            st.query_params["thread"] = picked
            st.rerun()
    if right.button(t("chat.new"), icon=":material/add:", key="new_thread", width="stretch"):
        st.query_params.pop("thread", None)
        st.rerun()


def _history(svc: Footnote, thread_id: str | None) -> dict[str, Any] | None:
    """Show the thread's messages; return the last answer."""
    last = None
    for i, message in enumerate(svc.threads.messages(thread_id) if thread_id else []):
        with st.chat_message(message.role):
            if message.role == "assistant" and message.answer:
                render_answer(message.answer, key=f"m{i}", lang=lang())
                last = message.answer
            else:
                st.markdown(safe(message.content))
    return last


def _ask(svc: Footnote, question: str, thread_id: str | None, news_id: str | None) -> None:
    if len(question) > MAX_QUESTION_CHARS:
        st.warning(t("chat.too_long", size=len(question), limit=MAX_QUESTION_CHARS))
        return
    with st.chat_message("user"):
        st.markdown(safe(question))
    with st.chat_message("assistant"):
        try:
            answer = stream_answer(svc, question, thread_id, news_id)
        except Exception as exc:  # the page must explain, not crash: one paragraph, no secrets
            failure = explain_failure(exc, "zh" if lang() == "zh" else "en", svc.settings)
            st.error(t("chat.error", error=safe(failure.message)))
            return
    if answer is not None and answer.thread_id:
        st.query_params["thread"] = answer.thread_id
        if news_id:
            st.query_params["news"] = news_id
        st.rerun()


def render() -> None:
    """Show the chat page."""
    svc = footnote()
    news_id = st.query_params.get("news") or None
    thread_id = st.query_params.get("thread") or None
    thread = svc.threads.get(thread_id) if thread_id else None
    if thread is None:
        thread_id = None
    elif not news_id:
        news_id = thread.news_id
    doc = data.news_item(svc, data.key(svc), news_id, lang()) if news_id else None
    st.title(t("chat.title"), anchor=False)
    if doc is not None:
        st.page_link(
            routes.NEWS,
            label=t("chat.about", title=doc.title),
            icon=":material/article:",
            query_params={"id": doc.id},
        )
    else:
        st.caption(t("chat.general"))
    _threads(svc, news_id, thread_id)
    last = _history(svc, thread_id)
    if last is None:
        st.caption(t("chat.empty"))
    picked = follow_ups(last, key=f"t{thread_id}") if last else None
    typed = st.chat_input(t("chat.placeholder"), key="chat_question")
    question = typed or picked or routes.take_pending()
    if question:
        _ask(svc, question, thread_id, doc.id if doc is not None else news_id)


render()
