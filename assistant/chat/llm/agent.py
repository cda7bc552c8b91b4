"""LLM mode: a LangChain agent whose tools write every figure and passage into the turn's ledger."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelCallLimitMiddleware
from langchain.agents.middleware.types import AgentState
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, LLMResult
from langchain_core.tools import BaseTool, StructuredTool

from assistant.budget import Budget, Usage
from assistant.chat.events import ToolEnd, ToolEvent, ToolStart
from assistant.chat.llm.deadline import DeadlineReached
from assistant.chat.llm.models import TurnBudgetReached
from assistant.chat.llm.prompts import LANGUAGE_NAMES, SYSTEM
from assistant.errors import explain_error
from assistant.grounding.guard import clean_label, strip_instructions
from assistant.grounding.language import Lang
from assistant.grounding.ledger import Ledger
from assistant.toolbox import TOOLS, Toolbox, ToolSpec
from knowledge.passage import Passage
from knowledge.text import strip_citations
from tools.figure import Figure
from tools.prices.base import PriceError
from tools.symbols import SymbolError, symbol_name

if TYPE_CHECKING:
    from langgraph.graph.state import CompiledStateGraph
    from langgraph.runtime import Runtime

    Agent = CompiledStateGraph[Any, Any, Any, Any]


@dataclass
class TurnUsage(BaseCallbackHandler):
    """Counts model calls and tokens as they happen."""

    usage: Usage = field(default_factory=Usage)
    model: str = ""

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.usage.llm_calls += 1
        for generations in response.generations:
            for gen in generations:
                message = gen.message if isinstance(gen, ChatGeneration) else None
                usage = message.usage_metadata if isinstance(message, AIMessage) else None
                meta: dict[str, Any] = dict(usage) if usage else {}
                self.usage.input_tokens += int(meta.get("input_tokens", 0))
                self.usage.output_tokens += int(meta.get("output_tokens", 0))


class TurnBudgetMiddleware(AgentMiddleware):
    """Stop the agent before a model call that the turn's token or time budget forbids (the
    deadline is also enforced while a call streams, by `deadline.iterate_until`)."""

    def __init__(self, budget: Budget, counter: TurnUsage, started: float) -> None:
        super().__init__()
        self.budget = budget
        self.counter = counter
        self.started = started

    def before_model(self, state: AgentState[Any], runtime: Runtime[None]) -> dict[str, Any] | None:
        used = self.counter.usage.input_tokens + self.counter.usage.output_tokens
        if used >= self.budget.max_tokens:
            raise TurnBudgetReached(self.budget.max_tokens)
        if time.monotonic() - self.started >= self.budget.max_seconds:
            raise DeadlineReached(self.budget.max_seconds)
        return None


# ---- the toolbox -------------------------------------------------------------------------


@dataclass
class TurnTools:
    """The toolbox bound for one turn: each result is numbered into the turn's ledger and
    rendered as text the model reads; every call is reported as an event."""

    box: Toolbox
    ledger: Ledger
    language: Lang
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
            return f"error: {explain_error(exc, 'en')}"
        except ValueError as exc:
            return f"error: {exc}"

    def _render(self, result: Figure | list[Figure] | list[Passage] | str) -> str:
        if isinstance(result, str):
            return result
        if isinstance(result, Figure):
            return self._figures(result)
        if result and all(isinstance(r, Passage) for r in result):
            return self._passages([r for r in result if isinstance(r, Passage)])
        return self._figures([r for r in result if isinstance(r, Figure)])

    def tools(self) -> list[BaseTool]:
        """`TOOLS` as LangChain structured tools over this turn's toolbox."""
        return [
            StructuredTool.from_function(
                func=_wrap(self, spec),
                name=spec.name,
                description=spec.description,
                args_schema=spec.args,
            )
            for spec in TOOLS
        ]


def _wrap(turn: TurnTools, spec: ToolSpec) -> Callable[..., str]:
    def run(**kwargs: Any) -> str:
        turn.events.append(ToolStart(type="tool_start", name=spec.name, args=kwargs))
        out = turn._guarded(lambda: turn._render(spec.run(turn.box, **kwargs)))
        turn.events.append(
            ToolEnd(type="tool_end", name=spec.name, ok=not out.startswith("error:"))
        )
        return out

    run.__name__ = spec.name
    return run


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


def build_agent(
    model: BaseChatModel,
    box: TurnTools,
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
            ModelCallLimitMiddleware(run_limit=budget.max_model_calls, exit_behavior="error"),  # type: ignore[list-item]
            TurnBudgetMiddleware(budget, counter, started),
        ],
    )


def stream_agent(
    agent: Agent,
    messages: list[BaseMessage],
    counter: TurnUsage,
    recursion_limit: int = 40,
    callbacks: list[BaseCallbackHandler] | None = None,
) -> Iterator[dict[str, Any]]:
    """Run the agent, yielding text deltas as they come; the last event holds the AgentRun."""
    collected: list[BaseMessage] = list(messages)
    stream: Iterator[Any] = agent.stream(
        {"messages": messages},
        config={"callbacks": [counter, *(callbacks or [])], "recursion_limit": recursion_limit},
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
    yield {"type": "run", "run": AgentRun(_final_text(collected), collected)}


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
