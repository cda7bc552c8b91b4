"""The Market service on the real shared data (known answers) and on fakes (faults, bad input)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tools.calendar import EmptyWindowError, FutureDateError, ReversedWindowError
from tools.market import Market
from tools.metrics import MetricError
from tools.prices.base import NoData, RateLimited, UnknownSymbol
from tools.prices.fake import FailingSource, FakeSource, synthetic_ohlcv
from tools.symbols import SymbolError

D = dt.date


def test_rut_known_answers(real_market: Market) -> None:
    ret = real_market.period_return("罗素2000", "2025-12-01", "2026-01-23", convention="open")
    points = real_market.change_points("^RUT", D(2025, 12, 1), D(2026, 1, 23), convention="open")
    assert (ret.display(), points.display()) == ("+7.53%", "+186.93 points")
    assert ret.value == pytest.approx(7.5307, abs=1e-4)
    assert ret.formula == "Close[2026-01-23] / Open[2025-12-01] - 1"
    assert (ret.start, ret.end, ret.as_of, ret.stale) == (
        D(2025, 12, 1),
        D(2026, 1, 23),
        D(2026, 1, 23),
        False,
    )
    assert ret.params["completeness"] == 1.0
    sma, distance = real_market.sma("^RUT", D(2026, 1, 23), 20)
    assert sma.value == pytest.approx(2601.576, abs=1e-3)
    assert distance.metric == "sma_distance"
    assert distance.value == pytest.approx((2669.159912 / 2601.575989 - 1) * 100, abs=1e-4)
    high, low = real_market.range_52w("^RUT", D(2026, 1, 23), basis="intraday")
    assert (round(high.value, 2), high.params["session"]) == (2735.10, "2026-01-22")
    assert (round(low.value, 2), low.params["session"]) == (1732.99, "2025-04-09")
    assert high.params["basis"] == "intraday"
    closes = real_market.range_52w("^RUT", D(2026, 1, 23), basis="close")
    assert closes[0].value <= high.value
    assert closes[1].value >= low.value


def test_conventions_differ_and_say_which(real_market: Market) -> None:
    figures = {
        c: real_market.period_return("^RUT", D(2025, 12, 1), D(2026, 1, 23), c)
        for c in ("prev_close", "open", "start_close")
    }
    assert figures["prev_close"].formula == "Close[2026-01-23] / Close[2025-11-28] - 1"
    assert figures["start_close"].formula == "Close[2026-01-23] / Close[2025-12-01] - 1"
    assert len({round(f.value, 6) for f in figures.values()}) == 3
    assert all(f.convention == c for c, f in figures.items())


def test_weekend_window_and_sunday_close_are_moved_and_noted(real_market: Market) -> None:
    ret = real_market.period_return("^RUT", D(2025, 11, 29), D(2026, 1, 25))
    assert (ret.start, ret.end) == (D(2025, 12, 1), D(2026, 1, 23))
    assert "moved to the previous session 2026-01-23" in ret.params["calendar_note"]
    close = real_market.close_on("^RUT", D(2026, 1, 25))
    assert close.end == D(2026, 1, 23)
    assert close.value == pytest.approx(2669.159912, abs=1e-5)
    assert close.params["calendar_note"].startswith("market closed on 2026-01-25 (Sunday")


def test_standard_set_and_relative_performance(real_market: Market) -> None:
    figures = real_market.standard_set(
        "^RUT", D(2025, 12, 1), D(2026, 1, 23), "open", benchmark="^GSPC"
    )
    assert [f.metric for f in figures] == [
        "return",
        "change_points",
        "volatility_daily",
        "volatility_annual",
        "sma",
        "sma_distance",
        "high_52w",
        "low_52w",
        "high_52w",
        "low_52w",
        "max_drawdown",
        "beta",
        "correlation",
        "last_close",
        "day_change",
    ]
    ranges = [(f.label, f.params["basis"]) for f in figures if f.metric.endswith("_52w")]
    assert ranges == [
        ("52-week high (closes)", "close"),
        ("52-week low (closes)", "close"),
        ("52-week high (intraday highs and lows)", "intraday"),
        ("52-week low (intraday highs and lows)", "intraday"),
    ]
    by = {f.metric: f for f in figures}
    assert by["volatility_annual"].value == pytest.approx(by["volatility_daily"].value * 252**0.5)
    assert by["max_drawdown"].value <= 0
    assert by["max_drawdown"].params["peak"] < by["max_drawdown"].params["trough"]
    assert -1 <= by["correlation"].value <= 1
    both = real_market.relative_performance(["^RUT", "标普500"], D(2025, 12, 1), D(2026, 1, 23))
    rut, spx, spread = both
    assert (spread.metric, spread.unit, spread.symbol) == ("spread", "pp", "^RUT - ^GSPC")
    assert spread.value == pytest.approx(rut.value - spx.value)


def test_sector_performance_is_ranked_on_one_session(real_market: Market) -> None:
    sectors = real_market.sector_performance(D(2026, 1, 23))
    assert [f.params["rank"] for f in sectors] == list(range(1, 12))
    assert [f.value for f in sectors] == sorted((f.value for f in sectors), reverse=True)
    assert {f.end for f in sectors} == {D(2026, 1, 23)}
    assert all(f.metric == "sector_change" and f.params["sector_zh"] for f in sectors)


def test_quote_without_a_date_serves_the_latest_data_marked(real_market: Market) -> None:
    close, change = real_market.quote("^RUT")
    assert close.end == D(2026, 3, 6)
    assert change.formula == "Close[2026-03-06] / Close[2026-03-05] - 1"
    later = Market(real_market.source, today=lambda: D(2026, 4, 1))
    stale_close, _ = later.quote("^RUT")
    assert stale_close.stale
    assert stale_close.as_of == D(2026, 3, 6)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda m: m.period_return("ZZZZ", D(2026, 1, 5), D(2026, 1, 9)), UnknownSymbol, "ZZZZ"),
        (
            lambda m: m.period_return("AAPL; rm -rf /", D(2026, 1, 5), D(2026, 1, 9)),
            SymbolError,
            "rm -rf",
        ),
        (lambda m: m.sma("../../etc/passwd", D(2026, 1, 9)), SymbolError, "passwd"),
        (
            lambda m: m.period_return("^RUT", D(2026, 3, 2), D(2026, 4, 1)),
            FutureDateError,
            "future",
        ),
        (
            lambda m: m.period_return("^RUT", D(2026, 2, 1), D(2026, 1, 1)),
            ReversedWindowError,
            "before it starts",
        ),
        (
            lambda m: m.period_return("^RUT", D(2026, 1, 24), D(2026, 1, 25)),
            EmptyWindowError,
            "No NYSE trading session",
        ),
        (
            lambda m: m.period_return("^RUT", D(2026, 1, 5), D(2026, 1, 9), "close"),
            MetricError,
            "convention",
        ),
        (lambda m: m.range_52w("^RUT", D(2026, 1, 9), basis="weekly"), MetricError, "basis"),
        (
            lambda m: m.period_return("^GSPC", D(2025, 1, 2), D(2025, 12, 31)),
            NoData,
            "different window",
        ),
    ],
)
def test_bad_questions_are_clear_errors(
    real_market: Market, call: object, error: type, words: str
) -> None:
    with pytest.raises(error, match=words):
        call(real_market)  # type: ignore[operator]


def test_ascii_fullwidth_ticker_is_normalised() -> None:
    sessions = pd.bdate_range("2026-01-02", "2026-01-09")
    market = Market(FakeSource(synthetic_ohlcv(["AAPL"], sessions)), today=lambda: D(2026, 1, 12))
    assert market.quote("ＡＡＰＬ", D(2026, 1, 9))[0].symbol == "AAPL"


def test_partial_data_reports_completeness() -> None:
    sessions = pd.bdate_range("2026-01-02", "2026-01-30").drop(pd.Timestamp("2026-01-19"))
    frame = synthetic_ohlcv(["SPY"], sessions)["SPY"].drop(
        [pd.Timestamp("2026-01-13"), pd.Timestamp("2026-01-14")]
    )
    market = Market(FakeSource({"SPY": frame}), today=lambda: D(2026, 2, 2))
    ret = market.period_return("SPY", D(2026, 1, 5), D(2026, 1, 30))
    assert ret.params["rows"] == 17
    assert ret.params["sessions"] == 19
    assert ret.params["completeness"] == pytest.approx(17 / 19, abs=1e-4)
    assert ret.params["missing_sessions"] == ["2026-01-13", "2026-01-14"]


def test_a_failing_source_surfaces_its_typed_error() -> None:
    market = Market(
        FailingSource(RateLimited("Yahoo Finance is rate limiting requests.", "Wait a minute."))
    )
    with pytest.raises(RateLimited, match="Wait a minute"):
        market.quote("SPY", D(2026, 1, 9))


def test_latest_sma_counts_back_from_where_the_data_end() -> None:
    """With data ending days before today, the latest 20-session average still has 20 closes."""
    import datetime as dt

    import pandas as pd

    from tools.market import Market
    from tools.prices.fake import FakeSource, synthetic_ohlcv

    sessions = pd.bdate_range("2025-10-01", "2026-03-06")
    frames = synthetic_ohlcv(["^RUT"], sessions, seed=3)
    market = Market(FakeSource(frames), today=lambda: dt.date(2026, 3, 20))
    sma, distance = market.sma("^RUT")
    assert sma.end == dt.date(2026, 3, 6)
    closes = frames["^RUT"]["Close"].loc[:"2026-03-06"].tail(20)
    assert sma.value == pytest.approx(closes.mean())
    assert distance.value == pytest.approx((closes.iloc[-1] / closes.mean() - 1) * 100)
