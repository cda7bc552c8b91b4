"""Deep research: offline reports in both languages, approval through the graph, budget, resume, LLM path."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage

from assistant.research import Budget, Plan, ResearchService
from assistant.research.render import chromium_binary
from assistant.settings import get_settings
from assistant.store import Store
from assistant.testing import ScriptedChatModel
from knowledge.library import Library
from tools.market import Market

NEWS = {"en": "russell-2000-rally-2026-01-26-en", "zh": "russell-2000-rally-2026-01-26-zh"}
_MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture
def make_service(market: Market, library: Library) -> Callable[..., ResearchService]:
    settings = get_settings()
    store = Store(settings.state_db)

    def make(**kwargs: Any) -> ResearchService:
        kwargs.setdefault("store", store)
        return ResearchService(settings, market=market, library=library, **kwargs)

    return make


def _assert_clean(report: Any, minimum: int = 20) -> None:
    v = report.verification
    assert v.numbers_total > minimum
    assert v.numbers_verified == v.numbers_total, v.findings
    assert v.findings == []
    cited = {int(n) for n in _MARKER.findall(report.markdown)}
    assert cited and cited <= {c["n"] for c in report.citations}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_offline_report_on_the_demo_item(
    make_service: Callable[..., ResearchService], lang: str
) -> None:
    service = make_service()
    plan = service.plan("", news_id=NEWS[lang])
    assert plan.language == lang
    assert 4 <= len(plan.sections) <= 8
    assert plan.estimate.model_calls == 0
    events: list[dict[str, Any]] = []
    report = service.run(plan, on_event=events.append)
    _assert_clean(report)
    assert [s.heading for s in report.sections] == [s.heading for s in plan.sections]
    assert {e["step"] for e in events if e.get("type") == "progress"} == {
        s.heading for s in plan.sections
    }
    assert report.as_of is not None and report.as_of.isoformat() == "2026-01-23"
    assert len(report.views) >= 4 and all(v.citation for v in report.views)
    assert any(v.stance == "bear" for v in report.views)
    assert report.signals and "[" in report.signals[0].status
    assert report.summary.strip()
    if lang == "zh":
        assert "不构成投资建议" in report.markdown and "执行摘要" in report.markdown
    else:
        assert "not investment advice" in report.markdown and "Executive summary" in report.markdown
    assert "+7.53%" in report.markdown  # the open-convention return the news item reports
    stored = service.get(report.id)
    assert stored is not None and stored.title == report.title
    assert report.id in {r.id for r in service.reports()}


def test_exports_markdown_and_self_contained_html(
    make_service: Callable[..., ResearchService], tmp_path: Path
) -> None:
    service = make_service()
    report = service.run(service.plan("", news_id=NEWS["zh"]))
    md = service.export(report, "md", tmp_path / "r")
    html = service.export(report, "html", tmp_path / "r")
    assert md.read_text(encoding="utf-8").startswith("# ")
    page = html.read_text(encoding="utf-8")
    assert "<table>" in page and "执行摘要" in page
    assert not re.search(
        r"<(?:script|link)[^>]+(?:src|href)=\"https?://", page
    )  # nothing fetched from outside
    assert service.get(report.id).files["html"] == str(html)  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.skipif(
    chromium_binary() is None,
    reason="Chromium is not installed (apt-get install chromium fonts-noto-cjk)",
)
def test_pdf_export_renders(make_service: Callable[..., ResearchService], tmp_path: Path) -> None:
    from pypdf import PdfReader

    service = make_service()
    report = service.run(service.plan("", news_id=NEWS["zh"]))
    pdf = service.export(report, "pdf", tmp_path / "r")
    import unicodedata

    raw = "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    text = unicodedata.normalize("NFKC", raw)  # CJK fonts map some glyphs to Kangxi radicals
    assert "执行摘要" in text  # Chinese rendered with a real font, not boxes
    assert "53/53" in text or "个数字已核验" in text
    # citations jump to their source entries; the only way out is an allow-listed source
    from assistant.grounding.links import link_allowed

    links = [
        a.get_object()
        for page in PdfReader(pdf).pages
        for a in page.get("/Annots") or []
        if a.get_object().get("/Subtype") == "/Link"
    ]
    actions = [a["/A"].get_object() for a in links if "/A" in a]
    uris = [str(act["/URI"]) for act in actions if "/URI" in act]
    assert len(links) - len(uris) >= len(report.citations) // 2  # in-document jumps
    assert all(link_allowed(u) for u in uris), uris


def test_approval_accept_edit_reject(
    make_service: Callable[..., ResearchService], state_where: Path | str
) -> None:
    service = make_service(store=Store(state_where))  # SQLite, then PostgreSQL
    plan = service.plan("", news_id=NEWS["en"])

    run_id, report = service.start(plan)
    assert report is None
    waiting = service.pending(run_id)
    assert waiting is not None and waiting.title == plan.title
    accepted = service.approve(run_id, "accept")
    assert accepted is not None and len(accepted.sections) == len(plan.sections)

    edited_plan = plan.model_copy(deep=True)
    edited_plan.sections = [plan.sections[2], plan.sections[0]]
    edited_plan.sections[1].questions = edited_plan.sections[1].questions[:1]
    run_id, _ = service.start(plan)
    edited = service.approve(run_id, "edit", edited_plan)
    assert edited is not None
    assert [s.heading for s in edited.sections] == [
        plan.sections[2].heading,
        plan.sections[0].heading,
    ]

    before = len(service.reports())
    run_id, _ = service.start(plan)
    assert service.approve(run_id, "reject") is None
    assert len(service.reports()) == before
    assert service.pending(run_id) is None


def test_resume_after_a_crash_mid_execution(
    make_service: Callable[..., ResearchService], state_where: Path | str
) -> None:
    service = make_service(store=Store(state_where))  # checkpoints in SQLite, then PostgreSQL
    plan = service.plan("", news_id=NEWS["en"])
    started: list[int] = []
    crashed = {"done": False}

    def fault(index: int) -> None:
        if index == 3 and not crashed["done"]:
            crashed["done"] = True
            raise RuntimeError("simulated crash")

    def record(event: dict[str, Any]) -> None:
        if event.get("type") == "progress" and event.get("phase") == "start":
            started.append(event["index"])

    service.fault = fault
    with pytest.raises(RuntimeError, match="simulated crash"):
        service.start(plan, auto_accept=True, on_event=record)
    run_id = service.last_run_id
    assert run_id is not None
    if isinstance(state_where, Path):  # the run is the one the checkpoint file holds last
        assert run_id == _last_run_id(service.store.runs_path)
    first_round = set(started)
    started.clear()
    report = service.resume(run_id, on_event=record)
    assert report is not None
    _assert_clean(report)
    assert 3 in started  # the crashed section ran again
    assert not (set(started) - {3}) & first_round  # finished sections were not redone


def _last_run_id(runs: Path) -> str:
    import sqlite3

    db = sqlite3.connect(runs)
    (run_id,) = db.execute(
        "SELECT thread_id FROM checkpoints ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    db.close()
    return str(run_id)


# ---- LLM path ---------------------------------------------------------------------------

_EVIDENCE = re.compile(r"^\[(\d+)\] (\S+) (\w+) = (.+?) \(", re.MULTILINE)


def _writer(messages: list[BaseMessage]) -> AIMessage:
    """A model that writes each section from the first figures in its evidence."""
    prompt = str(messages[-1].content)
    if "executive summary" in prompt:
        marker = _MARKER.search(prompt)
        return AIMessage(
            f"The report's figures are computed from market data [{marker.group(1) if marker else 1}]."
        )
    if "failed the automatic number check" in prompt:
        prompt = str(messages[0].content)
    found = _EVIDENCE.findall(prompt)
    if not found:
        return AIMessage("The evidence for this section is qualitative; see the quoted sources.")
    lines = [f"{symbol} {metric} was {value} [{n}]." for n, symbol, metric, value in found[:3]]
    return AIMessage(" ".join(lines))


def _planner(messages: list[BaseMessage]) -> AIMessage:
    sections = [
        {
            "heading": "Performance",
            "questions": ["How much did the Russell 2000 move from 2025-12-01 to 2026-01-23?"],
            "tools": ["period_return"],
        },
        {
            "heading": "Technicals",
            "questions": ["Where is the Russell 2000 against its 20-day moving average?"],
            "tools": ["moving_average"],
        },
        {
            "heading": "Volatility",
            "questions": ["How volatile was the Russell 2000 from 2025-12-01 to 2026-01-23?"],
            "tools": ["volatility"],
        },
        {
            "heading": "Range",
            "questions": ["What is the 52-week range of the Russell 2000?"],
            "tools": ["range_52w"],
        },
    ]
    return AIMessage(
        content="",
        tool_calls=[
            {
                "name": "PlanDraft",
                "args": {"title": "Small caps", "sections": sections},
                "id": "plan",
            }
        ],
    )


def test_scripted_model_drives_the_llm_path(make_service: Callable[..., ResearchService]) -> None:
    model = ScriptedChatModel(script=[_planner, _writer], repeat_last=True)
    service = make_service(chat_model=model)
    plan = service.plan("How durable is the Russell 2000 rally?", news_id=NEWS["en"])
    assert [s.heading for s in plan.sections] == [
        "Performance",
        "Technicals",
        "Volatility",
        "Range",
    ]
    assert plan.estimate.model_calls == len(plan.sections) + 2
    report = service.run(plan)
    _assert_clean(report, minimum=5)
    usage = report.usage
    assert usage.llm_calls <= len(plan.sections) + 3
    assert usage.input_tokens + usage.output_tokens <= 60_000
    assert report.summary.startswith("The report's figures")


def test_budget_stops_cleanly_and_keeps_what_is_done(
    make_service: Callable[..., ResearchService],
) -> None:
    model = ScriptedChatModel(script=[_planner, _writer], repeat_last=True)
    service = make_service(chat_model=model, budget=Budget.for_research(max_model_calls=2))
    plan = service.plan("How durable is the Russell 2000 rally?", news_id=NEWS["en"])
    report = service.run(plan)
    assert report.stopped is not None and "budget" in report.stopped
    assert report.usage.llm_calls <= 3  # the plan call plus the two the budget allows
    assert len(report.sections) == len(plan.sections)
    assert any(s.complete for s in report.sections) and any(not s.complete for s in report.sections)
    assert all(s.text for s in report.sections if s.complete)
    assert report.verification.numbers_verified == report.verification.numbers_total


def test_plan_round_trips_through_json(make_service: Callable[..., ResearchService]) -> None:
    plan = make_service().plan("Sector rotation in US equities", news_id=None)
    assert plan.template == "sector_rotation"
    again = Plan.model_validate_json(plan.model_dump_json())
    assert again == plan
