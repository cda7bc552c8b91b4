"""What a streamed answer and a research run report as they go: one typed union each.

Events are plain dicts (they cross threads and Streamlit's session state as they are) typed as
TypedDicts, so the page and the CLI read the same keys that mypy checks at every producer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypedDict

if TYPE_CHECKING:
    from assistant.grounding.answer import Answer
    from assistant.grounding.coverage import Coverage
    from assistant.grounding.verifier import Verification
    from knowledge.passage import Passage
    from tools.figure import Figure


class ToolStart(TypedDict):
    type: Literal["tool_start"]
    name: str
    args: dict[str, Any]


class ToolEnd(TypedDict):
    type: Literal["tool_end"]
    name: str
    ok: bool


class FigureAdded(TypedDict):
    type: Literal["figure"]
    n: int
    figure: Figure


class PassageAdded(TypedDict):
    type: Literal["passage"]
    n: int
    passage: Passage


class Status(TypedDict):
    type: Literal["status"]
    text: str


class TextDelta(TypedDict):
    type: Literal["text_delta"]
    text: str


class Verified(TypedDict):
    type: Literal["verification"]
    verification: Verification


class Covered(TypedDict):
    """Which asked items the answer answers (None: the question asked for no market figure),
    and the warning shown instead of a green badge when the main item is not answered ("")."""

    type: Literal["coverage"]
    coverage: Coverage | None
    banner: str


class Final(TypedDict):
    type: Literal["final"]
    answer: Answer


Event = (
    ToolStart
    | ToolEnd
    | FigureAdded
    | PassageAdded
    | Status
    | TextDelta
    | Verified
    | Covered
    | Final
)
ToolEvent = ToolStart | ToolEnd | FigureAdded | PassageAdded


class Progress(TypedDict):
    type: Literal["progress"]
    step: str
    phase: Literal["start", "done", "skipped"]
    index: int


class Approval(TypedDict):
    type: Literal["approval"]
    run_id: str
    plan: dict[str, Any] | None


class Rejected(TypedDict):
    type: Literal["rejected"]
    run_id: str


class Done(TypedDict):
    type: Literal["done"]
    report_id: str


ResearchEvent = Progress | Approval | Rejected | Done
