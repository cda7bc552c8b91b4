"""The NYSE calendar: sessions, neighbours, windows and their notes, typed errors."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools import calendar
from tools.calendar import (
    CalendarError,
    EmptyWindowError,
    FutureDateError,
    OutOfRangeError,
    ReversedWindowError,
)

D = dt.date
NOW = D(2026, 3, 9)


def test_sessions_weekends_and_holidays() -> None:
    assert calendar.is_session("2026-01-23")
    assert not calendar.is_session(D(2026, 1, 25))  # Sunday
    assert not calendar.is_session(D(2025, 12, 25))  # Christmas
    assert not calendar.is_session(D(2025, 1, 9))  # national day of mourning (Carter)
    assert calendar.previous_session(D(2025, 12, 1)) == D(2025, 11, 28)
    assert calendar.next_session(D(2026, 1, 23)) == D(2026, 1, 26)
    assert calendar.session_on_or_before(D(2026, 1, 25)) == D(2026, 1, 23)
    assert calendar.session_on_or_after(D(2025, 11, 29)) == D(2025, 12, 1)
    assert len(calendar.sessions_between(D(2025, 12, 1), D(2026, 1, 23))) == 37


def test_window_moves_ends_to_sessions_and_says_so() -> None:
    window = calendar.normalise_window("2025-11-29", "2026-01-25", now=NOW)
    assert (window.start, window.end, window.sessions) == (D(2025, 12, 1), D(2026, 1, 23), 37)
    assert "2025-11-29 (Saturday, weekend)" in window.note
    assert "previous session 2026-01-23" in window.note
    plain = calendar.normalise_window(D(2025, 12, 1), D(2026, 1, 23), now=NOW)
    assert plain.note == ""


@pytest.mark.parametrize(
    ("start", "end", "error", "words"),
    [
        (D(2026, 2, 1), D(2026, 1, 1), ReversedWindowError, "swap"),
        (D(2026, 1, 24), D(2026, 1, 25), EmptyWindowError, "No NYSE trading session"),
        (D(2026, 3, 1), D(2026, 3, 20), FutureDateError, "future"),
        (D(1990, 1, 1), D(1990, 2, 1), OutOfRangeError, "outside the trading calendar"),
        ("yesterday", D(2026, 1, 5), CalendarError, "YYYY-MM-DD"),
    ],
)
def test_bad_windows_are_typed_errors(start: object, end: object, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        calendar.normalise_window(start, end, now=NOW)  # type: ignore[arg-type]


days = st.dates(min_value=D(2000, 2, 1), max_value=D(2026, 12, 31))


@given(days)
def test_neighbours_are_sessions_on_the_right_side(day: dt.date) -> None:
    before, after = calendar.session_on_or_before(day), calendar.session_on_or_after(day)
    assert before <= day <= after
    assert calendar.is_session(before)
    assert calendar.is_session(after)
    assert (before == day) == calendar.is_session(day)
    assert calendar.previous_session(day) < day < calendar.next_session(day)
    assert not calendar.sessions_between(
        before + dt.timedelta(days=1), after - dt.timedelta(days=1)
    ).size


@given(days, st.integers(min_value=0, max_value=40))
def test_window_is_inside_what_was_asked(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    try:
        window = calendar.normalise_window(start, end, now=D(2027, 6, 1))
    except EmptyWindowError:
        assert calendar.sessions_between(start, end).size == 0
        return
    assert start <= window.start <= window.end <= end
    assert window.sessions == calendar.sessions_between(start, end).size
    assert (window.note == "") == (window.start == start and window.end == end)
