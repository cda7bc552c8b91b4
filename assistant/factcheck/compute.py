"""Compute what a claim says under every standard convention, plus nearby sessions for dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.factcheck.claims import Claim
from assistant.factcheck.notes import closed_day, note
from assistant.grounding.labels import convention_label, metric_label
from assistant.ports import Market
from tools import calendar
from tools.figure import Figure
from tools.metrics import CONVENTIONS

NEIGHBOURS = 3  # sessions either side tried when a value may belong to another day


@dataclass(frozen=True)
class Option:
    """One computation of a claim: its value, the convention used and the receipt."""

    value: float
    convention: str
    receipt: str
    consistent: bool  # the convention the text states, or the default when it states none
    label: str = ""  # for another session: which one
    session: str = ""  # for a 52-week extreme: the session it occurred on
    how: str = ""  # how it was measured, when the convention's name does not say it


@dataclass
class Computed:
    """Every way the claim was computed, and values of neighbouring sessions."""

    options: list[Option] = field(default_factory=list)
    elsewhere: list[Option] = field(default_factory=list)
    note: str = ""
    nearest: Option | None = None  # on a closed day: the last session before, to compare with


def _today() -> dt.date:
    return calendar.today()


def _sessions_near(day: dt.date) -> list[dt.date]:
    """Return up to NEIGHBOURS sessions before and after `day` (not `day` itself)."""
    before = [d.date() for d in calendar.sessions_back(calendar.previous_session(day), NEIGHBOURS)]
    after: list[dt.date] = []
    current = day
    for _ in range(NEIGHBOURS):
        current = calendar.next_session(current)
        after.append(current)
    return [*reversed(before), *after]


def _closed_note(day: dt.date, lang: str) -> str:
    return note("closed", lang, day=closed_day(day, lang))


def _around(
    day: dt.date, compute: Callable[[dt.date], Option | None], what: str, lang: str = "en"
) -> tuple[list[Option], str]:
    """Compute the claim on sessions near `day`; say so when `day` itself was not a session.
    `what` names the other sessions' values (a key of the notes: "close_of" ...)."""
    closed = "" if calendar.is_session(day) else _closed_note(day, lang)
    found = []
    for session in _sessions_near(day):
        try:
            option = compute(session)
        except Exception:  # a neighbour without data is simply not a candidate
            continue
        if option is not None:
            label = note(what, lang, day=session)
            found.append(Option(option.value, option.convention, option.receipt, False, label))
    return found, closed


def _last_before(
    day: dt.date, compute: Callable[[dt.date], Option], what: str, lang: str = "en"
) -> Option | None:
    """Compute the claim on the last session before a closed day (None without data)."""
    session = calendar.session_on_or_before(day)
    try:
        option = compute(session)
    except Exception:  # no data on that session either: nothing to compare with
        return None
    label = note(what, lang, day=session)
    return Option(option.value, option.convention, option.receipt, False, label)


def _value(figures: list[Figure], metric: str) -> Figure:
    return next(f for f in figures if f.metric == metric)


def compute(claim: Claim, market: Market, lang: str = "en") -> Computed:
    """Return the claim computed every standard way (raises the tools' errors when it cannot);
    labels and notes in `lang`."""
    handler = _HANDLERS[claim.metric]
    return handler(claim, market, lang)


def _period(claim: Claim, market: Market, lang: str) -> Computed:
    symbol, start = claim.symbol or "", claim.start
    end = claim.end or _today()
    if start is None:
        raise ValueError("the claim names no window start")
    method = market.period_return if claim.metric == "return" else market.change_points
    stated = claim.convention or "prev_close"
    options = []
    for convention in CONVENTIONS:
        if convention == "start_close" and start == end:
            continue  # a one-session window from its own close is always zero
        figure = method(symbol, start, end, convention)
        options.append(Option(figure.value, convention, figure.formula, convention == stated))
    shifted = []
    last = calendar.session_on_or_before(end)
    for other_end in (calendar.previous_session(last), calendar.next_session(last)):
        if other_end < start or other_end > _today():
            continue
        try:
            figure = method(symbol, start, other_end, stated)
        except Exception:
            continue
        label = note("window_ending", lang, day=other_end)
        shifted.append(Option(figure.value, stated, figure.formula, False, label))
    return Computed(options, shifted)


def _day_change(claim: Claim, market: Market, lang: str) -> Computed:
    symbol, day = claim.symbol or "", claim.date or claim.end or _today()
    stated = claim.convention or "prev_close"

    def on(session: dt.date, convention: str = "prev_close") -> Option:
        figure = market.period_return(symbol, session, session, convention)
        return Option(figure.value, convention, figure.formula, convention == stated)

    elsewhere, closed = _around(day, on, "day_change_of", lang)
    if not calendar.is_session(day):
        return Computed([], elsewhere, closed, _last_before(day, on, "day_change_of", lang))
    return Computed([on(day), on(day, "open")], elsewhere)


def _level(claim: Claim, market: Market, lang: str) -> Computed:
    symbol, day = claim.symbol or "", claim.date or _today()
    field_name = "Open" if claim.metric == "open" else "Close"

    def on(session: dt.date) -> Option:
        if field_name == "Close":
            figure = market.close_on(symbol, session)
            return Option(figure.value, "close", figure.formula, True)
        history = market.source.history(symbol, session, session)
        value = float(history.frame["Open"].iloc[0])
        return Option(value, "open", f"Open[{session}]", True)

    what = "close_of" if field_name == "Close" else "open_of"
    elsewhere, closed = _around(day, on, what, lang)
    if not calendar.is_session(day):
        return Computed([], elsewhere, closed, _last_before(day, on, what, lang))
    return Computed([on(day)], elsewhere)


def _volatility(claim: Claim, market: Market, lang: str) -> Computed:
    symbol, start, end = claim.symbol or "", claim.start, claim.end or _today()
    if start is None:
        raise ValueError("the claim names no window")
    stated_ddof = int(claim.convention.split("=")[1]) if claim.convention else 1
    period_said = claim.reason != "daily or annual not said"
    bases = (
        ("closes", start),
        ("returns", calendar.previous_session(calendar.session_on_or_after(start))),
    )
    computed = {
        (ddof, basis): market.volatility(symbol, first, end, ddof)
        for ddof in (1, 0)
        for basis, first in bases
    }
    counts = {int(daily.params.get("returns", 0)) for daily, _ in computed.values()}
    counted = claim.sessions if claim.sessions in counts else None  # else: the window's closes
    options = []
    for (ddof, basis), (daily, annual) in computed.items():
        returns = int(daily.params.get("returns", 0))
        basis_ok = returns == counted if counted else basis == "closes"
        for figure in (daily, annual):
            same_period = figure.metric == claim.metric or not period_said
            how = note(
                "volatility",
                lang,
                metric=metric_label(figure.metric, lang),
                ddof=convention_label(f"ddof={ddof}", lang),
                n=returns,
            )
            receipt = f"{figure.formula} ({daily.formula})" if figure is annual else figure.formula
            options.append(
                Option(
                    figure.value,
                    f"ddof={ddof}",
                    receipt,
                    ddof == stated_ddof and basis_ok and same_period,
                    how=note("as", lang, what=how),
                )
            )
    return Computed(options)


def _sma(claim: Claim, market: Market, lang: str) -> Computed:
    symbol, day, window = claim.symbol or "", claim.date, claim.sessions or 20

    def on(session: dt.date | None, consistent: bool = True) -> Option:
        figure = _value(market.sma(symbol, session, window), claim.metric)
        how = note("as", lang, what=note("sma", lang, n=window))
        return Option(figure.value, f"SMA{window}", figure.formula, consistent, how=how)

    if day is None:
        return Computed([on(None)])
    elsewhere, closed = _around(day, lambda s: on(s, False), "as_of", lang)
    return Computed([on(day)], elsewhere, closed)


def _extreme(claim: Claim, market: Market, lang: str) -> Computed:
    symbol, day = claim.symbol or "", claim.date
    stated = claim.basis or "intraday"
    options = []
    for basis in ("intraday", "close"):
        how = note("as", lang, what=note("intraday", lang)) if basis == "intraday" else ""
        figures = market.range_52w(symbol, day, basis)
        if claim.metric in {"high_52w", "low_52w"}:
            figure = _value(figures, claim.metric)
            session = figure.params.get("session", "")
            options.append(
                Option(
                    figure.value, basis, figure.formula, basis == stated, session=session, how=how
                )
            )
            continue
        extreme = _value(figures, "high_52w" if claim.metric == "high_distance" else "low_52w")
        close = market.close_on(symbol, extreme.end or day or _today())
        value = (close.value / extreme.value - 1) * 100
        receipt = f"{close.formula} / {extreme.formula.split(' = ')[0]} - 1"
        options.append(Option(value, basis, receipt, basis == stated, how=how))
    return Computed(options)


def _level_gap(claim: Claim, market: Market, lang: str) -> Computed:
    if claim.level is None or claim.date is None:
        raise ValueError("the claim names no level or no date")
    level, day = claim.level, claim.date

    def on(session: dt.date) -> Option:
        close = market.close_on(claim.symbol or "", session)
        value = (level / close.value - 1) * 100
        how = note("as", lang, what=note("level_vs_close", lang))
        receipt = f"{level:,.2f} / {close.formula} - 1"
        return Option(value, "level vs close", receipt, True, how=how)

    elsewhere, closed = _around(day, on, "close_of", lang)
    if not calendar.is_session(day):
        return Computed([], elsewhere, closed)
    return Computed([on(day)], elsewhere)


_HANDLERS: dict[str, Callable[[Claim, Market, str], Computed]] = {
    "return": _period,
    "change_points": _period,
    "day_change": _day_change,
    "last_close": _level,
    "open": _level,
    "volatility_daily": _volatility,
    "volatility_annual": _volatility,
    "sma": _sma,
    "sma_distance": _sma,
    "high_52w": _extreme,
    "low_52w": _extreme,
    "high_distance": _extreme,
    "low_distance": _extreme,
    "level_gap": _level_gap,
}
