"""What a model server that hangs (or drips a space every 0.5 s) costs: a chat answer through the
service, `footnote ask` as a process, the chat page, a fact-check with a model and a research run.

Each case is timed against the local OpenAI-compatible stub (`tests/assistant/openai_stub.py`)
with a deadline of DEADLINE_S and compared with the same work with no model at all (the
offline answer, the rules-only check, the tools' drafts): the extra is what the hostile server
cost, and the issue's target is at most the deadline + 1 s per answer or research step.

    footnote bench deadlines        # or: python -c "from benchmarks import runner; ..."
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.runner import Measure, check

NAME = "deadlines"
DESCRIPTION = (
    "Extra wall time a hanging / dripping model server costs per answer, fact-check and "
    "research step (target: deadline + 1 s)"
)
DEADLINE_S = 3.0
QUESTION = "罗素2000在12月1日至1月23日涨了多少？"
HANG: dict[str, Any] = {"hang": 120, "content": "late"}
DRIP: dict[str, Any] = {"drip": 0.5, "drips": 400, "content": "late"}


@contextmanager
def _server(reply: dict[str, Any] | None) -> Iterator[None]:
    """The stub serving `reply` to every request, configured as the chat model (None: offline)."""
    from assistant.settings import get_settings
    from tests.assistant.openai_stub import openai_stub

    keys = ("FOOTNOTE_CHAT_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL")
    if reply is None:
        os.environ["FOOTNOTE_CHAT_MODEL"] = ""
        for k in keys[1:]:
            os.environ.pop(k, None)
        get_settings.cache_clear()
        yield
        return
    with openai_stub(lambda messages: reply) as (url, _):
        os.environ.update(
            FOOTNOTE_CHAT_MODEL="openai:stub-model",
            OPENAI_API_KEY="sk-bench-000000000000",
            OPENAI_BASE_URL=url,
        )
        get_settings.cache_clear()
        try:
            yield
        finally:
            os.environ["FOOTNOTE_CHAT_MODEL"] = ""
            for k in keys[1:]:
                os.environ.pop(k, None)
            get_settings.cache_clear()


def _wall(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _cost(name: str, hostile: float, baseline: float, bound: float, note: str = "") -> Measure:
    extra = round(hostile - baseline, 2)
    said = f"{hostile:.2f} s against {baseline:.2f} s with no model"
    return check(name, extra, "s", "<=", bound, f"{said}{'; ' + note if note else ''}")


def _chat(reply: dict[str, Any] | None) -> float:
    from assistant import Footnote, get_settings

    with _server(reply):
        app = Footnote(get_settings())
        app.ask("How did the Russell 2000 do?")  # warm: imports, the router's model
        return _wall(lambda: app.ask(QUESTION))


def _cli(reply: dict[str, Any] | None) -> float:
    """`footnote ask --json` in this process (a new process's start-up varies by seconds on a
    shared machine, more than the deadline being measured)."""
    from typer.testing import CliRunner

    from ui.cli import app

    runner = CliRunner()
    with _server(reply):
        runner.invoke(app, ["ask", "How did the Russell 2000 do?", "--json"])  # warm
        started = time.perf_counter()
        result = runner.invoke(app, ["ask", QUESTION, "--json"])
        took = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    return took


def _page(reply: dict[str, Any] | None) -> float:
    from streamlit.testing.v1 import AppTest

    from assistant import Footnote, get_settings
    from ui.state import FOOTNOTE_KEY

    app_file = Path(__file__).resolve().parents[1] / "ui" / "app.py"
    with _server(reply):
        at = AppTest.from_file(str(app_file), default_timeout=300)
        at.session_state[FOOTNOTE_KEY] = Footnote(get_settings())
        at.run()
        at.switch_page("pages/chat.py").run()
        at.chat_input[0].set_value(QUESTION)
        return _wall(at.run)


def _check(reply: dict[str, Any] | None) -> float:
    from assistant import Footnote, get_settings

    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "claim.md"
        file.write_text("罗素2000指数在2026-01-23收于2,669.16点。\n", encoding="utf-8")
        with _server(reply):
            app = Footnote(get_settings())
            app.check_file(file, use_model=False)  # warm
            return _wall(lambda: app.check_file(file, use_model=reply is not None))


def _research(reply: dict[str, Any] | None) -> tuple[float, int]:
    """One research step (the plan made offline, so only the step waits on the server)."""
    from assistant import Footnote, get_settings

    with _server(None):
        plan = Footnote(get_settings()).research.plan(
            "", news_id="russell-2000-rally-2026-01-26-zh"
        )
    plan.sections = plan.sections[:1]
    with _server(reply):
        research = Footnote(get_settings()).research
        took = _wall(lambda: research.run(plan))
    return took, len(plan.sections)


def run() -> list[Measure]:
    from benchmarks.demo_home import demo_home

    demo_home()
    os.environ["FOOTNOTE_ANSWER_DEADLINE_S"] = f"{DEADLINE_S:g}"
    os.environ["FOOTNOTE_RESEARCH_STEP_DEADLINE_S"] = f"{DEADLINE_S:g}"
    bound = DEADLINE_S + 1
    measures: list[Measure] = []
    chat_base = _chat(None)
    measures.append(_cost("chat answer, hanging server", _chat(HANG), chat_base, bound))
    measures.append(_cost("chat answer, dripping server", _chat(DRIP), chat_base, bound))
    cli_base = _cli(None)
    measures.append(_cost("footnote ask --json, hanging server", _cli(HANG), cli_base, bound))
    _page(None)  # warm: the page's imports, the router's model
    page_base = _page(None)
    measures.append(_cost("chat page, hanging server", _page(HANG), page_base, bound))
    check_base = _check(None)
    measures.append(_cost("footnote check with a model, hanging", _check(HANG), check_base, bound))
    measures.append(_cost("footnote check with a model, dripping", _check(DRIP), check_base, bound))
    _research(None)  # warm
    base, _ = _research(None)
    hung, steps = _research(HANG)
    measures.append(_cost("research, one step, hanging server", hung, base, bound, f"{steps} step"))
    measures.append(Measure("deadline", DEADLINE_S, "s", note=json.dumps({"question": QUESTION})))
    return measures
