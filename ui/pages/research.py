"""Deep research: topic, plan card (accept / edit / reject, or auto-accept), live progress,
the report with its charts and receipts, downloads and the report history."""

from __future__ import annotations

import queue
import threading
from typing import Any

import streamlit as st

from assistant import (
    Footnote,
    FootnoteError,
    Format,
    Plan,
    Report,
    ResearchEvent,
    ResearchService,
    explain_failure,
)
from ui import data
from ui.components.answer import verification_badge
from ui.components.auto_accept import auto_accept
from ui.components.markdown import safe, with_markers
from ui.state import footnote
from ui.text import lang, t

PLAN_KEY = "research_plan"
STARTED_KEY = "research_auto_started"  # the news item auto-accept last planned for
REPORT_KEY = "research_report"
EDIT_KEY = "research_editing"
FORMATS: dict[Format, str] = {
    "md": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
}


def _plan_card(plan: Plan) -> None:
    with st.container(border=True):
        st.subheader(safe(plan.title), anchor=False)
        label = f" ({plan.window_label})" if plan.window_label else ""
        st.caption(
            safe(
                t(
                    "research.window",
                    start=plan.start,
                    end=plan.end,
                    label=label,
                    symbols=", ".join(plan.symbols),
                )
            )
        )
        for note in plan.notes:
            st.info(safe(note))
        for section in plan.sections:
            st.markdown(f"**{safe(section.heading)}**")
            st.markdown("\n".join(f"- {safe(q)}" for q in section.questions))
            if section.tools:
                st.caption(" · ".join(section.tools))
        e = plan.estimate
        st.caption(
            t(
                "research.estimate",
                calls=e.model_calls,
                tokens=e.input_tokens + e.output_tokens,
                cost=e.cost_usd,
                seconds=e.seconds,
            )
        )


def _edit_form(plan: Plan) -> None:
    with st.form("research_edit"):
        edited = []
        for i, section in enumerate(plan.sections):
            heading = st.text_input(f"{i + 1}.", value=section.heading, key=f"edit_heading_{i}")
            questions = st.text_area(
                t("research.questions"), value="\n".join(section.questions), key=f"edit_q_{i}"
            )
            lines = [q.strip() for q in questions.splitlines() if q.strip()]
            edited.append((heading.strip() or section.heading, lines or section.questions))
        if st.form_submit_button(t("research.save_edit")):
            sections = [
                s.model_copy(update={"heading": h, "questions": q})
                for s, (h, q) in zip(plan.sections, edited, strict=True)
            ]
            st.session_state[PLAN_KEY] = plan.model_copy(update={"sections": sections})
            st.session_state[EDIT_KEY] = False
            st.rerun()


def _run(svc: Footnote, service: ResearchService, plan: Plan) -> None:
    """Run the plan in a worker thread; show its progress events from this one."""
    total = max(1, len(plan.sections))
    events: queue.Queue[ResearchEvent] = queue.Queue()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["report"] = service.run(plan, on_event=events.put)
        except Exception as exc:  # reported below, on the page
            outcome["error"] = exc

    bar = st.progress(0.0, text=t("research.running"))
    finished: set[int] = set()
    with st.status(t("research.running"), expanded=True) as status:
        worker = threading.Thread(target=work, name="footnote-research", daemon=True)
        worker.start()
        while worker.is_alive() or not events.empty():
            try:
                event = events.get(timeout=0.1)
            except queue.Empty:
                continue
            if event["type"] != "progress":
                continue
            step = event["step"]
            if event["phase"] in ("done", "skipped"):
                finished.add(event["index"])
            share = len(finished) / total
            status.write(safe(step))
            bar.progress(min(1.0, share), text=safe(step))
        worker.join()
        if "error" in outcome or outcome.get("report") is None:
            error = outcome.get("error")
            shown = (
                explain_failure(error, "zh" if lang() == "zh" else "en", svc.settings).message
                if isinstance(error, BaseException)
                else "no report"
            )
            status.update(label=t("research.failed", error=safe(shown)), state="error")
            return
        status.update(label=t("research.done"), state="complete")
    bar.progress(1.0)
    st.session_state[REPORT_KEY] = outcome["report"].id
    st.session_state.pop(PLAN_KEY, None)
    st.rerun()


def _downloads(service: ResearchService, report: Report) -> None:
    exported: dict[str, bytes] = st.session_state.setdefault(f"exports_{report.id}", {})
    columns = st.columns(len(FORMATS))
    for column, (fmt, mime) in zip(columns, FORMATS.items(), strict=True):
        with column:
            if fmt not in exported and (
                fmt != "pdf" or st.button("PDF …", key=f"prepare_{fmt}_{report.id}")
            ):
                try:
                    exported[fmt] = service.export(report, fmt).read_bytes()
                except Exception as exc:  # a missing PDF engine must not break the page
                    st.caption(
                        t("research.export_failed", fmt=fmt.upper(), error=safe(str(exc))[:200])
                    )
                    continue
            if fmt in exported:
                st.download_button(
                    t("research.download", fmt=fmt.upper()),
                    exported[fmt],
                    file_name=f"report-{report.id}.{fmt}",
                    mime=mime,
                    key=f"download_{fmt}_{report.id}",
                    icon=":material/download:",
                )


def _report(svc: Footnote, service: ResearchService, report: Report) -> None:
    st.header(safe(report.title), anchor=False)
    verification_badge(report.verification.model_dump())
    _downloads(service, report)
    st.markdown(with_markers(report.markdown))
    figures = svc.report_figures(
        list(report.symbols or []), report.start, report.end or report.as_of, lang()
    )
    for i, fig in enumerate(figures):
        st.plotly_chart(fig, key=f"report_chart_{i}")


def _history(service: ResearchService) -> None:
    st.subheader(t("research.history"), anchor=False)
    summaries = service.reports()
    if not summaries:
        st.caption(t("research.no_history"))
    for summary in summaries[:20]:
        when = str(summary.created_at)[:16].replace("T", " ")
        if st.button(
            f"{summary.title} · {when}", key=f"history_{summary.id}", icon=":material/description:"
        ):
            st.session_state[REPORT_KEY] = summary.id
            st.rerun()


def render() -> None:
    """Show the deep-research page."""
    svc = footnote()
    st.title(t("research.title"), anchor=False)
    service = svc.research
    news_id = st.query_params.get("news") or None
    doc = data.news_item(svc, data.key(svc), news_id, lang()) if news_id else None
    topic = st.text_input(
        t("research.topic"), value=doc.title if doc else "", key=f"topic_{news_id}"
    )
    auto = auto_accept("research_auto")
    if auto and doc is not None and st.session_state.get(STARTED_KEY) != doc.id:
        # opened from a news item's deep-research button with auto-accept on: plan and run
        st.session_state[STARTED_KEY] = doc.id
        if st.session_state.get(PLAN_KEY) is None and topic.strip():
            try:
                st.session_state[PLAN_KEY] = service.plan(topic, news_id=doc.id, language="auto")
            except FootnoteError as exc:
                st.error(safe(str(exc)))
    if st.button(
        t("research.plan"), type="primary", key="research_make_plan", disabled=not topic.strip()
    ):
        try:
            st.session_state[PLAN_KEY] = service.plan(
                topic, news_id=doc.id if doc else None, language="auto"
            )
        except FootnoteError as exc:
            st.error(safe(explain_failure(exc, "zh" if lang() == "zh" else "en").message))
        else:
            st.session_state[EDIT_KEY] = False
            st.session_state.pop(REPORT_KEY, None)
    plan = st.session_state.get(PLAN_KEY)
    if plan is not None:
        _plan_card(plan)
        if auto:
            _run(svc, service, plan)
        if st.session_state.get(EDIT_KEY):
            _edit_form(plan)
        accept, edit, reject = st.columns(3)
        if accept.button(t("research.accept"), key="research_accept", type="primary"):
            _run(svc, service, plan)
        if edit.button(t("research.edit"), key="research_edit"):
            st.session_state[EDIT_KEY] = True
            st.rerun()
        if reject.button(t("research.reject"), key="research_reject"):
            st.session_state.pop(PLAN_KEY, None)
            st.session_state[EDIT_KEY] = False
            st.toast(t("research.rejected"))
            st.rerun()
    report_id = st.session_state.get(REPORT_KEY)
    report = service.get(report_id) if report_id else None
    if report is not None:
        _report(svc, service, report)
    st.divider()
    _history(service)


render()
