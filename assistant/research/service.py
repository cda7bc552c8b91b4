"""Deep research as a service: plan, approve or auto-accept, run, store, export, follow up."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.budget import Budget
from assistant.chat.events import ResearchEvent
from assistant.data.library import LibraryProxy
from assistant.data.market import as_of_session
from assistant.errors import FootnoteError, KnowledgeError
from assistant.grounding.guard import sanitize_output
from assistant.grounding.language import Lang, detect_language
from assistant.grounding.ledger import Ledger
from assistant.ports import ChatModel, Invocable, Library, Market, Store
from assistant.reading.people import people_index
from assistant.research.assemble import assemble
from assistant.research.graph import build_graph
from assistant.research.planner import make_plan, read_topic
from assistant.research.render import html_to_pdf, to_html, to_markdown
from assistant.research.schemas import Plan, Report, ReportSummary
from assistant.research.sections import Deps, Meter, evidence_block, step_failure
from assistant.settings import Settings
from assistant.store import ReportRow
from knowledge.documents import Document
from tools.prices.base import PriceError

if TYPE_CHECKING:
    from langgraph.types import Command
    from pydantic import BaseModel

Format = Literal["md", "html", "pdf"]


class ResearchService:
    """Plans, runs and keeps research reports."""

    def __init__(
        self,
        settings: Settings,
        *,
        market: Market,
        library: Library,
        store: Store,
        chat_model: ChatModel | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.settings = settings
        self.market = market
        self.library = library
        self.store = store
        self.model = chat_model
        self.budget = budget or Budget.for_research()
        self.fault: Callable[[int], None] | None = None  # tests inject a crash into a section
        self.last_run_id: str | None = None

    @property
    def mode(self) -> str:
        return "llm" if self.model is not None else "offline"

    def as_of(self, news: Document | None, symbols: list[str]) -> dt.date:
        """The last session before the news date, or else the latest session with data."""
        return as_of_session(self.market, news, symbols)

    # ---- planning ------------------------------------------------------------------------

    def _news(self, news_id: str | None) -> Document | None:
        if not news_id:
            return None
        doc: Document | None = self.library.get(news_id)
        if doc is None:
            raise KnowledgeError(
                f"No news item with id {news_id!r}.", "`footnote docs` lists the stored items."
            )
        return doc

    def plan(self, topic: str, news_id: str | None = None, language: str = "auto") -> Plan:
        """A plan for `topic` (bound to a news item when given), with its cost estimate."""
        topic = topic.strip()
        news = self._news(news_id)
        if not topic and news is not None:
            topic = news.title
        if not topic:
            raise FootnoteError("A research topic is needed (or a news item to take it from).")
        chosen = (
            language
            if language in ("zh", "en")
            else (news.language if news else detect_language(topic))
        )
        lang: Lang = "zh" if chosen == "zh" else "en"
        request = read_topic(topic, dt.date.today())
        read = list(request.symbols) if request is not None else []
        end = self.as_of(news, read or (news.tickers if news else []))
        model = self.model
        meter = Meter(self.budget)

        def planned(with_model: bool) -> Plan:
            metered = (
                _Metered(model, meter, self.settings.research_step_deadline_s)
                if with_model and model is not None
                else None
            )
            return make_plan(
                topic,
                lang,
                end,
                news_id=news.id if news else None,
                news_title=news.title if news else None,
                tickers=news.tickers if news else None,
                model=metered,
                model_name=self.settings.model_name,
            )

        try:
            plan = planned(with_model=True)
        except Exception as exc:  # the server failed or was too slow: the template plan
            if model is None or step_failure(exc, lang) is None:
                raise
            plan = planned(with_model=False)
        plan.usage = meter.usage()
        return plan

    # ---- running -------------------------------------------------------------------------

    def start(
        self,
        plan: Plan,
        *,
        auto_accept: bool = False,
        on_event: Callable[[ResearchEvent], None] | None = None,
    ) -> tuple[str, Report | None]:
        """Start a run; without auto-accept it pauses for approval and returns (run_id, None)."""
        run_id = uuid.uuid4().hex[:12]
        self.last_run_id = run_id  # a run that fails part-way resumes by this id
        report = self._invoke(
            run_id,
            {"plan": plan.model_dump(mode="json"), "auto_accept": auto_accept, "results": []},
            on_event,
        )
        return run_id, report

    def approve(
        self,
        run_id: str,
        action: Literal["accept", "edit", "reject"],
        plan: Plan | None = None,
        on_event: Callable[[ResearchEvent], None] | None = None,
    ) -> Report | None:
        """Answer the approval pause: accept, edit (with the edited plan) or reject."""
        from langgraph.types import Command

        decision: dict[str, Any] = {"action": action}
        if action == "edit":
            if plan is None:
                raise FootnoteError("An edited plan is needed to edit.")
            decision["plan"] = plan.model_dump(mode="json")
        return self._invoke(run_id, Command(resume=decision), on_event)

    def resume(
        self, run_id: str, on_event: Callable[[ResearchEvent], None] | None = None
    ) -> Report | None:
        """Continue an interrupted run from its last checkpoint."""
        return self._invoke(run_id, None, on_event)

    def run(self, plan: Plan, on_event: Callable[[ResearchEvent], None] | None = None) -> Report:
        """Run an accepted plan to the end and return the stored report."""
        _, report = self.start(plan, auto_accept=True, on_event=on_event)
        assert report is not None
        return report

    def pending(self, run_id: str) -> Plan | None:
        """The plan a paused run waits to have approved, if it waits."""
        graph = build_graph(self._deps(None, None), self.store.checkpointer(), lambda p, r: None)
        snapshot = graph.get_state({"configurable": {"thread_id": run_id}})
        if snapshot.next and snapshot.values.get("plan"):
            return Plan.model_validate(snapshot.values["plan"])
        return None

    def _deps(self, plan: Plan | None, on_event: Callable[[ResearchEvent], None] | None) -> Deps:
        news = self._news(plan.news_id) if plan is not None and plan.news_id else None
        meter = Meter(self.budget)
        model = self.model
        sources = [s for doc in self.library.documents() for s in doc.sources]
        return Deps(
            market=self.market,
            library=LibraryProxy(lambda: self.library, threading.Lock()),
            people=people_index(sources),
            news=news,
            meter=meter,
            model=model,
            on_event=on_event,
            fault=self.fault,
            step_seconds=self.settings.research_step_deadline_s,
        )

    def _invoke(
        self,
        run_id: str,
        payload: dict[str, Any] | Command[Any] | None,
        on_event: Callable[[ResearchEvent], None] | None,
    ) -> Report | None:
        config = {"configurable": {"thread_id": run_id}, "max_concurrency": 4}
        saver = self.store.checkpointer()
        plan_json = payload.get("plan") if isinstance(payload, dict) else None
        if plan_json is None:
            waiting = build_graph(self._deps(None, None), saver, lambda p, r: None)
            plan_json = waiting.get_state(config).values.get("plan")
        if plan_json is None:
            raise FootnoteError(
                f"No research run with id {run_id!r} is stored.",
                "A run that stopped prints its id; `footnote reports` lists finished reports.",
            )
        plan = Plan.model_validate(plan_json)
        deps = self._deps(plan, on_event)
        graph = build_graph(deps, saver, lambda p, results: self._summarize(p, results, deps))
        state = graph.invoke(payload, config)
        snapshot = graph.get_state(config)
        if snapshot.next:  # paused for approval
            deps.emit({"type": "approval", "run_id": run_id, "plan": snapshot.values.get("plan")})
            return None
        if state.get("status") == "rejected":
            deps.emit({"type": "rejected", "run_id": run_id})
            return None
        final_plan = Plan.model_validate(state["plan"])
        report, _ = assemble(
            final_plan,
            state.get("results", []),
            deps,
            summary=state.get("summary"),
            stopped=state.get("stopped"),
        )
        # one run, one report: a run resumed after it was stored (a process killed between the
        # save and its exit) replaces its report instead of listing a second copy
        report.id = run_id
        report.approval = str(state.get("approval") or "")
        report.markdown = to_markdown(report)
        self._save(report)
        deps.emit({"type": "done", "report_id": report.id})
        return report

    def _summarize(self, plan: Plan, results: list[dict[str, Any]], deps: Deps) -> str | None:
        """An executive summary from the model (LLM mode); None lets assembly write it offline."""
        if deps.model is None:
            return None
        from assistant.research.assemble import merge
        from assistant.research.prompts import SUMMARY_PROMPT

        ledger = Ledger()
        sections = merge(results, ledger)
        body = "\n\n".join(f"## {s.heading}\n{s.text}" for s in sections)
        language = "Simplified Chinese" if plan.language == "zh" else "English"
        try:
            reply = deps.ask_model(SUMMARY_PROMPT.format(language=language, body=body))
        except Exception as exc:  # the server failed or was too slow: the offline summary
            if step_failure(exc, plan.language) is None:
                raise
            return None
        return sanitize_output(str(reply.content).strip())

    # ---- storage -------------------------------------------------------------------------

    def _save(self, report: Report) -> None:
        row = ReportRow(
            report.id,
            report.title,
            report.language,
            report.topic,
            report.news_id,
            report.created_at.isoformat(),
        )
        self.store.reports.save(row, report.model_dump_json())

    def reports(self, limit: int = 50) -> list[ReportSummary]:
        """Stored reports, newest first."""
        return summaries(self.store.reports.recent(limit))

    def get(self, report_id: str) -> Report | None:
        payload = self.store.reports.get(report_id)
        return Report.model_validate_json(payload) if payload else None

    def ledger(self, report: Report) -> Ledger:
        """The report's evidence, numbered as in the report, for follow-up questions."""
        return report.ledger.model_copy(deep=True)

    def evidence(self, report: Report) -> str:
        return evidence_block(self.ledger(report), report.language)

    # ---- export --------------------------------------------------------------------------

    def export(self, report: Report, fmt: Format, out: Path | None = None) -> Path:
        """Write the report as Markdown, self-contained HTML or PDF; return the file."""
        folder = self.settings.reports_dir
        folder.mkdir(parents=True, exist_ok=True)
        stem = out.with_suffix("") if out is not None else folder / f"report-{report.id}"
        stem.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "md":
            # each chart an SVG file beside the report, referenced by its relative name
            charts: list[tuple[str, str]] = []
            for i, (title, svg) in enumerate(self._chart_images(report), 1):
                image = stem.parent / f"{stem.name}-chart-{i}.svg"
                image.write_text(svg, encoding="utf-8")
                charts.append((title, image.name))
            path = stem.with_suffix(".md")
            path.write_text(to_markdown(report, charts), encoding="utf-8")
        else:
            html_path = stem.with_suffix(".html")
            html_path.write_text(to_html(report, self._charts(report)), encoding="utf-8")
            path = html_path if fmt == "html" else html_to_pdf(html_path, stem.with_suffix(".pdf"))
        report.files[fmt] = str(path)
        self._save(report)
        return path

    def _chart_images(self, report: Report) -> list[tuple[str, str]]:
        """(title, SVG) of each of the report's charts, for the Markdown export."""
        from assistant.views.charts import report_chart_images

        try:
            return report_chart_images(
                self.market,
                report.symbols,
                report.start,
                report.end or report.as_of,
                report.language,
            )
        except (PriceError, ValueError):
            return []

    def _charts(self, report: Report) -> list[str]:
        """Chart HTML fragments for the report, when the chart builders are available."""
        from assistant.views.charts import report_charts

        try:
            fragments: list[str] = report_charts(
                self.market,
                report.symbols,
                report.start,
                report.end or report.as_of,
                report.language,
            )
        except (PriceError, ValueError):
            return []
        return fragments


class _Metered:
    """A chat model whose calls are counted against a run's meter."""

    def __init__(self, model: ChatModel, meter: Meter, step_seconds: float = 120.0) -> None:
        self._model = model
        self._meter = meter
        self._step_seconds = step_seconds

    def with_structured_output(self, schema: type[BaseModel], /, **kwargs: Any) -> Invocable:
        from assistant.chat.llm.deadline import Deadline, call_until

        inner = self._model.with_structured_output(schema, include_raw=True, **kwargs)
        meter = self._meter
        seconds = self._step_seconds

        class _Call:
            def invoke(self, prompt: str, /) -> object:
                meter.check()
                out = call_until(lambda cancel: inner.invoke(prompt), Deadline(seconds))
                if not isinstance(out, dict):  # include_raw=True always gives a dict
                    raise TypeError(f"unexpected structured output {type(out).__name__}")
                meter.record(out["raw"])
                if out.get("parsing_error"):
                    raise ValueError(
                        f"the model's plan did not fit the schema: {out['parsing_error']}"
                    )
                return out["parsed"]

        return _Call()


def summaries(rows: list[ReportRow]) -> list[ReportSummary]:
    """The list view of stored report rows."""
    return [
        ReportSummary(
            id=r.id,
            title=r.title,
            language=r.language,
            created_at=dt.datetime.fromisoformat(r.created_at),
            topic=r.topic,
            news_id=r.news_id,
        )
        for r in rows
    ]
