"""A misbehaving model server through the real client: deadlines, limits, quirks, in both languages.

Each case runs the real `openai` / `ChatOpenAI` code against `openai_stub`, a local server that
can hang, drip a space every few seconds, loop on tool calls, fail with 429, or behave like
llama.cpp (tools ignored without `tool_choice`, the tool name repeated in every chunk).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from assistant.chat.service import Assistant
from assistant.settings import Settings, get_settings
from tests.assistant.openai_stub import openai_stub
from tests.assistant.test_openai_stub import KEY, _decide

loopback = pytest.mark.allow_hosts(["127.0.0.1"])

EN = "How much did the Russell 2000 rise from Dec 1 to Jan 23?"
ZH = "罗素2000在12月1日至1月23日涨了多少？"
RAW_LIBRARY_TEXT = ("Model call limits exceeded", "[budget reached", "run limit (")


def _settings(monkeypatch: pytest.MonkeyPatch, base_url: str, deadline: float = 90) -> Settings:
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "openai:stub-model")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("FOOTNOTE_ANSWER_DEADLINE_S", str(deadline))
    get_settings.cache_clear()
    return get_settings()


def _timed(assistant: Assistant, question: str) -> tuple[Any, float]:
    started = time.monotonic()
    answer = assistant.ask(question)
    return answer, time.monotonic() - started


def _cited(answer: Any) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}


# ---- deadlines ---------------------------------------------------------------------------


@loopback
@pytest.mark.parametrize(("question", "said"), [(EN, "time limit of 3 s"), (ZH, "时间上限3秒")])
def test_a_dripping_server_costs_the_deadline_not_minutes(
    monkeypatch: pytest.MonkeyPatch,
    make_assistant: Callable[..., Assistant],
    question: str,
    said: str,
) -> None:
    # a space every 2 s keeps every HTTP read alive: only the overall deadline can end it
    with openai_stub(lambda messages: {"drip": 2, "drips": 60, "content": "late"}) as (url, _):
        _settings(monkeypatch, url, deadline=3)
        answer, took = _timed(make_assistant(), question)
    assert took <= 3 + 1, f"the answer took {took:.2f} s with a 3 s deadline"
    assert answer.mode == "offline"
    assert said in answer.text
    assert not any(raw in answer.text for raw in RAW_LIBRARY_TEXT)
    assert answer.verification.ok and "(unverified)" not in answer.text


@loopback
def test_a_hanging_server_costs_the_deadline_even_with_a_long_read_timeout(
    monkeypatch: pytest.MonkeyPatch, make_assistant: Callable[..., Assistant]
) -> None:
    from assistant.chat.llm.models import build_chat_model

    with openai_stub(lambda messages: {"hang": 30, "content": "late"}) as (url, _):
        settings = _settings(monkeypatch, url, deadline=2)
        model = build_chat_model(settings, timeout_s=60)  # the read timeout alone: 2 x 60 s
        answer, took = _timed(make_assistant(chat_model=model), question=ZH)
    assert took <= 2 + 1, f"the answer took {took:.2f} s with a 2 s deadline"
    assert "时间上限2秒" in answer.text and answer.language == "zh"


@loopback
@pytest.mark.parametrize(
    ("question", "said"), [(EN, "made 6 calls without a final answer"), (ZH, "调用了6次")]
)
def test_an_endless_tool_loop_ends_with_a_reason_and_cites_only_what_it_uses(
    monkeypatch: pytest.MonkeyPatch,
    make_assistant: Callable[..., Assistant],
    question: str,
    said: str,
) -> None:
    def loop(messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {"tool_calls": [{"name": "search_documents", "arguments": {"query": "breadth"}}]}

    with openai_stub(loop) as (url, state):
        _settings(monkeypatch, url)
        answer, _ = _timed(make_assistant(), question)
    assert len(state.requests) == 6  # the call limit held
    assert said in answer.text
    assert not any(raw in answer.text for raw in RAW_LIBRARY_TEXT)
    assert answer.mode == "offline"
    # the passages the loop fetched are not the answer's citations
    assert {e.n for e in answer.ledger.entries} <= _cited(answer)
    assert all(e.passage is None for e in answer.ledger.entries)


@loopback
@pytest.mark.parametrize(
    ("question", "said"),
    [(EN, "rate limiting requests, HTTP 429, it asks to retry after 2 s"), (ZH, "2秒后重试")],
)
def test_a_rate_limit_is_said_with_its_retry_time(
    monkeypatch: pytest.MonkeyPatch,
    make_assistant: Callable[..., Assistant],
    question: str,
    said: str,
) -> None:
    with openai_stub(lambda messages: {"status": 429, "retry_after": 2}) as (url, _):
        _settings(monkeypatch, url)
        answer, _ = _timed(make_assistant(), question)
    assert said in answer.text
    assert answer.verification.ok


# ---- compatibility quirks ----------------------------------------------------------------


@loopback
@pytest.mark.parametrize("question", [EN, ZH])
def test_a_llama_cpp_like_server_gets_tool_choice_and_its_names_assembled(
    monkeypatch: pytest.MonkeyPatch, make_assistant: Callable[..., Assistant], question: str
) -> None:
    def decide(messages: list[dict[str, Any]]) -> dict[str, Any]:
        reply = _decide(messages)
        if "content" in reply and question == ZH:
            marker = re.search(r"\[\d+\]", reply["content"])
            assert marker
            reply = {
                "content": f"罗素2000指数从2025-12-01开盘到2026-01-23收盘上涨了7.53%{marker.group(0)}。"
            }
        return reply

    quirks = {"tools_need_tool_choice", "repeat_tool_name", "max_tokens_only"}
    with openai_stub(decide, quirks) as (url, state):
        _settings(monkeypatch, url)
        events = list(make_assistant().stream(question))
    answer = events[-1]["answer"]
    assert [e["name"] for e in events if e["type"] == "tool_start"] == ["period_return"]
    assert state.requests[0]["tool_choice"] == "auto"
    assert state.requests[0]["max_tokens"] == state.requests[0]["max_completion_tokens"]
    assert answer.mode == "llm", answer.text
    assert "7.53%" in answer.text and answer.verification.ok
    assert "return" in [f.metric for f in answer.ledger.figures]


@loopback
def test_the_official_endpoint_gets_no_max_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.chat.llm.models import _compatible_server

    assert _compatible_server("http://127.0.0.1:8080/v1")
    assert not _compatible_server("https://api.openai.com/v1")
    assert not _compatible_server(None)


@loopback
def test_structured_output_falls_back_to_json_mode_when_json_schema_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.chat.llm.models import build_chat_model
    from assistant.factcheck.schemas import ClaimProposals

    def decide(messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {"content": '{"claims": []}'}

    with openai_stub(decide, {"reject_json_schema"}) as (url, state):
        model = build_chat_model(_settings(monkeypatch, url))
        reply = model.with_structured_output(ClaimProposals).invoke("Propose claims: none.")
    assert isinstance(reply, ClaimProposals) and reply.claims == []
    kinds = [r.get("response_format", {}).get("type") for r in state.requests]
    assert kinds == ["json_schema", "json_object"]
    assert "JSON schema" in state.requests[1]["messages"][0]["content"]  # the schema was given


# ---- research: a step deadline, the work kept --------------------------------------------


@loopback
@pytest.mark.parametrize(("lang", "said"), [("en", "one research step"), ("zh", "单个研究步骤")])
def test_research_on_a_dripping_server_keeps_every_section_and_says_why(
    monkeypatch: pytest.MonkeyPatch, market: Any, library: Any, lang: str, said: str
) -> None:
    from assistant.chat.llm.models import build_chat_model
    from assistant.research import ResearchService
    from assistant.store import Store

    monkeypatch.setenv("FOOTNOTE_RESEARCH_STEP_DEADLINE_S", "1.5")
    news = {"en": "russell-2000-rally-2026-01-26-en", "zh": "russell-2000-rally-2026-01-26-zh"}
    with openai_stub(lambda messages: {"drip": 1, "drips": 60, "content": "late"}) as (url, _):
        settings = _settings(monkeypatch, url)
        model = build_chat_model(settings, timeout_s=60)
        service = ResearchService(
            settings,
            market=market,
            library=library,
            store=Store(settings.state_db),
            chat_model=model,
        )
        started = time.monotonic()
        plan = service.plan("", news_id=news[lang])  # the model's plan times out: the template
        report = service.run(plan)
        took = time.monotonic() - started
    sections = len(plan.sections)
    waves = -(-sections // 4)  # four sections run at once
    assert took <= 1.5 * (1 + waves) + 3, f"{took:.1f} s for {sections} sections"
    assert report.stopped and said in report.stopped
    assert report.verification.numbers_total > 10  # the tools' drafts were kept
    assert report.verification.numbers_verified == report.verification.numbers_total
