"""The real openai / ChatOpenAI client code against a local OpenAI-compatible stub server."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from assistant.chat.llm.models import build_chat_model, probe_chat_model
from assistant.chat.service import Assistant
from assistant.settings import Settings, get_settings
from assistant.views.diagnostics import run_probes
from tests.assistant.openai_stub import openai_stub

KEY = "sk-test-STUBKEY-000000000000"
loopback = pytest.mark.allow_hosts(["127.0.0.1"])


def _decide(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Call period_return first; then answer with the marker the tool result carried."""
    tool_results = [m for m in messages if m.get("role") == "tool"]
    if not tool_results:
        return {
            "tool_calls": [
                {
                    "name": "period_return",
                    "arguments": {
                        "symbol": "^RUT",
                        "start": "2025-12-01",
                        "end": "2026-01-23",
                        "convention": "open",
                    },
                }
            ]
        }
    marker = re.search(r"\[(\d+)\][^\n]* return = ", tool_results[-1]["content"])
    assert marker, tool_results[-1]["content"]
    return {
        "content": f"The Russell 2000 rose 7.53% from the 2025-12-01 open to the 2026-01-23 close [{marker.group(1)}]."
    }


def _settings(monkeypatch: pytest.MonkeyPatch, base_url: str) -> Settings:
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "openai:stub-model")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    get_settings.cache_clear()
    return get_settings()


@loopback
def test_chat_openai_non_streaming_tool_call(monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain_core.tools import StructuredTool

    from assistant.toolbox import ReturnArgs

    with openai_stub(_decide) as (url, state):
        model = build_chat_model(_settings(monkeypatch, url))
        tool = StructuredTool.from_function(
            func=lambda **kw: "", name="period_return", description="d", args_schema=ReturnArgs
        )
        reply = model.bind_tools([tool]).invoke([HumanMessage("How much did RUT rise?")])
    assert reply.tool_calls[0]["name"] == "period_return"
    assert reply.tool_calls[0]["args"]["convention"] == "open"
    assert state.requests[0]["tools"][0]["function"]["name"] == "period_return"
    headers = {k.lower(): v for k, v in state.headers[0].items()}
    assert headers["authorization"] == f"Bearer {KEY}"
    assert reply.usage_metadata and reply.usage_metadata["input_tokens"] > 0


@loopback
def test_full_turn_streams_through_the_real_client(
    monkeypatch: pytest.MonkeyPatch, make_assistant: Callable[..., Assistant]
) -> None:
    with openai_stub(_decide) as (url, state):
        settings = _settings(monkeypatch, url)
        assistant = make_assistant()
        assert assistant.settings is settings and assistant.mode == "llm"
        events = list(assistant.stream("How much did the Russell 2000 rise from Dec 1 to Jan 23?"))
    answer = events[-1]["answer"]
    assert answer.mode == "llm"
    assert answer.verification.ok, answer.verification.summary()
    assert answer.usage.llm_calls == 2
    assert answer.usage.input_tokens > 0
    assert any(r.get("stream") for r in state.requests)  # the agent streamed
    deltas = "".join(e["text"] for e in events if e["type"] == "text_delta")
    assert "7.53%" in deltas
    assert KEY not in str(answer.to_json())


@loopback
def test_probe_lists_models(monkeypatch: pytest.MonkeyPatch) -> None:
    with openai_stub(_decide) as (url, _):
        settings = _settings(monkeypatch, url)
        ok, detail = probe_chat_model(settings)
        probes = {p.name: p for p in run_probes(settings)}
    assert ok and "'stub-model' listed" in detail
    assert probes["chat model"].ok is True


@loopback
def test_probe_reports_a_dead_server_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch, "http://127.0.0.1:9/v1")
    ok, detail = probe_chat_model(settings, timeout_s=1)
    assert not ok
    assert "Connection" in detail or "connect" in detail.lower()


@loopback
@pytest.mark.parametrize(("failure", "reason"), [(429, "HTTP 429"), (500, "HTTP 500")])
def test_a_failing_model_server_gets_an_offline_answer_that_says_why(
    monkeypatch: pytest.MonkeyPatch,
    make_assistant: Callable[..., Assistant],
    failure: int,
    reason: str,
) -> None:
    with openai_stub(lambda messages: {"status": failure}) as (url, state):
        settings = _settings(monkeypatch, url)
        model = build_chat_model(settings, timeout_s=5)
        answer = make_assistant(chat_model=model).ask(
            "How much did the Russell 2000 rise from Dec 1 to Jan 23?"
        )
    assert state.requests, "the model was asked first"
    assert answer.mode == "offline"
    assert reason in answer.text and "offline" in answer.text
    assert "+6.75%" in answer.text  # the offline composer's figure, cited and verified
    assert answer.verification.ok


@loopback
def test_a_hanging_model_server_times_out_into_an_offline_answer(
    monkeypatch: pytest.MonkeyPatch, make_assistant: Callable[..., Assistant]
) -> None:
    import time

    with openai_stub(lambda messages: {"hang": 4, "content": "late"}) as (url, _state):
        settings = _settings(monkeypatch, url)
        model = build_chat_model(settings, timeout_s=1)
        started = time.monotonic()
        answer = make_assistant(chat_model=model).ask("罗素2000在12月1日至1月23日涨了多少？")
        took = time.monotonic() - started
    assert "超时" in answer.text and "离线" in answer.text
    assert answer.language == "zh" and answer.verification.ok
    assert took < 15  # one timeout and one retry, not minutes


@loopback
def test_check_with_a_failing_model_falls_back_to_the_rules(
    monkeypatch: pytest.MonkeyPatch, shared_prices: object, tmp_path: object
) -> None:
    from pathlib import Path

    from assistant.app import Footnote
    from tests.assistant.factcheck.conftest import DOCUMENTS

    with openai_stub(lambda messages: {"status": 500}) as (url, state):
        settings = _settings(monkeypatch, url)
        fn = Footnote(settings)
        rules = Footnote(settings).check_file(Path(DOCUMENTS) / "wrong-date-en.md", use_model=False)
        checked = fn.check_file(Path(DOCUMENTS) / "wrong-date-en.md")
    assert state.requests, "the model was asked"
    assert [c.verdict for _, cs in checked for c in cs] == [
        c.verdict for _, cs in rules for c in cs
    ]
