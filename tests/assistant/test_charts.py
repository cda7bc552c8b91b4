"""Charts: the series behind each plotly figure match the prices, and missing data says so."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from assistant.views import charts
from tools import calendar
from tools.market import Market
from tools.prices.base import NoData
from tools.prices.fake import FakeSource, synthetic_ohlcv
from tools.symbols import SECTOR_SYMBOLS

END = dt.date(2026, 1, 23)


@pytest.fixture(scope="module")
def synthetic_market() -> Market:
    sessions = calendar.sessions_between(dt.date(2024, 6, 3), END)
    frames = synthetic_ohlcv(["^RUT", "^GSPC", *SECTOR_SYMBOLS], sessions)
    return Market(FakeSource(frames), today=lambda: dt.date(2026, 1, 26))


def test_price_series_columns_follow_their_definitions(synthetic_market: Market) -> None:
    series = charts.price_series("^RUT", end=END, sessions=60, market=synthetic_market)
    assert len(series) == 60 and series.index[-1].date() == END
    full = synthetic_market.source.history("^RUT", dt.date(2024, 6, 3), END).frame
    assert series["SMA20"].iloc[-1] == pytest.approx(full["Close"].iloc[-20:].mean())
    assert series["High52"].iloc[-1] == pytest.approx(full["High"].iloc[-252:].max())
    assert series["Low52"].iloc[-1] == pytest.approx(full["Low"].iloc[-252:].min())


def test_price_series_leaves_the_band_empty_without_a_full_year(synthetic_market: Market) -> None:
    series = charts.price_series(
        "^RUT", end=dt.date(2025, 7, 1), sessions=120, market=synthetic_market
    )
    assert series["High52"].isna().iloc[0] and series["High52"].notna().iloc[-1]


def test_price_chart_defaults_to_the_last_stored_session(synthetic_market: Market) -> None:
    fig = charts.price_chart("rut", lang="zh", market=synthetic_market)
    names = [trace.name for trace in fig.data]
    assert names == ["52周最高", "52周区间", "收盘价", "20日均线"]
    assert pd.Timestamp(fig.data[2].x[-1]).date() == END
    assert "罗素2000" in fig.layout.title.text


def test_relative_series_starts_from_the_previous_close(synthetic_market: Market) -> None:
    start = dt.date(2025, 12, 1)
    series = charts.relative_series(["^RUT", "^GSPC"], start, END, market=synthetic_market)
    assert series.index[0].date() == calendar.previous_session(start)
    assert series.iloc[0].tolist() == [0.0, 0.0]
    figure = synthetic_market.period_return("^RUT", start, END)
    assert series["^RUT"].iloc[-1] == pytest.approx(figure.value)


def test_relative_chart_skips_symbols_without_data(synthetic_market: Market) -> None:
    start = dt.date(2025, 12, 1)
    series = charts.relative_series(["^RUT", "^IXIC"], start, END, market=synthetic_market)
    assert list(series.columns) == ["^RUT"] and "^IXIC" in series.attrs["missing"]
    fig = charts.relative_chart(["^RUT", "^IXIC"], start, END, market=synthetic_market)
    assert [t.name for t in fig.data] == ["Russell 2000"]
    with pytest.raises(NoData):
        charts.relative_chart(["^IXIC", "^DJI"], start, END, market=synthetic_market)


def test_sector_chart_matches_the_sector_figures(synthetic_market: Market) -> None:
    fig = charts.sector_chart(END, market=synthetic_market)
    figures = synthetic_market.sector_performance(END)
    assert list(fig.data[0].x) == [f.value for f in figures]
    assert fig.data[0].text[0] == figures[0].display("en")
    assert END.isoformat() in fig.layout.title.text


def test_price_chart_on_real_data_matches_the_demo_item(market: Market) -> None:
    series = charts.price_series("^RUT", end=END, sessions=30, market=market)
    assert round(series["SMA20"].iloc[-1], 2) == 2601.58
    assert round(series["High52"].iloc[-1], 2) == 2735.10


def test_report_charts_are_html_fragments_with_one_inline_plotly(
    synthetic_market: Market,
) -> None:
    fragments = charts.report_charts(
        synthetic_market, ("^RUT", "^GSPC"), dt.date(2025, 12, 1), END, "zh"
    )
    assert len(fragments) == 2
    assert "plotly" in fragments[0] and len(fragments[0]) > 100_000 > len(fragments[1])
    assert "相对表现" in fragments[0] and "<html" not in fragments[0]


def test_figures_for_leaves_out_what_has_no_data(synthetic_market: Market) -> None:
    figures = charts.figures_for(
        ["^IXIC", "^DJI"], dt.date(2025, 12, 1), END, market=synthetic_market
    )
    assert figures == []
