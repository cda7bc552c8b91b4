"""Errors as one paragraph in the CLI, its JSON and the app; secrets never shown; exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from assistant.app import Footnote
from assistant.errors import MarketError
from assistant.settings import get_settings
from tests.assistant.openai_stub import openai_stub
from tests.ui.conftest import texts
from tests.ui.test_chat import ask, open_chat
from tests.ui.test_cli_assistant import demo_home, home  # noqa: F401
from ui.cli import app

KEY = "sk-test-ECHOKEY-1234567890abcdef"
loopback = pytest.mark.allow_hosts(["127.0.0.1"])
runner = CliRunner()


def _with_key(monkeypatch: pytest.MonkeyPatch, base_url: str = "http://127.0.0.1:9/v1") -> None:
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "openai:stub-model")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    get_settings.cache_clear()


def _raising(exc: Exception) -> Callable[..., Any]:
    def ask(self: Footnote, *args: Any, **kwargs: Any) -> Any:
        raise exc

    return ask


@pytest.mark.parametrize(
    ("exc", "code", "said"),
    [
        (RuntimeError(f"boom: Authorization: Bearer {KEY}"), 1, "unexpected error"),
        (MarketError("No prices stored for ^XYZ.", "Import them first."), 2, "Import them first"),
        (
            __import__("assistant.chat.llm.models", fromlist=["x"]).TurnStopped("too slow"),
            3,
            "chat model failed",
        ),
    ],
)
def test_an_error_is_one_paragraph_with_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, exc: Exception, code: int, said: str
) -> None:
    _with_key(monkeypatch)
    monkeypatch.setattr(Footnote, "ask", _raising(exc))
    result = runner.invoke(app, ["ask", "How did the Russell 2000 do?"])
    assert result.exit_code == code
    out = result.output
    assert said in out
    assert "Traceback" not in out and KEY not in out
    # one paragraph (wrapped at the console's width), after any first-start steps ("✓ ...")
    body = [ln for ln in out.strip().splitlines() if ln.strip() and not ln.startswith("✓")]
    assert len(body) <= 6 and "\n\n" not in "\n".join(body).strip(), out

    as_json = runner.invoke(app, ["ask", "How did the Russell 2000 do?", "--json"])
    assert as_json.exit_code == code
    payload = json.loads(as_json.stdout)
    assert said in payload["error"] and payload["exit_code"] == code
    assert KEY not in as_json.output


def test_an_error_for_a_chinese_question_is_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.chat.llm.models import TurnStopped

    monkeypatch.setattr(Footnote, "ask", _raising(TurnStopped("模型服务器响应超时")))
    result = runner.invoke(app, ["ask", "罗素2000涨了多少？"])
    assert result.exit_code == 3
    assert "聊天模型出错：模型服务器响应超时" in result.output


def test_resuming_an_unknown_research_run_is_a_clear_error() -> None:
    result = runner.invoke(app, ["research", "--resume", "nope123"])
    assert result.exit_code == 2
    assert "No research run with id 'nope123'" in result.output
    assert "Traceback" not in result.output


@loopback
def test_doctor_never_prints_a_key_the_server_echoes(monkeypatch: pytest.MonkeyPatch) -> None:
    with openai_stub(lambda messages: {"echo_key": True}) as (url, state):
        _with_key(monkeypatch, url)
        result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert state.requests, result.output
    assert KEY not in result.output and KEY[-8:] not in result.output
    assert "[redacted]" in result.output  # the echo was there, and was removed


@loopback
def test_doctor_reports_what_a_quirky_server_supports(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.chat.llm.models import probe_model_features

    def decide(messages: list[dict[str, Any]]) -> dict[str, Any]:
        asked = str(messages[-1].get("content"))
        if "ping_probe" in asked:
            return {"tool_calls": [{"name": "ping_probe", "arguments": {"word": "hello"}}]}
        return {"content": " ".join(["word"] * 40) if "Count" in asked else '{"ok": true}'}

    quirks = {"tools_need_tool_choice", "repeat_tool_name", "reject_json_schema", "max_tokens_only"}
    with openai_stub(decide, quirks) as (url, _):
        _with_key(monkeypatch, url)
        quirky = {name: (ok, detail) for name, ok, detail in probe_model_features(get_settings())}
    with openai_stub(decide) as (url, _):
        _with_key(monkeypatch, url)
        plain = {name: (ok, detail) for name, ok, detail in probe_model_features(get_settings())}
    assert "only with tool_choice" in quirky["tool calls"][1]
    assert "repeated" in quirky["streamed tool names"][1]
    assert (
        quirky["json_schema output"][0] is False and "JSON mode" in quirky["json_schema output"][1]
    )
    assert quirky["max_completion_tokens"][0] is False
    assert "without tool_choice" in plain["tool calls"][1]
    assert plain["streamed tool names"][1] == "the name comes once"
    assert plain["json_schema output"] == (True, "accepted")


class _Failing:
    """A chat whose server failed with a message that repeats the key."""

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        raise RuntimeError(f"401 invalid credentials: Authorization: Bearer {KEY}")
        yield  # pragma: no cover


def test_the_chat_page_shows_a_failure_without_the_key(
    make_app: Callable[..., AppTest], services: Footnote, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_key(monkeypatch)
    services._chat = _Failing()  # type: ignore[assignment]
    at = ask(open_chat(make_app()), "How did the Russell 2000 do?")
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "unexpected error" in shown and "[redacted]" in shown
    assert KEY not in texts(at) + shown


def test_resume_flag_is_documented(tmp_path: Path) -> None:
    result = runner.invoke(app, ["research", "--help"])
    assert "--resume" in result.output


def test_log_lines_and_their_tracebacks_carry_no_key(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    _with_key(monkeypatch)
    Footnote(get_settings())  # installs the redaction
    log = logging.getLogger("footnote.test")
    with caplog.at_level(logging.INFO):
        log.error("the server said: %s", f"Authorization: Bearer {KEY}")
        try:
            raise RuntimeError(f"401 for key {KEY}")
        except RuntimeError:
            log.exception("model call failed")
    assert "the server said" in caplog.text and "model call failed" in caplog.text
    assert KEY not in caplog.text
    assert "RuntimeError: 401 for key [redacted]" in caplog.text


@loopback
@pytest.mark.usefixtures("home")
def test_ask_with_a_key_echoing_server_answers_offline_without_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with openai_stub(lambda messages: {"echo_key": True}) as (url, state):
        _with_key(monkeypatch, url)
        result = runner.invoke(app, ["ask", "罗素2000在12月1日至1月23日涨了多少？", "--json"])
    assert state.requests and result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["mode"] == "offline"
    assert "HTTP 401" in payload["answer"] and "离线" in payload["answer"]
    assert KEY not in result.output and KEY[-10:] not in result.output
