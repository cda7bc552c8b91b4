"""Auto-accept beside the deep-research button on the news page, remembered for the session."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from assistant.app import Footnote

NEWS_ID = "russell-2000-rally-2026-01-26-en"


def test_auto_accept_on_the_news_page_plans_and_runs_research_at_once(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = make_app().run()
    at.switch_page("pages/news.py")
    at.query_params["id"] = NEWS_ID
    at.run()
    toggle = at.toggle(key="news_auto")
    assert toggle.label == "Auto-accept plan" and toggle.value is False
    toggle.set_value(True).run()
    assert not at.exception
    # the deep-research button opens the research page on this item: planned and run, no stop
    at.switch_page("pages/research.py")
    at.query_params.clear()
    at.query_params["news"] = NEWS_ID
    at.run()
    assert not at.exception
    assert at.toggle(key="research_auto").value is True  # remembered across pages
    assert len(services.research.runs) == 1
    # back on the news page the choice is still on; turned off, it stays off
    at.switch_page("pages/news.py")
    at.query_params["id"] = NEWS_ID
    at.run()
    assert at.toggle(key="news_auto").value is True
    at.toggle(key="news_auto").set_value(False).run()
    at.switch_page("pages/research.py")
    at.query_params["news"] = NEWS_ID
    at.run()
    assert at.toggle(key="research_auto").value is False
    assert len(services.research.runs) == 1
