"""The NYSE trading calendar (via exchange_calendars): sessions, neighbours, windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd

if TYPE_CHECKING:
    import exchange_calendars

EXCHANGE = "XNYS"
FIRST_DAY = dt.date(2000, 1, 1)
NEW_YORK = ZoneInfo("America/New_York")

DateLike = dt.date | str | pd.Timestamp


class CalendarError(ValueError):
    """A date or window the trading calendar cannot answer."""


class FutureDateError(CalendarError):
    """A date after today: there is no market data for it yet."""


class ReversedWindowError(CalendarError):
    """A window whose end comes before its start."""


class EmptyWindowError(CalendarError):
    """A window that holds no trading session."""


class OutOfRangeError(CalendarError):
    """A date outside the years the calendar covers."""


def today() -> dt.date:
    """Return today's date in New York, where the NYSE keeps its sessions."""
    return dt.datetime.now(NEW_YORK).date()


@lru_cache(maxsize=1)
def _calendar() -> exchange_calendars.ExchangeCalendar:
    """Build the NYSE calendar once (it takes a while) from 2000 to a year ahead."""
    import exchange_calendars

    end = today() + dt.timedelta(days=366)
    return exchange_calendars.get_calendar(
        EXCHANGE, start=FIRST_DAY.isoformat(), end=end.isoformat()
    )


def as_date(value: DateLike) -> dt.date:
    """Return `value` as a date; ISO text, dates and timestamps are accepted."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CalendarError(f"Not a date: {value!r}. Write dates as YYYY-MM-DD.") from None


def _in_range(day: dt.date) -> pd.Timestamp:
    cal = _calendar()
    first, last = cal.first_session.date(), cal.last_session.date()
    if not first <= day <= last:
        raise OutOfRangeError(
            f"{day.isoformat()} is outside the trading calendar ({first} to {last})."
        )
    return pd.Timestamp(day)


def weekday_name(day: DateLike) -> str:
    """Return the English weekday name of a date."""
    return as_date(day).strftime("%A")


def is_session(day: DateLike) -> bool:
    """Tell whether the NYSE traded on `day`."""
    return bool(_calendar().is_session(_in_range(as_date(day))))


def session_on_or_before(day: DateLike) -> dt.date:
    """Return `day` if it is a session, else the last session before it."""
    return _calendar().date_to_session(_in_range(as_date(day)), direction="previous").date()


def session_on_or_after(day: DateLike) -> dt.date:
    """Return `day` if it is a session, else the first session after it."""
    return _calendar().date_to_session(_in_range(as_date(day)), direction="next").date()


def previous_session(day: DateLike) -> dt.date:
    """Return the last session strictly before `day`."""
    return session_on_or_before(as_date(day) - dt.timedelta(days=1))


def next_session(day: DateLike) -> dt.date:
    """Return the first session strictly after `day`."""
    return session_on_or_after(as_date(day) + dt.timedelta(days=1))


def sessions_between(start: DateLike, end: DateLike) -> pd.DatetimeIndex:
    """Return the sessions from `start` to `end`, both included (empty if none)."""
    first, last = as_date(start), as_date(end)
    if last < first:
        return pd.DatetimeIndex([])
    sessions = _calendar().sessions_in_range(_in_range(first), _in_range(last))
    return pd.DatetimeIndex(sessions.tz_localize(None) if sessions.tz else sessions)


def sessions_back(end: DateLike, count: int) -> pd.DatetimeIndex:
    """Return the `count` sessions ending at the session on or before `end`."""
    last = pd.Timestamp(session_on_or_before(end))
    return pd.DatetimeIndex(_calendar().sessions_window(last, -count))


def closed_reason(day: DateLike) -> str:
    """Say why the NYSE had no session on `day` (weekend or holiday)."""
    d = as_date(day)
    kind = "weekend" if d.weekday() >= 5 else "exchange holiday"
    return f"{d.isoformat()} ({weekday_name(d)}, {kind})"


@dataclass(frozen=True)
class Window:
    """A window of sessions, with what was changed to get there."""

    start: dt.date
    end: dt.date
    requested_start: dt.date
    requested_end: dt.date
    sessions: int
    note: str = ""


def check_not_future(day: DateLike, now: dt.date | None = None) -> dt.date:
    """Return `day` as a date, or raise `FutureDateError` if it is after today."""
    d, current = as_date(day), now or today()
    if d > current:
        raise FutureDateError(
            f"{d.isoformat()} is in the future (today is {current.isoformat()}): "
            "there is no market data for it yet."
        )
    return d


def normalise_window(start: DateLike, end: DateLike, now: dt.date | None = None) -> Window:
    """Move a window's start to the next session and its end to the previous one; say so."""
    first, last = as_date(start), as_date(end)
    if last < first:
        raise ReversedWindowError(
            f"The window ends ({last.isoformat()}) before it starts ({first.isoformat()}): "
            "swap the dates."
        )
    check_not_future(last, now)
    sessions = sessions_between(first, last)
    if len(sessions) == 0:
        raise EmptyWindowError(
            f"No NYSE trading session between {closed_reason(first)} and {closed_reason(last)}: "
            "pick dates that include a trading day."
        )
    new_first, new_last = sessions[0].date(), sessions[-1].date()
    notes = []
    if new_first != first:
        notes.append(
            f"start {closed_reason(first)} was not a trading session: "
            f"moved to the next session {new_first.isoformat()}"
        )
    if new_last != last:
        notes.append(
            f"end {closed_reason(last)} was not a trading session: "
            f"moved to the previous session {new_last.isoformat()}"
        )
    return Window(new_first, new_last, first, last, len(sessions), "; ".join(notes))
