"""Attribution checks: who said it, and on which side.

- A sentence that names a person or organisation of the documents cites a passage or source
  entry that names them (by name, surname or firm, in either language).
- A stance a sentence gives a person ("the bears' case comes from …") is the stance the
  documents give them.
- A list of risks never lists a bullish view, a list of opportunities never a bearish one.

Pure: text, what each citation names, and the documents' people in; findings out. A finding
reads like a number's ("attribution: <sentence> (<why>)"), carries where the name stands in the
text, and makes a verification fail the same way (chat answers, reports, the news page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.grounding.ledger import Ledger
from knowledge.text import CITATION_MARKER, marker_numbers, sentence_spans

# Words that state a stance, in both languages: what a sentence says about the person it names.
_STANCE_WORDS = {
    "bull": re.compile(r"\bbull(?:s|ish)?\b|\boptimists?\b|看多|多头|乐观", re.IGNORECASE),
    "bear": re.compile(
        r"\bbear(?:s|ish)?\b|\bsceptics?\b|\bskeptics?\b|pessimist|看空|空头|悲观", re.IGNORECASE
    ),
}
# A stance given as a label: "(J.P. Morgan, bearish)", "（Jefferies，看多）".
_STANCE_LABEL = {
    "bull": re.compile(r"[(（][^()（）]*(?:\bbullish|看多)\s*[)）]", re.IGNORECASE),
    "bear": re.compile(r"[(（][^()（）]*(?:\bbearish|看空)\s*[)）]", re.IGNORECASE),
}
_CLAUSE = re.compile(r"[;；]")
# What a heading or a lead line says a list holds.
_RISKS = re.compile(r"\brisks?\b|\bdownside\b|\bheadwinds?\b|风险|隐患|利空", re.IGNORECASE)
_OPPORTUNITIES = re.compile(
    r"\bopportunit(?:y|ies)\b|\bupside\b|\btailwinds?\b|机会|机遇|利好", re.IGNORECASE
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)、])\s+")
_ANNOUNCES = re.compile(r"[:：]\s*$")
_LATIN = re.compile(r"[A-Za-z]")
_SIDE = {"risks": "bull", "opportunities": "bear"}
_WHY_LISTED = {
    "risks": "{person} is bullish in the source, listed as a risk",
    "opportunities": "{person} is bearish in the source, listed as an opportunity",
}


@dataclass(frozen=True)
class AttributionFinding:
    text: str  # the sentence
    detail: str
    start: int | None = None  # where, in the text checked, the finding's mark goes
    end: int | None = None

    def line(self) -> str:
        return f"attribution: {self.text} ({self.detail})"


def _names(person: str) -> list[str]:
    """How a text may name a person: full name or surname (Latin names)."""
    parts = person.split()
    return [person, parts[-1]] if len(parts) > 1 else [person]


def name_keys(stances: Mapping[str, str]) -> dict[str, str]:
    """Lower-cased names and surnames -> the person, for documents that give no richer index."""
    return {key.lower(): person for person in stances for key in _names(person)}


def cited_names(ledger: Ledger) -> dict[int, str]:
    """What each of the ledger's entries names, lower-cased: a source entry's person, publisher,
    title and summary (not the other sentences of the document that cite it, which may name
    anyone); a passage of an analysis with no source entry, its text; a figure, nobody."""
    out: dict[int, str] = {}
    article: dict[int, str] = {}
    said: dict[str, list[str]] = {}  # one article quoted as several entries names them all
    for entry in ledger.entries:
        passage = entry.passage
        if passage is None:
            out[entry.n] = ""
            continue
        source = passage.source
        if source is not None:
            parts = [source.person or "", source.publisher, source.title or "", source.summary]
            key = source.url or source.title or f"#{entry.n}"
            article[entry.n] = key
            said.setdefault(key, []).append(" ".join(parts).lower())
        else:
            out[entry.n] = " ".join([passage.title, passage.text]).lower()
    for n, key in article.items():
        out[n] = " ".join(said[key])
    return out


def _passage_texts(ledger: Ledger) -> dict[int, str]:
    return {e.n: _plain(e.passage.text) for e in ledger.entries if e.passage is not None}


def _plain(text: str) -> str:
    return " ".join(CITATION_MARKER.sub("", text).lower().split())


def _quotes(sentence: str, passage: str) -> bool:
    """The sentence is the cited passage's own words (the passage names whom it names)."""
    body = _plain(_LIST_ITEM.sub("", sentence)).rstrip(".。;； ")
    return len(body) > 20 and body in _plain(passage)


def _own_markers(sentence: str, markers: Sequence[re.Match[str]], end: int) -> list[int]:
    """The citation numbers of the run of markers that first follows position `end` ("Hirsch
    [1], Lysik [2]": Lysik's is [2]; "... Shiran [4][5][6]": all three)."""
    out: list[int] = []
    last: int | None = None
    for m in markers:
        if m.start() < end:
            continue
        if last is not None and sentence[last : m.start()].strip():
            break
        out += marker_numbers(m.group(1))
        last = m.end()
    return out


def _find(key: str, text: str) -> list[re.Match[str]]:
    """Where `key` (lower-cased) stands in `text`: a whole word for Latin names."""
    escaped = re.escape(key).replace(r"\ ", r"\s+")
    if _LATIN.search(key):
        escaped = rf"(?<![A-Za-z]){escaped}(?![A-Za-z])"
    return list(re.finditer(escaped, text, re.IGNORECASE))


def _named(sentence: str, names: Mapping[str, str]) -> dict[str, tuple[int, int]]:
    """The people a sentence names -> where it first names them (start, end)."""
    found: dict[str, tuple[int, int]] = {}
    taken: list[tuple[int, int]] = []
    for key in sorted(names, key=len, reverse=True):
        for m in _find(key, sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # "Hirsch" inside "Jeffrey Hirsch", already read
            taken.append((m.start(), m.end()))
            person = names[key]
            if person not in found or m.end() < found[person][1]:
                found[person] = (m.start(), m.end())
    return found


def _mentions(text: str, person: str, names: Mapping[str, str]) -> bool:
    """`text` (lower-cased) names `person` by any of their keys."""
    keys = [k for k, p in names.items() if p == person] + [n.lower() for n in _names(person)]
    return any(_find(k, text) for k in keys)


def check_attributions(
    text: str,
    ledger: Ledger | Mapping[int, str],
    stances: Mapping[str, str],
    names: Mapping[str, str] | None = None,
    trusted: Sequence[str] = (),
) -> list[AttributionFinding]:
    """Findings for `text`. `ledger` says what each citation names (a Ledger, or citation
    number -> its text); `stances` maps each person of the documents to the stance they give
    them (bull, bear, neutral); `names` maps lower-cased names, surnames and firms (both
    languages) to the person (by default their names and surnames). Sentences of `trusted`
    (this product's fixed texts) are not checked."""
    cited_text = cited_names(ledger) if isinstance(ledger, Ledger) else ledger
    quoted = _passage_texts(ledger) if isinstance(ledger, Ledger) else ledger
    index = dict(names) if names is not None else name_keys(stances)
    for person in stances:  # a person the index does not know is still read by name
        for key in _names(person):
            index.setdefault(key.lower(), person)
    findings: list[AttributionFinding] = []
    block: str | None = None
    offset = 0
    for line in text.split("\n"):
        item = bool(_LIST_ITEM.match(line))
        if not item and line.strip():
            block = _block(line, block)
        for a, b in sentence_spans(line, semicolon_ends=False):
            sentence = line[a:b]
            if any(sentence in t for t in trusted):
                continue
            named = _named(sentence, index)
            markers = list(CITATION_MARKER.finditer(sentence))
            cited = [n for m in markers for n in marker_numbers(m.group(1))]
            for person, (begin, end) in named.items():
                span = (offset + a + begin, offset + a + end)
                # a name answers to the marker that closes its part of the sentence ("Hirsch
                # [1], Lysik [2]"); after the last marker, to all of them
                backing = _own_markers(sentence, markers, end) or cited
                if not cited:
                    why = f"names {person} but cites no source"
                    findings.append(AttributionFinding(sentence, why, *span))
                elif not any(
                    _mentions(cited_text.get(n, ""), person, index)
                    or _quotes(sentence, quoted.get(n, ""))
                    for n in backing
                ):
                    why = f"no cited source names {person}"
                    findings.append(AttributionFinding(sentence, why, *span))
            at = 0
            for clause in _CLAUSE.split(sentence):
                start = sentence.find(clause, at)
                at = start + len(clause)
                findings += _stances(sentence, clause, stances, index, offset + a + start)
            if item and block in _SIDE:
                findings += _listed(sentence, block, named, stances, offset + a)
        offset += len(line) + 1
    return findings


def _block(line: str, current: str | None) -> str | None:
    """What the list after `line` holds: risks, opportunities, or nothing said. A line that only
    announces a list ("Supporting evidence:") keeps the kind of the line before it."""
    risks, opportunities = _RISKS.search(line), _OPPORTUNITIES.search(line)
    if risks and not opportunities:
        return "risks"
    if opportunities and not risks:
        return "opportunities"
    if _ANNOUNCES.search(line) and len(line.strip()) <= 40:
        return current
    return None


def _listed(
    sentence: str,
    block: str,
    named: Mapping[str, tuple[int, int]],
    stances: Mapping[str, str],
    offset: int,
) -> list[AttributionFinding]:
    """A finding when an item of a risks (opportunities) list is a bullish (bearish) view: it
    names a person the documents put on that side, or it carries that side's label."""
    side = _SIDE[block]
    for person, (begin, end) in named.items():
        if stances.get(person) == side:
            why = _WHY_LISTED[block].format(person=person)
            return [AttributionFinding(sentence, why, offset + begin, offset + end)]
    label = _STANCE_LABEL[side].search(sentence)
    if label is not None:
        why = _WHY_LISTED[block].format(person="the view")
        return [AttributionFinding(sentence, why, offset + label.start(), offset + label.end())]
    return []


def _stances(
    sentence: str,
    clause: str,
    stances: Mapping[str, str],
    index: Mapping[str, str],
    offset: int,
) -> list[AttributionFinding]:
    """A finding for each person a clause puts on the side the documents do not: a clause that
    says one stance ("the bears' case comes from …") and names people."""
    said = [s for s, pattern in _STANCE_WORDS.items() if pattern.search(clause)]
    if len(said) != 1:
        return []
    out = []
    for person, (begin, end) in _named(clause, index).items():
        given = stances.get(person)
        if given in _STANCE_WORDS and given != said[0]:
            why = f"{person} is {given} in the source, not {said[0]}"
            out.append(AttributionFinding(sentence, why, offset + begin, offset + end))
    return out
