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

from assistant.chat.offline import pieces
from assistant.chat.offline.router import KNOWLEDGE_INTENTS, METRIC_INTENTS, Route
from assistant.chat.offline.templates import CONVENTIONS, SUGGESTIONS, UNSUPPORTED_NAMES, text
from assistant.errors import explain_error
from assistant.grounding.dates import Window
from assistant.grounding.guard import strip_instructions
from assistant.grounding.language import Lang
from assistant.grounding.ledger import Ledger
from assistant.grounding.numbers import extract_numbers
from assistant.grounding.verifier import CLOSE_WORDS as _CLOSE_WORDS
from assistant.reading.claims import read_claims
from assistant.reading.shapes import MetricAsk
from assistant.toolbox import SMA_WINDOW, Toolbox
from knowledge.documents import Document, View
from knowledge.passage import Passage
from knowledge.text import sentence_spans, strip_citations
from tools import calendar as nyse
from tools.figure import Figure
from tools.prices.base import PriceError
from tools.symbols import find_symbols, symbol_name

DEFAULT_BENCHMARK = "^GSPC"
_TO_DATE = frozenset({"since", "ytd", "mtd", "qtd", "trailing", "since_publication"})
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
            elif route.intent == "unsupported":
                out = self._unsupported(route, ledger, ref)
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

    def _asks(self, route: Route) -> list[MetricAsk]:
        return list(route.request.metrics) if route.request is not None else []

    def _at(self, route: Route, ref: date) -> date:
        """The session a point-in-time metric (SMA, 52-week range) is measured at: the end of a
        day or "as of" the question names, else the reference day."""
        period = route.request.period if route.request is not None else None
        if (
            period is not None
            and period.end is not None
            and not period.future
            and (period.kind == "day" or period.as_of_given)
        ):
            return period.end
        return ref

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
        try:
            lines, notes = self._lines(route, symbols, start, end, ref, ledger)
        except PriceError:
            cover = self._cover(route, symbols, start, end) if route.window is not None else None
            if cover is None:
                ended = self._ended(route, symbols, start)
                if ended:
                    return Composed("\n".join(ended), system=True)
                raise
            # The data begin after the period asked starts: say so, then answer for the part
            # the data cover, labelled as a substitute (never as the period asked).
            first, late = cover
            lines = [
                text(
                    "no_cover",
                    lang,
                    name=symbol_name(s, lang),
                    first=d,
                    label=route.window.label if route.window else "",
                    start=start,
                )
                for s, d in late.items()
            ]
            lines.append(
                text("substitute", lang, what=text("sub_window", lang, start=first, end=end))
            )
            more, notes = self._lines(route, symbols, first, end, ref, ledger)
            lines += more
        if route.window is not None and route.intent not in (
            "quote",
            "close_on",
            "sma",
            "range_52w",
        ):
            notes += self._coverage(route, route.window, end, lang, ledger)
        for f in ledger.figures:
            notes += self._data_notes([f], lang, ledger)
        return Composed("\n".join([*lines, *dict.fromkeys(notes)]))

    def _ended(self, route: Route, symbols: list[str], start: date) -> list[str]:
        """Symbols whose stored data end before the period asked begins, said plainly."""
        if route.window is None:
            return []
        lines = []
        for s in symbols:
            last = self.box.market.last_session(s)
            if last is not None and last < start:
                lines.append(
                    text(
                        "ends_before",
                        route.language,
                        name=symbol_name(s, route.language),
                        last=last,
                        label=route.window.label or f"{route.window.start}..{route.window.end}",
                        start=start,
                    )
                )
        return lines

    def _cover(
        self, route: Route, symbols: list[str], start: date, end: date
    ) -> tuple[date, dict[str, date]] | None:
        """When some symbol's data begin inside the window: the first session all of them
        have, and the late symbols with their first session; None when that is not the gap."""
        bench = [a.benchmark for a in self._asks(route) if a.benchmark]
        wanted = list(dict.fromkeys([*symbols, *bench]))
        if route.intent == "beta" and not bench and len(symbols) < 2:
            wanted.append(DEFAULT_BENCHMARK)
        firsts = {s: self.box.first_session(s, start, end) for s in wanted}
        if any(d is None for d in firsts.values()):
            return None
        late = {s: d for s, d in firsts.items() if d is not None and d > start}
        if not late:
            return None
        first = max(late.values())
        if first >= end:
            return None
        return first, late

    def _lines(
        self,
        route: Route,
        symbols: list[str],
        start: date,
        end: date,
        ref: date,
        ledger: Ledger,
    ) -> tuple[list[str], list[str]]:
        """The answer's lines for a metric route over one window, and its data notes."""
        lang = route.language
        asks = self._asks(route)
        names = {a.name for a in asks}
        lines: list[str] = []
        notes: list[str] = []
        if route.intent in ("return", "compare"):
            lines += self._returns(
                symbols,
                start,
                end,
                lang,
                ledger,
                explicit=route.window is not None,
                points_first="change_points" in names and "return" not in names,
            )
        elif route.intent == "volatility":
            annual_first = any(a.name == "volatility" and a.annualised for a in asks)
            for s in symbols:
                figs = _figures(self.box.volatility(s, start, end))
                daily, annual = _pick(figs, "volatility_daily"), _pick(figs, "volatility_annual")
                if daily and annual:
                    lines.append(
                        text(
                            "vol_annual" if annual_first else "vol",
                            lang,
                            name=symbol_name(s, lang),
                            start=daily.start,
                            end=daily.end,
                            daily=daily.display(lang),
                            annual=annual.display(lang),
                            n=ledger.add_figure(annual if annual_first else daily),
                            m=ledger.add_figure(daily if annual_first else annual),
                        )
                    )
                notes += self._data_notes(figs, lang, ledger)
        elif route.intent == "sma":
            at = self._at(route, ref)
            for s in symbols:
                for window in route.sma_windows or [SMA_WINDOW]:
                    lines += self._sma_lines(s, at, lang, ledger, window)
            lines.append(text("sma_support", lang, window=(route.sma_windows or [SMA_WINDOW])[0]))
        elif route.intent == "range_52w":
            at = self._at(route, ref)
            bases = {a.basis for a in asks if a.name in ("high_52w", "low_52w")}
            basis = bases.pop() if len(bases) == 1 else None
            for s in symbols:
                lines += self._range_lines(s, at, lang, ledger, basis)
        elif route.intent == "period_range":
            lines += self._period_range(route, symbols, start, end, lang, ledger)
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
            lines += self._beta(route, symbols, start, end, lang, ledger)
        elif route.intent in ("quote", "close_on"):
            for s in symbols:
                lines += self._quote_lines(s, route.day, ref, lang, ledger)
        return lines, notes

    def _coverage(
        self, route: Route, window: Window, end: date, lang: Lang, ledger: Ledger
    ) -> list[str]:
        """Figures that stop before the period asked ends (the data end earlier) are said to."""
        asked_end = min(end, self.box.market.today())
        if not nyse.is_session(asked_end):
            asked_end = nyse.previous_session(asked_end)
        ends = [f.end for f in ledger.figures if f.end is not None]
        period = route.request.period if route.request is not None else None
        if ends and period is not None and (period.to_date or period.kind in _TO_DATE):
            # "since December", "year to date": up to the latest session the data hold, so
            # only a symbol whose data stop before the others' is short of the period
            asked_end = min(asked_end, max(ends))
        notes = []
        for f in ledger.figures:
            if f.end is not None and f.start is not None and f.end < asked_end:
                notes.append(
                    text(
                        "short_data",
                        lang,
                        name=symbol_name(f.symbol, lang),
                        last=f.end,
                        label=window.label or f"{window.start}..{window.end}",
                        asked=asked_end,
                    )
                )
        return notes

    def _beta(
        self,
        route: Route,
        symbols: list[str],
        start: date,
        end: date,
        lang: Lang,
        ledger: Ledger,
    ) -> list[str]:
        named = next(
            (a.benchmark for a in self._asks(route) if a.name in ("beta", "correlation")), None
        )
        bench = named or (symbols[1] if len(symbols) > 1 else DEFAULT_BENCHMARK)
        subjects = [s for s in symbols if s != bench] or ["^RUT"]
        lines = []
        if named is None and len(symbols) < 2:
            lines.append(text("default_bench", lang, bench=symbol_name(bench, lang)))
        for s in subjects[:3]:
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
        return lines

    def _period_range(
        self,
        route: Route,
        symbols: list[str],
        start: date,
        end: date,
        lang: Lang,
        ledger: Ledger,
    ) -> list[str]:
        """The highest and/or lowest price of the period asked, on closes unless intraday."""
        asks = [a for a in self._asks(route) if a.name in ("period_high", "period_low")]
        wanted = {a.name for a in asks} or {"period_high", "period_low"}
        basis = next((a.basis for a in asks if a.basis), None) or "close"
        lines = []
        for s in symbols:
            figs = _figures(self.box.period_range(s, start, end, basis))
            for metric in ("period_high", "period_low"):
                fig = _pick(figs, metric)
                if fig is None or metric not in wanted:
                    continue
                lines.append(
                    text(
                        f"{metric}_{basis}",
                        lang,
                        name=symbol_name(s, lang),
                        start=fig.start,
                        end=fig.end,
                        value=fig.display(lang),
                        day=fig.params.get("session"),
                        n=ledger.add_figure(fig),
                    )
                )
        return lines

    def _unsupported(self, route: Route, ledger: Ledger, ref: date) -> Composed:
        """A metric no tool computes: say so, and offer the nearest one, labelled as such."""
        lang = route.language
        name = route.unsupported or ""
        shown = UNSUPPORTED_NAMES.get(name, {}).get(lang, name.upper())
        lines = [text("unsupported", lang, metric=shown)]
        symbol = route.symbols[0] if route.symbols else None
        if symbol is not None and name == "ema":
            window = (route.sma_windows or _sma_windows_of(route) or [SMA_WINDOW])[0]
            lines.append(text("substitute", lang, what=text("sub_sma", lang, window=window)))
            lines += self._sma_lines(symbol, self._at(route, ref), lang, ledger, window)
        elif symbol is not None and name in ("sharpe", "atr", "bollinger"):
            start, end = self._window(route, ref)
            figs = _figures(self.box.volatility(symbol, start, end))
            daily, annual = _pick(figs, "volatility_daily"), _pick(figs, "volatility_annual")
            if daily and annual:
                lines.append(text("substitute", lang, what=text("sub_vol", lang)))
                lines.append(
                    text(
                        "vol",
                        lang,
                        name=symbol_name(symbol, lang),
                        start=daily.start,
                        end=daily.end,
                        daily=daily.display(lang),
                        annual=annual.display(lang),
                        n=ledger.add_figure(daily),
                        m=ledger.add_figure(annual),
                    )
                )
        return Composed("\n".join(lines), system=not ledger.figures)

    def _returns(
        self,
        symbols: list[str],
        start: date,
        end: date,
        lang: Lang,
        ledger: Ledger,
        explicit: bool,
        points_first: bool = False,
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
            first, second = (pts, ret) if points_first else (ret, pts)
            lines.append(
                text(
                    "points" if points_first else "return",
                    lang,
                    name=symbol_name(s, lang),
                    ret=ret.display(lang),
                    pts=pts.display(lang),
                    start=ret.start,
                    end=ret.end,
                    convention=CONVENTIONS[conv][lang],
                    n=ledger.add_figure(first),
                    m=ledger.add_figure(second),
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

    def _range_lines(
        self, symbol: str, at: date, lang: Lang, ledger: Ledger, basis: str | None = None
    ) -> list[str]:
        """The 52-week range on the basis asked (intraday, closes), or both when none was."""
        lines = []
        if basis in (None, "intraday"):
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
        if basis in (None, "close"):
            closes = _figures(self.box.range_52w(symbol, at, basis="close"))
            chigh, clow = _pick(closes, "high_52w"), _pick(closes, "low_52w")
            if chigh and clow:
                lines.append(
                    text(
                        "range_close" if basis is None else "range_close_only",
                        lang,
                        at=chigh.end or at,
                        name=symbol_name(symbol, lang),
                        low=clow.display(lang),
                        low_day=clow.params.get("session"),
                        high=chigh.display(lang),
                        high_day=chigh.params.get("session"),
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
                # Read each number for what it claims: a close on this very day, not another
                # level the sentence gives (an opening level at the start of a window, say).
                for claim in read_claims([sentence], day):
                    period = claim.period
                    if (
                        claim.metric is None
                        or claim.metric.name != "last_close"
                        or claim.symbol not in (None, symbol)
                        or period is None
                        or period.start != day
                        or period.end != day
                    ):
                        continue
                    if abs(claim.value - close.value) > _close_tolerance(claim.raw):
                        lines.append(
                            text(
                                "conflict",
                                lang,
                                claimed=claim.raw,
                                p=ledger.add_passage(passage),
                                close=close.display(lang),
                                n=ledger.add_figure(close),
                            )
                        )
        return lines[:2]

    def _sectors(self, route: Route, ledger: Ledger, ref: date) -> Composed:
        window = route.window
        asked = {a.name for a in self._asks(route)}
        if asked & {"volatility", "max_drawdown"}:
            return self._sector_risk(route, ledger, ref, "volatility" in asked)
        if window is not None and window.start is not None and window.start != window.end:
            return self._sector_window(route, window, ledger, ref)
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

    def _sector_risk(self, route: Route, ledger: Ledger, ref: date, volatility: bool) -> Composed:
        """Rank the eleven sectors by the volatility or the max drawdown asked, over the window
        asked (the default window when none was); sectors whose data end earlier apart."""
        from tools.symbols import SECTOR_SYMBOLS

        lang = route.language
        start, end = self._window(route, ref)
        figs: list[Figure] = []
        absent: list[str] = []
        for symbol in SECTOR_SYMBOLS:
            try:
                if volatility:
                    vols = _figures(self.box.volatility(symbol, start, end))
                    found = _pick(vols, "volatility_annual")
                else:
                    found = _figures(self.box.max_drawdown(symbol, start, end))[0]
            except PriceError:
                absent.append(symbol)
                continue
            if found is not None:
                figs.append(found)
        if not figs:
            return Composed(text("data_error", lang, message="no sector data"), system=True)
        last = max(f.end for f in figs if f.end is not None)
        bottom = route.request is not None and route.request.ranking == "bottom"
        # most volatile first, or the deepest (most negative) drawdown first; reversed for
        # "least volatile" / "smallest drawdown"
        descending = volatility != bottom
        ranked = sorted((f for f in figs if f.end == last), key=lambda f: f.value)
        if descending:
            ranked.reverse()
        short = [f for f in figs if f.end != last]
        head = "sector_vol_head" if volatility else "sector_dd_head"
        lines = [text(head, lang, start=figs[0].start, end=last)]
        lines += self._ranking_lines(ranked, short, figs, absent, last, lang, ledger)
        return Composed("\n".join(lines))

    def _sector_window(self, route: Route, window: Window, ledger: Ledger, ref: date) -> Composed:
        """Rank the eleven sectors by their return over the window asked; sectors whose data
        end earlier are listed apart with their own last session, never ranked with the rest."""
        lang = route.language
        start, end = self._window(route, ref)
        figs = _figures(self.box.sector_returns(start, end))
        ranked = [f for f in figs if "ended_before" not in f.params]
        short = [f for f in figs if "ended_before" in f.params]
        if route.request is not None and route.request.ranking == "bottom":
            ranked.reverse()
        last = ranked[0].end if ranked else (figs[0].end if figs else end)
        lines = [
            text(
                "sector_window_head_bottom"
                if route.request is not None and route.request.ranking == "bottom"
                else "sector_window_head",
                lang,
                start=figs[0].start if figs else start,
                end=last,
                convention=CONVENTIONS["prev_close"][lang],
            )
        ]
        missing = (figs[0].params.get("missing_sectors") or {}) if figs else {}
        lines += self._ranking_lines(ranked, short, figs, list(missing), last, lang, ledger)
        return Composed("\n".join(lines))

    def _ranking_lines(
        self,
        ranked: Sequence[Figure],
        short: Sequence[Figure],
        figs: Sequence[Figure],
        absent: Sequence[str],
        last: date | None,
        lang: Lang,
        ledger: Ledger,
    ) -> list[str]:
        """A sector ranking's lines: the ranked funds, those whose data end earlier (apart, with
        their own last session), the data notes once, and the funds with no recent data."""
        lines = [
            text(
                "sector_line",
                lang,
                name=symbol_name(f.symbol, lang),
                symbol=f.symbol,
                chg=f.display(lang),
                n=ledger.add_figure(f),
            )
            for f in ranked
        ]
        if short:
            lines.append(text("sector_short_head", lang, end=last))
            lines += [
                text(
                    "sector_short_line",
                    lang,
                    name=symbol_name(f.symbol, lang),
                    last=f.end,
                    chg=f.display(lang),
                    n=ledger.add_figure(f),
                )
                for f in short
            ]
        lines += list(dict.fromkeys(self._data_notes(figs, lang, ledger)))
        if absent:
            items = [text("no_recent", lang, name=symbol_name(s, lang)) for s in absent]
            lines.append(text("sector_absent", lang, items=text("list_sep", lang).join(items)))
        return lines

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
            # stale data are said once, first, by the chat service (assistant.chat.freshness)
            if f.caveats:
                # an unadjusted step (a split the data do not adjust for) inside the window
                notes.append(
                    text("caveat", lang, name=symbol_name(f.symbol, lang), n=ledger.add_figure(f))
                )
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
        hypothetical = intent in ("sustainability", "opportunities", "views", "experts", "signals")
        doc = self._document(news, hits, lang)
        lines = self._typed(route, doc, ledger) if doc is not None else []
        if not lines:
            lines = self._from_passages(route, question, hits, ledger, news)
        if not lines:
            return Composed(text("no_passages", lang), system=True)
        if intent in ("signals", "sustainability") and route.symbols[:1] != []:
            lines += self._live_status(route.symbols[0], ref, lang, ledger)
        elif intent in ("signals", "sustainability") and news is not None and news.tickers:
            lines += self._live_status(news.tickers[0], ref, lang, ledger)
        return Composed("\n".join(lines), hypothetical=hypothetical)

    def _document(self, news: Document | None, hits: list[Passage], lang: Lang) -> Document | None:
        """The analysis to answer from: the bound news item (in the asker's language when a
        translation is stored), else the document of the best hit."""
        library = self.box.library
        doc = news
        if doc is None and hits:
            doc = library.get(hits[0].doc_id)
        if doc is None or doc.language == lang or not doc.item_id:
            return doc
        for other in library.documents():
            if other.item_id == doc.item_id and other.language == lang:
                return other
        return doc

    def _typed(self, route: Route, doc: Document, ledger: Ledger) -> list[str]:
        """A direct answer first (one or two cited sentences), then the supporting items; built
        from the document's typed items and views. Empty when the document has none."""
        lang = route.language
        intent = route.intent

        def cite(numbers: Sequence[int]) -> str:
            marks = []
            for n in numbers:
                passage = pieces.source_passage(doc, n)
                if passage is not None:
                    marks.append(f"[{ledger.add_passage(passage)}]")
            return "".join(dict.fromkeys(marks))

        def item_line(item: pieces.Item) -> str:
            marks = cite(item.sources)
            return _with_marks(item.text, marks, lang) if marks else ""

        def view_line(view: View) -> str:
            marks = cite([view.source] if view.source is not None else [])
            claim = pieces.figure_first(view, lang)
            if not marks or not claim:
                return ""
            org = f"{view.organisation}, " if view.organisation else ""
            org = org.replace(", ", "，") if lang == "zh" else org
            return text(
                "view_line",
                lang,
                person=view.person,
                org=org,
                stance=text(f"stance_{view.stance}", lang),
                claim=claim,
                n=marks,
            )

        lead: list[str] = []
        more: list[str] = []
        if intent == "experts" and route.person:
            view = pieces.view_for(doc, route.person)
            if view is None:
                return []
            lead = [view_line(view)]
            # supporting sentences name the person (or the firm): a sentence that only shares
            # the source (the sceptics' line citing Hirsch's report) is not his view
            names = [view.person.split()[-1], *([view.organisation] if view.organisation else [])]
            for item in pieces.items(doc, "views") + pieces.items(doc, "drivers"):
                named = any(name.lower() in item.text.lower() for name in names)
                if view.source in item.sources and named and len(more) < 2:
                    more.append(item_line(item))
        elif intent in ("views", "experts"):
            bulls, bears = pieces.views(doc, "bull"), pieces.views(doc, "bear")
            if not bulls and not bears:
                return []
            lead = [self._balance(doc, bulls, bears, lang, cite)]
            more = [view_line(v) for v in [*bulls, *bears, *pieces.views(doc, "neutral")]]
        elif intent == "sustainability":
            found = pieces.items(doc, "insights") or pieces.items(doc, "summary")
            lead = [item_line(i) for i in found[:1]]
            more = [item_line(i) for i in found[1:3]]
            bulls, bears = pieces.views(doc, "bull"), pieces.views(doc, "bear")
            if bulls or bears:
                more.append(self._balance(doc, bulls, bears, lang, cite))
        else:
            found = pieces.items(doc, intent)
            overview = pieces.drivers_answer(doc) if intent == "drivers" else None
            if overview is not None:  # the summary's "X, Y and Z drove it" answers first
                found = [overview, *found]
            lead = [item_line(i) for i in found[:1]]
            more = [item_line(i) for i in found[1:4]]
            if intent == "risks":  # a bearish view is a risk; a bullish one never is
                more += [view_line(v) for v in pieces.views(doc, "bear")]
            elif intent == "opportunities":  # and the reverse
                more += [view_line(v) for v in pieces.views(doc, "bull")[:2]]
        lead = [x for x in lead if x]
        more = [x for x in dict.fromkeys(more) if x and x not in lead]
        if not lead:
            return []
        return [" ".join(lead) if lang == "en" else "".join(lead)] + (
            [text("k_more", lang), *(f"- {x}" for x in more)] if more else []
        )

    @staticmethod
    def _balance(
        doc: Document,
        bulls: list[View],
        bears: list[View],
        lang: Lang,
        cite: Any,
    ) -> str:
        """Who is bullish and who bearish, each name cited to the source of their view."""
        sep = "、" if lang == "zh" else ", "

        def names(group: list[View]) -> str:
            return sep.join(
                f"{v.person}{' ' if lang == 'en' else ''}{cite([v.source] if v.source else [])}"
                for v in group
            )

        if bulls and bears:
            return text("views_both", lang, bulls=names(bulls), bears=names(bears))
        if bulls:
            return text("views_bulls_only", lang, bulls=names(bulls))
        return text("views_bears_only", lang, bears=names(bears))

    def _from_passages(
        self,
        route: Route,
        question: str,
        hits: list[Passage],
        ledger: Ledger,
        news: Document | None,
    ) -> list[str]:
        """Without a typed document: the standing-alone sentences of the best passages."""
        lang = route.language
        intent = route.intent
        record: Literal["chunk"] | None = None if intent in ("experts", "views") else "chunk"
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
        if intent in ("experts", "views"):  # a data provider is a source, not an expert
            hits = [h for h in hits if h.kind != "source" or (h.source and h.source.person)]
        lines: list[str] = []
        for passage in hits[:4]:
            sentences = _quote(passage, lang)
            if sentences:
                n = ledger.add_passage(passage)
                joiner = " " if lang == "en" else ""
                lines.append("- " + joiner.join(_with_marks(s, f"[{n}]", lang) for s in sentences))
        if not lines:
            return []
        first = lines[0][2:]
        return [first] + ([text("k_more", lang), *lines[1:]] if len(lines) > 1 else [])

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
                day=dist.end or ref,
                n=ledger.add_figure(dist),
            )
        ]


def _sma_windows_of(route: Route) -> list[int]:
    """The lengths of the averages a question names, whatever kind of average it names."""
    asks = route.request.metrics if route.request is not None else []
    return [a.window for a in asks if a.name in ("sma", "sma_distance") and a.window]


def _close_tolerance(raw: str) -> float:
    """How far a written close may be from the data and still be the same (its last digit)."""
    mentions = extract_numbers(raw)
    return mentions[0].tolerance if mentions else 0.005


def _side(value: float, lang: Lang, zh_prefix: str = "") -> str:
    """Which side of an average a positive or negative distance puts the close."""
    if lang == "en":
        return "above" if value >= 0 else "below"
    return zh_prefix + ("上方" if value >= 0 else "下方")


def _with_marks(sentence: str, marks: str, lang: Lang) -> str:
    """`sentence` with citation markers before its final stop ("… 2,825 [4].")."""
    body = sentence.rstrip()
    stop = body[-1] if body and body[-1] in ".!?。！？" else ""
    body = body[: len(body) - len(stop)] if stop else body
    if lang == "en":
        return f"{body} {marks}{stop or '.'}"
    return f"{body}{marks}{stop or '。'}"


def _quote(passage: Passage, lang: Lang, limit: int = 2) -> list[str]:
    """The first standing-alone sentences of a passage, cleaned, without its own markers."""
    body, _ = strip_instructions(passage.text)
    body = strip_citations(body)
    found = [
        " ".join(body[a:b].split())
        for a, b in sentence_spans(body, semicolon_ends=False)
        if len(body[a:b].strip()) > 3
    ]
    sentences = [s for s in found if pieces.stands_alone(s)]
    if passage.kind == "source" and passage.source is not None:
        who = ", ".join(x for x in (passage.source.person, passage.source.publisher) if x)
        summary, _ = strip_instructions(passage.source.summary or " ".join(sentences[:limit]))
        summary = " ".join(summary.split())
        return [f"{who}: {summary}".strip()] if summary and who else []
    return sentences[:limit]
