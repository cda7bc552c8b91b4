"""LLM mode: a LangChain agent whose tools write every figure and passage into the turn's ledger."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelCallLimitMiddleware
from langchain.agents.middleware.types import AgentState, hook_config
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.outputs import LLMResult
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from assistant.budget import Budget, Usage
from assistant.chat.events import ToolEvent
from assistant.chat.llm.prompts import LANGUAGE_NAMES, SYSTEM
from assistant.grounding.guard import clean_label, strip_instructions
from assistant.grounding.language import Lang
from assistant.grounding.ledger import Ledger
from knowledge.documents import Document
from knowledge.passage import Passage
from knowledge.text import strip_citations
from tools import calendar as nyse
from tools.figure import Figure
from tools.prices.base import PriceError
from tools.symbols import SymbolError, resolve_symbol, symbol_name

if TYPE_CHECKING:
    from langgraph.graph.state import CompiledStateGraph
    from langgraph.runtime import Runtime

    Agent = CompiledStateGraph[Any, Any, Any, Any]

Convention = Literal["prev_close", "open", "start_close"]


@dataclass
class TurnUsage(BaseCallbackHandler):
    """Counts model calls and tokens as they happen."""

    usage: Usage = field(default_factory=Usage)
    model: str = ""

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.usage.llm_calls += 1
        for generations in response.generations:
            for gen in generations:
                message = getattr(gen, "message", None)
                meta = getattr(message, "usage_metadata", None) or {}
                self.usage.input_tokens += int(meta.get("input_tokens", 0))
                self.usage.output_tokens += int(meta.get("output_tokens", 0))


class TurnBudgetMiddleware(AgentMiddleware):
    """Stop the agent cleanly before a model call that the turn's token or time budget forbids."""

    def __init__(self, budget: Budget, counter: TurnUsage, started: float) -> None:
        super().__init__()
        self.budget = budget
        self.counter = counter
        self.started = started

    @hook_config(can_jump_to=["end"])
    def before_model(self, state: AgentState[Any], runtime: Runtime[None]) -> dict[str, Any] | None:
        used = self.counter.usage.input_tokens + self.counter.usage.output_tokens
        elapsed = time.monotonic() - self.started
        if used >= self.budget.max_tokens or elapsed >= self.budget.max_seconds:
            why = f"{used} tokens" if used >= self.budget.max_tokens else f"{elapsed:.0f} s"
            return {"jump_to": "end", "messages": [AIMessage(content=f"[budget reached: {why}]")]}
        return None


# ---- tool argument schemas ---------------------------------------------------------------


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


# ---- the toolbox -------------------------------------------------------------------------


@dataclass
class Toolbox:
    """The tools of one turn; each result is numbered into the turn's ledger."""

    market: Any
    library: Any
    ledger: Ledger
    language: Lang
    news: Document | None = None
    events: list[ToolEvent] = field(default_factory=list)

    def _figures(self, result: Figure | list[Figure]) -> str:
        figures = [result] if isinstance(result, Figure) else list(result)
        lines = []
        for f in figures:
            n = self.ledger.add_figure(f)
            self.events.append({"type": "figure", "n": n, "figure": f})
            window = f"{f.start}..{f.end}" if f.start and f.end else f"at {f.end or f.as_of}"
            flags = []
            if f.stale:
                flags.append(f"STALE: stored data as of {f.as_of}")
            if (c := f.params.get("completeness")) is not None and c < 0.999:
                flags.append(f"PARTIAL: completeness {c:.0%}")
            if note := f.params.get("calendar_note"):
                flags.append(str(note))
            lines.append(
                f"[{n}] {symbol_name(f.symbol, self.language) if ' ' not in f.symbol else f.symbol}"
                f" {f.metric} = {f.display(self.language)} ({window}; convention {f.convention or '-'};"
                f" as of {f.as_of}; {f.provider}) {'; '.join(flags)}".rstrip()
            )
        return "\n".join(lines) if lines else "no figures"

    def _passages(self, passages: list[Passage]) -> str:
        blocks = []
        for p in passages:
            body, removed = strip_instructions(p.text)
            if not body:
                continue
            n = self.ledger.add_passage(p)
            self.events.append({"type": "passage", "n": n, "passage": p})
            source = (
                clean_label(p.source.label()) if p.source is not None else "the document itself"
            )
            note = f" ({removed} instruction-like sentence(s) removed)" if removed else ""
            blocks.append(
                f"<<<DATA [{n}] {clean_label(p.title)} — {clean_label(p.section)}; source: {source}{note}\n{body}\nDATA>>>"
            )
        return "\n".join(blocks) if blocks else "nothing found"

    def _guarded(self, call: Callable[[], object]) -> str:
        try:
            return str(call())
        except (PriceError, SymbolError) as exc:
            return f"error: {exc}"
        except ValueError as exc:
            return f"error: {exc}"

    def tools(self) -> list[BaseTool]:
        m = self.market

        def sym(text: str) -> str:
            return resolve_symbol(text)

        specs: list[tuple[str, str, type[BaseModel], Any]] = [
            (
                "period_return",
                "Return of one symbol over a window, with an explicit convention.",
                ReturnArgs,
                lambda symbol, start, end, convention="prev_close": self._figures(
                    [
                        m.period_return(sym(symbol), start, end, convention),
                        m.change_points(sym(symbol), start, end, convention),
                    ]
                ),
            ),
            (
                "compare_performance",
                "Returns of several symbols over one window and their spreads in percentage points.",
                CompareArgs,
                lambda symbols, start, end, convention="prev_close": self._figures(
                    m.relative_performance([sym(s) for s in symbols], start, end, convention)
                ),
            ),
            (
                "volatility",
                "Daily and annualised volatility of daily close-to-close returns (ddof=1).",
                WindowArgs,
                lambda symbol, start, end: self._figures(m.volatility(sym(symbol), start, end)),
            ),
            (
                "moving_average",
                "Simple moving average at a session and the close's distance from it in %.",
                AtArgs,
                lambda symbol, at, window=20: self._figures(m.sma(sym(symbol), at, window)),
            ),
            (
                "range_52w",
                "52-week high and low (intraday or closing basis) with the sessions they occurred.",
                RangeArgs,
                lambda symbol, at, basis="intraday": self._figures(
                    m.range_52w(sym(symbol), at, basis=basis)
                ),
            ),
            (
                "max_drawdown",
                "Largest peak-to-trough fall in a window with its sessions.",
                WindowArgs,
                lambda symbol, start, end: self._figures(m.max_drawdown(sym(symbol), start, end)),
            ),
            (
                "beta",
                "Beta and correlation of a symbol against a benchmark on common sessions.",
                BetaArgs,
                lambda symbol, start, end, benchmark="^GSPC": self._figures(
                    m.beta(sym(symbol), sym(benchmark), start, end)
                ),
            ),
            (
                "sector_performance",
                "Day change of the eleven SPDR sector ETFs on one session, ranked.",
                SectorArgs,
                lambda day: self._figures(m.sector_performance(day)),
            ),
            (
                "quote",
                "Close and day change of a symbol on a session (the latest when day is the as-of session).",
                DayArgs,
                lambda symbol, day: self._figures(m.quote(sym(symbol), on=day)),
            ),
            (
                "close_on",
                "The close on a given day; a non-session day gives the previous session's close and says so.",
                DayArgs,
                lambda symbol, day: self._figures(m.close_on(sym(symbol), day)),
            ),
            (
                "compound_growth",
                "Compound a rate per period over many periods (e.g. 2% a month for 12 months).",
                CompoundArgs,
                lambda rate_percent, periods: self._figures(list(_compound(rate_percent, periods))),
            ),
            (
                "search_knowledge",
                "Search the stored analyses and their cited sources (any language).",
                SearchArgs,
                lambda query, k=4: self._passages(self.library.search(query, k=k)),
            ),
            (
                "news_item",
                "The news item this conversation is about: title, date, tickers, sections and sources.",
                EmptyArgs,
                lambda: self._news(),
            ),
            (
                "resolve_symbol",
                "Turn a name or ticker (English or Chinese) into the data symbol.",
                SymbolArgs,
                lambda text: f"{text} -> {resolve_symbol(text)}",
            ),
            (
                "trading_calendar",
                "Whether a day was an NYSE session, and the sessions around it.",
                CalendarArgs,
                lambda day: _calendar_line(day),
            ),
        ]
        tools: list[BaseTool] = []
        for name, description, schema, fn in specs:
            tools.append(
                StructuredTool.from_function(
                    func=_wrap(self, name, fn),
                    name=name,
                    description=description,
                    args_schema=schema,
                )
            )
        return tools

    def _news(self) -> str:
        doc = self.news
        if doc is None:
            return "This conversation is not about a particular news item."
        headings = "; ".join(clean_label(s.heading) for s in doc.sections if s.heading)
        sources = "\n".join(
            f"  (source {s.n}) {clean_label(s.label())}: {clean_label(s.summary)}"
            for s in doc.sources
        )
        return (
            f"<<<DATA {clean_label(doc.title)} ({doc.published}, {clean_label(doc.market)}); "
            f"tickers: {', '.join(doc.tickers)}\n"
            f"sections: {headings}\nsources (use search_knowledge to quote them with a marker):\n{sources}\nDATA>>>"
        )


def _wrap(box: Toolbox, name: str, fn: Callable[..., object]) -> Callable[..., str]:
    def run(**kwargs: Any) -> str:
        box.events.append({"type": "tool_start", "name": name, "args": kwargs})
        out = box._guarded(lambda: fn(**kwargs))
        box.events.append({"type": "tool_end", "name": name, "ok": not out.startswith("error:")})
        return out

    run.__name__ = name
    return run


def _compound(rate_percent: float, periods: int) -> tuple[Figure, Figure]:
    from tools.metrics.compounding import compound_figures

    return compound_figures(rate_percent, periods)


def _calendar_line(day: date) -> str:
    if nyse.is_session(day):
        return f"{day} was an NYSE session."
    return f"{day} was not an NYSE session; the previous session was {nyse.previous_session(day)}."


# ---- running a turn ----------------------------------------------------------------------


def history_messages(turns: list[tuple[str, str]], limit: int = 6) -> list[BaseMessage]:
    """Earlier turns as chat messages, their old citation markers removed (they numbered another ledger)."""
    out: list[BaseMessage] = []
    for role, content in turns[-limit:]:
        clean = strip_citations(content)
        out.append(HumanMessage(clean) if role == "user" else AIMessage(clean))
    return out


@dataclass
class AgentRun:
    text: str
    messages: list[BaseMessage]
    stopped_by_budget: bool = False


def build_agent(
    model: BaseChatModel,
    box: Toolbox,
    budget: Budget,
    counter: TurnUsage,
    started: float,
    context: str,
    as_of: date | None,
) -> Agent:
    system = SYSTEM.format(
        language_name=LANGUAGE_NAMES[box.language], context=context, as_of=as_of or "unknown"
    )
    return create_agent(
        model,
        tools=box.tools(),
        system_prompt=system,
        middleware=[
            ModelCallLimitMiddleware(run_limit=budget.max_model_calls, exit_behavior="end"),  # type: ignore[list-item]
            TurnBudgetMiddleware(budget, counter, started),
        ],
    )


def run_agent(
    agent: Agent, messages: list[BaseMessage], counter: TurnUsage, recursion_limit: int = 40
) -> AgentRun:
    """Run the agent to its final message."""
    result = agent.invoke(
        {"messages": messages}, config={"callbacks": [counter], "recursion_limit": recursion_limit}
    )
    out: list[BaseMessage] = result["messages"]
    final = _final_text(out)
    return AgentRun(final, out, stopped_by_budget=_budget_stop(out))


def stream_agent(
    agent: Agent, messages: list[BaseMessage], counter: TurnUsage, recursion_limit: int = 40
) -> Iterator[dict[str, Any]]:
    """Run the agent, yielding text deltas as they come; the last event holds the AgentRun."""
    collected: list[BaseMessage] = list(messages)
    stream: Iterator[Any] = agent.stream(
        {"messages": messages},
        config={"callbacks": [counter], "recursion_limit": recursion_limit},
        stream_mode=["messages", "updates"],
    )
    for mode, payload in stream:
        if mode == "messages":
            chunk, _meta = payload
            if (
                isinstance(chunk, AIMessageChunk)
                and isinstance(chunk.content, str)
                and chunk.content
            ):
                yield {"type": "text_delta", "text": chunk.content}
        elif mode == "updates":
            for update in payload.values():
                if isinstance(update, dict):
                    collected.extend(update.get("messages", []))
    yield {
        "type": "run",
        "run": AgentRun(_final_text(collected), collected, _budget_stop(collected)),
    }


def _final_text(messages: list[BaseMessage]) -> str:
    for message in reversed(messages):
        if (
            isinstance(message, AIMessage)
            and not message.tool_calls
            and isinstance(message.content, str)
        ):
            return message.content.strip()
        if isinstance(message, ToolMessage):
            break
    return ""


def _budget_stop(messages: list[BaseMessage]) -> bool:
    last = messages[-1] if messages else None
    return isinstance(last, AIMessage) and (
        str(last.content).startswith(("[budget reached", "Model call limits exceeded"))
    )
