"""Typed pieces of an analysis for qualitative answers: its items (a risk, an opportunity, a
signal, a driver ... each one cited sentence of the section that names its kind) and its expert
views (person, organisation, stance, claim, figure, source).

Answers are built from these rather than from whichever chunks rank highest, so a sentence
stands alone, keeps the citation the document gave it, and sits under the heading that fits
it: a risk is never a bullish view, an expert is a person, a data provider is a source.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.grounding.ledger import shown_text
from knowledge.documents import Document, SourceEntry, View
from knowledge.passage import Passage
from knowledge.text import (
    CITATION_MARKER,
    citations,
    fold,
    has_cjk,
    sentence_spans,
    strip_citations,
)
from tools.symbols import find_symbols

ItemKind = str  # "risks" | "opportunities" | "signals" | "drivers" | "valuation" | ...

# Which kind of item a section holds, read from its heading (both languages); first match wins.
_HEADINGS: list[tuple[ItemKind, re.Pattern[str]]] = [
    ("signals", re.compile(r"signal|monitor|watch|信号|关注|监测", re.I)),
    ("risks", re.compile(r"risk|风险", re.I)),
    ("opportunities", re.compile(r"opportunit|机会|机遇", re.I)),
    ("views", re.compile(r"view|expert|观点|专家", re.I)),
    ("drivers", re.compile(r"driver|why|驱动|原因|因素", re.I)),
    ("valuation", re.compile(r"technical|valuation|技术|估值", re.I)),
    ("insights", re.compile(r"insight|洞察|核心", re.I)),
    ("summary", re.compile(r"summary|conclusion|总结|结论|摘要", re.I)),
    ("performance", re.compile(r"performance|rotation|表现|轮动|走势", re.I)),
]
# A sentence that leans on the one before it ("That level …", "His idea …", "这一点位…") does not
# stand alone; nor does a writer's framing sentence that cites nothing.
_LEANS_BACK = re.compile(
    r"^(?:this|that|these|those|it|its|his|her|he|she|they|their|such|the same|the larger|both"
    r"|these|there|here)\b|^(?:这|那|该|此|其|他|她|它|上述|以上)",
    re.I,
)
# A summary sentence that says what drove the move: the direct answer to "what drove it?".
_DROVE = re.compile(r"contribut|\bdr[oi]ve|driven|fuel|behind the|推动|驱动|带动|得益于|源于", re.I)
_VALUATION = re.compile(r"valuation|p/e|price-to-earnings|discount|multiple|估值|市盈率|折价", re.I)
# A list inside one sentence: a clause ends at a marker followed by a comma ("…MA (2,601.58) [1],
# a more hawkish tone [6], and …").
_LIST_BREAK = re.compile(r"(?<=\])\s*[,，、;；]\s*(?:and\s+|or\s+|以及|及|和)?")


@dataclass(frozen=True)
class Item:
    """One cited sentence (or list clause) of a section, with the sources it cites."""

    kind: ItemKind
    text: str  # without the document's markers
    sources: tuple[int, ...]
    section: str


def section_kind(heading: str) -> ItemKind | None:
    for kind, pattern in _HEADINGS:
        if pattern.search(heading):
            return kind
    return None


def stands_alone(text: str) -> bool:
    """True for a sentence a reader can take out of its paragraph."""
    body = text.strip()
    return len(body) > (5 if has_cjk(body) else 12) and not _LEANS_BACK.match(body)


def _clauses(sentence: str) -> list[str]:
    """A sentence listing cited clauses, split into them; any other sentence whole."""
    if len(CITATION_MARKER.findall(sentence)) < 3:
        return [sentence]
    parts = [p.strip() for p in _LIST_BREAK.split(sentence) if p.strip()]
    return parts if all(CITATION_MARKER.search(p) for p in parts) else [sentence]


def _shown(text: str) -> str:
    """`shown_text`, with the full-width marks of Chinese text put back (the guard folds them)."""
    return fold(shown_text(text))


def _tidy(clause: str, lang: str) -> str:
    body = _shown(strip_citations(clause)).strip().rstrip(",，;；")
    if not body:
        return body
    if lang == "en":
        body = body[0].upper() + body[1:]
        return body if body[-1] in ".!?" else body + "."
    return body if body[-1] in "。！？" else body + "。"


_CACHE: dict[tuple[str, int], tuple[tuple[Item, ...], dict[int, list[str]]]] = {}


def _read(doc: Document) -> tuple[tuple[Item, ...], dict[int, list[str]]]:
    """The document's items and, per source number, the sentences citing it (read once per
    document text: answers ask for them on every turn)."""
    key = (doc.id, hash(tuple((s.heading, s.text) for s in doc.sections)))
    if key in _CACHE:
        return _CACHE[key]
    found: list[Item] = []
    citing: dict[int, list[str]] = {}
    for section in doc.sections:
        kind = section_kind(section.heading)
        text = section.text
        for a, b in sentence_spans(text, semicolon_ends=False):
            sentence = " ".join(text[a:b].split())
            for n in citations(sentence):
                citing.setdefault(n, []).append(" ".join(strip_citations(sentence).split()))
            if kind is None:
                continue
            for clause in _clauses(sentence) if kind in ("signals", "risks") else [sentence]:
                cited = tuple(citations(clause))
                body = _tidy(clause, doc.language)
                if cited and stands_alone(body):
                    found.append(Item(kind, body, cited, section.heading))
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = (tuple(found), citing)
    return _CACHE[key]


def _items(doc: Document) -> tuple[Item, ...]:
    return _read(doc)[0]


def items(doc: Document, kind: ItemKind) -> list[Item]:
    """The document's items of one kind, in its order (valuation: only valuation sentences)."""
    found = [i for i in _items(doc) if i.kind == kind]
    if kind == "valuation":
        found = [i for i in found if _VALUATION.search(i.text)] or found
    return found


def drivers_answer(doc: Document) -> Item | None:
    """The summary's sentence on what drove the move, when it has one."""
    for item in items(doc, "summary") + items(doc, "insights"):
        if _DROVE.search(item.text):
            return item
    return None


def views(doc: Document, stance: str | None = None) -> list[View]:
    """The document's typed expert views (optionally of one stance); a source with no person
    (a data provider, an outlet) is never an expert."""
    return [v for v in doc.views if v.person and (stance is None or v.stance == stance)]


def view_for(doc: Document, name: str) -> View | None:
    """The view of the person or organisation `name` names (full name, surname or firm)."""
    lowered = name.lower()
    for view in views(doc):
        keys = [view.person.lower(), view.person.split()[-1].lower()]
        if view.organisation:
            keys.append(view.organisation.lower())
        if any(k and (k in lowered or lowered in k) for k in keys):
            return view
    return None


def entry(doc: Document, n: int) -> SourceEntry | None:
    return next((s for s in doc.sources if s.n == n), None)


def source_passage(doc: Document, n: int) -> Passage | None:
    """Source `n` of `doc` as one citable passage: its entry (publisher, person, title, date,
    link) and what the document attributes to it (the sentences and views citing it). One
    passage per source, so a report numbers each source once."""
    found = entry(doc, n)
    if found is None:
        return None
    said = [i.text for i in _items(doc) if n in i.sources]
    said += [_view_line(v) for v in doc.views if v.source == n]
    said += _read(doc)[1].get(n, [])
    text = "\n".join(dict.fromkeys([found.summary.strip(), *said]))
    return Passage(
        chunk_id=f"{doc.id}#source:{n}",
        doc_id=doc.id,
        title=doc.title,
        published=doc.published,
        section="sources",
        text=text.strip(),
        language=doc.language,
        kind="source",
        cited=[n],
        source=found,
        item_id=doc.item_id,
    )


def _view_line(view: View) -> str:
    return _shown(f"{view.claim} {view.figure or ''}").strip()


def figure_first(view: View, lang: str) -> str:
    """The view's claim with the clause holding its figure first ("…target 2,825; small caps …")."""
    claim = _shown(view.claim).strip().rstrip(".。")
    if not view.figure:
        return claim
    parts = [p.strip() for p in re.split(r"[;；]", claim) if p.strip()]
    with_figure = [p for p in parts if view.figure in p]
    if not with_figure or parts[0] == with_figure[0]:
        return claim
    rest = [p for p in parts if p != with_figure[0]]
    if lang == "en":
        rest = [p[0].lower() + p[1:] if p[:2].istitle() and p[1:2].islower() else p for p in rest]
    return ("；" if lang == "zh" else "; ").join([with_figure[0], *rest])


@dataclass(frozen=True)
class Forecast:
    """A view that forecasts a level by a date: "Russell 2000 at 2,825 by the end of 2026"."""

    symbol: str
    level: float
    horizon: dt.date


_YEAR_END = re.compile(r"year[- ]end|end of|by the end|年底|年末|年终")
_YEAR = re.compile(r"(?<![\d,])(20[2-9]\d)(?!\d)")  # 2026, not the 2000 of "Russell 2000"
_LEVEL = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:点|points?)?\s*$")


def forecast(view: View, tickers: list[str] | None = None) -> Forecast | None:
    """The forecast in a view, when it names a level (its figure, not a percent or a range),
    a year-end horizon and a symbol (read from the claim, else the document's first ticker)."""
    if not view.figure or not _LEVEL.match(view.figure) or not _YEAR_END.search(view.claim):
        return None
    years = [int(y) for y in _YEAR.findall(view.claim)]
    found = find_symbols(view.claim) or list(tickers or [])[:1]
    if not years or not found:
        return None
    level = float(view.figure.replace(",", "").replace("点", "").split()[0])
    return Forecast(found[0], level, dt.date(max(years), 12, 31))
