"""Each metric kind and request kind in both languages, plus follow-ups and the shapes."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.reading import MetricAsk, Request, read_request

REF = dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("text", "symbols", "keys"),
    [
        ("How did the Russell 2000 do in January?", ["^RUT"], ["return"]),
        ("罗素2000一月份涨了多少", ["^RUT"], ["return"]),
        ("How many points did the Dow gain in January?", ["^DJI"], ["change_points"]),
        ("道指一月份涨了多少点", ["^DJI"], ["change_points"]),
        ("S&P 500 close on Feb 27", ["^GSPC"], ["last_close"]),
        ("标普2月27日收盘价", ["^GSPC"], ["last_close"]),
        ("How much did the Nasdaq fall on March 3?", ["^IXIC"], ["day_change"]),
        ("纳指3月3日跌了多少", ["^IXIC"], ["day_change"]),
        ("Daily volatility of SPY in February", ["SPY"], ["volatility annualised=false"]),
        ("SPY二月份的日波动率", ["SPY"], ["volatility annualised=false"]),
        ("Annualised volatility of SPY in February", ["SPY"], ["volatility annualised=true"]),
        ("SPY二月份的年化波动率", ["SPY"], ["volatility annualised=true"]),
        ("QQQ 50-day moving average", ["QQQ"], ["sma window=50"]),
        ("QQQ的50日均线", ["QQQ"], ["sma window=50"]),
        ("QQQ 20- and 50-day moving averages", ["QQQ"], ["sma window=20", "sma window=50"]),
        ("QQQ的20日和50日均线", ["QQQ"], ["sma window=20", "sma window=50"]),
        ("IWM 五十日均线", ["IWM"], ["sma window=50"]),
        ("How far is SPY above its 200-day moving average?", ["SPY"], ["sma_distance window=200"]),
        ("SPY距离200日均线多远", ["SPY"], ["sma_distance window=200"]),
        ("RUT 52-week closing high", ["^RUT"], ["high_52w basis=close"]),
        ("罗素2000盘中52周低点", ["^RUT"], ["low_52w basis=intraday"]),
        ("Lowest close of the S&P 500 in April 2025", ["^GSPC"], ["period_low basis=close"]),
        ("2025年4月标普500的最低收盘价", ["^GSPC"], ["period_low basis=close"]),
        ("Max drawdown of QQQ in 2025", ["QQQ"], ["max_drawdown"]),
        ("QQQ在2025年的最大回撤", ["QQQ"], ["max_drawdown"]),
        ("Beta of IWM vs the S&P 500 over 2025", ["IWM"], ["beta benchmark=^GSPC"]),
        ("IWM在2025年相对标普500的贝塔", ["IWM"], ["beta benchmark=^GSPC"]),
        ("Correlation between IWM and SPY in 2025", ["IWM"], ["correlation benchmark=SPY"]),
        ("IWM和SPY在2025年的相关性", ["IWM"], ["correlation benchmark=SPY"]),
        ("XLF vs XLK year to date", ["XLF", "XLK"], ["relative benchmark=XLK"]),
        ("今年以来XLF相对XLK的表现", ["XLF", "XLK"], ["relative benchmark=XLK"]),
    ],
)
def test_metrics_with_parameters(text: str, symbols: list[str], keys: list[str]) -> None:
    request = read_request(text, REF)
    assert request.kind == "metric", text
    assert (request.symbols, request.keys()) == (symbols, keys), text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("明年一季度纳斯达克会涨多少？", "forecast"),
        ("Will the Russell 2000 reach 3,000 by year-end?", "forecast"),
        ("Should I buy IWM now?", "opinion"),
        ("现在应该买IWM吗？", "opinion"),
        ("Which sector did best since December?", "ranking"),
        ("12月以来哪个板块表现最好？", "ranking"),
        ("Why did small caps rally in January?", "knowledge"),
        ("为什么小盘股一月份大涨？", "knowledge"),
        ("Hello!", "other"),
        ("你好", "other"),
    ],
)
def test_request_kinds(text: str, kind: str) -> None:
    assert read_request(text, REF).kind == kind


def test_a_forecast_keeps_its_future_period_and_asks_no_metric() -> None:
    request = read_request("明年一季度纳斯达克会涨多少？", REF)
    assert request.symbols == ["^IXIC"] and request.metrics == []
    assert request.period is not None and request.period.future
    assert request.language == "zh"


@pytest.mark.parametrize(
    ("text", "symbols"),
    [("XLE in Q4", ["XLE"]), ("能源板块四季度表现", ["XLE"]), ("XLF vs XLK YTD", ["XLF", "XLK"])],
)
def test_a_named_sector_is_a_symbol_request_not_a_ranking(text: str, symbols: list[str]) -> None:
    request = read_request(text, REF)
    assert request.kind == "metric" and request.symbols == symbols


def test_ranking_order() -> None:
    assert read_request("Which sector did worst last month?", REF).ranking == "bottom"
    assert read_request("上个月领涨板块", REF).ranking == "top"


def test_stated_conventions() -> None:
    assert read_request("SPY return close-to-close in January", REF).convention == "prev_close"
    assert read_request("SPY一月份样本标准差", REF).convention == "ddof=1"


def test_followup_inherits_symbols_metrics_and_period() -> None:
    first = read_request("How did the Russell 2000 do in January?", REF)
    second = read_request("What about the Nasdaq?", REF, context=first)
    assert second.symbols == ["^IXIC"] and second.keys() == ["return"]
    assert second.period == first.period and second.followup
    assert set(second.inherited) == {"metrics", "period"}


def test_followup_with_a_new_metric_keeps_the_symbol() -> None:
    first = read_request("罗素2000今年以来涨了多少？", REF)
    second = read_request("年化波动率呢？", REF, context=first)
    assert second.symbols == ["^RUT"] and second.keys() == ["volatility annualised=true"]
    assert second.period is not None and second.period.kind == "ytd"


def test_followup_sma_window() -> None:
    first = read_request("What is SPY's 50-day moving average?", REF)
    second = read_request("How about the 200-day?", REF, context=first)
    assert second.keys() == ["sma window=200"] and second.period is None


def test_shapes_round_trip_through_json() -> None:
    request = read_request("IWM beta vs SPY since December 15, 2025", REF)
    again = Request.model_validate_json(request.model_dump_json())
    assert again == request
    assert MetricAsk(name="sma", window=50).key() == "sma window=50"
    with pytest.raises(ValueError):
        MetricAsk(name="sharpe")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "13月以来涨了多少",
        "past 99999 years",
        "since 1850",
        "Q9 2025",
        "2月30日收盘价",
        "?" * 5000,
    ],
)
def test_odd_input_never_crashes(text: str) -> None:
    request = read_request(text, REF)
    assert request.kind in ("metric", "ranking", "knowledge", "forecast", "opinion", "other")
