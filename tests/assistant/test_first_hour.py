"""What a new user reads first: readers' names for metrics and conventions, a data note said
once per answer, follow-ups that move on, calm words for missing prices. Synthetic prices only,
so these run without ../shared."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.app import Footnote
from assistant.errors import explain_error, no_prices_text
from assistant.grounding.labels import CONVENTIONS, METRICS, convention_label, metric_label
from assistant.store import Store
from assistant.testing.fakes import FakeLibrary, demo_documents
from assistant.views.receipts import receipts
from tools import calendar
from tools.figure import METRICS as FIGURE_METRICS
from tools.market import Market
from tools.prices.base import NoData, RateLimited, SourceUnavailable, UnknownSymbol
from tools.prices.fake import FakeSource, synthetic_ohlcv

TODAY = dt.date(2026, 3, 9)
INTERNAL = re.compile(r"prev_close|start_close|change_points|volatility_(daily|annual)|_52w")


@pytest.fixture
def footnote(tmp_path: Path) -> Footnote:
    """Synthetic prices for the demo symbols, with ten sessions of ^RUT missing in January."""
    sessions = calendar.sessions_between(dt.date(2025, 1, 2), dt.date(2026, 3, 6))
    frames = synthetic_ohlcv(["^RUT", "^GSPC", "^IXIC", "^DJI", "IWM"], sessions)
    rut = frames["^RUT"]
    gap = rut.loc["2026-01-05":"2026-01-16"].index
    frames["^RUT"] = rut.drop(gap)
    market = Market(FakeSource(frames), today=lambda: TODAY)
    return Footnote(
        market=market,
        library=FakeLibrary(demo_documents()),
        store=Store(tmp_path / "state.sqlite"),
        demo=False,
    )


def test_every_metric_and_convention_has_a_name_in_both_languages() -> None:
    assert set(FIGURE_METRICS) <= set(METRICS)
    for table in (METRICS, CONVENTIONS):
        for key, names in table.items():
            assert names["en"] and "_" not in names["en"] and "=" not in names["en"]
            assert re.search(r"[\u4e00-\u9fff]", names["zh"]), key
    assert metric_label("change_points", "zh") == "点数变动"
    assert convention_label("prev_close") == "from the previous close"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_receipts_show_readers_names_never_internal_ones(footnote: Footnote, lang: str) -> None:
    question = (
        "How much did the Russell 2000 rise from Dec 1 to Jan 23?"
        if lang == "en"
        else "罗素2000在12月1日至1月23日涨了多少？"
    )
    answer = footnote.ask(question)
    shown = receipts(answer.to_json(), lang)
    assert shown and any(r.kind == "figure" for r in shown)
    for r in shown:
        assert not INTERNAL.search(r.label), r.label
        for field, value in r.rows:
            if field in ("metric", "convention"):
                assert not INTERNAL.search(value), (field, value)
    conventions = {v for r in shown for f, v in r.rows if f == "convention"}
    named = {convention_label(c, lang) for c in ("prev_close", "open", "start_close")}
    assert convention_label("prev_close", lang) in conventions and conventions <= named
    assert not INTERNAL.search(" ".join(c.label for c in answer.ledger.entries))


def test_a_coverage_note_is_said_once_per_answer(footnote: Footnote) -> None:
    answer = footnote.ask("How volatile has the Russell 2000 been since December?")
    notes = re.findall(r"Note: data cover \d+ of \d+ sessions", answer.text)
    assert len(notes) == 1, answer.text
    assert len(answer.ledger.figures) >= 2  # daily and annualised, both over the gap


def test_follow_ups_move_on_from_the_question_just_answered(footnote: Footnote) -> None:
    first = footnote.ask("How did the Russell 2000 do since December?")
    pick = "How does that compare with the S&P 500?"
    assert pick in first.suggestions
    second = footnote.ask(pick, thread_id=first.thread_id)
    assert len(second.suggestions) == 3
    assert pick not in second.suggestions
    asked = footnote.ask("What drove the move?", thread_id=first.thread_id)
    assert "What drove the move?" not in asked.suggestions and len(asked.suggestions) == 3


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (SourceUnavailable("DNSError: curl (6) See https://curl.se/x"), "offline"),
        (RateLimited("Footnote's own limit of 45 Yahoo requests a minute"), "in a minute"),
        (NoData("No stored prices for ^RUT"), "To fix it"),
    ],
)
def test_missing_prices_are_explained_without_transport_text(error: Exception, words: str) -> None:
    error.symbol, error.start, error.end = "^RUT", dt.date(2026, 1, 2), dt.date(2026, 1, 30)  # type: ignore[attr-defined]
    text = explain_error(error, "en")
    assert words in text and "2026-01-02 to 2026-01-30" in text
    assert not re.search(r"curl|DNSError|https?://|45 Yahoo", text)
    assert "footnote prices update ^RUT" in text
    zh = explain_error(error, "zh")
    assert "罗素2000指数（^RUT）" in zh and "2026-01-02 至 2026-01-30" in zh


def test_an_unknown_symbol_is_named_as_such() -> None:
    text = explain_error(UnknownSymbol("x", symbol="ZZZZQ"), "en")
    assert "does not know the symbol ZZZZQ" in text
    # a symbol Footnote knows is missing data, not unknown (an empty source says "unknown")
    known = no_prices_text(["^GSPC"], None, None, "unknown_symbol", "en")
    assert known.startswith("No prices are stored for S&P 500 (^GSPC).")


@pytest.fixture
def from_january(tmp_path: Path) -> Market:
    """Prices that start on the first session of January 2026: no close before the window."""
    sessions = calendar.sessions_between(dt.date(2026, 1, 2), dt.date(2026, 3, 6))
    return Market(FakeSource(synthetic_ohlcv(["^RUT", "^GSPC"], sessions)), today=lambda: TODAY)


def _footnote(market: Market, tmp_path: Path, **settings: str) -> Footnote:
    from assistant.settings import get_settings

    return Footnote(
        get_settings().model_copy(update=settings),
        market=market,
        library=FakeLibrary(demo_documents()),
        store=Store(tmp_path / "state.sqlite"),
        demo=False,
    )


def test_a_convention_in_the_question_is_used(from_january: Market, tmp_path: Path) -> None:
    fn = _footnote(from_january, tmp_path)
    refused = fn.ask("How did the Russell 2000 do in January 2026?")
    assert not refused.ledger.figures
    assert "from the open" in refused.text and "prev_close" not in refused.text
    for question, convention in [
        ("How did the Russell 2000 do in January 2026 from the open?", "open"),
        ("罗素2000在2026年1月按开盘价涨了多少？", "open"),
        ("How did the Russell 2000 do in January 2026 from the first day's close?", "start_close"),
    ]:
        answer = fn.ask(question)
        returns = [f for f in answer.ledger.figures if f.metric == "return"]
        assert returns and returns[0].convention == convention, (question, answer.text)
        assert answer.verification.ok
    # a follow-up keeps the convention the thread chose
    first = fn.ask("How did the Russell 2000 do in January 2026 from the open?")
    follow = fn.ask("And the S&P 500?", thread_id=first.thread_id)
    assert [f.convention for f in follow.ledger.figures if f.metric == "return"] == ["open"]


def test_the_convention_setting_is_the_default(from_january: Market, tmp_path: Path) -> None:
    fn = _footnote(from_january, tmp_path, convention="open")
    answer = fn.ask("How did the Russell 2000 do in January 2026?")
    returns = [f for f in answer.ledger.figures if f.metric == "return"]
    assert returns and returns[0].convention == "open"
    assert "from the open of the first session" in answer.text


def test_data_that_start_late_are_not_called_missing() -> None:
    late = NoData("Prices for ^RUT begin on 2026-01-05, after the window's first session.")
    assert explain_error(late, "en", ["^RUT"]) == late.message
