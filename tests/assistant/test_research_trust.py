"""Research planning on the bilingual reader, and reports a reader can trust line by line
(issues 13 and 16), in both languages, on the demo item and the shared prices."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from assistant.grounding.dates import find_dates
from assistant.research import Plan, Report, ResearchService
from assistant.research.planner import make_plan
from assistant.settings import get_settings
from assistant.store import Store
from knowledge.library import Library
from tools.market import Market

NEWS = {"en": "russell-2000-rally-2026-01-26-en", "zh": "russell-2000-rally-2026-01-26-zh"}
Q4_TOPIC = {
    "en": "Deep research on small caps in Q4 2025 vs the S&P 500",
    "zh": "小盘股2025年第四季度相对标普500的深度研究",
}
REF = dt.date(2026, 3, 6)  # the shared data's last session
_LIST_HEAD = re.compile(r"[:：]\s*$")
_METHOD = re.compile(r"classification|convention|ddof|口径|分类", re.I)


@pytest.fixture
def make_service(market: Market, library: Library) -> Callable[..., ResearchService]:
    settings = get_settings()
    store = Store(settings.state_db)

    def make(**kwargs: Any) -> ResearchService:
        return ResearchService(settings, market=market, library=library, store=store, **kwargs)

    return make


# ---- planning ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_topic_period_and_benchmark_set_the_plan(lang: str) -> None:
    plan = make_plan(Q4_TOPIC[lang], lang, REF)  # type: ignore[arg-type]
    assert plan.symbols[:2] == ["^RUT", "^GSPC"]
    assert (plan.start, plan.end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert plan.window_label == "Q4 2025"
    questions = [q for s in plan.sections for q in s.questions]
    # the questions name no dates: every section runs over the plan's window, edited or not
    assert not any(find_dates(q, 2025) for q in questions), questions
    assert any("S&P 500" in q or "标普500" in q for q in questions)


@pytest.mark.parametrize(
    ("lang", "topic", "start"),
    [
        ("en", "Small caps since December 15, 2025", dt.date(2025, 12, 15)),
        ("zh", "2026年1月罗素2000的表现", dt.date(2026, 1, 2)),
        ("en", "The Russell 2000 year to date", dt.date(2026, 1, 2)),
    ],
)
def test_other_periods_in_a_topic(lang: str, topic: str, start: dt.date) -> None:
    plan = make_plan(topic, lang, REF)  # type: ignore[arg-type]
    assert plan.symbols[0] == "^RUT"
    assert plan.start == start and plan.end is not None and plan.end <= REF


@pytest.mark.parametrize(
    ("lang", "topic"),
    [
        ("en", "Will small caps keep outperforming next year?"),
        ("zh", "明年小盘股还会继续跑赢吗？"),
        ("en", "Should I buy small caps now?"),
        ("zh", "现在应该加仓小盘股吗？"),
    ],
)
def test_forecast_and_advice_topics_are_noted_not_answered(lang: str, topic: str) -> None:
    plan = make_plan(topic, lang, REF)  # type: ignore[arg-type]
    assert plan.notes, "a forecast or advice topic is said to be one before the run"
    assert plan.end == REF  # the report measures the past up to the latest session
    assert all(
        ("预测" in n or "建议" in n) if lang == "zh" else ("forecast" in n or "advice" in n)
        for n in plan.notes
    )


def test_no_period_keeps_the_default_window() -> None:
    plan = make_plan("Russell 2000 rally", "en", dt.date(2026, 1, 23))
    assert (plan.start, plan.end, plan.window_label) == (
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 23),
        "",
    )


# ---- reports ----------------------------------------------------------------------------


def _figures(report: Report) -> list[dict[str, Any]]:
    return [c for c in report.citations if c.get("kind") == "figure"]


def _assert_trustworthy(report: Report) -> None:
    """The checks issue 16 names, on one report."""
    v = report.verification
    assert v.numbers_total > 10 and v.numbers_verified == v.numbers_total, v.unsupported
    assert v.findings == []
    # every figure at the report's as-of
    assert all(f["as_of"] == report.as_of.isoformat() for f in _figures(report))  # type: ignore[union-attr]
    # no empty section or list
    for section in report.sections:
        lines = [x for x in section.text.splitlines() if x.strip()]
        assert lines, f"empty section {section.heading}"
        for i, line in enumerate(lines):
            if _LIST_HEAD.search(line) and not line.startswith("- "):
                assert i + 1 < len(lines) and lines[i + 1].startswith("- "), section.text
    # sources numbered once, each with who and where; no placeholder, no ": " entry
    passages = [c for c in report.citations if c.get("kind") == "passage"]
    keys = [
        (c["source"]["publisher"], c["source"].get("person"), c["source"].get("title"))
        for c in passages
        if c.get("source")
    ]
    assert len(keys) == len(set(keys)), keys
    sources_part = report.markdown.split("\n## ")[-1]
    for line in sources_part.splitlines():
        assert not re.match(r"^\d+\. :", line), line
    assert "[link removed]" not in report.markdown and "[链接已移除]" not in report.markdown
    # expert views are people; data providers are sources
    assert report.views and all(
        "Yahoo" not in (row.person + (row.organisation or "")) for row in report.views
    )
    # the summary holds findings, not method notes
    assert report.summary and not _METHOD.search(report.summary), report.summary
    assert not re.match(r"(?:若按|Measured)", report.summary), "a restatement leads the summary"
    # the plan is stored with the report
    assert report.plan is not None and report.approval


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_demo_report_reads_clean(
    make_service: Callable[..., ResearchService], lang: str
) -> None:
    service = make_service()
    report = service.run(service.plan("", news_id=NEWS[lang]))
    _assert_trustworthy(report)
    assert report.approval == "auto"
    assert report.as_of == dt.date(2026, 1, 23)
    stored = service.get(report.id)
    assert stored is not None and stored.plan == report.plan  # shown and stored when auto
    plan_heading = "The plan this report ran" if lang == "en" else "本报告执行的计划"
    assert plan_heading in report.markdown
    # risks never carry a bullish expert's view
    risks = next(s for s in report.sections if "Risk" in s.heading or "风险" in s.heading)
    risk_part = risks.text.split("\n\n")[0]
    for row in report.views:
        if row.stance == "bull":
            assert f"{row.person} (" not in risk_part and f"{row.person}（" not in risk_part


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_edited_window_is_used_everywhere(
    make_service: Callable[..., ResearchService], lang: str
) -> None:
    service = make_service()
    plan = service.plan("", news_id=NEWS[lang])
    assert plan.end == dt.date(2026, 1, 23)
    run_id, report = service.start(plan)
    assert report is None  # paused for approval
    edited = plan.model_copy(update={"end": REF})
    report = service.approve(run_id, "edit", edited)
    assert report is not None
    _assert_trustworthy(report)
    assert report.approval == "edited" and report.plan is not None and report.plan.end == REF
    assert report.as_of == REF
    assert all(f["end"] == REF.isoformat() for f in _figures(report) if f["metric"] != "sma")
    status = "Live status on 2026-03-06" if lang == "en" else "当前状态（2026-03-06）"
    assert status in report.markdown
    assert "2026-01-23" not in " ".join(s.status for s in report.signals)


def test_a_topic_window_report(make_service: Callable[..., ResearchService]) -> None:
    service = make_service()
    plan = service.plan(Q4_TOPIC["en"])
    assert (plan.start, plan.end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    report = service.run(plan)
    figures = _figures(report)
    assert report.as_of == dt.date(2025, 12, 31)
    assert all(f["as_of"] == "2025-12-31" for f in figures)
    windowed = [f for f in figures if f["metric"] in ("return", "change_points", "spread")]
    assert {f["symbol"] for f in windowed} >= {"^RUT", "^GSPC"}
    assert all((f["start"], f["end"]) == ("2025-10-01", "2025-12-31") for f in windowed)


def test_plan_round_trips_in_the_stored_report() -> None:
    plan = make_plan(Q4_TOPIC["zh"], "zh", REF)
    assert Plan.model_validate_json(plan.model_dump_json()) == plan


@pytest.mark.parametrize(("lang", "end"), [("en", None), ("zh", REF)])
def test_the_expert_table_tracks_a_forecast_against_the_close(
    make_service: Callable[..., ResearchService],
    shared_frames: dict[str, pd.DataFrame],
    lang: str,
    end: dt.date | None,
) -> None:
    """DeSanctis's 2,825 year-end target: its distance from the close at the report's as-of,
    recomputed here from the shared CSVs, with a receipt in the report."""
    service = make_service()
    plan = service.plan("", news_id=NEWS[lang])
    if end is not None:
        plan = plan.model_copy(update={"end": end})
    report = service.run(plan)
    row = next(r for r in report.views if r.person == "Steven DeSanctis")
    assert row.horizon == dt.date(2026, 12, 31) and not row.at_horizon
    assert row.distance is not None
    frame = shared_frames["^RUT"]
    as_of = report.as_of
    assert as_of is not None
    close = float(frame.loc[frame.index.date == as_of, "Close"].iloc[-1])
    expected = (2825 / close - 1) * 100
    n = int(re.search(r"\[(\d+)\]", row.distance).group(1))  # type: ignore[union-attr]
    receipt = next(c for c in report.citations if c["n"] == n)
    assert receipt["metric"] == "target_distance" and receipt["symbol"] == "^RUT"
    assert receipt["end"] == as_of.isoformat()
    assert receipt["value"] == pytest.approx(expected, abs=1e-4)
    assert f"{expected:+.2f}%" in row.distance
    others = [r for r in report.views if r.person != "Steven DeSanctis"]
    assert all(r.distance is None for r in others)  # a rate view has no level to track
    assert report.verification.ok, report.verification.findings


@pytest.mark.parametrize(
    ("lang", "wrong", "right"),
    [
        (
            "en",
            "The bears' case comes from Jeffrey Hirsch [1].",
            "Michael Feroli (J.P. Morgan, bearish): the Fed holds through 2026 [2].",
        ),
        (
            "zh",
            "Jeffrey Hirsch（看空）认为一月效应会消退[1]。",
            "Michael Feroli（J.P. Morgan，看空）：美联储全年按兵不动[2]。",
        ),
    ],
)
def test_a_misattributed_sentence_fails_verification(lang: str, wrong: str, right: str) -> None:
    from assistant.chat.offline import pieces
    from assistant.grounding.attribution import check_attributions
    from assistant.grounding.ledger import Ledger
    from knowledge.documents import Document, Section, SourceEntry, View

    doc = Document(
        id=f"attr-{lang}",
        title="Views",
        language=lang,  # type: ignore[arg-type]
        sections=[
            Section(heading="Views", text="Hirsch sees more upside [1]. Feroli sees no cut [2].")
        ],
        sources=[
            SourceEntry(n=1, publisher="Almanac", person="Jeffrey Hirsch", summary="Upside."),
            SourceEntry(n=2, publisher="J.P. Morgan", person="Michael Feroli", summary="No cut."),
        ],
        views=[
            View(person="Jeffrey Hirsch", stance="bull", claim="More upside.", source=1),
            View(person="Michael Feroli", stance="bear", claim="No cut.", source=2),
        ],
    )
    ledger = Ledger()
    for n in (1, 2):
        passage = pieces.source_passage(doc, n)
        assert passage is not None
        assert ledger.add_passage(passage) == n
    stances = {v.person: v.stance for v in doc.views}
    assert check_attributions(right, ledger, stances) == []
    found = check_attributions(wrong, ledger, stances)
    assert [f.detail for f in found] == ["Jeffrey Hirsch is bull in the source, not bear"]
    misplaced = right.replace("Michael Feroli", "Jeffrey Hirsch").replace("bearish", "bullish")
    misplaced = misplaced.replace("看空", "看多")  # Hirsch named, only Feroli's source cited
    assert [f.detail for f in check_attributions(misplaced, ledger, stances)] == [
        "no cited source names Jeffrey Hirsch"
    ]
