"""Named periods are answered for the period asked: the figures' receipts carry its sessions.

Before the reader was consulted, "January", "Q4 2025" or "2025年11月" fell back to a default
window and the answer, fully verified, was for another period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

D = dt.date
CASES = [
    # (question, symbol, first session, last session); the data's last session is 2026-03-06
    ("罗素2000在1月份涨了多少？", "^RUT", D(2026, 1, 2), D(2026, 1, 30)),
    ("How did small caps do in February 2026?", "^RUT", D(2026, 2, 2), D(2026, 2, 27)),
    ("How did XLE do in Q4 2025?", "XLE", D(2025, 10, 1), D(2025, 12, 31)),
    ("2025年11月纳斯达克表现如何？", "^IXIC", D(2025, 11, 3), D(2025, 11, 28)),
    ("What was SPY's return in January 2026?", "SPY", D(2026, 1, 2), D(2026, 1, 30)),
    ("How did the Dow do year to date?", "^DJI", D(2026, 1, 2), D(2026, 3, 6)),
    ("2025年第四季度标普500涨了多少？", "^GSPC", D(2025, 10, 1), D(2025, 12, 31)),
]


@pytest.mark.parametrize(("question", "symbol", "start", "end"), CASES)
def test_the_answer_is_for_the_named_period(
    make_assistant: Callable[..., Any], question: str, symbol: str, start: D, end: D
) -> None:
    answer = make_assistant().ask(question)
    returns = [f for f in answer.ledger.figures if f.metric == "return"]
    assert returns, answer.text
    assert {(f.symbol, f.start, f.end) for f in returns} == {(symbol, start, end)}
    assert answer.verification.ok


def test_the_russell_in_january_gains_five_point_three_one(
    make_assistant: Callable[..., Any],
) -> None:
    """The move the issue found for January (the old answer gave -4.65% for another window)."""
    answer = make_assistant().ask("罗素2000在1月份涨了多少？")
    assert "+5.31%" in answer.text


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("明年一季度纳斯达克会涨多少？", "zh"),
        ("What will the Russell 2000 do next month?", "en"),
        ("罗素2000明年会涨吗？", "zh"),
    ],
)
def test_a_forecast_is_declined_not_answered_with_a_past_figure(
    make_assistant: Callable[..., Any], question: str, lang: str
) -> None:
    answer = make_assistant().ask(question)
    assert answer.ledger.figures == []
    assert ("无法预测" if lang == "zh" else "can't tell how a market will move") in answer.text
    assert answer.language == lang


@pytest.mark.parametrize(
    ("question", "windows"),
    [
        ("罗素2000的50日均线在哪里？", {50}),
        ("Where is the Russell 2000 relative to its 200-day moving average?", {200}),
        ("What are the 20- and 50-day moving averages of the Russell 2000?", {20, 50}),
        ("罗素2000的20日均线在哪里？", {20}),
    ],
)
def test_the_moving_average_has_the_length_asked(
    make_assistant: Callable[..., Any], question: str, windows: set[int]
) -> None:
    answer = make_assistant().ask(question)
    smas = [f for f in answer.ledger.figures if f.metric == "sma"]
    assert {int(f.params["window"]) for f in smas} == windows
    for w in windows:
        assert (f"{w}-session" in answer.text) or (f"{w}日" in answer.text)
    assert answer.verification.ok
