"""Deep research: offline report wall time (with and without PDF) and model use per report."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.demo_home import demo_home
from benchmarks.runner import Measure, check

NAME = "research"
DESCRIPTION = (
    "Offline report on the demo item: wall time without PDF (<= 15 s) and with PDF; "
    "with a counting scripted model: model calls (<= sections + 3) and tokens (<= 60,000) per report"
)
NEWS = "russell-2000-rally-2026-01-26-en"


def _offline() -> list[Measure]:
    from assistant import Footnote
    from assistant.research.render import PdfUnavailable

    service = Footnote().research
    service.run(service.plan("", news_id=NEWS))  # warm: calendar, embeddings, store
    start = time.perf_counter()
    report = service.run(service.plan("", news_id=NEWS))
    service.export(report, "html")
    plain = time.perf_counter() - start
    v = report.verification
    out = [
        check("offline report wall time, no PDF", round(plain, 2), "s", "<=", 15),
        Measure("numbers verified in the report", v.numbers_verified, f"of {v.numbers_total}"),
    ]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            service.export(report, "pdf", Path(tmp) / "r")
            out.append(Measure("PDF export on top", round(time.perf_counter() - start, 2), "s"))
    except PdfUnavailable as exc:
        out.append(Measure("PDF export on top", -1, "s", note=f"skipped: {exc}"))
    return out


def _scripted() -> list[Measure]:
    from langchain_core.messages import AIMessage, BaseMessage

    from assistant import Footnote
    from assistant.testing import ScriptedChatModel

    def plan(messages: list[BaseMessage]) -> AIMessage:
        from assistant.research.planner import template_sections

        sections = template_sections("market_move", "en", ["^RUT"], *_window())
        args = {"title": "Small caps", "sections": [s.model_dump() for s in sections]}
        return AIMessage(content="", tool_calls=[{"name": "PlanDraft", "args": args, "id": "p"}])

    def write(messages: list[BaseMessage]) -> AIMessage:
        import re

        prompt = str(messages[-1].content)
        found = re.findall(r"^\[(\d+)\] \S+ \w+ = (.+?) \(", prompt, re.MULTILINE)
        text = (
            " ".join(f"It measured {v} [{n}]." for n, v in found[:3])
            or "The sources are qualitative."
        )
        return AIMessage(text)

    model = ScriptedChatModel(script=[plan, write], repeat_last=True)
    service = Footnote(chat_model=model).research
    report = service.run(service.plan("How durable is the Russell 2000 rally?", news_id=NEWS))
    sections = len(report.sections)
    tokens = report.usage.input_tokens + report.usage.output_tokens
    return [
        check(
            "model calls per report",
            report.usage.llm_calls,
            "calls",
            "<=",
            sections + 3,
            note=f"{sections} sections",
        ),
        check("tokens per report", tokens, "tokens", "<=", 60_000),
    ]


def _window() -> tuple[object, object]:
    from datetime import date

    return date(2025, 12, 1), date(2026, 1, 23)


def run() -> list[Measure]:
    demo_home()
    return [*_offline(), *_scripted()]
