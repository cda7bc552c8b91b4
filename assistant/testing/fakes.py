"""Fakes of the parts a `Footnote` holds: a chat service with one real figure, an in-memory
library and a research service that writes a real `Report` at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.chat.events import Event, Progress, ResearchEvent
from assistant.grounding.answer import Answer, footer
from assistant.grounding.language import detect_language
from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import verify
from assistant.ports import Market
from assistant.research.schemas import (
    Estimate,
    Plan,
    PlanSection,
    Report,
    ReportSection,
    ReportSummary,
    ReportVerification,
)
from assistant.store import ThreadStore
from knowledge import Document, IngestOutcome, Passage
from knowledge.documents import DocumentKind
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
    """An in-memory library: documents by id, and search by shared words over their sections
    (no embeddings, no Chroma). It meets `assistant.ports.Library`."""

    def __init__(self, docs: list[Document]) -> None:
        self.docs = {d.id: d for d in docs}

    def documents(self, kind: DocumentKind | None = None) -> list[Document]:
        return [d for d in self.docs.values() if kind is None or d.kind == kind]

    def get(self, doc_id: str) -> Document | None:
        return self.docs.get(doc_id)

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        doc_id: str | None = None,
        kind: DocumentKind | None = None,
        record: Literal["chunk", "source"] | None = None,
        language: str | None = None,
        ticker: str | None = None,
        tag: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Passage]:
        """Sections sharing the most words with the query (Chinese by character), best first."""
        terms = set(_WORD.findall(query.lower()))
        hits: list[tuple[int, Passage]] = []
        for doc in self.docs.values():
            if (doc_id and doc.id != doc_id) or (kind and doc.kind != kind):
                continue
            if (language and doc.language != language) or (ticker and ticker not in doc.tickers):
                continue
            if tag and tag not in doc.tags:
                continue
            if (since and (doc.published is None or doc.published < since)) or (
                until and (doc.published is None or doc.published > until)
            ):
                continue
            for i, section in enumerate(doc.sections):
                score = len(terms & set(_WORD.findall(section.text.lower())))
                if score:
                    passage = Passage(
                        chunk_id=f"{doc.id}#{i}",
                        doc_id=doc.id,
                        title=doc.title,
                        published=doc.published,
                        section=section.heading,
                        text=section.text,
                        language=doc.language,
                        score=float(score),
                    )
                    hits.append((score, passage))
        hits.sort(key=lambda h: -h[0])
        return [p for _, p in hits[:k]]

    def ingest(
        self,
        paths: Iterable[Path | str],
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> list[IngestOutcome]:
        """Read Markdown files into memory (no chunks, no vectors); one outcome per file."""
        outcomes = []
        for path in map(Path, paths):
            docs = load_markdown(path, path.read_bytes())
            added = [d for d in docs if d.id not in self.docs]
            self.docs.update({d.id: d for d in docs})
            outcomes.append(
                IngestOutcome(
                    str(path),
                    "added" if added else "unchanged",
                    doc_ids=[d.id for d in docs],
                    chunks=sum(len(d.sections) for d in docs),
                )
            )
        return outcomes

    def ensure_demo(self) -> bool:
        """Load the demo corpus when empty; True when it did."""
        if self.docs:
            return False
        self.docs = {d.id: d for d in demo_documents()}
        return True

    def count(self) -> tuple[int, int]:
        return len(self.docs), sum(len(d.sections) for d in self.docs.values())


_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")


@dataclass
class FakeAssistant:
    """Answers every question with one real, verified figure, in the question's language.

    `reply` overrides the text (to test unsafe output); `fail` makes the stream raise.
    """

    market: Market
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
    ) -> Iterator[Event]:
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


class FakeResearch:
    """The deep-research interface the page uses: plan, run with progress, reports, export."""

    def __init__(self, folder: Path, market: Market) -> None:
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
            language="zh" if lang == "zh" else "en",
            news_id=news_id,
            sections=[
                PlanSection(
                    heading="Performance", questions=["How did ^RUT do?"], tools=["period_return"]
                ),
                PlanSection(heading="Drivers", questions=["What drove it?"], tools=["search"]),
            ],
            estimate=Estimate(
                model_calls=6, input_tokens=12_000, output_tokens=3_000, cost_usd=0.02, seconds=40
            ),
        )
        self.plans.append(plan)
        return plan

    def run(self, plan: Plan, on_event: Callable[[ResearchEvent], None] | None = None) -> Report:
        self.runs.append(plan)
        for index, section in enumerate(plan.sections):
            if on_event:  # the events the real service sends
                for phase in ("start", "done"):
                    on_event(
                        Progress(type="progress", step=section.heading, phase=phase, index=index)
                    )
        figure = self.market.period_return("^RUT", START, END)
        ledger = Ledger()
        n = ledger.add_figure(figure)
        report_id = f"r{len(self.saved) + 1}"
        sections = [
            ReportSection(
                heading=s.heading, text=f"The Russell 2000 returned {figure.display()} [{n}]."
            )
            for s in plan.sections
        ]
        markdown = f"# {plan.title}\n\n" + "\n\n".join(
            f"## {s.heading}\n\n{s.text}" for s in sections
        )
        verification = verify(markdown, ledger)
        report = Report(
            id=report_id,
            title=plan.title,
            topic=plan.topic,
            language=plan.language,
            created_at=dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC),
            as_of=END,
            markdown=markdown,
            sections=sections,
            ledger=ledger,
            verification=ReportVerification(
                numbers_total=verification.numbers_total,
                numbers_verified=verification.numbers_verified,
            ),
            symbols=["^RUT", "^GSPC"],
            start=START,
            end=END,
        )
        self.saved[report_id] = report
        return report

    def reports(self) -> list[ReportSummary]:
        return [
            ReportSummary(
                id=r.id,
                title=r.title,
                language=r.language,
                created_at=r.created_at,
                topic=r.topic,
                news_id=None,
            )
            for r in reversed(self.saved.values())
        ]

    def get(self, report_id: str) -> Report | None:
        return self.saved.get(report_id)

    def export(self, report: Report, fmt: str, out: Path | None = None) -> Path:
        if fmt == "pdf":
            raise RuntimeError("no PDF engine in the test")
        path = self.folder / f"{report.id}.{fmt}"
        path.write_text(report.markdown if fmt == "md" else f"<h1>{report.title}</h1>", "utf-8")
        return path
