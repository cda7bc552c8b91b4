"""What the app's pages show, gathered from the library and the market: plain data, no widgets.

Missing market data never raises here: each view carries the error message and the hint that
says how to get the prices, so a page can explain instead of failing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from assistant.grounding.guard import host_allowed
from tools.prices.base import PriceError

if TYPE_CHECKING:
    from assistant.factcheck.claims import CheckedClaim
    from assistant.ports import Library, Market
    from knowledge import Document
    from knowledge.documents import SourceEntry
    from tools.figure import Figure

SPARK_SESSIONS = 30
WINDOW_DAYS_MAX = 370  # a date further back than this is not the analysis window


# ---- quotes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """One ticker's last close and day change (with receipts), a sparkline, or why not."""

    symbol: str
    name: str
    close: Figure | None = None
    change: Figure | None = None
    spark: list[float] = field(default_factory=list)
    error: str = ""
    hint: str = ""
    cause: str = ""  # why there is no quote, for the page's own words (`no_prices_text`)

    @property
    def as_of(self) -> dt.date | None:
        return self.close.as_of if self.close else None

    @property
    def stale(self) -> bool:
        return bool(self.close and self.close.stale)


def quote(market: Market, symbol: str, lang: str = "en", on: dt.date | None = None) -> Quote:
    """Return the quote of one symbol: latest stored session, or the session on or before `on`."""
    from assistant.errors import cause_of, market_errors
    from tools.symbols import symbol_name

    name = symbol_name(symbol, "zh" if lang.startswith("zh") else "en")
    try:
        close, change = market.quote(symbol, on)
        start = close.as_of or close.end
        spark: list[float] = []
        if start is not None:
            from tools import calendar

            first = calendar.sessions_back(start, SPARK_SESSIONS)[0].date()
            frame = market.source.history(close.symbol, first, start).frame
            spark = [round(float(v), 4) for v in frame["Close"].tolist()]
        return Quote(close.symbol, name, close, change, spark)
    except market_errors() as exc:
        message = exc.message if isinstance(exc, PriceError) else str(exc)
        return Quote(symbol, name, error=message, hint=_hint(exc), cause=cause_of(exc))


def quotes(
    market: Market, symbols: Iterable[str], lang: str = "en", on: dt.date | None = None
) -> list[Quote]:
    """Return one quote per symbol, in order."""
    return [quote(market, s, lang, on) for s in symbols]


def _hint(exc: Exception) -> str:
    hint = exc.hint if isinstance(exc, PriceError) else ""
    return hint or "Import prices as CSV on the Settings page, or run `footnote prices import`."


# ---- what happened next -------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One ticker's move since a news item was published: from the close before the
    publication date to the latest stored session, with receipts; or why not."""

    symbol: str
    name: str
    change: Figure | None = None
    points: Figure | None = None
    error: str = ""
    hint: str = ""

    def receipt_entries(self, first: int = 1) -> list[dict[str, object]]:
        """The figures as citation entries (the shape `receipts()` reads), numbered from `first`."""
        figures = [f for f in (self.change, self.points) if f is not None]
        return [{"n": first + i, "kind": "figure", **f.to_json()} for i, f in enumerate(figures)]


def moves_since(market: Market, doc: Document, lang: str = "en", limit: int = 6) -> list[Move]:
    """Return the move of each of `doc`'s tickers since its publication to the latest session.

    The move runs from the close of the session before the publication date (the last price
    a reader of the item could know) to the close of the symbol's latest stored session.
    """
    from assistant.errors import market_errors
    from tools import calendar
    from tools.symbols import symbol_name

    if doc.published is None:
        return []
    zh = "zh" if lang.startswith("zh") else "en"
    out = []
    for symbol in doc.tickers[:limit]:
        name = symbol_name(symbol, zh)
        try:
            last = market.last_session(symbol) or calendar.session_on_or_before(market.today())
            start = calendar.session_on_or_after(doc.published)
            if last < start:
                raise PriceError(
                    f"No session for {symbol} after {doc.published} in the stored data "
                    f"(they end {last}).",
                    "Update prices with `footnote prices update`.",
                )
            change = market.period_return(symbol, start, last, "prev_close")
            points = market.change_points(symbol, start, last, "prev_close")
            out.append(Move(change.symbol, name, change, points))
        except market_errors() as exc:
            from assistant.errors import explain_error

            # the reader's paragraph (no transport text), with the command that fixes it
            out.append(Move(symbol, name, error=explain_error(exc, zh, [symbol]), hint=""))
    return out


# ---- news items ---------------------------------------------------------------------------


def pick_translations(docs: Iterable[Document], lang: str) -> list[Document]:
    """Keep one document per item (the one in `lang` when there is one), newest first."""
    chosen: dict[str, Document] = {}
    for doc in docs:
        held = chosen.get(doc.group_id)
        if held is None or (held.language != lang and doc.language == lang):
            chosen[doc.group_id] = doc
    return sorted(
        chosen.values(), key=lambda d: (d.published or dt.date.min, d.title), reverse=True
    )


def news_items(library: Library, lang: str) -> list[Document]:
    """Return the news items, one per translation group, newest first."""
    return pick_translations(library.documents("news"), lang)


def news_item(library: Library, doc_id: str, lang: str) -> Document | None:
    """Return the document `doc_id` names (a document or item id), in `lang` when translated."""
    doc: Document | None = library.get(doc_id)
    group = doc.group_id if doc is not None else doc_id
    siblings = [d for d in library.documents() if d.group_id == group]
    if doc is not None and doc not in siblings:
        siblings.append(doc)
    picked = pick_translations(siblings, lang)
    return picked[0] if picked else None


def analysis_window(doc: Document) -> tuple[dt.date, dt.date] | None:
    """Return the window the analysis measures: its first dated span up to the session before it."""
    from assistant.grounding.dates import find_dates
    from tools import calendar

    if doc.published is None:
        return None
    end = calendar.previous_session(doc.published)
    earliest = end - dt.timedelta(days=WINDOW_DAYS_MAX)
    for section in doc.sections:
        for day in find_dates(section.text, doc.published.year):
            if earliest <= day < end:
                return calendar.session_on_or_after(day), end
    return calendar.sessions_back(end, 40)[0].date(), end


@dataclass(frozen=True)
class Related:
    """Another item that shares tickers or tags with this one."""

    doc: Document
    shared_tickers: list[str]
    shared_tags: list[str]


def related(library: Library, doc: Document, lang: str, limit: int = 5) -> list[Related]:
    """Return items sharing tickers or tags with `doc`, most shared first."""
    found: list[tuple[int, Related]] = []
    for other in pick_translations(library.documents(), lang):
        if other.group_id == doc.group_id:
            continue
        tickers = [t for t in other.tickers if t in doc.tickers]
        tags = [t for t in other.tags if t in doc.tags]
        if tickers or tags:
            found.append((2 * len(tickers) + len(tags), Related(other, tickers, tags)))
    found.sort(key=lambda pair: (-pair[0], pair[1].doc.title))
    return [r for _, r in found[:limit]]


def markers(text: str) -> list[int]:
    """Return the citation numbers `[n]` in `text`, in order of first use."""
    from knowledge.text import citations

    return citations(text)


def safe_link(url: str | None) -> str | None:
    """Return `url` when links to its host may be shown, else None."""
    return url if url and host_allowed(url) else None


def link_host(url: str | None) -> str:
    """Return the host of `url` (shown as plain text when the link itself is not)."""
    from urllib.parse import urlparse

    return (urlparse(url).hostname or "") if url else ""


_IMPORTED = {
    "en": "An imported document, shown as written: the marked figures are checked against market "
    "data; for information only, not investment advice.",
    "zh": "导入的文档，按原文显示：标注的数字已用行情数据核对；仅供参考，不构成投资建议。",
}


def written_by_footnote(doc: Document) -> bool:
    """True for what Footnote wrote (its demo items); False for a document someone imported."""
    from pathlib import PurePath

    if not doc.origin:
        return False
    folder = PurePath(doc.origin).parent
    return folder.name == "demo" and folder.parent.name == "knowledge"


def disclaimer(lang: str, doc: Document | None = None) -> str:
    """Return the standing disclaimer in `lang`: "AI-generated" only for what Footnote wrote."""
    from assistant.grounding.answer import footer

    zh = lang.startswith("zh")
    if doc is not None and not written_by_footnote(doc):
        return _IMPORTED["zh" if zh else "en"]
    return footer("zh" if zh else "en", None, None, False)


# ---- signals to monitor -------------------------------------------------------------------

SignalState = Literal["triggered", "not_triggered", "untracked", "no_data"]
_SIGNAL_HEADING = re.compile(r"(?i)signal|monitor|watch|信号|关注|监测")
_ITEM = re.compile(r"(.+?(?:\[\d+\])+)\s*[,，、；;.。]?\s*")
_LEAD = re.compile(r"(?i)^(?:and\s+|watch for\s+|留意以下信号[:：]\s*|以及)")
_SMA = re.compile(r"(?i)moving average|\bSMA\b|均线")
_HIGH = re.compile(r"(?i)52-week high|52周高|52 周高")
_BELOW = re.compile(r"(?i)below|under|跌破|低于")


@dataclass(frozen=True)
class Signal:
    """One signal the item says to watch, and what the latest data says about it."""

    text: str
    sources: list[int]
    state: SignalState
    figures: list[Figure] = field(default_factory=list)
    error: str = ""
    cause: str = ""


def signal_texts(doc: Document) -> list[str]:
    """Return the items of the document's 'signals to monitor' section, one per cited signal."""
    section = next((s for s in doc.sections if _SIGNAL_HEADING.search(s.heading)), None)
    if section is None:
        return []
    items = [_LEAD.sub("", m.group(1).strip()) for m in _ITEM.finditer(section.text)]
    return [i[:1].upper() + i[1:] for i in items if i]


def signals(doc: Document, market: Market) -> list[Signal]:
    """Return the item's signals, each with its live status where market data can tell."""
    from assistant.errors import cause_of, market_errors

    symbol = doc.tickers[0] if doc.tickers else None
    out: list[Signal] = []
    for text in signal_texts(doc):
        cited = markers(text)
        try:
            if symbol and _SMA.search(text):
                close, _ = market.quote(symbol)
                sma, distance = market.sma(symbol, close.as_of)
                below = close.value < sma.value
                hit = below if _BELOW.search(text) else not below
                state: SignalState = "triggered" if hit else "not_triggered"
                out.append(Signal(text, cited, state, [close, sma, distance]))
            elif symbol and _HIGH.search(text):
                close, _ = market.quote(symbol)
                high, _low = market.range_52w(symbol, close.as_of)
                state = "triggered" if close.value >= high.value else "not_triggered"
                out.append(Signal(text, cited, state, [close, high]))
            else:
                out.append(Signal(text, cited, "untracked"))
        except market_errors() as exc:
            out.append(Signal(text, cited, "no_data", error=str(exc), cause=cause_of(exc)))
    return out


# ---- expert views ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertRow:
    """One expert view of an item, and for a forecast with a level and a horizon its distance
    from the latest close (or from the horizon's close once it has passed), with receipts."""

    person: str
    organisation: str | None
    stance: str
    claim: str
    figure: str | None
    source: int | None
    horizon: dt.date | None = None
    close: Figure | None = None
    distance: Figure | None = None
    at_horizon: bool = False
    error: str = ""


def expert_views(doc: Document, market: Market) -> list[ExpertRow]:
    """The item's expert views (people only: a data provider is a source), forecasts tracked."""
    from assistant.chat.offline import pieces
    from assistant.errors import market_errors
    from tools.metrics.levels import distance_to_target

    rows: list[ExpertRow] = []
    for view in pieces.views(doc):
        row = ExpertRow(
            view.person,
            view.organisation,
            view.stance,
            view.claim,
            view.figure,
            view.source,
        )
        found = pieces.forecast(view, doc.tickers)
        if found is not None:
            try:
                latest = next(f for f in market.quote(found.symbol) if f.metric == "last_close")
                close = latest
                if latest.as_of is not None and latest.as_of >= found.horizon:
                    quote = market.quote(found.symbol, on=found.horizon)
                    close = next(f for f in quote if f.metric == "last_close")
                distance = distance_to_target(close, found.level, found.horizon)
                row = replace(
                    row,
                    horizon=found.horizon,
                    close=close,
                    distance=distance,
                    at_horizon=close is not latest,
                )
            except (StopIteration, ValueError) as exc:
                row = replace(row, horizon=found.horizon, error=str(exc) or "no close")
            except market_errors() as exc:
                row = replace(row, horizon=found.horizon, error=str(exc))
        rows.append(row)
    return rows


# ---- fact-check ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FactMark:
    """One checked claim: where it sits in the text, the verdict and why."""

    start: int
    end: int
    verdict: str
    claim: str
    detail: str = ""
    section: int | None = None


@dataclass(frozen=True)
class FactSummary:
    """The fact-check of one document: its marks and counts by verdict."""

    marks: list[FactMark]

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for mark in self.marks:
            out[mark.verdict] = out.get(mark.verdict, 0) + 1
        return out

    @property
    def holding(self) -> int:
        return sum(n for v, n in self.counts.items() if v.startswith("holds"))

    @property
    def checkable(self) -> int:
        """Marks the market data could judge (a quoted or undated number is not one)."""
        return len(self.marks) - self.counts.get("unverifiable", 0)


def summarize_checks(results: Sequence[CheckedClaim]) -> FactSummary:
    """The marks of a document's checked claims, for the news page and the feed badge."""
    return FactSummary([_mark(r) for r in results])


def _mark(result: CheckedClaim) -> FactMark:
    claim = result.claim
    return FactMark(
        start=claim.span[0],
        end=claim.span[1],
        verdict=result.verdict,
        claim=claim.raw,
        detail=" ".join(x for x in (result.note, result.receipt) if x),
        section=None,
    )


def section_marks(doc: Document, summary: FactSummary) -> dict[int, list[FactMark]]:
    """Return the marks per section index, offsets made relative to the section's text.

    A mark that names its section is taken as relative to it already; otherwise its offsets
    are read against `doc.text()` (headings included, sections joined by blank lines).
    """
    out: dict[int, list[FactMark]] = {}
    bounds: list[tuple[int, int]] = []
    at = 0
    for section in doc.sections:
        head = len(section.heading) + 1 if section.heading else 0
        bounds.append((at + head, at + head + len(section.text)))
        at += head + len(section.text) + 2
    for mark in summary.marks:
        if mark.section is not None:
            out.setdefault(int(mark.section), []).append(mark)
            continue
        for i, (first, last) in enumerate(bounds):
            if first <= mark.start and mark.end <= last:
                moved = FactMark(
                    mark.start - first, mark.end - first, mark.verdict, mark.claim, mark.detail, i
                )
                out.setdefault(i, []).append(moved)
                break
    return out


def attribution_marks(doc: Document) -> list[FactMark]:
    """The attribution check on an item's analysis, as marks like a fact-check's (verdict
    "attribution", offsets in the section's text): a sentence naming a person or firm must cite
    a source entry that names them; a stance must be the one the item's views give; a risks
    section lists no bullish view and an opportunities section no bearish one."""
    from assistant.grounding.attribution import check_attributions
    from assistant.reading.people import people_index

    def says(s: SourceEntry) -> str:
        return " ".join([s.person or "", s.publisher, s.title or "", s.summary]).lower()

    # one article quoted as several entries ("quoted in the same report as Hirsch"): each entry
    # names whom the article names
    article: dict[str, list[str]] = {}
    for s in doc.sources:
        article.setdefault(s.url or s.title or f"#{s.n}", []).append(says(s))
    named = {s.n: " ".join(article[s.url or s.title or f"#{s.n}"]) for s in doc.sources}
    stances = {v.person: v.stance for v in doc.views if v.person}
    names = people_index(doc.sources)
    marks: list[FactMark] = []
    for i, section in enumerate(doc.sections):
        head = f"{section.heading}\n" if section.heading else ""  # the heading names the list
        for found in check_attributions(head + section.text, named, stances, names):
            if found.start is None or found.end is None or found.start < len(head):
                continue
            start, end = found.start - len(head), found.end - len(head)
            marks.append(FactMark(start, end, "attribution", found.text, found.detail, i))
    return marks
