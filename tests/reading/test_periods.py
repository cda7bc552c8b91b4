"""Each period kind in both languages, read against 2026-03-06 (a Friday session)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.reading import find_period

REF = dt.date(2026, 3, 6)
NEWS = dt.date(2026, 1, 26)
D = dt.date.fromisoformat

CASES = [
    # day
    ("close on Feb 27", "day", "2026-02-27", "2026-02-27"),
    ("2月27日收盘", "day", "2026-02-27", "2026-02-27"),
    ("yesterday", "day", "2026-03-05", "2026-03-05"),
    ("昨天", "day", "2026-03-05", "2026-03-05"),
    ("on Sunday March 1", "day", "2026-02-27", "2026-02-27"),  # a weekend: the session before
    ("December 24th", "day", "2025-12-24", "2025-12-24"),  # after the ref without a year: 2025
    # week
    ("last week", "week", "2026-02-23", "2026-02-27"),
    ("上周", "week", "2026-02-23", "2026-02-27"),
    # month
    ("in January", "month", "2026-01-02", "2026-01-30"),
    ("一月", "month", "2026-01-02", "2026-01-30"),
    ("1月份", "month", "2026-01-02", "2026-01-30"),
    ("2026年1月", "month", "2026-01-02", "2026-01-30"),
    ("in December", "month", "2025-12-01", "2025-12-31"),  # after the ref month: last year's
    ("去年12月", "month", "2025-12-01", "2025-12-31"),
    ("in March", "month", "2026-03-02", "2026-03-06"),  # the current month, to date
    ("last month", "month", "2026-02-02", "2026-02-27"),
    ("上个月", "month", "2026-02-02", "2026-02-27"),
    # quarter
    ("Q4 2025", "quarter", "2025-10-01", "2025-12-31"),
    ("2025年第四季度", "quarter", "2025-10-01", "2025-12-31"),
    ("in Q4", "quarter", "2025-10-01", "2025-12-31"),
    ("四季度", "quarter", "2025-10-01", "2025-12-31"),
    ("2025 Q2", "quarter", "2025-04-01", "2025-06-30"),
    ("the third quarter of 2025", "quarter", "2025-07-01", "2025-09-30"),
    ("last quarter", "quarter", "2025-10-01", "2025-12-31"),
    ("上季度", "quarter", "2025-10-01", "2025-12-31"),
    # half
    ("上半年", "half", "2026-01-02", "2026-03-06"),
    ("下半年", "half", "2025-07-01", "2025-12-31"),
    ("2025年上半年", "half", "2025-01-02", "2025-06-30"),
    ("H2 2025", "half", "2025-07-01", "2025-12-31"),
    ("the first half of 2025", "half", "2025-01-02", "2025-06-30"),
    # year
    ("in 2025", "year", "2025-01-02", "2025-12-31"),
    ("2025年全年", "year", "2025-01-02", "2025-12-31"),
    ("全年", "year", "2026-01-02", "2026-03-06"),
    ("last year", "year", "2025-01-02", "2025-12-31"),
    ("去年", "year", "2025-01-02", "2025-12-31"),
    ("the Russell 2000 over 2025", "year", "2025-01-02", "2025-12-31"),  # 2000 is a name
    # to date
    ("MTD", "mtd", "2026-03-02", "2026-03-06"),
    ("本月以来", "mtd", "2026-03-02", "2026-03-06"),
    ("quarter to date", "qtd", "2026-01-02", "2026-03-06"),
    ("本季度以来", "qtd", "2026-01-02", "2026-03-06"),
    ("YTD", "ytd", "2026-01-02", "2026-03-06"),
    ("今年以来", "ytd", "2026-01-02", "2026-03-06"),
    ("YTD as of February 27", "ytd", "2026-01-02", "2026-02-27"),
    ("截至2月27日年初至今", "ytd", "2026-01-02", "2026-02-27"),
    # since
    ("since December 15, 2025", "since", "2025-12-15", "2026-03-06"),
    ("自2025年12月15日以来", "since", "2025-12-15", "2026-03-06"),
    ("since December", "since", "2025-12-01", "2026-03-06"),
    ("12月以来", "since", "2025-12-01", "2026-03-06"),
    ("since mid-January", "since", "2026-01-15", "2026-03-06"),
    ("1月中旬以来", "since", "2026-01-15", "2026-03-06"),
    ("since the end of 2025", "since", "2026-01-02", "2026-03-06"),
    ("2025年底以来", "since", "2026-01-02", "2026-03-06"),
    ("since Dec 15 as of Jan 30", "since", "2025-12-15", "2026-01-30"),
    # between
    ("between Oct 1 and Dec 31, 2025", "between", "2025-10-01", "2025-12-31"),
    ("2025年10月1日至12月31日", "between", "2025-10-01", "2025-12-31"),
    ("from October to December 2025", "between", "2025-10-01", "2025-12-31"),
    ("从2025年10月到12月", "between", "2025-10-01", "2025-12-31"),
    ("from Dec 1 to Jan 15", "between", "2025-12-01", "2026-01-15"),  # the year turns
    ("from the 2025-12-01 open to the 2026-01-23 close", "between", "2025-12-01", "2026-01-23"),
    # trailing
    ("past ten days", "trailing", "2026-02-25", "2026-03-06"),
    ("最近十天", "trailing", "2026-02-25", "2026-03-06"),
    ("the last 20 sessions", "trailing", "2026-02-06", "2026-03-06"),
    ("过去20个交易日", "trailing", "2026-02-06", "2026-03-06"),
    ("past two weeks", "trailing", "2026-02-23", "2026-03-06"),
    ("近两周", "trailing", "2026-02-23", "2026-03-06"),
    ("over the past three months", "trailing", "2025-12-08", "2026-03-06"),
    ("近三个月", "trailing", "2025-12-08", "2026-03-06"),
    ("the last year", "trailing", "2025-03-07", "2026-03-06"),
    ("近一年", "trailing", "2025-03-07", "2026-03-06"),
    ("近半年", "trailing", "2025-09-08", "2026-03-06"),
    ("20-day volatility", "trailing", "2026-02-06", "2026-03-06"),
    ("20日波动率", "trailing", "2026-02-06", "2026-03-06"),
]


@pytest.mark.parametrize(("text", "kind", "start", "end"), CASES)
def test_period_kinds(text: str, kind: str, start: str, end: str) -> None:
    period = find_period(text, REF)
    assert period is not None, text
    assert (period.kind, period.start, period.end) == (kind, D(start), D(end)), text


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("since the article was published", "since_publication", "2026-01-26", "2026-03-06"),
        ("自文章发布以来", "since_publication", "2026-01-26", "2026-03-06"),
        ("发稿以来", "since_publication", "2026-01-26", "2026-03-06"),
        ("the week before the article", "before_publication", "2026-01-20", "2026-01-23"),
        ("文章发布前一周", "before_publication", "2026-01-20", "2026-01-23"),
        ("five sessions before publication", "before_publication", "2026-01-16", "2026-01-23"),
        ("发稿前五个交易日", "before_publication", "2026-01-16", "2026-01-23"),
    ],
)
def test_periods_relative_to_the_news_item(text: str, kind: str, start: str, end: str) -> None:
    period = find_period(text, REF, news_date=NEWS)
    assert period is not None
    assert (period.kind, period.start, period.end) == (kind, D(start), D(end))


def test_since_publication_without_a_news_date_is_unresolved() -> None:
    period = find_period("since the article was published", REF)
    assert period is not None and period.kind == "since_publication" and period.start is None


@pytest.mark.parametrize("text", ["over the same period", "during that time", "同期", "在此期间"])
def test_same_period_takes_the_context(text: str) -> None:
    context = find_period("in January", REF)
    period = find_period(text, REF, context=context)
    assert period is not None and period.kind == "same_as_context"
    assert (period.start, period.end) == (D("2026-01-02"), D("2026-01-30"))


def test_future_periods_keep_calendar_bounds() -> None:
    period = find_period("明年一季度", REF)
    assert period is not None and period.future
    assert (period.kind, period.start, period.end) == ("quarter", D("2027-01-01"), D("2027-03-31"))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2026年1月罗素2000", "month"),  # not "one month"
        ("the 50-day moving average", None),  # an SMA length is excluded by the request reader
        ("What may happen next?", None),  # "may" the verb
        ("Russell 2000 hit 3,000 points", None),
    ],
)
def test_no_misreads(text: str, kind: str | None) -> None:
    exclude = [(text.find("50-day"), text.find("50-day") + 6)] if "50-day" in text else []
    period = find_period(text, REF, exclude=exclude)
    assert (period.kind if period else None) == kind


def test_spans_point_into_the_text() -> None:
    text = "How did small caps do since December 15, 2025?"
    period = find_period(text, REF)
    assert period is not None and period.span is not None
    assert text[period.span[0] : period.span[1]] == "since December 15, 2025"


@pytest.mark.parametrize(
    ("text", "relative"),
    [
        ("last week", True),
        ("上周", True),
        ("the past 5 days", True),
        ("近5日", True),
        ("year to date", True),
        ("今年以来", True),
        ("in January", True),  # the year comes from the reference date
        ("yesterday", True),
        ("去年", True),
        ("since last month", True),
        ("from Dec 1 to Jan 23", True),
        ("January 2026", False),
        ("Q4 2025", False),
        ("2025年11月", False),
        ("2025年", False),
        ("from 2025-12-01 to 2026-01-23", False),
        ("from October to December 2025", False),  # the year written once places both
        ("since December 15, 2025", False),
        ("the past 5 days as of 2026-01-20", False),
        ("year to date as of 2026-02-20", False),
        ("the week before the article", False),  # counted from the news date
    ],
)
def test_a_period_says_whether_it_is_placed_from_the_reference_date(
    text: str, relative: bool
) -> None:
    period = find_period(text, REF, news_date=NEWS)
    assert period is not None, text
    assert period.relative is relative, text


def test_the_same_period_keeps_the_context_s_placing() -> None:
    for context_text, relative in (("last week", True), ("Q4 2025", False)):
        context = find_period(context_text, REF)
        period = find_period("over the same period", REF, context=context)
        assert period is not None and period.relative is relative
