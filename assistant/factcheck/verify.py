"""Give each claim its verdict from the computations: holds, caveat, wrong date, differs."""

from __future__ import annotations

import math

from assistant.errors import explain_error
from assistant.factcheck.claims import CheckedClaim, Claim
from assistant.factcheck.compute import Computed, Option, compute
from assistant.grounding.labels import CONVENTIONS, convention_label
from assistant.ports import Market
from tools.prices.base import PriceError

NO_DATA = "No data to check it"  # the note of a claim the market data could not reach
_SIGNED = {"return", "change_points", "day_change", "sma_distance", "high_distance", "low_distance"}


def _errors() -> tuple[type[Exception], ...]:
    from tools.calendar import CalendarError
    from tools.metrics import MetricError
    from tools.symbols import SymbolError

    return (PriceError, CalendarError, SymbolError, MetricError, ValueError)


def _matches(claim: Claim, value: float) -> bool:
    tolerance = claim.tolerance * (1 + 1e-9) + 1e-9
    if claim.sign_known:
        return abs(value - claim.claimed) <= tolerance
    return abs(abs(value) - abs(claim.claimed)) <= tolerance


def _truncates(claim: Claim, value: float) -> bool:
    scale = 10.0**claim.decimals
    shown = math.trunc(round(abs(value) * scale, 6)) / scale
    if claim.sign_known and value != 0 and (value < 0) != (claim.claimed < 0):
        return False
    return abs(shown - abs(claim.claimed)) <= 1e-9 * max(1.0, abs(shown))


def _show(claim: Claim, value: float) -> str:
    digits = max(claim.decimals, 2)
    sign = "+" if claim.metric not in {"last_close", "open", "sma", "high_52w", "low_52w"} else ""
    unit = "" if claim.unit == "points" else (" pp" if claim.unit == "pp" else claim.unit)
    if claim.metric.startswith("volatility"):
        sign = ""
    return f"{value:{sign},.{digits}f}{unit}"


def _checked(claim: Claim, verdict: str, option: Option | None, note: str) -> CheckedClaim:
    return CheckedClaim(
        claim=claim,
        verdict=verdict,  # type: ignore[arg-type]
        computed=option.value if option else None,
        convention=option.convention if option else None,
        note=note.strip(),
        receipt=option.receipt if option else "",
    )


def judge(claim: Claim, computed: Computed) -> CheckedClaim:
    """Return the verdict for a claim given every way it was computed."""
    options, prefix = computed.options, (computed.note + ". ") if computed.note else ""
    preferred = next((o for o in options if o.consistent), options[0] if options else None)
    held = [o for o in options if _matches(claim, o.value)]
    for option in sorted(held, key=lambda o: not o.consistent):
        if option.session and claim.session_of and option.session != claim.session_of.isoformat():
            return _checked(
                claim,
                "wrong_date",
                option,
                f"{prefix}The value holds, but it occurred on {option.session}, "
                f"not {claim.session_of}.",
            )
        unsigned = "" if claim.sign_known else " The text gives no direction; the size matches."
        if option.consistent:
            return _checked(
                claim, "holds", option, f"{prefix}Holds {_measured(option.convention)}.{unsigned}"
            )
        expected = _expected(claim, preferred)
        return _checked(
            claim,
            "holds_with_caveat",
            option,
            f"{prefix}Holds only {_measured(option.convention)}{expected}.{unsigned}",
        )
    for option in sorted(options, key=lambda o: not o.consistent):
        if _truncates(claim, option.value):
            return _checked(
                claim,
                "holds_with_caveat",
                option,
                f"{prefix}Holds only after truncation: {option.value:,.{claim.decimals + 3}f} "
                f"rounds to {_show(claim, round(option.value, claim.decimals))}, "
                f"not {claim.raw}.",
            )
    for option in computed.elsewhere:
        if _matches(claim, option.value):
            where = f" ({computed.note})" if computed.note else ""
            return _checked(
                claim,
                "wrong_date",
                option,
                f"{claim.raw} is the {option.label}, not of {claim.date or claim.end}{where}.",
            )
    if preferred is None and computed.nearest is not None:
        nearest = computed.nearest
        return _checked(
            claim,
            "differs",
            nearest,
            f"{prefix}The {nearest.label}, the last session before, is "
            f"{_show(claim, nearest.value)}; the text says {_said(claim)}.",
        )
    if preferred is None:
        return _checked(claim, "unverifiable", None, prefix + "Nothing to compute on that day.")
    return _checked(
        claim,
        "differs",
        preferred,
        f"{prefix}The data give {_show(claim, preferred.value)} "
        f"{_measured(preferred.convention)}; "
        f"the text says {_said(claim)}.",
    )


def _said(claim: Claim) -> str:
    """Return the claim as the text means it: "+1.82% (rose)" rather than the bare "1.82%"."""
    if (
        claim.sign_known
        and claim.metric in _SIGNED
        and not claim.raw.lstrip().startswith(("+", "-"))
    ):
        return f"{_show(claim, claim.claimed)} ({claim.raw})"
    return claim.raw


def _expected(claim: Claim, preferred: Option | None) -> str:
    if preferred is None:
        return ""
    said = "as the text states" if claim.convention else "the default"
    how = _measured(preferred.convention)
    return f" ({how}, {said}, it is {_show(claim, preferred.value)})"


def _measured(convention: str) -> str:
    """ "measured from the previous close": the one name a convention has for readers."""
    if convention in CONVENTIONS:
        return f"measured {convention_label(convention)}"
    return f"as the {convention}"


def check_claim(
    claim: Claim, market: Market, sources: dict[int, str] | None = None
) -> CheckedClaim:
    """Return the verdict for one claim, computed from the market data."""
    if claim.metric == "other":
        return _checked(claim, "unverifiable", None, _cited(claim, sources))
    if not claim.symbol:
        return _checked(claim, "unverifiable", None, "No symbol is named for this figure.")
    try:
        computed = compute(claim, market)
    except _errors() as exc:
        message = explain_error(exc, "en", fix=False)  # the window, never the transport's text
        return _checked(claim, "unverifiable", None, f"{NO_DATA}: {message}")
    return judge(claim, computed)


def _cited(claim: Claim, sources: dict[int, str] | None) -> str:
    reason = claim.reason or "not a market-data figure"
    cited = claim.sources
    if not cited:
        return f"{reason[:1].upper()}{reason[1:]}; no source is cited."
    labels = [f"[{n}] {sources[n]}" if sources and n in sources else f"[{n}]" for n in cited]
    return f"{reason[:1].upper()}{reason[1:]}; see the cited source {', '.join(labels)}."
