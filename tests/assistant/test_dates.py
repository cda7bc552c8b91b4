"""Relative windows in questions: counts in digits, English words and Chinese numerals."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.grounding.dates import parse_window
from tools import calendar

REF = date(2026, 3, 9)  # a Monday session


@pytest.mark.parametrize(
    ("question", "start", "label"),
    [
        ("近两周罗素2000涨了多少", date(2026, 2, 24), "past 2 weeks"),
        ("罗素2000近十天表现", date(2026, 2, 28), "past 10 days"),
        ("最近3个月", date(2025, 12, 10), "past 3 months"),
        ("近十二个月", date(2025, 3, 10), "past 12 months"),
        ("近二十五天", date(2026, 2, 13), "past 25 days"),
        ("近半年", date(2025, 9, 10), "past 6 months"),
        ("近半个月", date(2026, 2, 24), "past 2 weeks"),
        ("How did RUT do over the past two weeks?", date(2026, 2, 24), "past 2 weeks"),
        ("RUT over the past month", date(2026, 2, 10), "past month"),
        ("past 3 years", date(2023, 3, 10), "past 3 years"),
    ],
)
def test_trailing_calendar_windows(question: str, start: date, label: str) -> None:
    """The first session is the day after REF minus the period: the return runs from the close
    a period back (2 weeks before 2026-03-09 is 2026-02-23) to REF's close."""
    window = parse_window(question, REF)
    assert window is not None
    assert (window.start, window.end, window.label) == (start, None, label)


@pytest.mark.parametrize(
    ("question", "n"),
    [
        ("过去二十个交易日", 20),
        ("近5日涨幅", 5),
        ("past 10 trading days", 10),
        ("last 20 sessions", 20),
    ],
)
def test_trailing_session_windows_count_sessions_not_days(question: str, n: int) -> None:
    window = parse_window(question, REF)
    assert window is not None and window.start is not None
    sessions = calendar.sessions_between(window.start, REF)  # both ends included
    assert len(sessions) == n, (question, window)  # n moves from the close before the first
    assert window.label == f"past {n} sessions"


def test_named_periods_keep_their_calendar_meaning() -> None:
    assert parse_window("last month", REF) == parse_window("上个月", REF)
    last_year = parse_window("RUT last year", REF)
    assert last_year is not None
    assert (last_year.start, last_year.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert parse_window("去年罗素2000涨了多少", REF) == last_year


@pytest.mark.parametrize("question", ["近零天", "past 0 days", "近三十五十天"])
def test_counts_that_mean_nothing_give_no_window(question: str) -> None:
    assert parse_window(question, REF) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("去年12月以来标普涨了多少", (date(2025, 12, 1), None)),  # a month of last year
        ("over the last year", (date(2025, 3, 10), None)),  # trailing, not the calendar year
        ("in the last year", (date(2025, 3, 10), None)),
        ("past 12-month return", (date(2025, 3, 10), None)),
    ],
)
def test_last_year_inside_other_phrases(question: str, expected: tuple[date, date | None]) -> None:
    window = parse_window(question, REF)
    assert window is not None
    assert (window.start, window.end) == expected


@pytest.mark.parametrize(
    "question",
    [
        "较去年同期上涨12%",
        "自去年底以来上涨5%",
        "过去年化波动率",
        "前两天",
        "2025年前三个月",
        "last session close",
    ],
)
def test_phrases_that_are_not_a_trailing_window(question: str) -> None:
    assert parse_window(question, REF) is None
