"""Fakes for the app's tests: a scripted assistant, an in-memory library, a research service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.grounding.answer import Answer, footer
from assistant.grounding.language import detect_language
from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import verify
from assistant.store import ThreadStore
from knowledge import Document
from knowledge.library import DEMO_FOLDER
from knowledge.loaders import load_markdown

START, END = dt.date(2025, 12, 1), dt.date(2026, 1, 23)


def demo_documents() -> list[Document]:
    """Parse the demo news item (both languages) without embedding anything."""
    docs: list[Document] = []
    for path in sorted(Path(DEMO_FOLDER).glob("*.md")):
        docs.extend(load_markdown(path, path.read_bytes()))
    return docs


class FakeLibrary:
    """The parts of `Library` the pages read."""

    def __init__(self, docs: list[Document]) -> None:
        self.docs = {d.id: d for d in docs}

    def documents(self, kind: str | None = None) -> list[Document]:
        return [d for d in self.docs.values() if kind is None or d.kind == kind]

    def get(self, doc_id: str) -> Document | None:
        return self.docs.get(doc_id)


@dataclass
class FakeAssistant:
    """Answers every question with one real, verified figure, in the question's language.

    `reply` overrides the text (to test unsafe output); `fail` makes the stream raise.
    """

    market: Any
    threads: ThreadStore
    mode: str = "offline"
    reply: str | None = None
    fail: str | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)

    def stream(
        self,
        question: str,
        thread_id: str | None = None,
        news_id: str | None = None,
        language: str = "auto",
    ) -> Iterator[dict[str, Any]]:
        self.calls.append(
            {"question": question, "thread_id": thread_id, "news_id": news_id, "language": language}
        )
        lang = detect_language(question) if language == "auto" else language
        thread = self.threads.get(thread_id) if thread_id else None
        if thread is None:
            thread = self.threads.create(question[:80], news_id)
        self.threads.append(thread.id, "user", question)
        yield {"type": "tool_start", "name": "offline:return", "args": {}}
        if self.fail:
            raise RuntimeError(self.fail)
        ledger = Ledger()
        figure = self.market.period_return("^RUT", START, END)
        n = ledger.add_figure(figure)
        yield {"type": "figure", "n": n, "figure": figure}
        yield {"type": "tool_end", "name": "offline:return", "ok": True}
        if self.reply is not None:
            body = self.reply
        elif lang == "zh":
            body = f"罗素2000指数在{START}至{END}期间上涨{figure.display('zh')}[{n}]。"
        else:
            body = f"The Russell 2000 returned {figure.display('en')} from {START} to {END} [{n}]."
        for piece in (body[: len(body) // 2], body[len(body) // 2 :]):
            yield {"type": "text_delta", "text": piece}
        verification = verify(body, ledger, given=[question])
        yield {"type": "verification", "verification": verification}
        suggestions = (
            ["波动率是多少？", "和标普500比呢？", "20日均线在哪？"]
            if lang == "zh"
            else [
                "What was its volatility?",
                "How did the S&P 500 do?",
                "Where is its 20-day average?",
            ]
        )
        answer = Answer(
            text=body,
            ledger=ledger,
            verification=verification,
            language=lang,  # type: ignore[arg-type]
            mode="offline",
            as_of=figure.as_of,
            suggestions=suggestions,
            footer=footer(lang, figure.provider, figure.as_of, False),  # type: ignore[arg-type]
            thread_id=thread.id,
        )
        self.threads.append(thread.id, "assistant", body, answer.to_json(), {})
        yield {"type": "final", "answer": answer}


@dataclass
class PlanSection:
    heading: str
    questions: list[str]
    tools: list[str] = field(default_factory=list)

    def model_copy(self, update: dict[str, Any] | None = None) -> PlanSection:
        return PlanSection(**{**self.__dict__, **(update or {})})


@dataclass
class Estimate:
    model_calls: int = 6
    input_tokens: int = 12_000
    output_tokens: int = 3_000
    cost_usd: float = 0.02
    seconds: float = 40.0


@dataclass
class Plan:
    title: str
    topic: str
    language: str
    sections: list[PlanSection]
    estimate: Estimate = field(default_factory=Estimate)

    def model_copy(self, update: dict[str, Any] | None = None) -> Plan:
        return Plan(**{**self.__dict__, **(update or {})})


@dataclass
class ReportSection:
    heading: str
    text: str


@dataclass
class ReportSummary:
    id: str
    title: str
    created_at: str
    language: str


@dataclass
class Report:
    id: str
    title: str
    language: str
    as_of: dt.date | None
    markdown: str
    sections: list[ReportSection]
    citations: list[dict[str, Any]] = field(default_factory=list)
    verification: dict[str, Any] = field(default_factory=dict)
    symbols: list[str] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None


class FakeResearch:
    """The deep-research interface the page uses: plan, run with progress, reports, export."""

    def __init__(self, folder: Path, market: Any) -> None:
        self.folder = folder
        self.market = market
        self.saved: dict[str, Report] = {}
        self.plans: list[Plan] = []
        self.runs: list[Plan] = []

    def plan(self, topic: str, news_id: str | None = None, language: str = "auto") -> Plan:
        lang = detect_language(topic) if language == "auto" else language
        plan = Plan(
            title=f"Research: {topic[:40]}",
            topic=topic,
            language=lang,
            sections=[
                PlanSection("Performance", ["How did ^RUT do?"], ["period_return"]),
                PlanSection("Drivers", ["What drove it?"], ["search"]),
            ],
        )
        self.plans.append(plan)
        return plan

    def run(self, plan: Plan, on_event: Any = None) -> Report:
        self.runs.append(plan)
        for index, section in enumerate(plan.sections):
            if on_event:  # the events the real service sends
                for phase in ("start", "done"):
                    on_event(
                        {
                            "type": "progress",
                            "step": section.heading,
                            "phase": phase,
                            "index": index,
                        }
                    )
        figure = self.market.period_return("^RUT", START, END)
        ledger = Ledger()
        n = ledger.add_figure(figure)
        report_id = f"r{len(self.saved) + 1}"
        sections = [
            ReportSection(s.heading, f"The Russell 2000 returned {figure.display()} [{n}].")
            for s in plan.sections
        ]
        markdown = f"# {plan.title}\n\n" + "\n\n".join(
            f"## {s.heading}\n\n{s.text}" for s in sections
        )
        report = Report(
            report_id,
            plan.title,
            plan.language,
            END,
            markdown,
            sections,
            citations=ledger.to_json(),
            verification=verify(markdown, ledger).to_json(),
            symbols=["^RUT", "^GSPC"],
            start=START,
            end=END,
        )
        self.saved[report_id] = report
        return report

    def reports(self) -> list[ReportSummary]:
        return [
            ReportSummary(r.id, r.title, "2026-11-24T10:00:00", r.language)
            for r in reversed(self.saved.values())
        ]

    def get(self, report_id: str) -> Report | None:
        return self.saved.get(report_id)

    def export(self, report: Report, fmt: str) -> Path:
        if fmt == "pdf":
            raise RuntimeError("no PDF engine in the test")
        path = self.folder / f"{report.id}.{fmt}"
        path.write_text(report.markdown if fmt == "md" else f"<h1>{report.title}</h1>", "utf-8")
        return path
