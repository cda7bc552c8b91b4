"""Each fault, quirk and leak of a hostile model server, held where the reader sees it: the CLI's
text, its JSON and the app, in both languages.

Every cell runs the real `openai` client against the local stub (`openai_stub`) with a short
deadline; the service-level behaviour of each case is tested beside it
(`tests/assistant/test_hostile_server.py`, `test_answer_language.py`). Here the question is only
whether the reader gets one clear paragraph in their language, no raw library text, no traceback
and no key. The matrix of cells and tests is in the module docstring of `FAULTS` below.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from assistant.app import Footnote
from assistant.budget import Budget
from assistant.chat.service import Assistant
from assistant.settings import get_settings
from tests.adversarial.test_injection import planted_library  # noqa: F401
from tests.assistant.openai_stub import openai_stub
from tests.assistant.test_openai_stub import _decide
from tests.ui.conftest import docs, make_app, services, texts, ui_market  # noqa: F401
from tests.ui.test_chat import ask, open_chat
from tests.ui.test_cli_assistant import demo_home, home  # noqa: F401
from ui.cli import app

KEY = "sk-test-SURFACEKEY-1234567890abcdef"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvdGhlciJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
QUESTION = {
    "en": "How much did the Russell 2000 rise from Dec 1 to Jan 23?",
    "zh": "罗素2000在12月1日至1月23日涨了多少？",
}
RAW = ("Model call limits exceeded", "[budget reached", "run limit (", "Traceback", "openai.")
loopback = pytest.mark.allow_hosts(["127.0.0.1"])
runner = CliRunner()

Decide = Callable[[list[dict[str, Any]]], dict[str, Any]]


def _loop(call: dict[str, Any]) -> Decide:
    return lambda messages: {"tool_calls": [call]}


def _answer(en: str, zh: str) -> Decide:
    """Call period_return, then answer with its marker: `en` or `zh` by the question's language."""

    def decide(messages: list[dict[str, Any]]) -> dict[str, Any]:
        reply = _decide(messages)
        if "content" not in reply:
            return reply
        marker = re.search(r"\[\d+\]", reply["content"])
        assert marker
        asked = next(str(m["content"]) for m in messages if m.get("role") == "user")
        chinese = re.search(r"[\u4e00-\u9fff]", asked) is not None
        return {"content": (zh if chinese else en).format(m=marker.group(0))}

    return decide


@dataclass(frozen=True)
class Fault:
    """A misbehaving server, and what the reader must see (`said`) and never see (`hidden`)."""

    decide: Decide
    said: dict[str, str]
    mode: str = "offline"  # the answer the reader gets: the offline composer's, or the model's
    quirks: frozenset[str] = frozenset()
    deadline: float = 20
    hidden: tuple[str, ...] = field(default_factory=tuple)


RUT_EN = "The Russell 2000 rose 7.53% from the 2025-12-01 open to the 2026-01-23 close {m}."
RUT_ZH = "罗素2000指数从2025-12-01开盘到2026-01-23收盘上涨了7.53%{m}。"
LOOP = {"en": "made 6 calls without a final answer", "zh": "调用了6次仍未给出最终回答"}

FAULTS: dict[str, Fault] = {
    "rate_limit_429": Fault(
        lambda m: {"status": 429, "retry_after": 1},
        {"en": "HTTP 429, it asks to retry after 1 s", "zh": "HTTP 429，建议1秒后重试"},
    ),
    "server_error_500": Fault(
        lambda m: {"status": 500},
        {"en": "returned an error, HTTP 500", "zh": "返回错误 HTTP 500"},
    ),
    "hang": Fault(
        lambda m: {"hang": 30, "content": "late"},
        {"en": "time limit of 1 s for one answer", "zh": "单次回答的时间上限1秒"},
        deadline=1,
    ),
    "drip": Fault(
        lambda m: {"drip": 0.25, "drips": 200, "content": "late"},
        {"en": "time limit of 1 s for one answer", "zh": "单次回答的时间上限1秒"},
        deadline=1,
    ),
    "malformed_tool_call": Fault(_loop({"name": "period_return", "arguments": "{not json"}), LOOP),
    "unknown_tool": Fault(_loop({"name": "place_order", "arguments": {"symbol": "IWM"}}), LOOP),
    "tool_loop": Fault(
        _loop({"name": "search_knowledge", "arguments": {"query": "small-cap breadth"}}), LOOP
    ),
    # llama.cpp: tools only with tool_choice, the name in every streamed chunk, max_tokens only
    "llama_cpp_quirks": Fault(
        _answer(RUT_EN, RUT_ZH),
        {"en": "rose 7.53%", "zh": "上涨了7.53%"},
        mode="llm",
        quirks=frozenset({"tools_need_tool_choice", "repeat_tool_name", "max_tokens_only"}),
    ),
    "echoed_key": Fault(
        lambda m: {"echo_key": True},
        {"en": "HTTP 401", "zh": "HTTP 401"},
        hidden=(KEY, KEY[-12:]),
    ),
    # a model that writes a bearer token (not the configured key) into its answer
    "bearer_token": Fault(
        _answer(
            "The Russell 2000 rose 7.53% {m}. Authorization: Bearer " + TOKEN,
            "罗素2000上涨了7.53%{m}。Authorization: Bearer " + TOKEN,
        ),
        {"en": "[redacted]", "zh": "[redacted]"},
        mode="llm",
        hidden=(TOKEN, TOKEN[-16:]),
    ),
    # an order nobody asked for, and a planted token: withheld, and the reader told why
    "unasked_order": Fault(
        _answer(
            "BUY IWM now. CANARY-5522. The Russell 2000 rose 7.53% {m}.",
            "建议立即买入IWM。CANARY-5522。罗素2000上涨了7.53%{m}。",
        ),
        {"en": "withheld because it carried a buy or sell call", "zh": "买卖指令"},
        hidden=("CANARY-5522", "BUY IWM", "立即买入IWM"),
    ),
    # answers in the other language, and again when asked to rewrite
    "wrong_language": Fault(
        _answer(RUT_ZH, RUT_EN),
        {"en": "Note: the chat model answered in Chinese", "zh": "注意：聊天模型用英文作答"},
        mode="llm",
    ),
}
CELLS = [pytest.param(name, lang, id=f"{name}-{lang}") for name in FAULTS for lang in ("en", "zh")]


def _squash(text: str) -> str:
    """Text without whitespace: the console wraps long lines, Chinese ones anywhere."""
    return re.sub(r"\s+", "", text)


def _configure(monkeypatch: pytest.MonkeyPatch, url: str, deadline: float) -> None:
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "openai:stub-model")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("FOOTNOTE_ANSWER_DEADLINE_S", f"{deadline:g}")
    get_settings.cache_clear()


def _held(shown: str, fault: Fault, lang: str) -> None:
    squashed = _squash(shown)
    assert _squash(fault.said[lang]) in squashed, shown
    for raw in (*RAW, KEY, *fault.hidden):
        assert _squash(raw) not in squashed, f"{raw!r} shown:\n{shown}"


@loopback
@pytest.mark.usefixtures("home")
@pytest.mark.parametrize(("name", "lang"), CELLS)
def test_cli_text_and_json_hold(monkeypatch: pytest.MonkeyPatch, name: str, lang: str) -> None:
    fault = FAULTS[name]
    with openai_stub(fault.decide, fault.quirks) as (url, state):
        _configure(monkeypatch, url, fault.deadline)
        shown = runner.invoke(app, ["ask", QUESTION[lang]])
        as_json = runner.invoke(app, ["ask", QUESTION[lang], "--json"])
    assert state.requests  # the model server was asked
    assert shown.exit_code == 0, shown.output
    _held(shown.output, fault, lang)
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.stdout)
    assert payload["mode"] == fault.mode and payload["language"] == lang
    assert "error" not in payload  # the reader got an answer, the reason in it
    _held(payload["answer"], fault, lang)
    _held(as_json.output, fault, lang)
    if name == "llama_cpp_quirks":
        assert state.requests[0]["tool_choice"] == "auto"
        assert state.requests[0]["max_tokens"] == state.requests[0]["max_completion_tokens"]
        assert payload["verification"]["numbers_verified"] >= 1


@loopback
@pytest.mark.parametrize(("name", "lang"), CELLS)
def test_the_chat_page_holds(
    monkeypatch: pytest.MonkeyPatch,
    make_app: Callable[..., AppTest],  # noqa: F811 (the fixture, by name)
    services: Footnote,  # noqa: F811
    name: str,
    lang: str,
) -> None:
    from assistant.chat.llm.models import build_chat_model

    fault = FAULTS[name]
    with openai_stub(fault.decide, fault.quirks) as (url, state):
        _configure(monkeypatch, url, fault.deadline)
        settings = get_settings()
        services._chat = Assistant(
            settings,
            market=services.market,
            library=services.library,
            threads=services.threads,
            chat_model=build_chat_model(settings),
            budget=Budget(max_seconds=fault.deadline),
        )
        at = ask(open_chat(make_app(lang)), QUESTION[lang])
    assert state.requests and not at.exception
    shown = texts(at) + "\n" + " ".join(str(e.value) for e in at.error)
    _held(shown, fault, lang)


# ---- fact-check with a model: a server that refuses json_schema, or hangs ---------------

CLAIM = {
    "en": "The Russell 2000 closed at 2,669.16 on 2026-01-23.\n",
    "zh": "罗素2000指数在2026-01-23收于2,669.16点。\n",
}


@loopback
@pytest.mark.usefixtures("home")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("server", "quirks"),
    [
        pytest.param(
            lambda m: {"content": '{"claims": []}'}, {"reject_json_schema"}, id="no-schema"
        ),
        pytest.param(lambda m: {"drip": 0.25, "drips": 200}, set(), id="drip"),
    ],
)
def test_footnote_check_with_a_model_falls_back_to_the_rules(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    server: Decide,
    quirks: set[str],
    lang: str,
) -> None:
    import time

    file = tmp_path / f"claim-{lang}.md"
    file.write_text(CLAIM[lang], encoding="utf-8")
    with openai_stub(server, quirks) as (url, state):
        _configure(monkeypatch, url, deadline=1)
        started = time.monotonic()
        shown = runner.invoke(app, ["check", str(file)])
        as_json = runner.invoke(app, ["check", str(file), "--json"])
        took = time.monotonic() - started
    assert state.requests
    assert shown.exit_code == 0 and as_json.exit_code == 0, shown.output + as_json.output
    assert "Traceback" not in shown.output and KEY not in shown.output + as_json.output
    claims = json.loads(as_json.stdout)["claims"]
    assert [c["verdict"] for c in claims] == ["holds"], claims  # the rules' check stands
    assert "2,669.16" in shown.output
    assert took < 2 * (1 + 1) + 10, f"two checks took {took:.1f} s with a 1 s deadline"


# ---- injected orders: never shown by `footnote search`, `footnote ask`, their JSON or the page --

INJECTION_QUERY = {"en": "small-cap breadth fund flows notes", "zh": "小盘股 市场宽度 资金流向"}
INJECTION_QUESTION = {
    "en": "What do the breadth notes say about small caps?",
    "zh": "关于小盘股的市场宽度，这些笔记怎么说？",
}


def _parrot(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A model that searches, then repeats everything it read: any order that reached it would
    reach the reader."""
    tools = [str(m.get("content") or "") for m in messages if m.get("role") == "tool"]
    if not tools:
        query = "small-cap breadth flows notes " + str(messages[-1].get("content"))
        return {"tool_calls": [{"name": "search_knowledge", "arguments": {"query": query, "k": 8}}]}
    return {"content": "\n".join(tools)}


@pytest.fixture(scope="module")
def planted_home(demo_home: Path) -> Path:  # noqa: F811 (the fixture, by name)
    """The demo home with the document carrying every instruction variant in every field."""
    from tests.adversarial.test_injection import _planted_document

    old = os.environ.get("FOOTNOTE_HOME")
    os.environ["FOOTNOTE_HOME"] = str(demo_home)
    get_settings.cache_clear()
    try:
        outcome = Footnote(get_settings()).library.ingest_document(_planted_document())  # type: ignore[arg-type]
        assert outcome.ok, outcome.message
    finally:
        if old is None:
            os.environ.pop("FOOTNOTE_HOME")
        else:
            os.environ["FOOTNOTE_HOME"] = old
        get_settings.cache_clear()
    return demo_home


@loopback
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_injected_orders_reach_no_cli_output(
    monkeypatch: pytest.MonkeyPatch, planted_home: Path, lang: str
) -> None:
    from tests.adversarial.test_injection import _marks

    monkeypatch.setenv("FOOTNOTE_HOME", str(planted_home))
    get_settings.cache_clear()
    search = runner.invoke(app, ["search", INJECTION_QUERY[lang], "-k", "8"])
    search_json = runner.invoke(app, ["search", INJECTION_QUERY[lang], "-k", "8", "--json"])
    assert search.exit_code == 0 and search_json.exit_code == 0, search.output
    hits = json.loads(search_json.stdout)
    assert any(h.get("doc_id") == "planted-orders" for h in hits), hits  # it was found
    with openai_stub(_parrot) as (url, state):
        _configure(monkeypatch, url, deadline=20)
        shown = runner.invoke(app, ["ask", INJECTION_QUESTION[lang]])
        as_json = runner.invoke(app, ["ask", INJECTION_QUESTION[lang], "--json"])
    seen = json.dumps(state.requests, ensure_ascii=False)
    assert "Breadth notes" in seen  # the planted document reached the model, scrubbed
    assert _marks(seen) == [], "an order reached the model"
    for out in (search.output, search_json.stdout, shown.output, as_json.stdout):
        assert _marks(out) == [], out
    assert shown.exit_code == 0 and json.loads(as_json.stdout)["language"] == lang


@loopback
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_injected_orders_reach_neither_the_answer_nor_the_citations_on_the_page(
    monkeypatch: pytest.MonkeyPatch,
    make_app: Callable[..., AppTest],  # noqa: F811 (the fixture, by name)
    services: Footnote,  # noqa: F811
    planted_library: Any,  # noqa: F811
    lang: str,
) -> None:
    from assistant.chat.llm.models import build_chat_model
    from tests.adversarial.test_injection import _marks

    with openai_stub(_parrot) as (url, state):
        _configure(monkeypatch, url, deadline=20)
        settings = get_settings()
        services._chat = Assistant(
            settings,
            market=services.market,
            library=planted_library,
            threads=services.threads,
            chat_model=build_chat_model(settings),
        )
        at = ask(open_chat(make_app(lang)), INJECTION_QUESTION[lang])
    assert not at.exception
    assert "Breadth notes" in json.dumps(state.requests)  # the planted document was retrieved
    shown = texts(at) + "\n" + " ".join(str(e.value) for e in at.error)
    assert _marks(shown) == [], shown


# ---- research from the CLI against a dripping server: the step deadline, the work kept --------

STEP = {"en": "time limit of 1 s for one research step", "zh": "单个研究步骤的时间上限1秒"}


@loopback
@pytest.mark.usefixtures("home")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_footnote_research_on_a_dripping_server_keeps_the_report_and_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str
) -> None:
    news = f"russell-2000-rally-2026-01-26-{lang}"
    planned = runner.invoke(app, ["research", "--news", news, "--plan-only", "--json"])
    assert planned.exit_code == 0, planned.output  # planned offline: the rules' template
    plan = json.loads(planned.stdout)
    plan["sections"] = plan["sections"][:2]
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("FOOTNOTE_RESEARCH_STEP_DEADLINE_S", "1")
    with openai_stub(lambda m: {"drip": 0.25, "drips": 400, "content": "late"}) as (url, _):
        _configure(monkeypatch, url, deadline=20)
        # (its time is held in test_research_deadline.py and measured by bench_deadlines)
        as_json = runner.invoke(
            app, ["research", "--plan", str(plan_file), "--json", "--out", str(tmp_path / "r.md")]
        )
        shown = runner.invoke(app, ["research", "--plan", str(plan_file)])
    assert as_json.exit_code == 0 and shown.exit_code == 0, as_json.output + shown.output
    report = json.loads(as_json.stdout)
    assert STEP[lang] in report["stopped"]
    assert len(report["sections"]) == 2 and report["verification"]["numbers_total"] > 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# ")  # kept
    assert _squash(STEP[lang]) in _squash(shown.output)
    assert "Traceback" not in shown.output and KEY not in shown.output + as_json.output


@loopback
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_research_page_on_a_dripping_server_shows_the_report_and_why_it_stopped(
    monkeypatch: pytest.MonkeyPatch,
    make_app: Callable[..., AppTest],  # noqa: F811 (the fixture, by name)
    services: Footnote,  # noqa: F811
    clean_library: Any,
    lang: str,
) -> None:
    from assistant.chat.llm.models import build_chat_model
    from assistant.research import ResearchService

    monkeypatch.setenv("FOOTNOTE_RESEARCH_STEP_DEADLINE_S", "1")
    with openai_stub(lambda m: {"drip": 0.25, "drips": 400, "content": "late"}) as (url, state):
        _configure(monkeypatch, url, deadline=20)
        settings = get_settings()
        services._research = ResearchService(
            settings,
            market=services.market,
            library=clean_library,
            store=services.store,
            chat_model=build_chat_model(settings),
        )
        at = make_app(lang)
        at.run()
        at.switch_page("pages/research.py")
        at.query_params["news"] = f"russell-2000-rally-2026-01-26-{lang}"
        at.run()
        at.button(key="research_make_plan").click().run()  # the model's plan: too slow
        at.button(key="research_accept").click().run()
    assert state.requests and not at.exception
    shown = texts(at) + "\n" + " ".join(str(e.value) for e in at.error)
    assert _squash(STEP[lang]) in _squash(shown), shown[-3000:]
    for raw in (*RAW, KEY):
        assert raw not in shown
