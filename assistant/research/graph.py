"""The research workflow as a LangGraph graph: approve (or auto-accept), execute sections
concurrently, assemble. Checkpointed, so an interrupted run resumes where it stopped."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send, interrupt

from assistant.research.schemas import Plan
from assistant.research.sections import BudgetExceeded, Deps, run_section

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver


class ResearchState(TypedDict, total=False):
    plan: dict[str, Any]
    auto_accept: bool
    status: Literal["planned", "approved", "rejected", "done"]
    results: Annotated[list[dict[str, Any]], operator.add]
    summary: str | None
    stopped: str | None
    approval: Literal["auto", "accepted", "edited"]


class SectionTask(TypedDict):
    index: int
    plan: dict[str, Any]


def build_graph(
    deps: Deps,
    checkpointer: BaseCheckpointSaver[str],
    summarize: Callable[[Plan, list[dict[str, Any]]], str | None],
) -> Any:
    """Compile the graph; `deps` carries what is not state (tools, model, budget, callbacks)."""

    def approve(state: ResearchState) -> dict[str, Any]:
        if state.get("auto_accept"):
            return {"status": "approved", "approval": "auto"}
        decision = interrupt({"plan": state["plan"], "choices": ["accept", "edit", "reject"]})
        action = (decision or {}).get("action", "accept")
        if action == "reject":
            return {"status": "rejected"}
        if action == "edit":
            plan = Plan.model_validate(decision["plan"])
            return {
                "status": "approved",
                "plan": plan.model_dump(mode="json"),
                "approval": "edited",
            }
        return {"status": "approved", "approval": "accepted"}

    def fan_out(state: ResearchState) -> list[Send] | str:
        if state.get("status") != "approved":
            return END
        plan = state["plan"]
        done = {r["index"] for r in state.get("results", [])}
        tasks = [
            Send("section", SectionTask(index=i, plan=plan))
            for i in range(len(plan["sections"]))
            if i not in done
        ]
        return tasks or "assemble"

    def section(task: SectionTask) -> dict[str, Any]:
        plan = Plan.model_validate(task["plan"])
        index = task["index"]
        heading = plan.sections[index].heading
        try:
            deps.meter.check()
        except BudgetExceeded as exc:
            deps.emit({"type": "progress", "step": heading, "phase": "skipped", "index": index})
            return {
                "results": [
                    {
                        "index": index,
                        "heading": heading,
                        "text": "",
                        "ledger": {"entries": []},
                        "numbers": 0,
                        "verified": 0,
                        "complete": False,
                        "stopped": exc.said(plan.language),
                    }
                ]
            }
        return {"results": [run_section(index, plan.sections[index], plan, deps)]}

    def assemble(state: ResearchState) -> dict[str, Any]:
        plan = Plan.model_validate(state["plan"])
        results = state.get("results", [])
        stops = [r["stopped"] for r in results if r.get("stopped")]
        summary = None
        if not stops:
            try:
                summary = summarize(plan, results)
            except BudgetExceeded as exc:
                stops.append(exc.said(plan.language))
        return {"status": "done", "summary": summary, "stopped": stops[0] if stops else None}

    graph = StateGraph(ResearchState)
    graph.add_node("approve", approve)
    graph.add_node("section", section)  # type: ignore[arg-type]
    graph.add_node("assemble", assemble)
    graph.add_edge(START, "approve")
    graph.add_conditional_edges("approve", fan_out, ["section", "assemble", END])
    graph.add_edge("section", "assemble")
    graph.add_edge("assemble", END)
    return graph.compile(checkpointer=checkpointer)
