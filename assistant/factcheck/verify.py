"""Give each claim its verdict from the computations: holds, caveat, wrong date, differs."""

from __future__ import annotations

import math

from assistant.errors import explain_error
from assistant.factcheck.claims import CheckedClaim, Claim
from assistant.factcheck.compute import Computed, Option, compute
from assistant.factcheck.notes import note, reason
from assistant.grounding.labels import CONVENTIONS, convention_label, formula_label, lang_of
from assistant.ports import Market
from tools.prices.base import PriceError

NO_DATA = "No data to check it"  # how the note of a claim the market data could not reach starts
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


def _checked(
    claim: Claim,
    verdict: str,
    option: Option | None,
    text: str,
    lang: str = "en",
    no_data: bool = False,
) -> CheckedClaim:
    return CheckedClaim(
        claim=claim,
        verdict=verdict,  # type: ignore[arg-type]
        computed=option.value if option else None,
        convention=option.convention if option else None,
        note=text.strip(),
        receipt=formula_label(option.receipt, lang) if option else "",
        language=lang_of(lang),  # type: ignore[arg-type]
        no_data=no_data,
    )


def judge(claim: Claim, computed: Computed, lang: str = "en") -> CheckedClaim:
    """Return the verdict for a claim given every way it was computed; the note in `lang`
    (`computed` was computed in the same language)."""
    options = computed.options
    prefix = note("prefix", lang, note=computed.note) if computed.note else ""
    preferred = next((o for o in options if o.consistent), options[0] if options else None)
    held = [o for o in options if _matches(claim, o.value)]
    for option in sorted(held, key=lambda o: not o.consistent):
        if option.session and claim.session_of and option.session != claim.session_of.isoformat():
            said = note("other_session", lang, session=option.session, day=claim.session_of)
            return _checked(claim, "wrong_date", option, prefix + said, lang)
        unsigned = "" if claim.sign_known else note("no_direction", lang)
        if option.consistent:
            said = note("holds", lang, how=_measured(option, lang))
            return _checked(claim, "holds", option, f"{prefix}{said}{unsigned}", lang)
        expected = _expected(claim, preferred, lang)
        said = note("holds_only", lang, how=_measured(option, lang), expected=expected)
        return _checked(claim, "holds_with_caveat", option, f"{prefix}{said}{unsigned}", lang)
    for option in sorted(options, key=lambda o: not o.consistent):
        if _truncates(claim, option.value):
            said = note(
                "truncated",
                lang,
                exact=f"{option.value:,.{claim.decimals + 3}f}",
                rounded=_show(claim, round(option.value, claim.decimals)),
                raw=claim.raw,
            )
            return _checked(claim, "holds_with_caveat", option, prefix + said, lang)
    for option in computed.elsewhere:
        if _matches(claim, option.value):
            where = note("where", lang, note=computed.note) if computed.note else ""
            day = claim.date or claim.end
            said = note("elsewhere", lang, raw=claim.raw, label=option.label, day=day, where=where)
            return _checked(claim, "wrong_date", option, said, lang)
    if preferred is None and computed.nearest is not None:
        nearest = computed.nearest
        said = note(
            "nearest",
            lang,
            label=nearest.label,
            value=_show(claim, nearest.value),
            said=_said(claim, lang),
        )
        return _checked(claim, "differs", nearest, prefix + said, lang)
    if preferred is None:
        return _checked(claim, "unverifiable", None, prefix + note("nothing", lang), lang)
    said = note(
        "differs",
        lang,
        value=_show(claim, preferred.value),
        how=_measured(preferred, lang),
        said=_said(claim, lang),
    )
    return _checked(claim, "differs", preferred, prefix + said, lang)


def _said(claim: Claim, lang: str = "en") -> str:
    """Return the claim as the text means it: "+1.82% (rose)" rather than the bare "1.82%"."""
    if (
        claim.sign_known
        and claim.metric in _SIGNED
        and not claim.raw.lstrip().startswith(("+", "-"))
    ):
        return note("signed", lang, shown=_show(claim, claim.claimed), raw=claim.raw)
    return claim.raw


def _expected(claim: Claim, preferred: Option | None, lang: str = "en") -> str:
    if preferred is None:
        return ""
    said = note("as_stated" if claim.convention else "the_default", lang)
    how = _measured(preferred, lang)
    return note("expected", lang, how=how, said=said, value=_show(claim, preferred.value))


def _measured(option: Option, lang: str = "en") -> str:
    """ "measured from the previous close": the one name a convention has for readers."""
    if option.how:
        return option.how
    if option.convention in CONVENTIONS:
        return note("measured", lang, convention=convention_label(option.convention, lang))
    return note("as", lang, what=option.convention)


def check_claim(
    claim: Claim, market: Market, sources: dict[int, str] | None = None, lang: str = "en"
) -> CheckedClaim:
    """Return the verdict for one claim, computed from the market data; its note in `lang`
    (the checked document's language)."""
    if claim.metric == "other":
        return _checked(claim, "unverifiable", None, _cited(claim, sources, lang), lang)
    if not claim.symbol:
        return _checked(claim, "unverifiable", None, note("no_symbol", lang), lang)
    try:
        computed = compute(claim, market, lang)
    except _errors() as exc:
        message = explain_error(exc, lang_of(lang), fix=False)  # the window, no transport text
        said = note("no_data", lang, message=message)
        return _checked(claim, "unverifiable", None, said, lang, no_data=True)
    return judge(claim, computed, lang)


def _cited(claim: Claim, sources: dict[int, str] | None, lang: str = "en") -> str:
    why = reason(claim.reason or "not a market-data figure", lang)
    cited = claim.sources
    if not cited:
        return note("no_source", lang, reason=why)
    labels = [f"[{n}] {sources[n]}" if sources and n in sources else f"[{n}]" for n in cited]
    joined = ("，" if lang_of(lang) == "zh" else ", ").join(labels)
    return note("see_source", lang, reason=why, labels=joined)
