"""The offline composer: call the tools a route needs, then write the answer from templates.

Every number in the text comes from a Figure's `display()` (or from the question itself), and
every sentence that carries one cites the ledger entry it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from assistant.chat.offline.router import KNOWLEDGE_INTENTS, METRIC_INTENTS, Route
from assistant.chat.offline.templates import CONVENTIONS, SUGGESTIONS, text
from assistant.errors import explain_error
from assistant.grounding.dates import find_dates
from assistant.grounding.guard import strip_instructions
from assistant.grounding.language import Lang
from assistant.grounding.ledger import Ledger
from assistant.grounding.numbers import extract_numbers
from assistant.grounding.verifier import CLOSE_WORDS as _CLOSE_WORDS
from assistant.toolbox import SMA_WINDOW, Toolbox
from knowledge.documents import Document
from knowledge.passage import Passage
from knowledge.text import strip_citations
from tools import calendar as nyse
from tools.figure import Figure
from tools.prices.base import PriceError
from tools.symbols import find_symbols, symbol_name

DEFAULT_BENCHMARK = "^GSPC"
_SENTENCE_BREAK = re.compile(r"(?<=[。！？；!?])|(?<=\.)\s+|\n+")

# Extra queries per kind of question, in words that fit any market item; the item's own tags are
# added when a news item is bound (no corpus's topics are written here).
KNOWLEDGE_QUERIES: dict[str, dict[Lang, str]] = {
    "drivers": {
        "en": "what drove the move: rate expectations, seasonality, earnings growth, valuation",
        "zh": "行情的驱动因素 利率预期 季节性 盈利增长 估值",
    },
    "views": {"en": "expert views bull and bear", "zh": "专家观点 看多 看空"},
    "experts": {"en": "what the analyst said", "zh": "分析师的观点"},
    "risks": {"en": "main risks to the move", "zh": "主要风险因素"},
    "opportunities": {"en": "opportunities", "zh": "机遇 机会"},
    "signals": {"en": "warning signals to monitor", "zh": "需要监测的预警信号"},
    "valuation": {
        "en": "valuation forward P/E discount or premium",
        "zh": "估值 远期市盈率 折价",
    },
    "summary": {"en": "summary of the key points", "zh": "核心信息摘要"},
    "sustainability": {
        "en": "is the move sustainable, structural versus cyclical drivers",
        "zh": "行情的可持续性 结构性与周期性因素",
    },
}


@dataclass
class Composed:
    text: str
    system: bool = False  # a fixed message (error, help), not an answer built from evidence
    hypothetical: bool = False
    suggestions: list[str] = field(default_factory=list)
    stale_as_of: date | None = None
    provider: str | None = None
    as_of: date | None = None


def _figures(result: Figure | Sequence[Figure]) -> list[Figure]:
    return [result] if isinstance(result, Figure) else list(result)


def _pick(figures: Sequence[Figure], metric: str, **params: Any) -> Figure | None:
    for f in figures:
        if f.metric == metric and all(f.params.get(k) == v for k, v in params.items()):
            return f
    return None


class OfflineComposer:
    """Answer a routed question with the same tools the agent uses, without a model."""

    def __init__(self, box: Toolbox) -> None:
        self.box = box
        self._latest = False
        self._noted: set[tuple[object, ...]] = set()  # data notes said once per answer
        self._convention: str = box.convention

    # ---- entry point -------------------------------------------------------------------

    def compose(
        self,
        route: Route,
        question: str,
        ledger: Ledger,
        ref: date,
        news: Document | None = None,
    ) -> Composed:
        lang = route.language
        # Without a news item, "latest" means the latest session with data (stale if need be).
        self._latest = news is None
        # where a return starts: the question's words, else the setting
        self._convention = route.convention or self.box.convention
        try:
            if route.intent == "forecast":
                out = Composed(text("forecast", lang), system=True, hypothetical=True)
            elif route.intent == "compound":
                out = self._compound(route, ledger)
            elif route.premise is not None and route.symbols:
                out = self._premise(route, ledger, ref)
            elif route.intent in METRIC_INTENTS:
                out = self._metric(route, ledger, ref)
            elif route.intent in KNOWLEDGE_INTENTS:
                out = self._knowledge(route, question, ledger, ref, news)
            else:
                out = Composed(text("unknown", lang), system=True)
        except (PriceError, ValueError) as exc:  # ValueError: symbol, calendar and metric errors
            # the reader's words for it: the window asked and the fix, never the transport's text
            message = explain_error(exc, lang, route.symbols)
            out = Composed(text("data_error", lang, message=message), system=True)
        group = (
            "metric"
            if route.intent in METRIC_INTENTS
            else "knowledge"
            if route.intent in KNOWLEDGE_INTENTS
            else "other"
        )
        out.suggestions = out.suggestions or SUGGESTIONS[group][lang]
        self._provenance(out, ledger)
        return out

    def _provenance(self, out: Composed, ledger: Ledger) -> None:
        figures = ledger.figures
        if not figures:
            return
        out.as_of = max((f.as_of for f in figures if f.as_of), default=None)
        out.provider = figures[0].provider
        stale = [f for f in figures if f.stale]
        if stale:
            out.stale_as_of = max((f.as_of for f in stale if f.as_of), default=None)

    # ---- metrics -----------------------------------------------------------------------

    def _window(self, route: Route, ref: date) -> tuple[date, date]:
        end = ref
        start = ref - timedelta(days=30)
        if route.window is not None:
            # An end the user wrote out is honoured even past the reference day (the news
            # date); the answer then says it used later data.
            end = route.window.end or ref
            start = route.window.start or start
        if start > end:
            start = end - timedelta(days=30)
        return start, end

    def _metric(self, route: Route, ledger: Ledger, ref: date) -> Composed:
        lang = route.language
        symbols = route.symbols
        if route.intent == "sectors":
            return self._sectors(route, ledger, ref)
        if route.premise is not None and symbols:
            return self._premise(route, ledger, ref)
        if not symbols:
            return Composed(text("need_symbol", lang), system=True)
        start, end = self._window(route, ref)
        lines: list[str] = []
        notes: list[str] = []
        if route.intent in ("return", "compare"):
            lines += self._returns(
                symbols, start, end, lang, ledger, explicit=route.window is not None
            )
        elif route.intent == "volatility":
            for s in symbols:
                figs = _figures(self.box.volatility(s, start, end))
                daily, annual = _pick(figs, "volatility_daily"), _pick(figs, "volatility_annual")
                if daily and annual:
                    lines.append(
                        text(
                            "vol",
                            lang,
                            name=symbol_name(s, lang),
                            start=daily.start,
                            end=daily.end,
                            daily=daily.display(lang),
                            annual=annual.display(lang),
                            n=ledger.add_figure(daily),
                            m=ledger.add_figure(annual),
                        )
                    )
                notes += self._data_notes(figs, lang, ledger)
        elif route.intent == "sma":
            for s in symbols:
                for window in route.sma_windows or [SMA_WINDOW]:
                    lines += self._sma_lines(s, end, lang, ledger, window)
            lines.append(text("sma_support", lang, window=(route.sma_windows or [SMA_WINDOW])[0]))
        elif route.intent == "range_52w":
            for s in symbols:
                lines += self._range_lines(s, end, lang, ledger)
        elif route.intent == "drawdown":
            for s in symbols:
                fig = _figures(self.box.max_drawdown(s, start, end))[0]
                lines.append(
                    text(
                        "drawdown",
                        lang,
                        name=symbol_name(s, lang),
                        start=fig.start,
                        end=fig.end,
                        dd=fig.display(lang),
                        peak=fig.params.get("peak"),
                        trough=fig.params.get("trough"),
                        n=ledger.add_figure(fig),
                    )
                )
        elif route.intent == "beta":
            bench = symbols[1] if len(symbols) > 1 else DEFAULT_BENCHMARK
            s = symbols[0] if symbols[0] != bench else "^RUT"
            figs = _figures(self.box.beta(s, start, end, bench))
            beta, corr = _pick(figs, "beta"), _pick(figs, "correlation")
            if beta and corr:
                lines.append(
                    text(
                        "beta",
                        lang,
                        name=symbol_name(s, lang),
                        bench=symbol_name(bench, lang),
                        start=beta.start,
                        end=beta.end,
                        beta=beta.display(lang),
                        corr=corr.display(lang),
                        n=ledger.add_figure(beta),
                        m=ledger.add_figure(corr),
                    )
                )
        elif route.intent in ("quote", "close_on"):
            for s in symbols:
                lines += self._quote_lines(s, route.day, ref, lang, ledger)
        for f in ledger.figures:
            notes += self._data_notes([f], lang, ledger)
        return Composed("\n".join([*lines, *dict.fromkeys(notes)]))

    def _returns(
        self, symbols: list[str], start: date, end: date, lang: Lang, ledger: Ledger, explicit: bool
    ) -> list[str]:
        lines = []
        conv = self._convention
        if len(symbols) > 1:
            # Symbols whose data end on different sessions are compared up to the earliest one,
            # and the answer names the symbols that stop short.
            lasts = {s: self.box.period_return(s, start, end, conv).end for s in symbols}
            known = {s: d for s, d in lasts.items() if d is not None}
            if len(set(known.values())) > 1:
                common, latest = min(known.values()), max(known.values())
                items = [
                    text("last_session", lang, name=symbol_name(s, lang), day=d)
                    for s, d in known.items()
                    if d < latest
                ]
                lines.append(
                    text(
                        "common_end",
                        lang,
                        latest=latest,
                        items=text("list_sep", lang).join(items),
                        common=common,
                    )
                )
                end = common
            figs = _figures(self.box.compare_performance(symbols, start, end, conv))
        else:
            figs = _figures(self.box.period_return(symbols[0], start, end, conv))
        returns = [f for f in figs if f.metric == "return"]
        for s in symbols:
            ret = next((f for f in returns if f.symbol == s), None)
            pts = _figures(self.box.change_points(s, start, end, conv))[0]
            if ret is None:
                continue
            lines.append(
                text(
                    "return",
                    lang,
                    name=symbol_name(s, lang),
                    ret=ret.display(lang),
                    pts=pts.display(lang),
                    start=ret.start,
                    end=ret.end,
                    convention=CONVENTIONS[conv][lang],
                    n=ledger.add_figure(ret),
                    m=ledger.add_figure(pts),
                )
            )
            if explicit:
                other = "open" if conv == "prev_close" else "prev_close"
                try:
                    alt = _figures(self.box.period_return(s, start, end, other))[0]
                except (PriceError, ValueError):  # the data start too late for the other one
                    continue
                lines.append(
                    text(
                        "return_alt",
                        lang,
                        convention=CONVENTIONS[other][lang].removeprefix("口径："),
                        ret=alt.display(lang),
                        n=ledger.add_figure(alt),
                    )
                )
        for spread in (f for f in figs if f.metric == "spread"):
            a, _, b = spread.symbol.partition(" - ")
            lines.append(
                text(
                    "spread",
                    lang,
                    a=symbol_name(a, lang),
                    b=symbol_name(b, lang),
                    spread=spread.display(lang),
                    n=ledger.add_figure(spread),
                )
            )
        if len(returns) > 1:
            best = max(returns, key=lambda f: f.value)
            lines.append(text("leader", lang, name=symbol_name(best.symbol, lang)))
        return lines

    def _sma_lines(
        self, symbol: str, at: date, lang: Lang, ledger: Ledger, window: int = SMA_WINDOW
    ) -> list[str]:
        figs = _figures(self.box.moving_average(symbol, at, window))
        sma, dist = _pick(figs, "sma"), _pick(figs, "sma_distance")
        if not (sma and dist):
            return []
        side = _side(dist.value, lang)
        return [
            text(
                "sma",
                lang,
                at=sma.end or sma.as_of,
                name=symbol_name(symbol, lang),
                window=window,
                sma=sma.display(lang),
                dist=dist.display(lang),
                side=side,
                n=ledger.add_figure(sma),
                m=ledger.add_figure(dist),
            )
        ]

    def _range_lines(self, symbol: str, at: date, lang: Lang, ledger: Ledger) -> list[str]:
        lines = []
        intraday = _figures(self.box.range_52w(symbol, at, basis="intraday"))
        high, low = _pick(intraday, "high_52w"), _pick(intraday, "low_52w")
        if high and low:
            lines.append(
                text(
                    "range",
                    lang,
                    at=high.end or at,
                    name=symbol_name(symbol, lang),
                    low=low.display(lang),
                    low_day=low.params.get("session"),
                    high=high.display(lang),
                    high_day=high.params.get("session"),
                    n=ledger.add_figure(low),
                    m=ledger.add_figure(high),
                )
            )
        closes = _figures(self.box.range_52w(symbol, at, basis="close"))
        chigh, clow = _pick(closes, "high_52w"), _pick(closes, "low_52w")
        if chigh and clow:
            lines.append(
                text(
                    "range_close",
                    lang,
                    low=clow.display(lang),
                    high=chigh.display(lang),
                    n=ledger.add_figure(clow),
                    m=ledger.add_figure(chigh),
                )
            )
        return lines

    def _quote_lines(
        self, symbol: str, day: date | None, ref: date, lang: Lang, ledger: Ledger
    ) -> list[str]:
        lines = []
        name = symbol_name(symbol, lang)
        if day is not None and day <= ref and not nyse.is_session(day):
            prev = nyse.previous_session(day)
            why = (
                ("weekend" if day.weekday() >= 5 else "holiday")
                if lang == "en"
                else ("周末" if day.weekday() >= 5 else "假日")
            )
            lines.append(
                text("closed_day", lang, day=day.isoformat(), why=why, prev=prev.isoformat())
            )
            day = prev
        if day is None and self._latest:
            figs = _figures(self.box.quote(symbol))
        else:
            figs = _figures(self.box.quote(symbol, day or ref))
        close, chg = _pick(figs, "last_close"), _pick(figs, "day_change")
        if close and chg:
            lines.append(
                text(
                    "quote",
                    lang,
                    name=name,
                    close=close.display(lang),
                    day=close.end or close.as_of,
                    chg=chg.display(lang),
                    n=ledger.add_figure(close),
                    m=ledger.add_figure(chg),
                )
            )
            lines += self._close_conflicts(symbol, close, lang, ledger)
        return lines

    def _close_conflicts(self, symbol: str, close: Figure, lang: Lang, ledger: Ledger) -> list[str]:
        """Stored documents that give another close for the same day: show them, keep the data."""
        day = close.end
        if day is None:
            return []
        hits: list[Passage] = self.box.search_knowledge(
            f"{symbol_name(symbol, 'en')} close {day}", k=5
        )
        lines: list[str] = []
        for passage in hits:
            body, _ = strip_instructions(passage.text)
            for sentence in _SENTENCE_BREAK.split(body):
                if (
                    not sentence
                    or not _CLOSE_WORDS.search(sentence)
                    or symbol not in find_symbols(sentence)
                ):
                    continue
                if day not in find_dates(sentence, day.year):
                    continue
                for m in extract_numbers(sentence):
                    near = 0.5 * close.value <= abs(m.value) <= 1.5 * close.value
                    if (
                        m.unit in ("points", "usd", "plain")
                        and near
                        and abs(m.value - close.value) > m.tolerance
                    ):
                        lines.append(
                            text(
                                "conflict",
                                lang,
                                claimed=m.raw,
                                p=ledger.add_passage(passage),
                                close=close.display(lang),
                                n=ledger.add_figure(close),
                            )
                        )
        return lines[:2]

    def _sectors(self, route: Route, ledger: Ledger, ref: date) -> Composed:
        lang = route.language
        day = route.day or (route.window.end if route.window and route.window.end else None) or ref
        if not nyse.is_session(day):
            day = nyse.previous_session(day)
        figs = sorted(_figures(self.box.sector_performance(day)), key=lambda f: -f.value)
        if not figs:
            return Composed(text("data_error", lang, message="no sector data"))
        ranked_on = figs[0].end or day
        lines = [text("sector_head", lang, day=ranked_on)]
        missing = figs[0].params.get("missing_sectors") or {}
        if missing:
            # A sector without a close on the ranked session is named with its own last session.
            ended = figs[0].params.get("ended_before") or {}
            items = [
                text("last_session", lang, name=symbol_name(s, lang), day=ended[s])
                if s in ended
                else text("no_recent", lang, name=symbol_name(s, lang))
                for s in missing
            ]
            lines.append(
                text(
                    "sector_missing", lang, day=ranked_on, items=text("list_sep", lang).join(items)
                )
            )
        for f in figs:
            lines.append(
                text(
                    "sector_line",
                    lang,
                    name=symbol_name(f.symbol, lang),
                    symbol=f.symbol,
                    chg=f.display(lang),
                    n=ledger.add_figure(f),
                )
            )
        return Composed("\n".join(lines))

    def _premise(self, route: Route, ledger: Ledger, ref: date) -> Composed:
        lang = route.language
        symbol = route.symbols[0]
        claimed = f"{route.premise:+g}%"
        window = route.window
        if window is not None and window.start is not None:
            # "up 3% this month": the claim is about the window, not about one day.
            start, end = self._window(route, ref)
            move = _figures(self.box.period_return(symbol, start, end, "prev_close"))[0]
            key = (
                "premise_window_true"
                if abs(move.value - (route.premise or 0)) < 1
                else "premise_window_false"
            )
            return Composed(
                text(
                    key,
                    lang,
                    start=move.start,
                    end=move.end,
                    name=symbol_name(symbol, lang),
                    chg=move.display(lang),
                    claimed=claimed,
                    n=ledger.add_figure(move),
                )
            )
        day = window.end if window and window.end else (route.day or ref)
        if not nyse.is_session(day):
            day = nyse.previous_session(day)
        figs = _figures(self.box.quote(symbol, day))
        chg = _pick(figs, "day_change")
        if chg is None:
            return Composed(text("unknown", lang), system=True)
        key = "premise_true" if abs(chg.value - (route.premise or 0)) < 1 else "premise_false"
        return Composed(
            text(
                key,
                lang,
                day=chg.end or day,
                name=symbol_name(symbol, lang),
                chg=chg.display(lang),
                claimed=claimed,
                n=ledger.add_figure(chg),
            )
        )

    def _compound(self, route: Route, ledger: Ledger) -> Composed:
        lang = route.language
        rate, periods = route.rate or 0.0, route.periods or 12
        total, simple = self.box.compound_growth(rate, periods)
        period = {12: "month", 52: "week", 4: "quarter", 252: "day"}.get(periods, "period")
        period_zh = {12: "月", 52: "周", 4: "季", 252: "日"}.get(periods, "期")
        count_zh = {12: "个月", 52: "周", 4: "个季度", 252: "个交易日"}.get(periods, "期")
        body = text(
            "compound",
            lang,
            rate=f"{rate:g}%",
            period=period,
            period_zh=period_zh,
            n=periods,
            period_count=count_zh,
            total=total.display(lang),
            simple=simple.display(lang),
            k=ledger.add_figure(total),
            s=ledger.add_figure(simple),
        )
        return Composed(body, hypothetical=True)

    def _data_notes(self, figures: Sequence[Figure], lang: Lang, ledger: Ledger) -> list[str]:
        notes = []
        for f in figures:
            if f.stale and f.as_of and ("stale", f.as_of) not in self._noted:
                self._noted.add(("stale", f.as_of))
                notes.append(text("stale", lang, as_of=f.as_of))
            completeness = f.params.get("completeness")
            have, want = f.params.get("rows"), f.params.get("sessions")
            key = ("partial", f.symbol, have, want)
            if (
                isinstance(completeness, (int, float))
                and completeness < 0.999
                and key not in self._noted
            ):
                self._noted.add(key)
                notes.append(
                    text(
                        "partial",
                        lang,
                        have=have,
                        want=want,
                        pct=f"{completeness:.0%}",
                        n=ledger.add_figure(f),
                    )
                )
        return notes

    # ---- knowledge ---------------------------------------------------------------------

    def _search(
        self,
        query: str,
        lang: Lang,
        news: Document | None,
        k: int = 4,
        record: Literal["chunk", "source"] | None = None,
    ) -> list[Passage]:
        doc_id = news.id if news is not None else None
        hits = self.box.search_knowledge(query, k, language=lang, doc_id=doc_id, record=record)
        if len(hits) < 2:
            if news is not None and news.item_id:
                doc_id = None  # the other translation of the same item may hold it
            hits = self.box.search_knowledge(query, k, doc_id=doc_id, record=record)
        return hits

    def _knowledge(
        self, route: Route, question: str, ledger: Ledger, ref: date, news: Document | None
    ) -> Composed:
        lang = route.language
        intent = route.intent
        query = question
        if intent == "experts" and route.person:
            query = f"{route.person} {question}"
        # Source records (who said what) answer questions about people; text chunks the rest.
        record: Literal["chunk"] | None = None if intent in ("experts", "views") else "chunk"
        hits = self._search(query, lang, news, k=4, record=record)
        if intent in KNOWLEDGE_QUERIES and len(question) < 60:
            topic = " ".join(t.replace("-", " ") for t in news.tags) if news else ""
            extra_query = f"{KNOWLEDGE_QUERIES[intent][lang]} {topic}".strip()
            for extra in self._search(extra_query, lang, news, k=3, record=record):
                if all(extra.chunk_id != h.chunk_id for h in hits):
                    hits.append(extra)
        if route.person:
            surname = route.person.split()[-1].lower()
            named = [h for h in hits if surname in (h.text + str(h.source)).lower()]
            hits = named or hits
        hits = hits[:4]
        if not hits:
            return Composed(text("no_passages", lang), system=True)
        head = text_head(intent, lang, route.person)
        lines = [head]
        for passage in hits:
            sentences = _quote(passage, lang)
            if sentences:
                n = ledger.add_passage(passage)
                joiner = " " if lang == "en" else ""
                lines.append("- " + joiner.join(f"{s} [{n}]" for s in sentences))
        hypothetical = intent in ("sustainability", "opportunities", "views", "experts", "signals")
        if intent in ("signals", "sustainability") and route.symbols[:1] != []:
            lines += self._live_status(route.symbols[0], ref, lang, ledger)
        elif intent in ("signals", "sustainability") and news is not None and news.tickers:
            lines += self._live_status(news.tickers[0], ref, lang, ledger)
        return Composed("\n".join(lines), hypothetical=hypothetical)

    def _live_status(self, symbol: str, ref: date, lang: Lang, ledger: Ledger) -> list[str]:
        try:
            figs = _figures(self.box.moving_average(symbol, ref, 20))
        except PriceError:
            return []
        dist = _pick(figs, "sma_distance")
        if dist is None:
            return []
        side = _side(dist.value, lang, zh_prefix="均线")
        return [
            text(
                "live_status",
                lang,
                name=symbol_name(symbol, lang),
                dist=dist.display(lang),
                window=20,
                side=side,
                n=ledger.add_figure(dist),
            )
        ]


def _side(value: float, lang: Lang, zh_prefix: str = "") -> str:
    """Which side of an average a positive or negative distance puts the close."""
    if lang == "en":
        return "above" if value >= 0 else "below"
    return zh_prefix + ("上方" if value >= 0 else "下方")


def text_head(intent: str, lang: Lang, person: str | None) -> str:
    from assistant.chat.offline.templates import KNOWLEDGE_HEADS

    return KNOWLEDGE_HEADS[intent][lang].format(person=person or "")


def _quote(passage: Passage, lang: Lang, limit: int = 2) -> list[str]:
    """The first sentences of a passage, cleaned, without its own citation markers."""
    body, _ = strip_instructions(passage.text)
    body = strip_citations(body)
    sentences = [s.strip() for s in _SENTENCE_BREAK.split(body) if s and len(s.strip()) > 3]
    if passage.kind == "source" and passage.source is not None:
        who = ", ".join(x for x in (passage.source.person, passage.source.publisher) if x)
        summary, _ = strip_instructions(passage.source.summary or " ".join(sentences[:limit]))
        return [f"{who}: {summary}".strip()] if summary else []
    return sentences[:limit]
