"""Deep research under AppTest with a fake service: plan, edit, reject, run, report, history."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from tests.ui.conftest import texts

NEWS_ID = "russell-2000-rally-2026-01-26-en"


def open_research(at: AppTest, news: str | None = NEWS_ID) -> AppTest:
    at.run()
    at.switch_page("pages/research.py")
    if news:
        at.query_params["news"] = news
    return at.run()


def test_topic_comes_from_the_news_item_and_the_plan_shows_its_estimate(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = open_research(make_app())
    assert not at.exception
    assert at.text_input[0].value.startswith("Small caps take the lead")
    at.button(key="research_make_plan").click().run()
    body = texts(at)
    assert "Performance" in body and "- How did ^RUT do?" in body
    assert "Estimate: 6 model calls, about 15,000 tokens, $0.02, about 40 s" in body
    assert services.research is not None
    assert services.research.runs == []  # nothing runs before the plan is accepted


def test_accepting_runs_the_plan_and_shows_the_report(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = open_research(make_app())
    at.button(key="research_make_plan").click().run()
    at.button(key="research_accept").click().run()
    assert not at.exception
    body = texts(at)
    assert "The Russell 2000 returned +6.75% :blue-badge[1]." in body
    assert ":green-badge[:material/verified: 2/2 numbers verified]" in body
    assert len(at.get("plotly_chart")) == 2
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download MD", "Download HTML"]
    assert any("History" in b.label or "Research:" in b.label for b in at.button)


def test_pdf_export_failure_is_explained(make_app: Callable[..., AppTest]) -> None:
    at = open_research(make_app())
    at.button(key="research_make_plan").click().run()
    at.button(key="research_accept").click().run()
    next(b for b in at.button if (b.key or "").startswith("prepare_pdf")).click().run()
    assert not at.exception
    assert "PDF export is not available: no PDF engine in the test" in texts(at)


def test_editing_the_plan_changes_what_runs(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = open_research(make_app())
    at.button(key="research_make_plan").click().run()
    at.button(key="research_edit").click().run()
    at.text_input(key="edit_heading_0").input("Returns")
    at.text_area(key="edit_q_0").input("How did ^RUT do?\nAnd ^GSPC?")
    next(b for b in at.button if b.label == "Save the plan").click().run()
    assert "- And ^GSPC?" in texts(at)
    at.button(key="research_accept").click().run()
    ran = services.research.runs[0]
    assert ran.sections[0].heading == "Returns"
    assert ran.sections[0].questions == ["How did ^RUT do?", "And ^GSPC?"]


def test_rejecting_drops_the_plan(make_app: Callable[..., AppTest], services: Footnote) -> None:
    at = open_research(make_app())
    at.button(key="research_make_plan").click().run()
    at.button(key="research_reject").click().run()
    assert not at.exception
    assert "research_accept" not in [b.key for b in at.button]
    assert services.research.runs == []


def test_auto_accept_runs_at_once_and_history_reopens_reports(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = open_research(make_app("zh"), news=None)
    at.text_input[0].input("罗素2000小盘股行情能否持续")
    at.toggle(key="research_auto").set_value(True).run()
    at.button(key="research_make_plan").click().run()
    assert not at.exception
    service = services.research
    assert len(service.runs) == 1 and service.plans[0].language == "zh"
    assert "历史报告" in texts(at)
    history = [b for b in at.button if (b.key or "").startswith("history_")]
    assert len(history) == 1
    history[0].click().run()
    assert at.header[0].value.startswith("Research: 罗素2000")
