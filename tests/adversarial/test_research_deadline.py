"""Research against a hostile server: one deadline per step (its writing and its rewrite
together), held while the server streams; the work kept; a crashed run resumed from its
checkpoint without asking the model again for the sections it finished."""

from __future__ import annotations

import time
from typing import Any

import pytest

from assistant.chat.llm.models import build_chat_model
from assistant.research import ResearchService
from assistant.store import Store
from tests.assistant.openai_stub import openai_stub
from tests.assistant.test_hostile_server import _settings

loopback = pytest.mark.allow_hosts(["127.0.0.1"])
NEWS = {"en": "russell-2000-rally-2026-01-26-en", "zh": "russell-2000-rally-2026-01-26-zh"}
WRITTEN = {"en": "Breadth is the thing to watch here.", "zh": "市场宽度是这里值得关注的信号。"}
SAID = {"en": "time limit of 1 s for one research step", "zh": "单个研究步骤的时间上限1秒"}


def _service(settings: Any, market: Any, library: Any, model: Any = None) -> ResearchService:
    return ResearchService(
        settings, market=market, library=library, store=Store(settings.state_db), chat_model=model
    )


@loopback
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_steps_writing_and_rewrite_share_one_deadline(
    monkeypatch: pytest.MonkeyPatch, market: Any, clean_library: Any, lang: str
) -> None:
    """Each call answers in 0.7 s with a number no evidence holds: the rewrite is asked for, and
    the two calls together pass the step's 1 s (each alone would not)."""
    monkeypatch.setenv("FOOTNOTE_RESEARCH_STEP_DEADLINE_S", "1")
    reply = {"hang": 0.7, "content": "The Russell 2000 rose 99.99% [1]."}
    with openai_stub(lambda messages: reply) as (url, state):
        settings = _settings(monkeypatch, url)
        plan = _service(settings, market, clean_library).plan("", news_id=NEWS[lang])
        service = _service(settings, market, clean_library, build_chat_model(settings))
        started = time.monotonic()
        report = service.run(plan)
        took = time.monotonic() - started
    sections = len(plan.sections)
    waves = -(-sections // 4)  # four sections at once
    assert report.stopped and SAID[lang] in report.stopped, report.stopped
    assert "99.99" not in report.markdown  # the unchecked number never replaced the draft
    assert report.verification.numbers_total > 10  # the tools' drafts were kept
    assert report.verification.numbers_verified == report.verification.numbers_total
    assert len(state.requests) <= 2 * sections  # no third call in a step
    assert took <= waves * (1 + 0.5) + 3, f"{took:.1f} s for {sections} sections"


@loopback
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_crashed_run_with_a_model_resumes_without_redoing_finished_sections(
    monkeypatch: pytest.MonkeyPatch, market: Any, clean_library: Any, lang: str
) -> None:
    asked: list[str] = []

    def writer(messages: list[dict[str, Any]]) -> dict[str, Any]:
        said = str(messages[-1].get("content") or "")
        if said.startswith("Write the section"):  # a section's prompt, not the summary's
            asked.append(said.split("\n", 1)[0])
        return {"content": WRITTEN[lang]}

    with openai_stub(writer) as (url, _):
        settings = _settings(monkeypatch, url)
        plan = _service(settings, market, clean_library).plan("", news_id=NEWS[lang])
        service = _service(settings, market, clean_library, build_chat_model(settings))
        crashed = {"done": False}

        def fault(index: int) -> None:
            if index == 1 and not crashed["done"]:
                crashed["done"] = True
                raise RuntimeError("simulated crash")

        service.fault = fault
        finished: set[str] = set()

        def record(event: dict[str, Any]) -> None:
            if event.get("type") == "progress" and event.get("phase") == "done":
                finished.add(str(event["step"]))

        with pytest.raises(RuntimeError, match="simulated crash"):
            service.start(plan, auto_accept=True, on_event=record)  # type: ignore[arg-type]
        run_id = service.last_run_id
        assert run_id is not None
        # a section written and checked before the crash (one cut off by it runs again)
        written = {h for h in finished if any(h in a for a in asked)}
        assert written, finished
        asked.clear()
        report = service.resume(run_id)
    assert report is not None and not report.stopped
    again = {h for h in (s.heading for s in plan.sections) if any(h in a for a in asked)}
    assert plan.sections[1].heading in again  # the crashed section was written now
    assert not again & written, again & written  # the finished ones were not asked again
    assert WRITTEN[lang] in report.markdown and report.language == lang
