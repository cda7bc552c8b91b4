"""Attribution checks: a sentence that names a person cites a source naming them, and a stance
it gives a person is the stance the document gives them.

Pure: text, a ledger and the document's people in; findings out. A finding reads like a
number's ("attribution: <sentence> (<why>)") and makes a verification fail the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
_CLAUSE = re.compile(r"[;；]")


@dataclass(frozen=True)
class AttributionFinding:
    text: str
    detail: str

    def line(self) -> str:
        return f"attribution: {self.text} ({self.detail})"


def _names(person: str) -> list[str]:
    """How a text may name a person: full name or surname (Latin names)."""
    parts = person.split()
    return [person, parts[-1]] if len(parts) > 1 else [person]


def check_attributions(
    text: str, ledger: Ledger, stances: Mapping[str, str]
) -> list[AttributionFinding]:
    """Findings for `text` against `ledger`; `stances` maps each person of the documents to
    the stance the documents give them (bull, bear, neutral)."""
    findings: list[AttributionFinding] = []
    for line in text.splitlines():
        for a, b in sentence_spans(line, semicolon_ends=False):
            sentence = line[a:b]
            cited = [
                n for m in CITATION_MARKER.finditer(sentence) for n in marker_numbers(m.group(1))
            ]
            if not cited:
                continue
            named = [p for p in stances if any(n in sentence for n in _names(p))]
            for person in named:
                findings += _backed(sentence, person, cited, ledger)
            for clause in _CLAUSE.split(sentence):
                findings += _stances(sentence, clause, stances)
    return findings


def _backed(
    sentence: str, person: str, cited: list[int], ledger: Ledger
) -> list[AttributionFinding]:
    """A finding unless one of the cited entries names `person` (as its source's person, or
    in its text)."""
    surname = _names(person)[-1]
    for n in cited:
        entry = ledger.get(n)
        passage = entry.passage if entry is not None else None
        if passage is None:
            continue
        who = passage.source.person if passage.source is not None else None
        if (who and surname in who) or surname in passage.text:
            return []
    return [AttributionFinding(sentence, f"no cited source names {person}")]


def _stances(sentence: str, clause: str, stances: Mapping[str, str]) -> list[AttributionFinding]:
    """A finding for each person a clause puts on the side the documents do not: a clause that
    says one stance ("the bears' case comes from …") and names people."""
    said = [s for s, pattern in _STANCE_WORDS.items() if pattern.search(clause)]
    if len(said) != 1:
        return []
    out = []
    for person in (p for p in stances if any(n in clause for n in _names(p))):
        given = stances[person]
        if given in _STANCE_WORDS and given != said[0]:
            out.append(
                AttributionFinding(sentence, f"{person} is {given} in the source, not {said[0]}")
            )
    return out
