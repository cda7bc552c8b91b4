"""The answer is in the question's language: checked after generation, rewritten once, else shown
with a notice in the asker's language. Run through the real client against the local stub."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from assistant.chat.llm.prompts import REWRITE_LANGUAGE
from assistant.chat.service import Assistant
from tests.assistant.openai_stub import openai_stub
from tests.assistant.test_hostile_server import EN, ZH, _settings
from tests.assistant.test_openai_stub import _decide

loopback = pytest.mark.allow_hosts(["127.0.0.1"])

ANSWERS = {
    "en": "The Russell 2000 rose 7.53% from the 2025-12-01 open to the 2026-01-23 close {m}.",
    "zh": "罗素2000指数从2025-12-01开盘到2026-01-23收盘上涨了7.53%{m}。",
}
NOTICE = {"zh": "注意：聊天模型用英文作答", "en": "Note: the chat model answered in Chinese"}


def _model(first: str, then: str) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
    """Call period_return, answer in `first`; asked to rewrite, answer in `then`."""

    def decide(messages: list[dict[str, Any]]) -> dict[str, Any]:
        reply = _decide(messages)
        if "content" not in reply:
            return reply
        marker = re.search(r"\[\d+\]", reply["content"])
        assert marker
        asked = str(messages[-1].get("content") or "")
        lang = then if messages[-1].get("role") == "user" and "Rewrite" in asked else first
        return {"content": ANSWERS[lang].format(m=marker.group(0))}

    return decide


@loopback
@pytest.mark.parametrize(("question", "lang", "other"), [(ZH, "zh", "en"), (EN, "en", "zh")])
def test_an_answer_in_another_language_is_rewritten_once_in_the_askers(
    monkeypatch: pytest.MonkeyPatch,
    make_assistant: Callable[..., Assistant],
    question: str,
    lang: str,
    other: str,
) -> None:
    with openai_stub(_model(first=other, then=lang)) as (url, state):
        _settings(monkeypatch, url, deadline=20)
        answer = make_assistant().ask(question)
    assert len(state.requests) == 3  # the tool call, the answer, one rewrite
    assert state.requests[-1]["messages"][-1]["content"] == REWRITE_LANGUAGE[lang]
    assert answer.mode == "llm" and answer.language == lang
    assert answer.text.startswith(ANSWERS[lang].split("7.53%")[0]), answer.text
    assert answer.verification.ok and "7.53%" in answer.text
    assert NOTICE[lang] not in answer.text


@loopback
@pytest.mark.parametrize(("question", "lang", "other"), [(ZH, "zh", "en"), (EN, "en", "zh")])
def test_an_answer_in_another_language_twice_is_shown_with_a_notice(
    monkeypatch: pytest.MonkeyPatch,
    make_assistant: Callable[..., Assistant],
    question: str,
    lang: str,
    other: str,
) -> None:
    with openai_stub(_model(first=other, then=other)) as (url, state):
        _settings(monkeypatch, url, deadline=20)
        answer = make_assistant().ask(question)
    assert len(state.requests) == 3  # rewritten once, not again
    assert answer.mode == "llm" and answer.language == lang
    notice, _, shown = answer.text.partition("\n\n")
    assert notice.startswith(NOTICE[lang]), answer.text
    assert shown.startswith(ANSWERS[other].split("7.53%")[0])
    # the model's numbers are checked in its language all the same
    assert answer.verification.ok and answer.verification.numbers_verified == 1


@loopback
def test_a_rewrite_that_leaves_the_askers_language_keeps_the_first_answer(
    monkeypatch: pytest.MonkeyPatch, make_assistant: Callable[..., Assistant]
) -> None:
    """Asked to fix a number, the model answers in English to a Chinese question: the first,
    Chinese answer stands, its unsupported number marked."""

    def decide(messages: list[dict[str, Any]]) -> dict[str, Any]:
        reply = _decide(messages)
        if "content" not in reply:
            return reply
        marker = re.search(r"\[\d+\]", reply["content"])
        assert marker
        if "Rewrite" in str(messages[-1].get("content")):
            return {"content": ANSWERS["en"].format(m=marker.group(0))}
        return {"content": ANSWERS["zh"].format(m=marker.group(0)).replace("7.53%", "9.99%")}

    with openai_stub(decide) as (url, state):
        _settings(monkeypatch, url, deadline=20)
        answer = make_assistant().ask(ZH)
    assert len(state.requests) == 3
    assert answer.text.startswith("罗素2000指数") and "9.99%" in answer.text
    assert "未核实" in answer.text and not answer.verification.ok
    assert NOTICE["zh"] not in answer.text


@pytest.mark.parametrize(
    ("body", "lang", "foreign"),
    [
        # a title quoted in English opens a Chinese answer: still Chinese
        (
            "根据《Small caps take the lead in January》一文，罗素2000指数上涨了7.53%[1]。"
            "小盘股的表现强于大盘股。",
            "zh",
            False,
        ),
        ("The Russell 2000 rose 7.53% [1], as 《小盘股领涨》 put it.", "en", False),
        ("The Russell 2000 rose 7.53% [1].", "zh", True),
        ("罗素2000指数上涨了7.53%[1]。", "en", True),
        ("7.53% [1]", "zh", False),  # nothing to tell by: the asker's language stands
    ],
)
def test_an_answers_language_is_read_from_all_of_it(body: str, lang: str, foreign: bool) -> None:
    from assistant.chat.service import _other_language

    assert _other_language(body, lang) is foreign  # type: ignore[arg-type]
