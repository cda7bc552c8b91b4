"""A new user offline with no prices: every surface says so calmly, in the reader's language,
with the news item's window and the fix; no transport text, no green badge."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from assistant.settings import get_settings
from assistant.store import Store
from assistant.views.feed import analysis_window
from tests.ui.conftest import APP, TIMEOUT_S, texts
from tests.ui.fakes import FakeLibrary, demo_documents
from tools.market import Market
from tools.prices.base import SourceUnavailable
from tools.prices.cached import CachedSource
from tools.prices.fake import FailingSource
from tools.prices.store import PriceStore
from ui.state import FOOTNOTE_KEY

EN_ID = "russell-2000-rally-2026-01-26-en"
TODAY = dt.date(2026, 11, 30)
# what a laptop without network got from the live source
DNS_FAILURE = SourceUnavailable(
    "Yahoo Finance could not be reached (DNSError: Failed to perform, curl: (6) Could not "
    "resolve host: query2.finance.yahoo.com. See https://curl.se/libcurl/c/libcurl-errors.html).",
    "Check the internet connection; stored data is used where there is some.",
)
RAW = re.compile(r"DNSError|curl|Could not resolve|link removed|https?://|Traceback|45 Yahoo")


@pytest.fixture
def offline(tmp_path: Path) -> tuple[Footnote, FailingSource]:
    """A `Footnote` with an empty price store whose live source cannot be reached."""
    live = FailingSource(DNS_FAILURE)
    source = CachedSource(PriceStore(tmp_path / "prices"), live=live, mode="auto")
    market = Market(source, today=lambda: TODAY)
    svc = Footnote(
        get_settings(),
        market=market,
        library=FakeLibrary(demo_documents()),
        store=Store(tmp_path / "state.sqlite"),
        demo=False,
    )
    return svc, live


def app(svc: Footnote, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state[FOOTNOTE_KEY] = svc
    at.context["locale"] = "zh-CN" if lang == "zh" else "en-US"
    return at


def calm(at: AppTest) -> str:
    assert not at.exception
    body = texts(at)
    assert not RAW.search(body), RAW.search(body)
    assert "green-badge" not in body
    assert not at.warning and not at.error, [w.value for w in [*at.warning, *at.error]]
    return body


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_feed_says_once_per_item_which_prices_are_missing_for_its_window(
    offline: tuple[Footnote, Any], lang: str
) -> None:
    svc, live = offline
    at = app(svc, lang).run()
    body = calm(at)
    assert not at.metric
    doc = svc.news_item(EN_ID, lang)
    assert doc is not None
    window = analysis_window(doc)
    assert window is not None
    notes = [i.value for i in at.info]
    assert len(notes) == 1, notes  # one note for the card's four tickers, not one box each
    note = notes[0]
    assert f"{window[0].isoformat()}" in note and f"{window[1].isoformat()}" in note
    assert "footnote prices import PATH" in note and "footnote prices update ^RUT" in note
    assert ("离线" in note) if lang == "zh" else ("offline" in note)
    assert "2026-11-16" not in body  # today's window is not the item's
    assert ("美股" in body and "US equities" not in body) if lang == "zh" else "US equities" in body
    # the first failure rests the live source: four tickers, one attempt
    assert live.calls == 1


def test_news_page_charts_and_fact_check_badge_are_calm(offline: tuple[Footnote, Any]) -> None:
    svc, _ = offline
    at = app(svc).run()
    at.switch_page("pages/news.py")
    at.query_params["id"] = EN_ID
    at.run()
    body = calm(at)
    assert at.title[0].value.startswith("Small caps take the lead")
    assert not at.get("plotly_chart")
    # the quote strip and the charts tab say it once each, with the item's window
    assert len(at.info) == 2
    window = analysis_window(svc.news_item(EN_ID, "en"))  # type: ignore[arg-type]
    assert window is not None and all(window[1].isoformat() in i.value for i in at.info)
    assert "market figures hold" not in body  # no "0/0 ... hold"


def test_chat_answer_without_prices_is_calm_and_neutral(offline: tuple[Footnote, Any]) -> None:
    svc, _ = offline
    at = app(svc).run()
    at.switch_page("pages/chat.py").run()
    at.chat_input[0].set_value("How did the Russell 2000 do in January 2026?").run()
    body = calm(at)
    assert "No prices are stored for Russell 2000 (^RUT)" in body
    assert "2026-01-30" in body and "footnote prices update ^RUT" in body
    assert ":gray-badge[:material/info: no numbers to verify]" in body


def test_chinese_chat_answer_without_prices(offline: tuple[Footnote, Any]) -> None:
    svc, _ = offline
    answer = svc.ask("罗素2000在2026年1月表现如何？")
    assert not RAW.search(answer.text)
    assert "本地没有罗素2000指数（^RUT）" in answer.text and "离线" in answer.text
    assert not answer.ledger.entries


def test_rate_limit_is_not_blamed_for_a_network_that_is_down(
    offline: tuple[Footnote, FailingSource],
) -> None:
    svc, live = offline
    for _ in range(60):  # more lookups than the live source's request limit
        answer = svc.ask("How did the S&P 500 do in March 2026?")
    assert "requests a minute" not in answer.text and "offline" in answer.text
    assert live.calls == 1


def test_cli_update_offline_says_so_once_per_symbol_without_transport_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from tools.prices.yahoo import YahooSource
    from ui.cli import app as cli

    calls: list[str] = []

    def unreachable(self: YahooSource, symbol: str, start: dt.date, end: dt.date) -> None:
        calls.append(symbol)
        raise DNS_FAILURE

    monkeypatch.setattr(YahooSource, "history", unreachable)
    monkeypatch.setenv("FOOTNOTE_PRICE_MODE", "auto")
    get_settings.cache_clear()
    done = CliRunner().invoke(cli, ["prices", "update", "^RUT", "SPY"], env={"COLUMNS": "80"})
    out = " ".join(done.output.split())
    assert not RAW.search(out), out
    assert out.count("this computer looks offline") == 2 and "footnote prices import PATH" in out
    assert calls == ["^RUT"]  # the second symbol is not left to wait for the same failure
