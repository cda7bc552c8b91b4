"""Run one question through `Assistant.stream`, showing tool steps and the streamed text."""

from __future__ import annotations

from collections.abc import Iterator

import streamlit as st

from assistant import Answer, Footnote, tool_label
from ui.components.markdown import safe
from ui.text import lang, t


def stream_answer(
    assistant: Footnote, question: str, thread_id: str | None, news_id: str | None
) -> Answer | None:
    """Stream the answer into the current container; return the final `Answer`."""
    holder: dict[str, Answer] = {}
    holder_banner: list[str] = []
    status = st.status(t("chat.thinking"), expanded=False)

    def deltas() -> Iterator[str]:
        events = assistant.stream(question, thread_id=thread_id, news_id=news_id, language="auto")
        for event in events:
            if event["type"] == "text_delta":
                yield event["text"].replace("$", "\\$")
            elif event["type"] == "tool_start":
                status.write(t("chat.tool", name=tool_label(event["name"], lang())))
            elif event["type"] == "coverage" and event["banner"]:
                holder_banner.append(event["banner"])
            elif event["type"] == "final":
                holder["answer"] = event["answer"]

    st.write_stream(deltas())
    for banner in holder_banner:  # the page reruns into the full answer; until then, say it here
        st.error(safe(banner), icon=":material/report:")
    status.update(label=t("chat.done"), state="complete")
    return holder.get("answer")
