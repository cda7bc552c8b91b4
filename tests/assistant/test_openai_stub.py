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
