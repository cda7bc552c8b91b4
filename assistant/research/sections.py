"""Execute one plan section: gather figures and passages with the tools, write, verify."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage

from assistant.budget import Budget, Usage
from assistant.chat.events import ResearchEvent
from assistant.chat.offline.composer import OfflineComposer
from assistant.chat.offline.router import METRIC_INTENTS, Route, Router
from assistant.grounding.dates import Window
from assistant.grounding.guard import sanitize_output
from assistant.grounding.language import Lang
from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import mark_unsupported, verify
from assistant.reading import read_claims
from assistant.research.schemas import Plan, PlanSection
from assistant.toolbox import Toolbox
from knowledge.documents import Document

if TYPE_CHECKING:
    from assistant.ports import Library, Market


class BudgetExceeded(RuntimeError):
    """The run's budget is spent; what is done is kept. `said(lang)` is the reason for a reader."""

    def __init__(self, kind: str, value: float) -> None:
        english = {
            "calls": f"model-call budget reached ({value:.0f})",
            "tokens": f"token budget reached ({value:.0f})",
            "seconds": f"time budget reached ({value:.0f} s)",
        }
        super().__init__(english[kind])
        self.kind = kind
        self.value = value

    def said(self, lang: str) -> str:
        if lang != "zh":
            return str(self)
        return {
            "calls": f"已达到模型调用预算（{self.value:.0f}次）",
            "tokens": f"已达到令牌预算（{self.value:.0f}）",
            "seconds": f"已达到时间预算（{self.value:.0f}秒）",
        }[self.kind]


@dataclass
class Meter:
    """Model calls, tokens and seconds of one run, shared by concurrent sections."""

    budget: Budget
    started: float = field(default_factory=time.monotonic)
    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reserve(self) -> None:
        """`check`, then count the call at once: sections running side by side cannot all pass
        the check before any of them is counted. Its tokens come with `record(..., counted=True)`."""
        with self._lock:
            self._check()
            self.llm_calls += 1

    def check(self) -> None:
        """Raise BudgetExceeded when any limit is reached."""
        with self._lock:
            self._check()

    def _check(self) -> None:  # the lock is held
        if self.llm_calls >= self.budget.max_model_calls:
            raise BudgetExceeded("calls", self.llm_calls)
        if self.input_tokens + self.output_tokens >= self.budget.max_tokens:
            raise BudgetExceeded("tokens", self.input_tokens + self.output_tokens)
        elapsed = time.monotonic() - self.started
        if elapsed >= self.budget.max_seconds:
            raise BudgetExceeded("seconds", elapsed)

    def record(self, message: object, counted: bool = False) -> None:
        usage = message.usage_metadata if isinstance(message, AIMessage) else None
        meta: dict[str, Any] = dict(usage) if usage else {}
        with self._lock:
            self.llm_calls += 0 if counted else 1
            self.input_tokens += int(meta.get("input_tokens", 0))
            self.output_tokens += int(meta.get("output_tokens", 0))

    def usage(self) -> Usage:
        return Usage(
            llm_calls=self.llm_calls,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
        )


@dataclass
class Deps:
    """What sections need that is not part of the checkpointed state."""

    market: Market
    library: Library
    news: Document | None
    meter: Meter
    people: Mapping[str, str] = field(default_factory=dict)  # reading.people_index
    model: Any | None = None
    on_event: Callable[[ResearchEvent], None] | None = None
    fault: Callable[[int], None] | None = None  # tests inject a crash here
    step_seconds: float = 120.0  # a step's model calls (writing, rewrite) wait this long together

    def ask_model(self, prompt: Any, step_ends: float | None = None) -> Any:
        """The model's reply to `prompt`, metered, within the step deadline (held while the
        server dribbles its reply, not only between calls). `step_ends` (monotonic time) is
        the end of the step this call belongs to: a step's calls share one deadline."""
        from assistant.chat.llm.deadline import Deadline, call_until

        model = self.model
        assert model is not None
        self.meter.reserve()
        now = time.monotonic()
        run_ends = self.meter.started + self.meter.budget.max_seconds
        ends = min(step_ends if step_ends is not None else now + self.step_seconds, run_ends)
        # said as the limit that applied: the step's, or what was left of the run's
        limit = self.step_seconds if ends < run_ends else max(0.1, run_ends - now)
        reply = call_until(
            lambda cancel: model.invoke(prompt), Deadline(limit, at=max(ends, now + 0.05))
        )
        self.meter.record(reply, counted=True)
        return reply

    def emit(self, event: ResearchEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)


def step_failure(exc: BaseException, lang: str) -> str | None:
    """Why a step's model call failed, in the report's language; None for a bug."""
    from assistant.chat.llm.deadline import DeadlineReached
    from assistant.chat.llm.models import model_failure
    from assistant.chat.llm.notices import reason, seconds

    lang_: Lang = "zh" if lang == "zh" else "en"
    if isinstance(exc, DeadlineReached):
        return reason("step_deadline", lang_, s=seconds(exc.seconds))
    return model_failure(exc, lang_)


def section_ledger(result: dict[str, Any]) -> Ledger:
    """The ledger a section result holds (checkpoints made before the ledger was stored whole
    list its entries under `citations`, in the same form)."""
    if "ledger" in result:
        return Ledger.model_validate(result["ledger"])
    return Ledger.model_validate({"entries": result.get("citations", [])})


def evidence_block(ledger: Ledger, lang: str) -> str:
    """The ledger as numbered evidence for a model; passages inside data delimiters."""
    lines = []
    for c in ledger.entries:
        if c.figure is not None:
            f = c.figure
            lines.append(
                f"[{c.n}] {f.symbol} {f.metric} = {f.display(lang)} ({f.start}..{f.end}; {f.convention or '-'})"
            )
        elif c.passage is not None:
            p = c.passage
            lines.append(f"<<<DATA [{c.n}] {p.title} — {p.section}\n{p.text}\nDATA>>>")
    return "\n".join(lines)


def run_section(index: int, section: PlanSection, plan: Plan, deps: Deps) -> dict[str, Any]:
    """Answer the section's questions with the tools, write it, verify it; return plain JSON."""
    if deps.fault is not None:
        deps.fault(index)
    lang = plan.language
    ref = plan.end
    assert ref is not None
    deps.emit({"type": "progress", "step": section.heading, "phase": "start", "index": index})
    ledger = Ledger()
    router = Router(people=deps.people)
    composer = OfflineComposer(Toolbox(deps.market, deps.library, deps.news))
    parts: list[str] = []
    for question in section.questions:
        route = in_plan_window(router.route(question, lang, ref), plan)
        parts.append(composer.compose(route, question, ledger, ref, deps.news).text)
    text = "\n\n".join(p for p in parts if p.strip())
    stopped = None
    if deps.model is not None:
        try:
            text = _write_with_model(section, plan, ledger, text, deps)
        except BudgetExceeded as exc:
            stopped = exc.said(lang)
        except Exception as exc:  # the server failed or was too slow: keep the tools' draft
            stopped = step_failure(exc, lang)
            if stopped is None:
                raise
    text = sanitize_output(text)
    verification = verify(text, ledger, reader=read_claims)
    if not verification.ok:
        text = mark_unsupported(text, verification, lang)
    deps.emit({"type": "progress", "step": section.heading, "phase": "done", "index": index})
    return {
        "index": index,
        "heading": section.heading,
        "text": text,
        "ledger": ledger.model_dump(mode="json"),
        "numbers": verification.numbers_total,
        "verified": verification.numbers_verified,
        "complete": stopped is None,
        "stopped": stopped,
    }


# Metric intents measured over a window; the others are read at one session (the plan's end).
_WINDOWED = ("return", "compare", "volatility", "drawdown", "beta")


def in_plan_window(route: Route, plan: Plan) -> Route:
    """The route with what its question leaves out taken from the plan: the main symbol, and
    for a windowed metric the plan's window (so an edited window is the one every figure uses);
    a period or a day the question itself names is kept."""
    metric = route.intent in METRIC_INTENTS and route.intent != "sectors"
    if not route.symbols and plan.symbols and metric:
        route.symbols = plan.symbols[:1]
    if route.intent in _WINDOWED and route.window is None and plan.start and plan.end:
        label = plan.window_label or f"{plan.start.isoformat()} – {plan.end.isoformat()}"
        route.window = Window(plan.start, plan.end, label)
    if route.intent in ("sectors", "quote", "close_on") and route.day is None and plan.end:
        route.day = plan.end
    return route


def _write_with_model(
    section: PlanSection, plan: Plan, ledger: Ledger, draft: str, deps: Deps
) -> str:
    """Let the model turn the evidence into prose; regenerate once if the verifier objects."""
    from assistant.research.prompts import REGENERATE_SECTION, SECTION_PROMPT

    language = "Simplified Chinese" if plan.language == "zh" else "English"
    prompt = SECTION_PROMPT.format(
        heading=section.heading,
        language=language,
        questions=" | ".join(section.questions),
        evidence=evidence_block(ledger, plan.language)
        + "\n\nDraft answers from the tools:\n"
        + draft,
    )
    step_ends = time.monotonic() + deps.step_seconds  # the writing and its rewrite, together
    reply = deps.ask_model(prompt, step_ends)
    text = str(reply.content).strip()
    verification = verify(text, ledger, reader=read_claims)
    if verification.ok:
        return text
    retry = deps.ask_model(
        [
            ("human", prompt),
            ("ai", text),
            ("human", REGENERATE_SECTION.format(findings=verification.summary())),
        ],
        step_ends,
    )
    return str(retry.content).strip()
