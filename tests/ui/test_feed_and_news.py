"""Feed and news item pages under AppTest, with the fake services."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from assistant.views import feed as views
from tests.ui.conftest import popover_labels, texts
from tools.market import Market
from tools.prices.fake import FakeSource

EN_ID = "russell-2000-rally-2026-01-26-en"
ZH_ID = "russell-2000-rally-2026-01-26-zh"


def open_news(at: AppTest, doc_id: str = EN_ID) -> AppTest:
    at.run()
    at.switch_page("pages/news.py")
    at.query_params["id"] = doc_id
    return at.run()


def test_feed_shows_one_card_per_item_with_quotes(make_app: Callable[..., AppTest]) -> None:
    at = make_app().run()
    assert not at.exception
    assert [s.value for s in at.subheader] == [
        "Small caps take the lead: how durable is the Russell 2000 rally?"
    ]
    metrics = {m.label: m for m in at.metric}
    assert set(metrics) == {
        "Russell 2000",
        "S&P 500",
        "Nasdaq Composite",
        "Dow Jones Industrial Average",
    }
    assert metrics["Russell 2000"].value == "2,525.30"
    assert metrics["Russell 2000"].delta == "-2.33%"
    assert at.chat_input[0].placeholder.startswith("Ask about markets")


def test_feed_in_chinese_picks_the_chinese_translation(
    make_app: Callable[..., AppTest], docs: list
) -> None:
    at = make_app("zh").run()
    assert not at.exception
    zh = next(d for d in docs if d.id == ZH_ID)
    assert at.subheader[0].value == zh.title and zh.title.startswith("小盘股领涨")
    assert at.title[0].value == "Footnote 研究助手"
    assert {m.label for m in at.metric} >= {"罗素2000指数", "标普500指数"}


def test_language_switch_changes_the_interface(make_app: Callable[..., AppTest]) -> None:
    at = make_app("en").run()
    at.sidebar.button_group[0].set_value("zh").run()
    assert at.header[0].value == "新闻"
    at.run()
    assert at.header[0].value == "新闻" and at.chat_input[0].placeholder.startswith("提问市场问题")


def test_news_item_page_shows_every_part(make_app: Callable[..., AppTest]) -> None:
    at = open_news(make_app())
    assert not at.exception
    assert at.title[0].value.startswith("Small caps take the lead")
    headings = [s.value for s in at.subheader]
    assert "Performance and rotation" in headings and "Signals to monitor" in headings
    body = texts(at)
    assert ":blue-badge[1]" in body  # citation markers
    assert "AI-generated; for information only, not investment advice." in body
    labels = popover_labels(at)
    assert any(label.startswith("[4] Steven DeSanctis") for label in labels)
    assert len(at.metric) == 4 and all(
        "As of 2026-03-06" in c.value for c in at.caption if c.value.startswith("As of")
    )
    assert len(at.get("plotly_chart")) == 3  # price, relative performance, sectors
    # signals: the moving-average signal is checked against data, the others point at sources
    assert ":red-badge[triggered]" in body
    assert ":gray-badge[not tracked by market data: follow source \\[6\\]]" in body
    assert "No other stored item shares its tickers or tags." in body
    # expert views: people, with the forecast's distance from the latest close
    table = at.table[0].value
    assert list(table["Person"]) == [
        "Jeffrey Hirsch",
        "Daniel Lysik",
        "Steven DeSanctis",
        "Oren Shiran",
        "Michael Feroli",
    ]
    distance = table.loc[table["Person"] == "Steven DeSanctis", "Target vs close"].iloc[0]
    assert "close of 2026-03-06" in distance


def test_news_item_sources_link_only_to_allowed_hosts(make_app: Callable[..., AppTest]) -> None:
    at = open_news(make_app())
    body = texts(at)
    assert "link not shown: thefinancememories.com is not on the allowed list" in body
    urls = [b.proto.url for b in at.get("link_button")]
    assert "https://www.jpmorgan.com/insights/global-research/economy/fed-rate-cuts" in urls
    assert all("thefinancememories" not in u and "ginlix" not in u for u in urls)


def test_news_item_in_chinese_follows_the_switch(make_app: Callable[..., AppTest]) -> None:
    at = open_news(make_app("zh"), EN_ID)
    assert at.title[0].value.startswith("小盘股领涨")
    assert "AI 生成，仅供参考，不构成投资建议。" in texts(at)


def test_unknown_news_item_says_so(make_app: Callable[..., AppTest]) -> None:
    at = open_news(make_app(), "no-such-item")
    assert not at.exception
    assert "no longer stored" in at.info[0].value
    # the latest item is shown instead, with a picker for the others
    assert at.title[0].value.startswith("Small caps take the lead")
    assert at.selectbox(key="news_pick").value


def test_missing_market_data_is_explained(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    empty = Footnote(
        services.settings,
        market=Market(FakeSource({})),
        library=services.library,
        store=services.store,
        chat=services.chat,
    )
    at = open_news(make_app(svc=empty))
    assert not at.exception
    notes = [i.value for i in at.info]
    assert notes and not at.warning
    assert all("No prices are stored for" in n and "To fix it" in n for n in notes)
    assert any("footnote prices import" in n for n in notes)
    feed = make_app(svc=empty).run()
    assert not feed.exception and "To fix it" in feed.info[0].value


class StaleSource(FakeSource):
    """Serves its rows as the cached source does when newer prices could not be had."""

    def history(self, symbol, start, end):  # type: ignore[no-untyped-def]
        return dataclasses.replace(super().history(symbol, start, end), stale=True)


def test_stale_quotes_are_marked(
    make_app: Callable[..., AppTest], services: Footnote, ui_market: Market
) -> None:
    stale = Market(StaleSource(ui_market.source._frames), today=ui_market._today)
    svc = Footnote(
        services.settings,
        market=stale,
        library=services.library,
        store=services.store,
        chat=services.chat,
    )
    at = open_news(make_app(svc=svc))
    assert not at.exception
    assert texts(at).count(":orange-badge[:material/history: stale]") == 4


def test_fact_check_marks_colour_the_checked_numbers(
    make_app: Callable[..., AppTest], services: Footnote, docs: list
) -> None:
    doc = next(d for d in docs if d.id == EN_ID)
    text = doc.text()  # the fact-check's spans index the whole text, headings included
    start = text.index("7.53%")
    wrong = text.index("2,482.23")
    late = text.index("2,735.10")  # in a later section
    summary = views.FactSummary(
        [
            views.FactMark(start, start + 5, "holds", "7.53%", "recomputed 7.53%"),
            views.FactMark(wrong, wrong + 8, "differs", "2,482.23", "the data say 2,480.00"),
            views.FactMark(late, late + 8, "wrong_date", "2,735.10", "that high was a day later"),
        ]
    )
    services.fact_checks = lambda doc_id, check_missing: summary
    at = open_news(make_app())
    body = texts(at)
    assert ":green-background[7.53%]" in body
    assert ":red-background[2,482.23]" in body
    assert ":orange-background[2,735.10]" in body
    assert ":orange-badge[:material/fact_check: 1/3 market figures hold]" in body
    assert "differs from the data: the data say 2,480.00" in body


def test_numbers_the_data_cannot_judge_do_not_turn_the_badge_orange(
    make_app: Callable[..., AppTest], services: Footnote, docs: list
) -> None:
    doc = next(d for d in docs if d.id == EN_ID)
    text = doc.text()
    start, quoted = text.index("7.53%"), text.index("2,735.10")
    summary = views.FactSummary(
        [
            views.FactMark(start, start + 5, "holds", "7.53%", "recomputed 7.53%"),
            views.FactMark(quoted, quoted + 8, "unverifiable", "2,735.10", "quoted from [3]"),
        ]
    )
    services.fact_checks = lambda doc_id, check_missing: summary
    body = texts(open_news(make_app()))
    assert (
        ":green-badge[:material/fact_check: 1/1 market figures hold · 1 quoted or not checkable]"
        in body
    )


def test_news_item_page_says_what_happened_next(make_app: Callable[..., AppTest]) -> None:
    """Each ticker's move since publication, to the latest session, with receipts."""
    at = open_news(make_app())
    assert not at.exception
    assert "What happened next" in [s.value for s in at.subheader]
    body = texts(at)
    assert "from 2026-01-26 to 2026-03-06" in body
    labels = popover_labels(at)
    assert any(label.startswith("[1] ^RUT return") for label in labels), labels
    assert any(label.startswith("[2] ^RUT change in points") for label in labels), labels
    zh = open_news(make_app("zh"), ZH_ID)
    assert "此后走势" in [s.value for s in zh.subheader]
    assert "2026-01-26至2026-03-06涨跌幅" in texts(zh)


def test_a_misattributed_sentence_is_marked_on_the_news_page(
    make_app: Callable[..., AppTest],
    docs: list,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    request.addfinalizer(st.cache_data.clear)  # no planted item is left for the next test
    clean = texts(open_news(make_app()))
    assert "attribution" not in clean  # no alarm on the demo item as written
    doc = next(d for d in docs if d.id == EN_ID)
    section = next(s for s in doc.sections if "Jeffrey Hirsch of the" in s.text)
    # the sentence still cites Hirsch's source [2], but now names J.P. Morgan's economist
    monkeypatch.setattr(
        section, "text", section.text.replace("Jeffrey Hirsch of the", "Michael Feroli of the")
    )
    st.cache_data.clear()  # the page keeps the item it read first
    body = texts(open_news(make_app()))
    assert ":violet-background[Michael Feroli]" in body
    assert (
        ":orange-badge[:material/warning: 1 attribution(s) not supported by the cited sources]"
        in body
    )
    assert "no cited source names Michael Feroli" in body
