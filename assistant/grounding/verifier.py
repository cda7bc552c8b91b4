"""Trace every number in an answer to a ledger figure or to the passage its sentence cites.

Deterministic and model-free: the same text and ledger always give the same verdict.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal

from assistant.grounding.claims import (
    ClaimLike,
    ClaimReader,
    claim_sign,
    dates_in,
    nearest_date,
    receipt_conflict,
    same_subject,
    stated,
    stated_metric,
)
from assistant.grounding.gates import compile as gate
from assistant.grounding.language import detect_language
from assistant.grounding.ledger import Ledger
from assistant.grounding.lexicon import CLOSE_EN, CLOSE_ZH, words
from assistant.grounding.numbers import Mention, extract_durations, extract_numbers, fold
from knowledge.text import CITATION_MARKER, marker_numbers, sentence_spans
from tools.figure import Figure
from tools.symbols import symbol_spans

CLOSE_WORDS = gate(words(CLOSE_EN, CLOSE_ZH), re.IGNORECASE)

_PRICE_LIKE = {"points", "usd", "plain"}
_UNSIGNED_FALLS = {"max_drawdown"}
_CLOSE_CLAIM = gate(
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
    "claim_mismatch",
    "premise_repeated",
    "attribution",
    "stray_link",
]


@dataclass(frozen=True)
class NumberCheck:
    """The verdict on one number in the answer; `start`/`end` index the text as the user sees
    it (before any folding), `raw` is the number as read (folded: "９．６％" reads "9.6%")."""

    raw: str
    start: int
    end: int
    sentence: str
    supported_by: int | None  # the citation number that carries it, None when unsupported
    reason: str = ""
    claim: str = ""  # what the sentence claims, as read: "return ^RUT 2025-12-01..2026-01-23"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    text: str
    detail: str
    start: int | None = None  # where, in the text the user sees, when it concerns a span
    end: int | None = None


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
    """Every citation number written in `sentence`, in order ("【3】" and "［3］" count)."""
    return _cited(fold(sentence).folded)


def _cited(folded: str) -> list[int]:
    return [n for m in CITATION_MARKER.finditer(folded) for n in marker_numbers(m.group(1))]


def _step(mention: Mention) -> float:
    return mention.tolerance * 2


def _matches_figure(mention: Mention, figure: Figure, sign: int | None = None) -> bool:
    """The number is the figure's value, within rounding or truncation of the digits shown,
    with the direction the sentence states (`sign`, when the mention itself carries none)."""
    if mention.unit not in _FIGURE_UNITS.get(figure.unit, {figure.unit}):
        return False
    value = float(figure.value)
    if mention.signed:
        claimed = mention.value
    elif mention.direction == "down" or (mention.direction is None and sign == -1):
        claimed = -abs(mention.value)
    elif mention.direction == "up" or sign == 1 or figure.metric not in _UNSIGNED_FALLS:
        claimed = abs(mention.value)  # an unsigned change reads as a rise: "returned 5%" is not -5%
    else:
        claimed, value = abs(mention.value), abs(value)  # "a drawdown of 4.2%" states a fall
    if abs(claimed - value) <= mention.tolerance + 1e-9:
        return True
    # truncated rather than rounded: 7.5372 written as 7.53, -6.168 as -6.16
    same_side = (claimed >= 0) == (value >= 0)
    return same_side and 0 <= abs(value) - abs(claimed) < _step(mention) - 1e-9


_INPUT_DAY = gate(r"\[(\d{4}-\d{2}-\d{2})\]")


def _matches_params(
    mention: Mention, figure: Figure, claim: ClaimLike | None, sentence: str, year: int
) -> bool:
    """Counts a cited figure carries in its receipt: rows, sessions, window, completeness (%),
    a rate it was given, the days a window or a drawdown spans, and the prices that entered
    its formula (of its symbol, on the day the key names)."""
    symbol = claim.symbol if claim is not None and stated(claim, "symbol") else None
    if symbol is not None and not same_subject(symbol, figure):
        return False
    if mention.unit in _PRICE_LIKE:
        written = nearest_date(sentence, mention, year)
        for key, price in figure.inputs.items():
            day = _INPUT_DAY.search(key)
            if written is not None and day is not None and day.group(1) != written.isoformat():
                continue
            if abs(float(price) - mention.value) <= mention.tolerance + 1e-9:
                return True
    numbers: list[Mention] = []
    for key in ("rows", "sessions", "window", "periods", "returns"):
        value = figure.params.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            numbers.append(Mention(0, 0, str(value), float(value), "plain", 0, False, None))
    completeness = figure.params.get("completeness")
    if isinstance(completeness, int | float):
        numbers.append(Mention(0, 0, "", float(completeness) * 100, "%", 2, False, None))
    for key, value in figure.params.items():  # a rate it was given: "2% a month" -> rate_percent
        if key.endswith("_percent") and isinstance(value, int | float):
            numbers.append(Mention(0, 0, "", float(value), "%", 2, False, None))
    spans = [(figure.start, figure.end)]
    peak, trough = figure.params.get("peak"), figure.params.get("trough")
    if isinstance(peak, str) and isinstance(trough, str):
        with contextlib.suppress(ValueError):
            spans.append((date.fromisoformat(peak), date.fromisoformat(trough)))
    for a, b in spans:
        if a is not None and b is not None:
            days = float((b - a).days)
            numbers.append(Mention(0, 0, "", days, "plain", 0, False, None))
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


def _sign_of(mention: Mention) -> int | None:
    if mention.signed:
        return -1 if mention.value < 0 else 1
    if mention.direction is not None:
        return -1 if mention.direction == "down" else 1
    return None


def _all_numbers(text: str) -> list[Mention]:
    """Numbers and stated durations of `text` (already folded), in order, never overlapping."""
    found = extract_numbers(text)
    taken = [(m.start, m.end) for m in found]
    for d in extract_durations(text):
        if not any(a < d.end and d.start < b for a, b in taken):
            found.append(d)
    return sorted(found, key=lambda m: m.start)


@dataclass
class _Quoted:
    mention: Mention
    sign: int | None
    text: str
    sentence: tuple[int, int]
    symbols: frozenset[str] | None = None


class _PassageNumbers:
    """Numbers of each passage in the ledger (with their sign and the sentence they stand in),
    extracted once."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._by_n: dict[int, list[_Quoted]] = {}
        self._passages = [c.n for c in ledger.entries if c.passage is not None]

    def numbers(self, n: int) -> list[_Quoted]:
        """The numbers passage `n` states (read on first use)."""
        if n in self._by_n:
            return self._by_n[n]
        citation = self._ledger.get(n)
        quoted: list[_Quoted] = []
        if citation is not None and citation.passage is not None:
            p = citation.passage
            texts = [p.text]
            if p.source is not None:
                texts += [p.source.title or "", p.source.summary or ""]
            for raw in texts:
                t = fold(raw).folded
                spans = sentence_spans(t) or [(0, len(t))]
                for m in _all_numbers(t):
                    where = next(((a, b) for a, b in spans if a <= m.start < b), (0, len(t)))
                    quoted.append(_Quoted(m, _sign_of(m), t, where))
        self._by_n[n] = quoted
        return quoted

    def supports(self, n: int, mention: Mention, sign: int | None, symbol: str | None) -> bool:
        """Passage `n` states this number, with the same sign, about the same subject."""
        return any(
            _compatible(mention.unit, q.mention.unit)
            and abs(abs(mention.value) - abs(q.mention.value)) <= mention.tolerance + 1e-9
            and (sign is None or q.sign is None or sign == q.sign)
            and (symbol is None or self._about(q, symbol))
            for q in self.numbers(n)
        )

    def _about(self, q: _Quoted, symbol: str) -> bool:
        """The passage's number is about `symbol`: the symbol written nearest it in its clause
        is that one; with none in the clause, the sentence names it or names no symbol."""
        a, b = q.sentence
        if q.symbols is None:
            q.symbols = frozenset(s for _, _, s in _symbols_in(q.text[a:b]))
        if not q.symbols:
            return True
        nearest = _nearest_symbol(q.text[a:b], q.mention.start - a, q.mention.end - a)
        return symbol == nearest if nearest is not None else symbol in q.symbols

    def any_supporting(self, mention: Mention, sign: int | None) -> list[int]:
        return [n for n in self._passages if self.supports(n, mention, sign, None)]


@lru_cache(maxsize=1024)
def _symbols_in(sentence: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(symbol_spans(sentence))


def _nearest_symbol(sentence: str, start: int, end: int) -> str | None:
    """The symbol a number is about: written nearest before it in its clause, else after it."""
    spans = _symbols_in(sentence)
    if not spans:
        return None
    cuts = [0, *(m.end() for m in _PASSAGE_CLAUSE.finditer(sentence)), len(sentence) + 1]
    lo = max(c for c in cuts if c <= start)
    hi = min(c for c in cuts if c > start)
    before = [s for x, y, s in spans if lo <= x and y <= start]
    after = [s for x, _, s in spans if end <= x < hi]
    return before[-1] if before else (after[0] if after else None)


_PASSAGE_CLAUSE = gate(r"[;；，]|,(?!\d{3})")
_REJECTED = gate(
    r"(?:\bnot\b|\bnor\b|\brather than\b|\binstead of\b|n't\b|\bneither\b"
    r"|而非|而不是|并非|不是|并未|没有|未)[^.;,。；，!?！？\d]{0,24}$",
    re.IGNORECASE,
)


def verify(
    text: str,
    ledger: Ledger,
    *,
    is_session: Callable[[date], bool] | None = None,
    default_year: int | None = None,
    given: Sequence[str] = (),
    trusted: Sequence[str] = (),
    reader: ClaimReader | None = None,
    ref: date | None = None,
) -> Verification:
    """Check every number, citation and dated close in `text` against `ledger`.

    Each number is read as a claim (by `reader`, e.g. `assistant.reading.read_claims`: metric
    and parameters, symbol, window or date, sign) and is supported only by a cited figure whose
    receipt agrees with everything the sentence states about it, or by a cited passage stating
    the same signed value about the same subject (the symbol written nearest the number). A
    sentence that cites nothing is supported only when exactly one figure matches it in full.
    Without a reader, value, unit, sign and a level's date are still checked.

    `given` is what the user wrote (the question): its numbers are premises to check, never
    support; repeating one to reject it ("..., not -20%") is not a claim. `trusted` are texts
    this product wrote itself (fixed notices): their numbers count as supported by citation 0.
    Offsets in the result index `text` as given (what the user sees), before any folding.
    """
    if is_session is None:
        from tools.calendar import is_session as nyse_is_session

        is_session = nyse_is_session
    as_of = [f.as_of for f in ledger.figures if f.as_of]
    if default_year is None:
        default_year = max(as_of).year if as_of else date.today().year
    if ref is None:
        ref = max(as_of) if as_of else date.today()
    visible = fold(text)
    passages = _PassageNumbers(ledger)
    given_numbers = [m for g in given for m in _all_numbers(fold(g).folded)]
    own_numbers = [m for t in trusted for m in _all_numbers(fold(t).folded)]
    result = Verification()
    sentences = _sentences(visible.folded)
    read = [
        (offset, sentence, _all_numbers(sentence), _cited(sentence))
        for offset, sentence in sentences
    ]
    claims = _read_claims(read, ledger, reader, ref)

    def where(offset: int, a: int, b: int) -> tuple[int, int]:
        return visible.span(offset + a, offset + b)

    for si, (offset, sentence, mentions, cites) in enumerate(read):
        for match in CITATION_MARKER.finditer(sentence):
            for n in marker_numbers(match.group(1)):
                if ledger.get(n) is None:
                    a, b = where(offset, match.start(), match.end())
                    result.findings.append(
                        Finding(
                            "unresolved_citation",
                            f"[{n}]",
                            "no such entry in this answer's evidence",
                            a,
                            b,
                        )
                    )
        uncited_flagged = False
        for mention in mentions:
            a, b = where(offset, mention.start, mention.end)
            claim = claims.get((si, mention.start, mention.end))
            by, reason, kind = _verdict(
                mention,
                claim,
                sentence,
                cites,
                ledger,
                passages,
                given_numbers,
                own_numbers,
                default_year,
            )
            if kind == "conflicts_with_data":
                by = None
            result.checks.append(
                NumberCheck(
                    mention.raw, a, b, sentence.strip(), by, reason, _describe(claim, mention)
                )
            )
            if by is not None:
                continue
            if kind == "conflicts_with_data":
                result.findings.append(Finding(kind, mention.raw, reason, a, b))
                continue
            if not cites and not uncited_flagged:
                uncited_flagged = True
                sa, sb = where(offset, 0, len(sentence.rstrip()))
                result.findings.append(
                    Finding(
                        "uncited_sentence",
                        sentence.strip()[:160],
                        "states numbers but cites nothing",
                        sa,
                        sb,
                    )
                )
            result.findings.append(Finding(kind, mention.raw, reason, a, b))
        if mentions and CLOSE_WORDS.search(sentence):
            for hit in dates_in(sentence, default_year):
                if hit.day <= date.today() and not is_session(hit.day):
                    a, b = where(offset, hit.start, hit.end)
                    result.findings.append(
                        Finding(
                            "non_session_close",
                            hit.day.isoformat(),
                            "a close is attributed to a day the market was closed",
                            a,
                            b,
                        )
                    )
    result.numbers_total = len(result.checks)
    result.numbers_verified = sum(1 for c in result.checks if c.supported_by is not None)
    return result


def _verdict(
    mention: Mention,
    claim: ClaimLike | None,
    sentence: str,
    cites: list[int],
    ledger: Ledger,
    passages: _PassageNumbers,
    given: list[Mention],
    own: list[Mention],
    year: int,
) -> tuple[int | None, str, FindingKind]:
    if own and _matches_text(mention, own):
        return 0, "our own text", "unsupported_number"
    conflict = _conflicting_close(mention, sentence, ledger, year)
    if conflict is not None:
        return None, conflict, "conflicts_with_data"
    by, reason, kind = _check(mention, claim, sentence, cites, ledger, passages, year)
    if by is None and given and _matches_text(mention, given):
        if _REJECTED.search(sentence[max(0, mention.start - 40) : mention.start]):
            return 0, "the question's premise, rejected", kind
        return None, "repeats the question's number; nothing cited carries it", "premise_repeated"
    return by, reason, kind


def _read_claims(
    read: list[tuple[int, str, list[Mention], list[int]]],
    ledger: Ledger,
    reader: ClaimReader | None,
    ref: date,
) -> dict[tuple[int, int, int], ClaimLike]:
    """Claims keyed by (sentence, start, end).

    Only a sentence with a number some figure could carry (one it cites, or any when it cites
    nothing) is read: the claim decides between figures, and a number no figure has is
    unsupported whatever it claims. Each sentence is read on its own: what a reader carries
    over from earlier sentences never vetoes a match, so nothing the check uses is lost, and a
    sentence verified twice (a draft and its regeneration, a section and the whole report) is
    read once."""
    if reader is None:
        return {}
    figures = [c.figure for c in ledger.entries if c.figure is not None]
    out: dict[tuple[int, int, int], ClaimLike] = {}
    for i, (_, sentence, mentions, cites) in enumerate(read):
        if not mentions:
            continue
        if cites:
            pool = [f for n in cites if (f := getattr(ledger.get(n), "figure", None)) is not None]
        else:
            pool = figures
        if not any(
            _matches_figure(m, f) or _matches_figure(m, f, -1) for m in mentions for f in pool
        ):
            continue
        for claim in _read_one(reader, sentence, ref):
            out[(i, claim.span[0], claim.span[1])] = claim
    return out


@lru_cache(maxsize=2048)
def _read_one(reader: ClaimReader, sentence: str, ref: date) -> tuple[ClaimLike, ...]:
    return tuple(reader([sentence], ref))


def _describe(claim: ClaimLike | None, mention: Mention) -> str:
    if claim is None:
        return ""
    metric = stated_metric(claim, mention.unit, mention.signed or mention.direction is not None)
    parts = [metric.name if metric is not None else "?", claim.symbol or "?"]
    if claim.period is not None and claim.period.start and claim.period.end:
        parts.append(f"{claim.period.start}..{claim.period.end}")
    sign = claim_sign(claim, mention)
    if sign is not None:
        parts.append("up" if sign > 0 else "down")
    return " ".join(parts)


def _conflicting_close(mention: Mention, sentence: str, ledger: Ledger, year: int) -> str | None:
    """A close claimed for a day whose computed close says otherwise: the data win."""
    if mention.unit not in _PRICE_LIKE:
        return None
    # Only a number that the sentence states as the close: "closed at X", "收于X", "收盘价为X".
    if not _CLOSE_CLAIM.search(sentence[max(0, mention.start - 24) : mention.start]):
        return None
    hits = list(dates_in(sentence, year))
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
    claim: ClaimLike | None,
    sentence: str,
    cites: list[int],
    ledger: Ledger,
    passages: _PassageNumbers,
    year: int,
) -> tuple[int | None, str, FindingKind]:
    """(citation that carries the number or None, why not, the finding's kind)."""
    sign = claim_sign(claim, mention)
    symbol = claim.symbol if claim is not None and stated(claim, "symbol") else None
    if claim is None and any(getattr(ledger.get(n), "passage", None) is not None for n in cites):
        symbol = _nearest_symbol(sentence, mention.start, mention.end)  # not read: quoted text
    mismatch = ""

    def full(figure: Figure) -> str | None:
        """None when the figure carries the claim; else why not ('' when the value differs)."""
        if not _matches_figure(mention, figure, sign):
            return ""
        return receipt_conflict(claim, mention, figure, sentence, year)

    for n in cites:
        citation = ledger.get(n)
        if citation is None:
            continue
        if citation.figure is not None:
            why = full(citation.figure)
            if why is None:
                return n, "", "unsupported_number"
            if why and not mismatch:
                mismatch = f"the value matches [{n}], but the sentence {why}"
            if _matches_params(mention, citation.figure, claim, sentence, year):
                return n, "", "unsupported_number"
        if citation.passage is not None and passages.supports(n, mention, sign, symbol):
            return n, "", "unsupported_number"
    figures_elsewhere = [
        c.n for c in ledger.entries if c.figure is not None and full(c.figure) is None
    ]
    if not cites:
        if len(figures_elsewhere) == 1:
            return figures_elsewhere[0], "", "unsupported_number"  # the one figure it can be
        if figures_elsewhere:
            shown = ", ".join(f"[{n}]" for n in figures_elsewhere)
            return None, f"cites nothing, and {shown} all match", "unsupported_number"
    if figures_elsewhere:
        shown = ", ".join(f"[{n}]" for n in figures_elsewhere)
        cited = ", ".join(f"[{n}]" for n in cites) or "nothing"
        return None, f"matches {shown}, but the sentence cites {cited}", "wrong_passage"
    if mismatch:
        return None, mismatch, "claim_mismatch"
    elsewhere = [n for n in passages.any_supporting(mention, sign) if n not in cites]
    if elsewhere:
        shown = ", ".join(f"[{n}]" for n in elsewhere)
        cited = ", ".join(f"[{n}]" for n in cites) or "nothing"
        return None, f"matches {shown}, but the sentence cites {cited}", "wrong_passage"
    if not cites:
        return None, "cites nothing, and no computed figure matches", "unsupported_number"
    return None, "no computed figure or cited passage carries this number", "unsupported_number"


_TAGS = {
    "en": {
        "number": " (unverified)",
        "source": " (no such source)",
        "closed": " (market closed that day)",
        "attribution": " (attribution not supported by the sources)",
        "link": " (not a source link)",
    },
    "zh": {
        "number": "（未核实）",
        "source": "（无此来源）",
        "closed": "（当日休市）",
        "attribution": "（出处与来源不符）",
        "link": "（非来源链接）",
    },
}


def mark_unsupported(text: str, verification: Verification, language: str | None = None) -> str:
    """Flag each unsupported number, unresolvable marker and closed-market date where it stands
    in the text the user sees (offsets from `verify` on this same `text`). The tags follow
    `language` ("zh" or "en"; detected from the text when not given)."""
    lang = language if language in ("en", "zh") else detect_language(text, default="en")
    tags = _TAGS["zh" if lang == "zh" else "en"]
    inserts: dict[int, str] = {}

    def put(position: int, tag: str) -> None:
        if 0 <= position <= len(text) and tag not in inserts.get(position, ""):
            inserts[position] = inserts.get(position, "") + tag

    for check in verification.checks:
        if check.supported_by is None and _at(text, check.start, check.end, check.raw):
            put(check.end, tags["number"])
    for f in verification.findings:
        if f.start is None or f.end is None:
            continue
        if f.kind == "unresolved_citation":
            put(f.end, tags["source"])
        elif f.kind == "non_session_close":
            put(f.end, tags["closed"])
        elif f.kind == "attribution":
            put(f.end, tags["attribution"])
        elif f.kind == "stray_link":
            put(f.end, tags["link"])
    out = text
    for position in sorted(inserts, reverse=True):
        out = out[:position] + inserts[position] + out[position:]
    return out


def _at(text: str, start: int, end: int, raw: str) -> bool:
    """The check's span still holds its number in `text` (it was verified on this text)."""
    return 0 <= start < end <= len(text) and fold(text[start:end]).folded.strip() == raw
