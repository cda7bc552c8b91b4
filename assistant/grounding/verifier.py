"""Trace every number in an answer to a ledger figure or to the passage its sentence cites.

Deterministic and model-free: the same text and ledger always give the same verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from assistant.grounding.dates import date_hits, find_dates
from assistant.grounding.ledger import Ledger
from assistant.grounding.lexicon import CLOSE_EN, CLOSE_ZH, words
from assistant.grounding.numbers import Mention, extract_numbers, normalize
from knowledge.text import CITATION_MARKER, marker_numbers, sentence_spans
from tools.figure import Figure

CLOSE_WORDS = re.compile(words(CLOSE_EN, CLOSE_ZH), re.IGNORECASE)

_PRICE_LIKE = {"points", "usd", "plain"}
_UNSIGNED_FALLS = {"max_drawdown"}
_CLOSE_CLAIM = re.compile(
    r"(?:\bclos(?:e|ed|ing)\b(?:\s+(?:at|of|on\s+\S+\s+at))?|收于|收报|收在|收盘(?:价|点位)?(?:为|是|报)?)\s*(?:US)?\$?\s*$",
    re.IGNORECASE,
)
_FIGURE_UNITS: dict[str, set[str]] = {
    "%": {"%"},
    "pp": {"pp"},
    "points": _PRICE_LIKE,
    "ratio": {"plain", "x"},
}

FindingKind = Literal[
    "unsupported_number",
    "conflicts_with_data",
    "wrong_passage",
    "unresolved_citation",
    "uncited_sentence",
    "non_session_close",
]


@dataclass(frozen=True)
class NumberCheck:
    """The verdict on one number in the answer."""

    raw: str
    start: int
    end: int
    sentence: str
    supported_by: int | None  # the citation number that carries it, None when unsupported
    reason: str = ""


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    text: str
    detail: str


@dataclass
class Verification:
    """Every Answer carries one."""

    numbers_total: int = 0
    numbers_verified: int = 0
    checks: list[NumberCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def unsupported(self) -> list[str]:
        """The numbers (as written) that nothing in the ledger supports."""
        return [c.raw for c in self.checks if c.supported_by is None]

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, object]:
        return {
            "numbers_total": self.numbers_total,
            "numbers_verified": self.numbers_verified,
            "unsupported": self.unsupported,
            "findings": [
                {"kind": f.kind, "text": f.text, "detail": f.detail} for f in self.findings
            ],
        }

    def summary(self) -> str:
        return "\n".join(f"- {f.kind}: {f.text} ({f.detail})" for f in self.findings)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs, split as documents are ("Jan. 23" and "U.S." do not end one) but
    with semicolon-joined clauses kept together; a marker right after the stop stays with it."""
    return [(a, text[a:b]) for a, b in sentence_spans(text, semicolon_ends=False)]


def cited_numbers(sentence: str) -> list[int]:
    """Every citation number written in `sentence`, in order."""
    return [n for m in CITATION_MARKER.finditer(sentence) for n in marker_numbers(m.group(1))]


def _matches_figure(mention: Mention, figure: Figure) -> bool:
    if mention.unit not in _FIGURE_UNITS.get(figure.unit, {figure.unit}):
        return False
    value = float(figure.value)
    if mention.signed:
        claimed = mention.value
    elif mention.direction == "down":
        claimed = -abs(mention.value)
    elif mention.direction == "up" or figure.metric not in _UNSIGNED_FALLS:
        claimed = abs(mention.value)  # an unsigned change reads as a rise: "returned 5%" is not -5%
    else:
        claimed, value = abs(mention.value), abs(value)  # "a drawdown of 4.2%" states a fall
    return abs(claimed - value) <= mention.tolerance + 1e-9


def _matches_params(mention: Mention, figure: Figure) -> bool:
    """Counts a cited figure carries in its receipt: rows, sessions, window, completeness (%)."""
    numbers: list[Mention] = []
    for key in ("rows", "sessions", "window", "periods"):
        value = figure.params.get(key)
        if isinstance(value, int | float):
            numbers.append(Mention(0, 0, str(value), float(value), "plain", 0, False, None))
    completeness = figure.params.get("completeness")
    if isinstance(completeness, int | float):
        numbers.append(Mention(0, 0, "", float(completeness) * 100, "%", 2, False, None))
    small = mention.unit == "plain" and mention.decimals == 0
    return any(
        (m.unit == mention.unit or (small and m.unit == "plain"))
        and abs(m.value - mention.value) <= mention.tolerance + 1e-9
        for m in numbers
    )


def _compatible(a: str, b: str) -> bool:
    """Units a quoted number may be written in: a bare number may stand for yuan or a ratio."""
    return (
        a == b
        or (a in _PRICE_LIKE and b in _PRICE_LIKE)
        or {a, b} in ({"x", "plain"}, {"cny", "plain"})
    )


def _matches_text(mention: Mention, numbers: list[Mention]) -> bool:
    return any(
        _compatible(mention.unit, other.unit)
        and abs(abs(mention.value) - abs(other.value)) <= mention.tolerance + 1e-9
        for other in numbers
    )


class _PassageNumbers:
    """Numbers of each passage in the ledger, extracted once."""

    def __init__(self, ledger: Ledger) -> None:
        self._by_n: dict[int, list[Mention]] = {}
        for c in ledger.entries:
            if c.passage is None:
                continue
            p = c.passage
            texts = [p.text]
            if p.source is not None:
                texts += [p.source.title or "", p.source.summary or ""]
            self._by_n[c.n] = [m for t in texts for m in extract_numbers(t)]

    def supports(self, n: int, mention: Mention) -> bool:
        return n in self._by_n and _matches_text(mention, self._by_n[n])

    def any_supporting(self, mention: Mention) -> list[int]:
        return [n for n, nums in self._by_n.items() if _matches_text(mention, nums)]


def verify(
    text: str,
    ledger: Ledger,
    *,
    is_session: Callable[[date], bool] | None = None,
    default_year: int | None = None,
    given: Sequence[str] = (),
) -> Verification:
    """Check every number, citation and dated close in `text` against `ledger`.

    Numbers that repeat what the user wrote (`given`, e.g. the question) are the user's own
    and count as supported by citation 0.
    """
    if is_session is None:
        from tools.calendar import is_session as nyse_is_session

        is_session = nyse_is_session
    if default_year is None:
        as_of = [f.as_of for f in ledger.figures if f.as_of]
        default_year = max(as_of).year if as_of else date.today().year
    normalized = normalize(text)
    passages = _PassageNumbers(ledger)
    given_numbers = [m for g in given for m in extract_numbers(g)]
    result = Verification()
    for offset, sentence in _sentences(normalized):
        cites = cited_numbers(sentence)
        for n in cites:
            if ledger.get(n) is None:
                result.findings.append(
                    Finding(
                        "unresolved_citation", f"[{n}]", "no such entry in this answer's evidence"
                    )
                )
        mentions = extract_numbers(sentence)
        own = [m for m in mentions if not _matches_text(m, given_numbers)]
        if own and not cites:
            result.findings.append(
                Finding(
                    "uncited_sentence", sentence.strip()[:160], "states numbers but cites nothing"
                )
            )
        for mention in mentions:
            if _matches_text(mention, given_numbers):
                result.checks.append(
                    NumberCheck(
                        mention.raw,
                        offset + mention.start,
                        offset + mention.end,
                        sentence.strip(),
                        0,
                        "from the question",
                    )
                )
                continue
            check = _check(mention, sentence, offset, cites, ledger, passages)
            conflict = _conflicting_close(mention, sentence, ledger, default_year)
            if conflict is not None:
                check = NumberCheck(
                    check.raw, check.start, check.end, check.sentence, None, conflict
                )
                result.checks.append(check)
                result.findings.append(Finding("conflicts_with_data", mention.raw, conflict))
                continue
            result.checks.append(check)
            if check.supported_by is None:
                kind: FindingKind = (
                    "wrong_passage" if check.reason.startswith("matches") else "unsupported_number"
                )
                result.findings.append(Finding(kind, mention.raw, check.reason))
        if mentions and CLOSE_WORDS.search(sentence):
            for day in find_dates(sentence, default_year):
                if day <= date.today() and not is_session(day):
                    result.findings.append(
                        Finding(
                            "non_session_close",
                            day.isoformat(),
                            "a close is attributed to a day the market was closed",
                        )
                    )
    result.numbers_total = len(result.checks)
    result.numbers_verified = sum(1 for c in result.checks if c.supported_by is not None)
    return result


def _conflicting_close(mention: Mention, sentence: str, ledger: Ledger, year: int) -> str | None:
    """A close claimed for a day whose computed close says otherwise: the data win."""
    if mention.unit not in _PRICE_LIKE:
        return None
    # Only a number that the sentence states as the close: "closed at X", "收于X", "收盘价为X".
    if not _CLOSE_CLAIM.search(sentence[max(0, mention.start - 24) : mention.start]):
        return None
    hits = date_hits(sentence, year)
    before = [h for h in hits if h.end <= mention.start]
    nearest = before[-1] if before else (hits[0] if hits else None)
    days = {nearest.day} if nearest else set()
    for citation in ledger.entries:
        f = citation.figure
        if f is None or f.metric != "last_close" or f.end not in days:
            continue
        if _matches_figure(mention, f):
            return None
        if 0.5 * abs(f.value) <= abs(mention.value) <= 1.5 * abs(f.value):
            return f"conflicts with the computed close {f.display()} [{citation.n}] for {f.end}"
    return None


def _check(
    mention: Mention,
    sentence: str,
    offset: int,
    cites: list[int],
    ledger: Ledger,
    passages: _PassageNumbers,
) -> NumberCheck:
    start, end = offset + mention.start, offset + mention.end

    def verdict(n: int | None, reason: str = "") -> NumberCheck:
        return NumberCheck(mention.raw, start, end, sentence.strip(), n, reason)

    for n in cites:
        citation = ledger.get(n)
        if citation is None:
            continue
        if citation.figure is not None and (
            _matches_figure(mention, citation.figure) or _matches_params(mention, citation.figure)
        ):
            return verdict(n)
        if citation.passage is not None and passages.supports(n, mention):
            return verdict(n)
    figures_elsewhere = [
        c.n for c in ledger.entries if c.figure is not None and _matches_figure(mention, c.figure)
    ]
    if figures_elsewhere and not cites:
        return verdict(figures_elsewhere[0])  # the sentence is flagged for citing nothing
    if figures_elsewhere:
        shown = ", ".join(f"[{n}]" for n in figures_elsewhere)
        cited = ", ".join(f"[{n}]" for n in cites)
        return verdict(None, f"matches {shown}, but the sentence cites {cited}")
    elsewhere = [n for n in passages.any_supporting(mention) if n not in cites]
    if elsewhere:
        shown = ", ".join(f"[{n}]" for n in elsewhere)
        cited = ", ".join(f"[{n}]" for n in cites) or "nothing"
        return verdict(None, f"matches {shown}, but the sentence cites {cited}")
    return verdict(None, "no computed figure or cited passage carries this number")


def mark_unsupported(text: str, verification: Verification, language: str = "en") -> str:
    """Flag each unsupported number and each unresolvable marker where it stands in the text."""
    tag = "（未核实）" if language == "zh" else " (unverified)"
    no_source = "（无此来源）" if language == "zh" else " (no such source)"
    normalized = normalize(text)
    inserts: dict[int, str] = {}
    for check in verification.checks:
        if check.supported_by is None and normalized[check.start : check.end] == check.raw:
            inserts[check.end] = tag
    unresolved = {f.text for f in verification.findings if f.kind == "unresolved_citation"}
    for match in CITATION_MARKER.finditer(normalized):
        if any(f"[{n}]" in unresolved for n in marker_numbers(match.group(1))):
            inserts[match.end()] = no_source
    if len(normalized) != len(text):  # offsets do not carry over; fall back to first occurrences
        out = text
        for check in verification.checks:
            if check.supported_by is None and check.raw in out:
                out = out.replace(check.raw, check.raw + tag, 1)
        return out
    out = text
    for position in sorted(inserts, reverse=True):
        out = out[:position] + inserts[position] + out[position:]
    return out
