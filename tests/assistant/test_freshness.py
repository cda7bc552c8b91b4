"""Symbols whose data end on different sessions: named with their last session, compared on one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from assistant.views.charts import sector_chart
from tools.market import Market

# In the shared data SPY, IWM and the XLB, XLC, XLRE and XLU sector funds end on 2026-02-23;
# the indices and the other sector funds run to 2026-03-06.
LATE_SECTORS = ("XLB", "XLC", "XLRE", "XLU")


def test_a_comparison_names_the_symbol_that_ends_earlier_and_uses_the_common_session(
    make_assistant: Callable[..., Any],
) -> None:
    answer = make_assistant().ask("Compare SPY with the S&P 500 from 2025-12-01 to 2026-03-06")
    assert (
        "Not every symbol has data to 2026-03-06: SPDR S&P 500 ETF (SPY) (last session "
        "2026-02-23). So all of them are compared up to their common last session, 2026-02-23."
    ) in answer.text.replace("SPDR S&P 500 ETF Trust", "SPDR S&P 500 ETF")
    returns = [f for f in answer.ledger.figures if f.metric == "return"]
    assert {f.end for f in returns} == {dt.date(2026, 2, 23)}
    assert {f.symbol for f in returns} == {"SPY", "^GSPC"}
    assert any(f.metric == "spread" for f in answer.ledger.figures)
    assert answer.verification.ok, answer.verification


def test_the_same_comparison_in_chinese(make_assistant: Callable[..., Any]) -> None:
    answer = make_assistant().ask("SPY和标普500相比，2025年12月1日至2026年3月6日表现如何？")
    assert "并非所有标的都有截至2026-03-06的数据：" in answer.text
    assert "（最后交易日2026-02-23）。因此统一比较至共同的最后交易日2026-02-23。" in answer.text


def test_symbols_ending_together_are_compared_without_a_note(
    make_assistant: Callable[..., Any],
) -> None:
    answer = make_assistant().ask("Compare the Russell 2000 with the S&P 500 since December")
    assert "Not every symbol" not in answer.text


def test_a_sector_ranking_names_the_sectors_that_end_earlier(
    make_assistant: Callable[..., Any],
) -> None:
    answer = make_assistant().ask("Which sectors led on 2026-03-06?")
    ranked = {f.symbol for f in answer.ledger.figures if f.metric == "sector_change"}
    assert ranked and not ranked & set(LATE_SECTORS)
    assert {f.end for f in answer.ledger.figures} == {dt.date(2026, 3, 6)}
    line = answer.text.splitlines()[1]
    assert line.startswith("Not ranked, because their data end before 2026-03-06: ")
    for symbol in LATE_SECTORS:
        assert f"{symbol}) (last session 2026-02-23)" in line
    assert answer.verification.ok, answer.verification


def test_the_sector_ranking_in_chinese(make_assistant: Callable[..., Any]) -> None:
    answer = make_assistant().ask("2026年3月6日哪些板块领涨？")
    line = answer.text.splitlines()[1]
    assert line.startswith("以下板块的数据截至2026-03-06之前，未参与排序：")
    assert line.count("（最后交易日2026-02-23）") == len(LATE_SECTORS)


def test_the_sector_chart_names_the_sectors_it_leaves_out(market: Market) -> None:
    chart = sector_chart(dt.date(2026, 3, 6), lang="en", market=market)
    note = " ".join(a.text for a in chart.layout.annotations)
    for symbol in LATE_SECTORS:
        assert f"{symbol} (last session 2026-02-23)" in note
    assert len(chart.data[0].y) == 11 - len(LATE_SECTORS)
    zh = sector_chart(dt.date(2026, 3, 6), lang="zh", market=market)
    assert "最后交易日 2026-02-23" in " ".join(a.text for a in zh.layout.annotations)


def test_the_relative_chart_stops_at_the_common_session_and_says_why(market: Market) -> None:
    from assistant.views.charts import relative_chart, relative_series

    start, end = dt.date(2025, 12, 1), dt.date(2026, 3, 6)
    series = relative_series(["SPY", "^GSPC"], start, end, market=market)
    assert series.index[-1].date() == dt.date(2026, 2, 23)  # not the S&P 500's own last session
    fig = relative_chart(["SPY", "^GSPC"], start, end, lang="en", market=market)
    [note] = [a.text for a in fig.layout.annotations]
    assert "2026-02-23" in note and "SPY" in note
    together = relative_chart(["^RUT", "^GSPC"], start, end, lang="en", market=market)
    assert not together.layout.annotations
