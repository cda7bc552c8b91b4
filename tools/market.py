"""The market service: one method per question, each answer a `Figure` with its receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from tools import calendar, metrics
from tools.figure import Figure, Metric, Unit
from tools.prices.base import (
    NoData,
    PriceError,
    PriceHistory,
    PriceSource,
    RateLimited,
    SourceUnavailable,
    missing_data_hint,
)
from tools.prices.splits import Jump, can_split, find_jumps
from tools.symbols import SECTORS, resolve_symbol, symbol_name

RANGE_SESSIONS = 252  # "52 weeks" of NYSE sessions
SMA_WINDOW = 20
_MAX_LISTED = 5


@dataclass(frozen=True)
class _Loaded:
    """Prices fetched for one symbol, and what a receipt must say about them."""

    symbol: str
    history: PriceHistory
    calendar_note: str = ""

    @property
    def frame(self) -> pd.DataFrame:
        return self.history.frame

    @cached_property
    def jumps(self) -> tuple[Jump, ...]:
        """Split-like moves still in the prices (a source that does not adjust them)."""
        if not can_split(self.symbol):
            return ()
        recorded = {a.date for a in self.history.adjustments}
        return tuple(j for j in find_jumps(self.frame) if j.date not in recorded)

    def steps(self, since: dt.date | None, end: dt.date | None) -> tuple[list[str], list[str]]:
        """Return (adjustments, caveats) for a figure whose rows run from `since` to `end`."""
        if since is None or end is None:
            return [], []
        done: list[str] = []
        caveats: list[str] = []
        for a in self.history.adjustments:
            if since < a.date <= end:
                (done if a.resolved else caveats).append(a.text())
        for j in self.jumps:
            if since < j.date <= end and not j.reverts:
                caveats.append(
                    f"unresolved discontinuity: Close moves x{j.ratio:.4f} from {j.previous} to "
                    f"{j.date}, like a {j.label} split, and the prices are not adjusted for it; "
                    "this figure spans it and is likely wrong"
                )
        return done, caveats

    def last_on_or_before(self, day: dt.date) -> dt.date:
        rows = self.frame.loc[: pd.Timestamp(day)]
        if rows.empty:
            raise NoData(
                f"No prices for {self.symbol} on or before {day}.", missing_data_hint(self.symbol)
            )
        return pd.Timestamp(rows.index[-1]).date()


def _completeness(frame: pd.DataFrame, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Return rows / sessions for a window, listing missing sessions when some are."""
    sessions = calendar.sessions_between(start, end)
    present = sessions.isin(frame.index)
    params: dict[str, Any] = {
        "completeness": round(float(present.mean()), 4) if len(sessions) else 1.0
    }
    if not present.all():
        missing = [d.date().isoformat() for d in sessions[~present]]
        params.update(
            rows=int(present.sum()),
            sessions=len(sessions),
            missing_sessions=missing[:_MAX_LISTED]
            + (["..."] if len(missing) > _MAX_LISTED else []),
        )
    return params


def _change_inputs(change: metrics.PeriodChange) -> dict[str, float]:
    """Return the two prices a change is computed from, keyed as its formula names them."""
    return {
        f"{change.base_field}[{change.base_session}]": change.base,
        f"Close[{change.final_session}]": change.final,
    }


def _day(value: object) -> dt.date:
    """Return an index label as a date."""
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def _best_common_session(loaded: Sequence[_Loaded], lasts: Sequence[dt.date]) -> dt.date:
    """Return the session that the most symbols have a row for, the latest on a tie."""
    latest = pd.Timestamp(max(lasts))
    # A row's day change needs the row before it, so each frame's first row cannot count.
    days = [pd.Timestamp(d) for data in loaded for d in data.frame.index[1:] if d <= latest]
    counts = pd.Series(days).value_counts()
    best = counts[counts == counts.max()].index.max()
    return pd.Timestamp(best).date()


class Market:
    """Answers market questions from a price source; every number comes back as a `Figure`."""

    def __init__(self, source: PriceSource, today: Callable[[], dt.date] = calendar.today) -> None:
        self.source = source
        self._today = today

    def today(self) -> dt.date:
        """The day this market takes as today (tests freeze it; otherwise New York's date)."""
        return self._today()

    def last_session(self, symbol: str) -> dt.date | None:
        """The last session the source holds for `symbol`, when the source can tell (a store can;
        a live-only source cannot)."""
        finder = getattr(self.source, "last_session", None)
        found: dt.date | None = finder(resolve_symbol(symbol)) if finder else None
        return found

    def first_session(
        self, symbol: str, start: calendar.DateLike, end: calendar.DateLike
    ) -> dt.date | None:
        """The first session from `start` to `end` the source holds for `symbol` (None: none),
        so a caller can say where data begin inside a window asked."""
        first, last = calendar.as_date(start), calendar.as_date(end)
        try:
            data = self._load(symbol, first, last)
        except PriceError:
            return None
        rows = data.frame.loc[pd.Timestamp(first) : pd.Timestamp(last)]
        return _day(rows.index[0]) if not rows.empty else None

    # -- loading -------------------------------------------------------------------------

    def _load(self, symbol: str, start: dt.date, end: dt.date, calendar_note: str = "") -> _Loaded:
        symbol = resolve_symbol(symbol)
        return _Loaded(symbol, self.source.history(symbol, start, end), calendar_note)

    def _load_recent(
        self, symbol: str, session: dt.date, lead: int, note: str, latest: bool
    ) -> tuple[_Loaded, dt.date]:
        """Load `lead` sessions up to `session`; for "latest" questions fall back to the last stored session."""
        start = calendar.sessions_back(session, lead)[0].date()
        try:
            data = self._load(symbol, start, session, note)
            last = data.last_on_or_before(session)
            if last < session and latest:
                # the data end before the session asked: count the lead back from their end
                data = self._load(symbol, calendar.sessions_back(last, lead)[0].date(), last, note)
            return data, last
        except (NoData, RateLimited, SourceUnavailable) as exc:  # nothing recent: the store
            found = self.last_session(symbol) if latest else None
            if found is None:
                raise
            # why, for the answer's notice: the live failure, or a source that never asks
            why = "price mode is local" if getattr(self.source, "mode", "") == "local" else ""
            why = why or exc.message.rstrip(".")
        data = self._load(symbol, calendar.sessions_back(found, lead)[0].date(), found, note)
        stale_note = (
            f"no prices after {found} could be had ({why}); showing the latest stored session"
        )
        history = PriceHistory(
            symbol=data.history.symbol,
            frame=data.frame,
            provider=data.history.provider,
            fetched_at=data.history.fetched_at,
            stale=True,
            as_of=data.history.as_of,
            notes=(*data.history.notes, stale_note),
            adjustments=data.history.adjustments,
        )
        return _Loaded(data.symbol, history, note), found

    def _window(self, start: calendar.DateLike, end: calendar.DateLike) -> calendar.Window:
        return calendar.normalise_window(start, end, now=self._today())

    def _at(self, at: calendar.DateLike | None) -> tuple[dt.date, str]:
        """Return the session on or before `at` (today when None) and a note if it moved."""
        day = calendar.check_not_future(at if at is not None else self._today(), self._today())
        session = calendar.session_on_or_before(day)
        if session == day or at is None:
            return session, ""
        return session, (
            f"market closed on {calendar.closed_reason(day)}; "
            f"using the previous session {session.isoformat()}"
        )

    def _figure(
        self,
        data: _Loaded,
        metric: Metric,
        value: float,
        unit: Unit,
        start: dt.date | None,
        end: dt.date | None,
        formula: str,
        convention: str | None = None,
        params: dict[str, Any] | None = None,
        symbol: str | None = None,
        inputs: dict[str, float] | None = None,
        label: str | None = None,
        since: dt.date | None = None,
    ) -> Figure:
        """Build a figure; `since` is the first row the formula used (the window start if None)."""
        params = dict(params or {})
        adjustments, caveats = data.steps(since or start, end)
        if data.calendar_note:
            params.setdefault("calendar_note", data.calendar_note)
        history = data.history
        if history.notes:
            params["notes"] = list(history.notes)
        return Figure(
            metric=metric,
            symbol=symbol or data.symbol,
            value=float(value),
            unit=unit,
            start=start,
            end=end,
            convention=convention,
            params=params,
            as_of=history.as_of,
            provider=history.provider,
            fetched_at=history.fetched_at,
            stale=history.stale,
            formula=formula,
            label=label,
            inputs=inputs or {},
            adjustments=adjustments,
            caveats=caveats,
        )

    def _window_end(self, data: _Loaded, window: calendar.Window) -> dt.date:
        """Return the last session the data has in the window (earlier than asked when stale)."""
        last = data.last_on_or_before(window.end)
        if last < window.start:
            raise NoData(
                f"No prices for {data.symbol} from {window.start} to {window.end} "
                f"(the data ends {last}).",
                missing_data_hint(data.symbol),
                symbol=data.symbol,
                start=window.start,
                end=window.end,
            )
        return last

    def _check_start(self, data: _Loaded, window: calendar.Window) -> None:
        rows = data.frame.loc[pd.Timestamp(window.start) : pd.Timestamp(window.end)]
        first = pd.Timestamp(rows.index[0]).date() if not rows.empty else None
        if first is None or first > window.start:
            begins = f"begin on {first}" if first else "are missing"
            raise NoData(
                f"Prices for {data.symbol} {begins}, after the window's first session "
                f"{window.start}: the figure would describe a different window.",
                missing_data_hint(data.symbol),
            )

    def _load_window(
        self, symbol: str, window: calendar.Window, lead: int = 0
    ) -> tuple[_Loaded, dt.date]:
        """Load a window plus `lead` sessions before it; return the data and its last session."""
        fetch_from = (
            calendar.sessions_back(window.start, lead + 1)[0].date() if lead else window.start
        )
        data = self._load(symbol, fetch_from, window.end, window.note)
        self._check_start(data, window)
        return data, self._window_end(data, window)

    # -- one question each ---------------------------------------------------------------

    def quote(self, symbol: str, on: calendar.DateLike | None = None) -> list[Figure]:
        """Return the last close and the day change on the session on or before `on` (today)."""
        session, note = self._at(on)
        data, last = self._load_recent(symbol, session, 10, note, latest=on is None)
        return [self._last_close(data, last), self._day_change(data, last)]

    def close_on(self, symbol: str, day: calendar.DateLike) -> Figure:
        """Return the close on `day`; on a non-session, the previous session's close, said so."""
        asked = calendar.check_not_future(day, self._today())
        session = calendar.session_on_or_before(asked)
        note = (
            ""
            if session == asked
            else f"market closed on {calendar.closed_reason(asked)}; "
            f"the close shown is from the previous session {session.isoformat()}"
        )
        data = self._load(symbol, calendar.sessions_back(session, 5)[0].date(), session, note)
        if pd.Timestamp(session) not in data.frame.index:
            raise NoData(
                f"No close for {data.symbol} on {session} (the data ends {data.history.as_of}).",
                missing_data_hint(data.symbol),
            )
        figure = self._last_close(data, session)
        if note:
            figure = figure.model_copy(
                update={"params": {**figure.params, "requested": asked.isoformat()}}
            )
        return figure

    def period_return(
        self,
        symbol: str,
        start: calendar.DateLike,
        end: calendar.DateLike,
        convention: str = "prev_close",
    ) -> Figure:
        """Return the percent change over a window under `convention`."""
        return self._period(symbol, start, end, convention)[0]

    def change_points(
        self,
        symbol: str,
        start: calendar.DateLike,
        end: calendar.DateLike,
        convention: str = "prev_close",
    ) -> Figure:
        """Return the change in price points over a window under `convention`."""
        return self._period(symbol, start, end, convention)[1]

    def _period(
        self, symbol: str, start: calendar.DateLike, end: calendar.DateLike, convention: str
    ) -> list[Figure]:
        convention = metrics.returns.check_convention(convention)
        window = self._window(start, end)
        data, last = self._load_window(symbol, window, lead=1 if convention == "prev_close" else 0)
        return self._period_figures(data, window, last, convention)

    def _period_figures(
        self, data: _Loaded, window: calendar.Window, last: dt.date, convention: str
    ) -> list[Figure]:
        change = metrics.period_change(data.frame, window.start, last, convention)
        params = _completeness(data.frame, window.start, last)
        if convention == "prev_close":
            expected = calendar.previous_session(window.start)
            if change.base_session != expected:
                params["base_note"] = (
                    f"the close of {expected} is missing; used the close of {change.base_session}"
                )
        common: dict[str, Any] = {
            "start": window.start,
            "end": last,
            "convention": convention,
            "params": params,
            "since": change.base_session,
            "inputs": _change_inputs(change),
        }
        return [
            self._figure(
                data, "return", change.ratio * 100, "%", formula=change.formula(), **common
            ),
            self._figure(
                data,
                "change_points",
                change.points,
                "points",
                formula=change.formula("points"),
                **common,
            ),
        ]

    def volatility(
        self, symbol: str, start: calendar.DateLike, end: calendar.DateLike, ddof: int = 1
    ) -> list[Figure]:
        """Return daily and annualised volatility of daily close-to-close returns in a window."""
        window = self._window(start, end)
        data, last = self._load_window(symbol, window)
        return self._volatility_figures(data, window, last, ddof)

    def _volatility_figures(
        self, data: _Loaded, window: calendar.Window, last: dt.date, ddof: int
    ) -> list[Figure]:
        closes = data.frame["Close"].loc[pd.Timestamp(window.start) : pd.Timestamp(last)]
        vol = metrics.volatility(closes, ddof=ddof)
        params = {**_completeness(data.frame, window.start, last), "returns": vol.returns}
        daily_formula = (
            f"stdev(Close[t] / Close[t-1] - 1, ddof={ddof}) over {vol.returns} daily returns "
            f"{vol.first}..{vol.last}"
        )
        common: dict[str, Any] = {
            "start": window.start,
            "end": last,
            "convention": f"ddof={ddof}",
            "params": params,
        }
        return [
            self._figure(
                data, "volatility_daily", vol.daily * 100, "%", formula=daily_formula, **common
            ),
            self._figure(
                data,
                "volatility_annual",
                vol.annual * 100,
                "%",
                formula="volatility_daily * sqrt(252)",
                **common,
            ),
        ]

    def sma(
        self, symbol: str, at: calendar.DateLike | None = None, window: int = SMA_WINDOW
    ) -> list[Figure]:
        """Return the N-session simple moving average at a session and the close's distance from it."""
        session, note = self._at(at)
        data, last = self._load_recent(symbol, session, window, note, latest=at is None)
        return self._sma_figures(data, last, window)

    def _sma_figures(self, data: _Loaded, at: dt.date, window: int) -> list[Figure]:
        average = metrics.sma(data.frame["Close"], at, window)
        params = {"window": window, **_completeness(data.frame, average.first, average.last)}
        formula = f"mean(Close[{average.first}..{average.last}]), {window} sessions"
        closes = data.frame["Close"].loc[pd.Timestamp(average.first) : pd.Timestamp(average.last)]
        common: dict[str, Any] = {
            "start": average.first,
            "end": average.last,
            "params": params,
            "inputs": {f"Close[{_day(d)}]": float(v) for d, v in closes.items()},
        }
        return [
            self._figure(data, "sma", average.value, "points", formula=formula, **common),
            self._figure(
                data,
                "sma_distance",
                average.distance * 100,
                "%",
                formula=f"Close[{average.last}] / SMA{window} - 1",
                **common,
            ),
        ]

    def range_52w(
        self, symbol: str, at: calendar.DateLike | None = None, basis: str = "intraday"
    ) -> list[Figure]:
        """Return the 52-week (252-session) high and low on intraday High/Low or on closes."""
        if basis not in metrics.BASES:
            raise metrics.MetricError(f"Unknown basis {basis!r}: use intraday or close.")
        session, note = self._at(at)
        data, last = self._load_recent(symbol, session, RANGE_SESSIONS, note, latest=at is None)
        return self._range_figures(data, last, basis)

    def _range_figures(self, data: _Loaded, at: dt.date, basis: str) -> list[Figure]:
        span = metrics.high_low(data.frame, at, RANGE_SESSIONS, basis)
        first = calendar.sessions_back(at, RANGE_SESSIONS)[0].date()
        params = {"basis": basis, "window": RANGE_SESSIONS, **_completeness(data.frame, first, at)}
        high_field, low_field = ("High", "Low") if basis == "intraday" else ("Close", "Close")
        common: dict[str, Any] = {"start": first, "end": at}
        words = "intraday highs and lows" if basis == "intraday" else "closes"
        return [
            self._figure(
                data,
                "high_52w",
                span.high,
                "points",
                formula=f"max({high_field}[{first}..{at}]) = {high_field}[{span.high_session}]",
                params={**params, "session": span.high_session.isoformat()},
                inputs={f"{high_field}[{span.high_session}]": span.high},
                label=f"52-week high ({words})",
                **common,
            ),
            self._figure(
                data,
                "low_52w",
                span.low,
                "points",
                formula=f"min({low_field}[{first}..{at}]) = {low_field}[{span.low_session}]",
                params={**params, "session": span.low_session.isoformat()},
                inputs={f"{low_field}[{span.low_session}]": span.low},
                label=f"52-week low ({words})",
                **common,
            ),
        ]

    def period_range(
        self,
        symbol: str,
        start: calendar.DateLike,
        end: calendar.DateLike,
        basis: str = "close",
    ) -> list[Figure]:
        """Return the highest and lowest price of a window (closes, or intraday highs and lows),
        with the sessions they occurred: "the lowest close in April 2025", "2025年最高收盘价"."""
        if basis not in metrics.BASES:
            raise metrics.MetricError(f"Unknown basis {basis!r}: use intraday or close.")
        window = self._window(start, end)
        data, last = self._load_window(symbol, window)
        span = metrics.period_high_low(data.frame, window.start, last, basis)
        params = {"basis": basis, **_completeness(data.frame, window.start, last)}
        high_field, low_field = ("High", "Low") if basis == "intraday" else ("Close", "Close")
        words = "intraday high" if basis == "intraday" else "close"
        common: dict[str, Any] = {"start": window.start, "end": last}
        return [
            self._figure(
                data,
                "period_high",
                span.high,
                "points",
                formula=f"max({high_field}[{window.start}..{last}]) = {high_field}[{span.high_session}]",
                params={**params, "session": span.high_session.isoformat()},
                inputs={f"{high_field}[{span.high_session}]": span.high},
                label=f"highest {words} {window.start}..{last}",
                **common,
            ),
            self._figure(
                data,
                "period_low",
                span.low,
                "points",
                formula=f"min({low_field}[{window.start}..{last}]) = {low_field}[{span.low_session}]",
                params={**params, "session": span.low_session.isoformat()},
                inputs={f"{low_field}[{span.low_session}]": span.low},
                label=f"lowest {'intraday low' if basis == 'intraday' else 'close'} "
                f"{window.start}..{last}",
                **common,
            ),
        ]

    def sector_returns(
        self, start: calendar.DateLike, end: calendar.DateLike, convention: str = "prev_close"
    ) -> list[Figure]:
        """Return each of the eleven sector ETFs' return over one window, best first.

        A sector whose data end before the window does still gets a figure (its return to its
        own last session, `params["ended_before"]` set) so that a ranking can name it apart; a
        sector with no data in the window is listed in every figure's `params["missing_sectors"]`.
        """
        window = self._window(start, end)
        figures: list[Figure] = []
        failures: dict[str, str] = {}
        for sector in SECTORS:
            try:
                figures.append(self.period_return(sector.symbol, start, end, convention))
            except PriceError as exc:
                failures[sector.symbol] = exc.message
        if not figures:
            raise NoData(
                f"No sector ETF prices from {window.start} to {window.end}.",
                missing_data_hint("XLK"),
            )
        target = max(f.end for f in figures if f.end is not None)
        out = []
        for f in figures:
            params = {
                **f.params,
                "sector_en": symbol_name(f.symbol, "en"),
                "sector_zh": symbol_name(f.symbol, "zh"),
                "window_end": target.isoformat(),
            }
            if f.end is not None and f.end < target:
                params["ended_before"] = f.end.isoformat()
            if failures:
                params["missing_sectors"] = failures
            out.append(f.model_copy(update={"params": params}))
        complete = sorted(
            (f for f in out if "ended_before" not in f.params), key=lambda f: -f.value
        )
        short = sorted((f for f in out if "ended_before" in f.params), key=lambda f: -f.value)
        return [
            f.model_copy(update={"params": {**f.params, "rank": i}})
            for i, f in enumerate(complete, 1)
        ] + short

    def max_drawdown(self, symbol: str, start: calendar.DateLike, end: calendar.DateLike) -> Figure:
        """Return the largest peak-to-trough fall of closes in a window, with both sessions."""
        window = self._window(start, end)
        data, last = self._load_window(symbol, window)
        return self._drawdown_figure(data, window, last)

    def _drawdown_figure(self, data: _Loaded, window: calendar.Window, last: dt.date) -> Figure:
        closes = data.frame["Close"].loc[pd.Timestamp(window.start) : pd.Timestamp(last)]
        drawdown = metrics.max_drawdown(closes)
        params = {
            "peak": drawdown.peak.isoformat(),
            "trough": drawdown.trough.isoformat(),
            **_completeness(data.frame, window.start, last),
        }
        return self._figure(
            data,
            "max_drawdown",
            drawdown.value * 100,
            "%",
            window.start,
            last,
            formula=f"Close[{drawdown.trough}] / Close[{drawdown.peak}] - 1 (peak before trough)",
            params=params,
            inputs={
                f"Close[{drawdown.peak}]": drawdown.peak_close,
                f"Close[{drawdown.trough}]": drawdown.trough_close,
            },
        )

    def beta(
        self, symbol: str, benchmark: str, start: calendar.DateLike, end: calendar.DateLike
    ) -> list[Figure]:
        """Return beta and correlation of daily returns against a benchmark on shared sessions."""
        window = self._window(start, end)
        data, last = self._load_window(symbol, window)
        bench, _ = self._load_window(benchmark, window)
        return self._beta_figures(data, bench, window, last)

    def _beta_figures(
        self, data: _Loaded, bench: _Loaded, window: calendar.Window, last: dt.date
    ) -> list[Figure]:
        span = slice(pd.Timestamp(window.start), pd.Timestamp(last))
        result = metrics.beta_correlation(
            data.frame["Close"].loc[span], bench.frame["Close"].loc[span]
        )
        params = {
            "benchmark": bench.symbol,
            "observations": result.observations,
            **_completeness(data.frame, window.start, last),
        }
        r, b = f"r({data.symbol})", f"r({bench.symbol})"
        common: dict[str, Any] = {
            "start": window.start,
            "end": last,
            "convention": "daily close-to-close returns",
            "params": params,
        }
        return [
            self._figure(
                data, "beta", result.beta, "ratio", formula=f"cov({r}, {b}) / var({b})", **common
            ),
            self._figure(
                data,
                "correlation",
                result.correlation,
                "ratio",
                formula=f"corr({r}, {b})",
                **common,
            ),
        ]

    def relative_performance(
        self,
        symbols: Sequence[str],
        start: calendar.DateLike,
        end: calendar.DateLike,
        convention: str = "prev_close",
    ) -> list[Figure]:
        """Return each symbol's return over one window, then each one's spread to the first in pp."""
        if len(symbols) < 2:
            raise metrics.MetricError("Relative performance needs at least two symbols.")
        returns = [self.period_return(s, start, end, convention) for s in symbols]
        ends = {f.end for f in returns}
        if len(ends) > 1:
            raise NoData(
                "The symbols' data end on different sessions ("
                + ", ".join(f"{f.symbol}: {f.end}" for f in returns)
                + "): the returns would not cover the same window.",
                "Update or import the missing prices.",
            )
        first = returns[0]
        spreads = []
        for other in returns[1:]:
            spreads.append(
                Figure(
                    metric="spread",
                    symbol=f"{first.symbol} - {other.symbol}",
                    value=first.value - other.value,
                    unit="pp",
                    start=first.start,
                    end=first.end,
                    convention=convention,
                    params={"symbols": [first.symbol, other.symbol]},
                    as_of=min(a for a in (first.as_of, other.as_of) if a) if first.as_of else None,
                    provider=first.provider
                    if first.provider == other.provider
                    else f"{first.provider}; {other.provider}",
                    fetched_at=first.fetched_at,
                    stale=first.stale or other.stale,
                    formula=f"return({first.symbol}) - return({other.symbol})",
                )
            )
        return [*returns, *spreads]

    def sector_performance(self, on: calendar.DateLike | None = None) -> list[Figure]:
        """Return the day change of the eleven sector ETFs on one session, best first."""
        session, note = self._at(on)
        loaded: list[_Loaded] = []
        lasts: list[dt.date] = []
        failures: dict[str, str] = {}
        for sector in SECTORS:
            try:
                data, last = self._load_recent(sector.symbol, session, 30, note, latest=on is None)
            except PriceError as exc:
                failures[sector.symbol] = exc.message
                continue
            loaded.append(data)
            lasts.append(last)
        if not loaded:
            raise NoData(f"No sector ETF prices on or before {session}.", missing_data_hint("XLK"))
        # Without a date, use the session most sectors have (the latest such); never mix sessions.
        target = session if on is not None else _best_common_session(loaded, lasts)
        ready = [d for d in loaded if pd.Timestamp(target) in d.frame.index[1:]]
        ended: dict[str, str] = {}  # sectors whose data stop before the target: their last session
        for d, last in zip(loaded, lasts, strict=True):
            if d not in ready:
                failures[d.symbol] = f"no row for {target}"
                if last < target:
                    ended[d.symbol] = last.isoformat()
        figures = []
        for data in ready:
            change = self._day_change(data, target)
            params = {
                **change.params,
                "sector_en": symbol_name(data.symbol, "en"),
                "sector_zh": symbol_name(data.symbol, "zh"),
            }
            if failures:
                params["missing_sectors"] = failures
            if ended:
                params["ended_before"] = ended
            figures.append(change.model_copy(update={"metric": "sector_change", "params": params}))
        figures.sort(key=lambda f: f.value, reverse=True)
        return [
            f.model_copy(update={"params": {**f.params, "rank": i}})
            for i, f in enumerate(figures, 1)
        ]

    def standard_set(
        self,
        symbol: str,
        start: calendar.DateLike,
        end: calendar.DateLike,
        convention: str = "prev_close",
        benchmark: str | None = None,
    ) -> list[Figure]:
        """Return the standard figures for one symbol and window (what `footnote metrics` prints)."""
        convention = metrics.returns.check_convention(convention)
        window = self._window(start, end)
        lead = max(RANGE_SESSIONS, SMA_WINDOW)
        data, last = self._load_window(symbol, window, lead=lead)
        figures = [
            *self._period_figures(data, window, last, convention),
            *self._volatility_figures(data, window, last, 1),
            *self._sma_figures(data, last, SMA_WINDOW),
            # closes first: callers that key figures by metric (the last one wins) keep the
            # intraday range they always had
            *self._range_figures(data, last, "close"),
            *self._range_figures(data, last, "intraday"),
            self._drawdown_figure(data, window, last),
        ]
        if benchmark is not None:
            bench, _ = self._load_window(benchmark, window)
            figures.extend(self._beta_figures(data, bench, window, last))
        figures.extend([self._last_close(data, last), self._day_change(data, last)])
        return figures

    # -- shared builders -----------------------------------------------------------------

    def _last_close(self, data: _Loaded, session: dt.date) -> Figure:
        close = float(
            data.frame["Close"].to_numpy()[data.frame.index.get_loc(pd.Timestamp(session))]
        )
        return self._figure(
            data,
            "last_close",
            close,
            "points",
            session,
            session,
            formula=f"Close[{session}]",
            inputs={f"Close[{session}]": close},
        )

    def _day_change(self, data: _Loaded, session: dt.date) -> Figure:
        change = metrics.day_change(data.frame, session)
        params: dict[str, Any] = {"change_points": round(change.points, 6)}
        expected = calendar.previous_session(session)
        if change.base_session != expected:
            params["base_note"] = (
                f"the close of {expected} is missing; used the close of {change.base_session}"
            )
        return self._figure(
            data,
            "day_change",
            change.ratio * 100,
            "%",
            change.base_session,
            session,
            formula=change.formula(),
            convention="prev_close",
            params=params,
            inputs=_change_inputs(change),
        )
