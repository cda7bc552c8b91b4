"""The tools once: what the agent may call, what the offline composer and research sections call.

`Toolbox` computes Figures (with receipts) and finds Passages over one market and library; `TOOLS`
names each tool with its description and argument schema. The LangChain agent binds `TOOLS` as
structured tools and renders the results for the model; the composer calls the same methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from tools import calendar as nyse
from tools.symbols import resolve_symbol

if TYPE_CHECKING:
    from assistant.ports import Library, Market
    from knowledge.documents import Document
    from knowledge.passage import Passage
    from tools.figure import Figure

Convention = Literal["prev_close", "open", "start_close"]
SMA_WINDOW = 20
DEFAULT_BENCHMARK = "^GSPC"


class ReturnArgs(BaseModel):
    symbol: str = Field(description="Ticker, index or name, e.g. ^RUT, Russell 2000, 罗素2000, IWM")
    start: date = Field(description="First day of the window (YYYY-MM-DD)")
    end: date = Field(description="Last day of the window (YYYY-MM-DD)")
    convention: Convention = Field(
        default="prev_close",
        description="prev_close: close before start -> close at end (default); open: open of start -> close at end; start_close: close of start -> close at end",
    )


class CompareArgs(BaseModel):
    symbols: list[str] = Field(min_length=2, max_length=8, description="Symbols to compare")
    start: date
    end: date
    convention: Convention = "prev_close"


class WindowArgs(BaseModel):
    symbol: str
    start: date
    end: date


class BetaArgs(BaseModel):
    symbol: str
    benchmark: str = Field(default="^GSPC")
    start: date
    end: date


class AtArgs(BaseModel):
    symbol: str
    at: date = Field(description="The session to measure at (YYYY-MM-DD)")
    window: int = Field(default=20, ge=2, le=250, description="Sessions in the moving average")


class RangeArgs(BaseModel):
    symbol: str
    at: date
    basis: Literal["intraday", "close"] = "intraday"


class PeriodRangeArgs(BaseModel):
    symbol: str
    start: date = Field(description="First day of the period (YYYY-MM-DD)")
    end: date = Field(description="Last day of the period (YYYY-MM-DD)")
    basis: Literal["intraday", "close"] = Field(
        default="close", description="close: highest/lowest close; intraday: High/Low"
    )


class SectorWindowArgs(BaseModel):
    start: date = Field(description="First day of the window to rank over")
    end: date = Field(description="Last day of the window")


class DayArgs(BaseModel):
    symbol: str
    day: date


class SectorArgs(BaseModel):
    day: date = Field(description="The session whose sector moves to rank")


class SearchArgs(BaseModel):
    query: str = Field(max_length=500, description="What to look for, in any language")
    k: int = Field(default=4, ge=1, le=8)


class SymbolArgs(BaseModel):
    text: str = Field(max_length=100, description="A name or ticker in English or Chinese")


class CalendarArgs(BaseModel):
    day: date


class CompoundArgs(BaseModel):
    rate_percent: float = Field(description="Rate per period in percent, e.g. 2 for 2%")
    periods: int = Field(ge=1, le=10_000, description="How many periods to compound over")


class EmptyArgs(BaseModel):
    pass


class Toolbox:
    """Every tool over one market and library; symbols may be names in either language."""

    def __init__(
        self,
        market: Market,
        library: Library,
        news: Document | None = None,
        convention: Convention = "prev_close",
    ) -> None:
        self.market = market
        self.library = library
        self.news = news
        self.convention: Convention = convention  # where a return starts unless asked otherwise

    def period_return(
        self, symbol: str, start: date, end: date, convention: str = "prev_close"
    ) -> Figure:
        return self.market.period_return(resolve_symbol(symbol), start, end, convention)

    def change_points(
        self, symbol: str, start: date, end: date, convention: str = "prev_close"
    ) -> Figure:
        return self.market.change_points(resolve_symbol(symbol), start, end, convention)

    def compare_performance(
        self, symbols: list[str], start: date, end: date, convention: str = "prev_close"
    ) -> list[Figure]:
        resolved = [resolve_symbol(s) for s in symbols]
        return self.market.relative_performance(resolved, start, end, convention)

    def volatility(self, symbol: str, start: date, end: date) -> list[Figure]:
        return self.market.volatility(resolve_symbol(symbol), start, end)

    def moving_average(self, symbol: str, at: date, window: int = SMA_WINDOW) -> list[Figure]:
        return self.market.sma(resolve_symbol(symbol), at, window)

    def range_52w(self, symbol: str, at: date, basis: str = "intraday") -> list[Figure]:
        return self.market.range_52w(resolve_symbol(symbol), at, basis=basis)

    def period_range(
        self, symbol: str, start: date, end: date, basis: str = "close"
    ) -> list[Figure]:
        return self.market.period_range(resolve_symbol(symbol), start, end, basis=basis)

    def first_session(self, symbol: str, start: date, end: date) -> date | None:
        return self.market.first_session(resolve_symbol(symbol), start, end)

    def sector_returns(self, start: date, end: date) -> list[Figure]:
        return self.market.sector_returns(start, end)

    def max_drawdown(self, symbol: str, start: date, end: date) -> Figure:
        return self.market.max_drawdown(resolve_symbol(symbol), start, end)

    def beta(
        self, symbol: str, start: date, end: date, benchmark: str = DEFAULT_BENCHMARK
    ) -> list[Figure]:
        return self.market.beta(resolve_symbol(symbol), resolve_symbol(benchmark), start, end)

    def sector_performance(self, day: date) -> list[Figure]:
        return self.market.sector_performance(day)

    def quote(self, symbol: str, day: date | None = None) -> list[Figure]:
        return self.market.quote(resolve_symbol(symbol), on=day)

    def close_on(self, symbol: str, day: date) -> Figure:
        return self.market.close_on(resolve_symbol(symbol), day)

    def compound_growth(self, rate_percent: float, periods: int) -> list[Figure]:
        from tools.metrics.compounding import compound_figures

        return list(compound_figures(rate_percent, periods))

    def search_knowledge(
        self,
        query: str,
        k: int = 4,
        *,
        language: str | None = None,
        doc_id: str | None = None,
        record: Literal["chunk", "source"] | None = None,
    ) -> list[Passage]:
        return self.library.search(query, k=k, language=language, doc_id=doc_id, record=record)


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its name, what it does, its arguments, and how the toolbox answers it."""

    name: str
    description: str
    args: type[BaseModel]
    run: Callable[..., Figure | list[Figure] | list[Passage] | str]


def _pair(box: Toolbox, symbol: str, start: date, end: date, convention: str) -> list[Figure]:
    return [
        box.period_return(symbol, start, end, convention),
        box.change_points(symbol, start, end, convention),
    ]


def _news(box: Toolbox) -> str:
    from assistant.grounding.guard import clean_label

    doc = box.news
    if doc is None:
        return "This conversation is not about a particular news item."
    headings = "; ".join(clean_label(s.heading) for s in doc.sections if s.heading)
    sources = "\n".join(
        f"  (source {s.n}) {clean_label(s.label())}: {clean_label(s.summary)}" for s in doc.sources
    )
    return (
        f"<<<DATA {clean_label(doc.title)} ({doc.published}, {clean_label(doc.market)}); "
        f"tickers: {', '.join(doc.tickers)}\n"
        f"sections: {headings}\nsources (use search_knowledge to quote them with a marker):"
        f"\n{sources}\nDATA>>>"
    )


def _calendar_line(day: date) -> str:
    if nyse.is_session(day):
        return f"{day} was an NYSE session."
    return f"{day} was not an NYSE session; the previous session was {nyse.previous_session(day)}."


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "period_return",
        "Return of one symbol over a window, with an explicit convention.",
        ReturnArgs,
        lambda box, symbol, start, end, convention="prev_close": _pair(
            box, symbol, start, end, convention
        ),
    ),
    ToolSpec(
        "compare_performance",
        "Returns of several symbols over one window and their spreads in percentage points.",
        CompareArgs,
        lambda box, symbols, start, end, convention="prev_close": box.compare_performance(
            symbols, start, end, convention
        ),
    ),
    ToolSpec(
        "volatility",
        "Daily and annualised volatility of daily close-to-close returns (ddof=1).",
        WindowArgs,
        lambda box, symbol, start, end: box.volatility(symbol, start, end),
    ),
    ToolSpec(
        "moving_average",
        "Simple moving average at a session and the close's distance from it in %.",
        AtArgs,
        lambda box, symbol, at, window=SMA_WINDOW: box.moving_average(symbol, at, window),
    ),
    ToolSpec(
        "range_52w",
        "52-week high and low (intraday or closing basis) with the sessions they occurred.",
        RangeArgs,
        lambda box, symbol, at, basis="intraday": box.range_52w(symbol, at, basis),
    ),
    ToolSpec(
        "period_range",
        "Highest and lowest price of a symbol over a period (closes or intraday), with sessions.",
        PeriodRangeArgs,
        lambda box, symbol, start, end, basis="close": box.period_range(symbol, start, end, basis),
    ),
    ToolSpec(
        "sector_returns",
        "Returns of the eleven SPDR sector ETFs over a window, ranked; sectors whose data end "
        "earlier are marked.",
        SectorWindowArgs,
        lambda box, start, end: box.sector_returns(start, end),
    ),
    ToolSpec(
        "max_drawdown",
        "Largest peak-to-trough fall in a window with its sessions.",
        WindowArgs,
        lambda box, symbol, start, end: box.max_drawdown(symbol, start, end),
    ),
    ToolSpec(
        "beta",
        "Beta and correlation of a symbol against a benchmark on common sessions.",
        BetaArgs,
        lambda box, symbol, start, end, benchmark=DEFAULT_BENCHMARK: box.beta(
            symbol, start, end, benchmark
        ),
    ),
    ToolSpec(
        "sector_performance",
        "Day change of the eleven SPDR sector ETFs on one session, ranked.",
        SectorArgs,
        lambda box, day: box.sector_performance(day),
    ),
    ToolSpec(
        "quote",
        "Close and day change of a symbol on a session (the latest when day is the as-of session).",
        DayArgs,
        lambda box, symbol, day: box.quote(symbol, day),
    ),
    ToolSpec(
        "close_on",
        "The close on a given day; a non-session day gives the previous session's close and says so.",
        DayArgs,
        lambda box, symbol, day: box.close_on(symbol, day),
    ),
    ToolSpec(
        "compound_growth",
        "Compound a rate per period over many periods (e.g. 2% a month for 12 months).",
        CompoundArgs,
        lambda box, rate_percent, periods: box.compound_growth(rate_percent, periods),
    ),
    ToolSpec(
        "search_knowledge",
        "Search the stored analyses and their cited sources (any language).",
        SearchArgs,
        lambda box, query, k=4: box.search_knowledge(query, k),
    ),
    ToolSpec(
        "news_item",
        "The news item this conversation is about: title, date, tickers, sections and sources.",
        EmptyArgs,
        lambda box: _news(box),
    ),
    ToolSpec(
        "resolve_symbol",
        "Turn a name or ticker (English or Chinese) into the data symbol.",
        SymbolArgs,
        lambda box, text: f"{text} -> {resolve_symbol(text)}",
    ),
    ToolSpec(
        "trading_calendar",
        "Whether a day was an NYSE session, and the sessions around it.",
        CalendarArgs,
        lambda box, day: _calendar_line(day),
    ),
)
TOOL_NAMES: frozenset[str] = frozenset(spec.name for spec in TOOLS)
