"""Put sections together: one ledger, renumbered citations, summary, views, signals, disclaimer."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from assistant.budget import Usage
from assistant.grounding.answer import footer
from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import mark_unsupported, verify
from assistant.reading import read_claims
from assistant.research.schemas import (
    Plan,
    Report,
    ReportSection,
    ReportVerification,
    SignalStatus,
    ViewRow,
)
from assistant.research.sections import Deps, section_ledger
from knowledge.passage import Passage
from knowledge.text import CITATION_MARKER, marker_numbers
from tools.prices.base import PriceError
from tools.symbols import symbol_name

_FIRST_SENTENCE = re.compile(r"^.*?(?:[。！？]|[.!?](?=\s|$))(?:\s*\[\d+\])*", re.DOTALL)


def merge(results: list[dict[str, Any]], ledger: Ledger) -> list[ReportSection]:
    """Number every section's evidence into one ledger and rewrite its markers to match."""
    sections = []
    seen_lines: set[str] = set()
    for result in sorted(results, key=lambda r: r["index"]):
        mapping: dict[int, int] = {}
        for citation in section_ledger(result).entries:
            mapping[citation.n] = ledger.add(citation)

        def renumber(match: re.Match[str], mapping: dict[int, int] = mapping) -> str:
            # a marker this section's ledger cannot resolve must not point at another's evidence
            numbers = marker_numbers(match.group(1))
            return "".join(f"[{mapping[n]}]" if n in mapping else "[?]" for n in numbers)

        text = CITATION_MARKER.sub(renumber, result["text"])
        kept = []
        for line in text.splitlines():
            if line.strip() and line in seen_lines:
                continue  # a line an earlier question or section already wrote
            seen_lines.add(line)
            kept.append(line)
        text = "\n".join(kept)
        sections.append(
            ReportSection(
                heading=result["heading"],
                text=text,
                verified=result["verified"],
                numbers=result["numbers"],
                complete=result["complete"],
            )
        )
    return sections


def _lead(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("- ").strip()
        if CITATION_MARKER.search(line):
            match = _FIRST_SENTENCE.match(line)
            return (match.group(0) if match else line).strip()
    return ""


def offline_summary(sections: list[ReportSection], lang: str) -> str:
    """The lead cited sentence of each of the first sections."""
    leads = [s for s in (_lead(x.text) for x in sections[:4]) if s]
    return (" " if lang == "en" else "").join(leads)


def view_rows(deps: Deps, ledger: Ledger) -> list[ViewRow]:
    """The news item's expert views, each tied to its source entry in the ledger."""
    doc = deps.news
    if doc is None or not doc.views:
        return []
    sources: dict[int, Passage] = {}
    for view in doc.views:
        if view.source is None or view.source in sources:
            continue
        for p in deps.library.search(view.person, k=8, doc_id=doc.id, record="source"):
            if p.source is not None and p.source.n == view.source:
                sources[view.source] = p
                break
    rows = []
    for view in doc.views:
        passage = sources.get(view.source) if view.source is not None else None
        rows.append(
            ViewRow(
                person=view.person,
                organisation=view.organisation,
                stance=view.stance,
                claim=view.claim,
                # a number without its source is not shown
                figure=view.figure if passage is not None else None,
                citation=ledger.add_passage(passage) if passage is not None else None,
            )
        )
    return rows


def signal_rows(plan: Plan, deps: Deps, ledger: Ledger) -> list[SignalStatus]:
    """Measurable signals with their live status, computed now."""
    lang = plan.language
    main = plan.symbols[0] if plan.symbols else None
    if main is None or plan.end is None:
        return []
    name = symbol_name(main, lang)
    rows: list[SignalStatus] = []
    try:
        figs = deps.market.sma(main, plan.end, 20)
        dist = next(f for f in figs if f.metric == "sma_distance")
        n = ledger.add_figure(dist)
        side = (
            ("above" if dist.value >= 0 else "below")
            if lang == "en"
            else ("高于" if dist.value >= 0 else "低于")
        )
        label = (
            f"{name} close vs its 20-day average" if lang == "en" else f"{name}收盘价相对20日均线"
        )
        status = (
            f"{side} by {dist.display(lang)} [{n}]"
            if lang == "en"
            else f"{side}均线 {dist.display(lang)}[{n}]"
        )
        rows.append(SignalStatus(label=label, status=status, citation=n))
        quote = deps.market.quote(main, on=plan.end)
        close = next(f for f in quote if f.metric == "last_close")
        high = next(
            f
            for f in deps.market.range_52w(main, plan.end, basis="close")
            if f.metric == "high_52w"
        )
        c, h = ledger.add_figure(close), ledger.add_figure(high)
        label = (
            f"{name} close vs its 52-week closing high"
            if lang == "en"
            else f"{name}收盘价相对52周收盘高点"
        )
        status = f"{close.display(lang)} [{c}] vs {high.display(lang)} [{h}]"
        rows.append(SignalStatus(label=label, status=status, citation=c))
    except (PriceError, ValueError, StopIteration):
        pass
    try:
        vix = next(f for f in deps.market.quote("^VIX", on=plan.end) if f.metric == "last_close")
        v = ledger.add_figure(vix)
        label = "VIX level" if lang == "en" else "VIX 恐慌指数"
        rows.append(SignalStatus(label=label, status=f"{vix.display(lang)} [{v}]", citation=v))
    except (PriceError, ValueError, StopIteration):
        pass
    return rows


def assemble(
    plan: Plan,
    results: list[dict[str, Any]],
    deps: Deps,
    *,
    summary: str | None = None,
    stopped: str | None = None,
) -> tuple[Report, Ledger]:
    """The report, verified as a whole, with one ledger behind every `[n]`."""
    ledger = Ledger()
    sections = merge(results, ledger)
    views = view_rows(deps, ledger)
    signals = signal_rows(plan, deps, ledger)
    lang = plan.language
    summary_text = summary if summary is not None else offline_summary(sections, lang)
    view_lines = [
        " ".join(
            f"{part.strip().rstrip('.。;；')} [{v.citation}]."
            for part in re.split(
                r"(?<=[。；！？])|(?<=[.;!?])(?=\s|$)", f"{v.claim} {v.figure or ''}"
            )
            if part.strip()
        )
        for v in views
        if v.citation is not None
    ]
    body = "\n\n".join(
        [summary_text, *(s.text for s in sections), *(s.status for s in signals), *view_lines]
    )
    verification = verify(body, ledger, reader=read_claims)
    if summary is not None and not verification.ok:
        summary_text = mark_unsupported(
            summary_text, verify(summary_text, ledger, reader=read_claims), lang
        )
    figures = ledger.figures
    as_of = max((f.as_of for f in figures if f.as_of), default=plan.end)
    provider = figures[0].provider if figures else None
    report = Report(
        id=uuid.uuid4().hex[:12],
        title=plan.title,
        topic=plan.topic,
        language=lang,
        created_at=datetime.now(UTC),
        as_of=as_of,
        news_id=plan.news_id,
        summary=summary_text,
        sections=sections,
        views=views,
        signals=signals,
        ledger=ledger,
        verification=ReportVerification(
            numbers_total=verification.numbers_total,
            numbers_verified=verification.numbers_verified,
            unsupported=verification.unsupported,
            findings=[f"{f.kind}: {f.text} ({f.detail})" for f in verification.findings],
        ),
        usage=_total(plan.usage, deps.meter.usage()),
        stopped=stopped,
        symbols=plan.symbols,
        start=plan.start,
        end=plan.end,
        disclaimer=footer(lang, provider, as_of, hypothetical=True),
    )
    return report, ledger


def _total(*parts: Usage) -> Usage:
    total = Usage()
    for part in parts:
        total.add(part)
    return total
