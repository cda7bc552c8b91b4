"""Put sections together: one ledger, renumbered citations, summary, views, signals, disclaimer."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

from assistant.budget import Usage
from assistant.chat.offline import pieces
from assistant.grounding.answer import footer
from assistant.grounding.attribution import check_attributions
from assistant.grounding.ledger import Ledger, shown_text
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
from knowledge.text import CITATION_MARKER, marker_numbers, sentence_spans
from tools.metrics.base import MetricError
from tools.metrics.levels import distance_to_target
from tools.prices.base import PriceError
from tools.symbols import symbol_name

# A line that announces a list ("Supporting evidence:", "依据：").
_LIST_HEAD = re.compile(r"[:：]\s*$")
# Remarks about method rather than findings: they belong in the receipts, not the summary.
_METHOD_NOTE = re.compile(
    r"classification|convention|methodolog|measured (?:the same way|instead)|formula|ddof"
    r"|口径|分类|计算方法|公式|样本标准差|总体标准差",
    re.IGNORECASE,
)
_METHOD_ASIDE = re.compile(r"\s*[（(][^）)]*(?:口径|convention|ddof)[^）)]*[）)]", re.IGNORECASE)
_ALTERNATIVE = re.compile(r"^(?:若按|如按|按收盘价计|Measured|On closing prices)", re.IGNORECASE)
# The order in which section leads make the executive summary: the move, who thinks what, the
# risks, then the rest.
_SUMMARY_ORDER = ("performance", "views", "risks", "drivers", "signals", "valuation")


NOT_COVERED = {
    "en": "Neither the stored analyses nor the price data cover this section.",
    "zh": "已存储的分析和价格数据都没有涉及本节内容。",
}


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
            if line.strip() and line in seen_lines and not _LIST_HEAD.search(line):
                continue  # a line an earlier question or section already wrote
            seen_lines.add(line)
            kept.append(line)
        text = drop_empty_lists("\n".join(kept))
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


def drop_empty_lists(text: str) -> str:
    """`text` without list heads that no list item follows, and without blank runs."""
    lines = text.splitlines()
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _LIST_HEAD.search(line) and not line.lstrip().startswith("- "):
            following = next((x for x in lines[i + 1 :] if x.strip()), "")
            if not following.lstrip().startswith("- "):
                continue
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _lead(text: str) -> str:
    """The first cited sentence of a section that states a finding (not a method note)."""
    for line in text.splitlines():
        line = line.strip().removeprefix("- ").strip()
        for a, b in sentence_spans(line, semicolon_ends=False):
            sentence = _METHOD_ASIDE.sub("", line[a:b])  # "(口径：…)" is a receipt's business
            if _ALTERNATIVE.match(sentence) or not pieces.stands_alone(sentence):
                continue  # "Measured from the open, …": the same finding restated
            if CITATION_MARKER.search(sentence) and not _METHOD_NOTE.search(sentence):
                return sentence
    return ""


def offline_summary(sections: list[ReportSection], lang: str) -> str:
    """Findings, not method: the lead cited sentence of the sections on the move, the views and
    the risks first, then of the others, four at most, none twice."""

    def rank(section: ReportSection) -> int:
        kind = pieces.section_kind(section.heading)
        return _SUMMARY_ORDER.index(kind) if kind in _SUMMARY_ORDER else len(_SUMMARY_ORDER)

    leads = list(dict.fromkeys(s for s in (_lead(x.text) for x in sorted(sections, key=rank)) if s))
    return (" " if lang == "en" else "").join(leads[:4])


def view_rows(
    deps: Deps, ledger: Ledger, as_of: date | None = None, lang: str = "en"
) -> list[ViewRow]:
    """The news item's expert views, each tied to its source entry in the ledger; a forecast
    with a level and a horizon gets its distance from the close at `as_of` (or, once the horizon
    has passed, at the horizon), with receipts."""
    doc = deps.news
    if doc is None or not doc.views:
        return []
    rows = []
    for view in pieces.views(doc):  # people only: a data provider is a source, not an expert
        passage = pieces.source_passage(doc, view.source) if view.source is not None else None
        row = ViewRow(
            person=view.person,
            organisation=view.organisation,
            stance=view.stance,
            claim=shown_text(view.claim),
            # a number without its source is not shown
            figure=view.figure if passage is not None else None,
            citation=ledger.add_passage(passage) if passage is not None else None,
        )
        found = pieces.forecast(view, doc.tickers)
        if found is not None and passage is not None and as_of is not None:
            _track(row, found, as_of, deps, ledger, lang)
        rows.append(row)
    return rows


def _track(
    row: ViewRow, found: pieces.Forecast, as_of: date, deps: Deps, ledger: Ledger, lang: str
) -> None:
    """Fill the row's distance: the forecast level against the close at `as_of`, or at the
    horizon's last session once it has passed."""
    on = min(as_of, found.horizon)
    try:
        quote = deps.market.quote(found.symbol, on=on)
        close = next(f for f in quote if f.metric == "last_close")
        distance = distance_to_target(close, found.level, found.horizon)
    except (PriceError, ValueError, StopIteration, MetricError):
        return
    c, d = ledger.add_figure(close), ledger.add_figure(distance)
    row.horizon = found.horizon
    row.at_horizon = as_of >= found.horizon
    row.distance = f"{distance.display(lang)} [{d}] ({close.display(lang)} [{c}], {close.end})"


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
    for section in sections:  # no empty section: say plainly that nothing covered it
        if not section.text.strip():
            section.text = NOT_COVERED[plan.language]
    views = view_rows(deps, ledger, plan.end, plan.language)
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
    ] + [
        # read as the table shows it: under its "distance to the target" column
        f"{'距目标' if lang == 'zh' else 'Distance to the target'}: {v.distance}"
        for v in views
        if v.distance
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
    findings = [f"{f.kind}: {f.text} ({f.detail})" for f in verification.findings]
    if deps.news is not None and deps.news.views:  # who said it, and which side they are on
        stances = {v.person: v.stance for v in deps.news.views}
        findings += [f.line() for f in check_attributions(body, ledger, stances)]
    # a forecast whose horizon has passed is measured at its horizon, on purpose
    horizons = {v.horizon for v in views if v.at_horizon}
    findings += [  # every figure at the report's as-of (a stale one is flagged as stale)
        f"as_of: {f.symbol} {f.metric} is as of {f.as_of}, the report as of {as_of}"
        for f in figures
        if f.as_of and f.as_of != as_of and not f.stale and f.end not in horizons
    ]
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
            findings=findings,
        ),
        usage=_total(plan.usage, deps.meter.usage()),
        stopped=stopped,
        symbols=plan.symbols,
        start=plan.start,
        end=plan.end,
        disclaimer=footer(lang, provider, as_of, hypothetical=True),
        plan=plan,
    )
    return report, ledger


def _total(*parts: Usage) -> Usage:
    total = Usage()
    for part in parts:
        total.add(part)
    return total
