"""A hostile chat model plants mistakes; each must reach the user marked or not at all.

Every case runs a whole LLM-mode turn: the real `openai` client and LangChain agent talk to the
local OpenAI-compatible stub, the tools really run on the shared prices and demo library, and the
real Assistant verifies, asks once for a rewrite, marks and scores the answer. What is checked is
`answer.text`, the text the CLI prints and the chat page shows (and `--json` carries).

Cases the verifier on main does not catch yet are strict xfails: they flip when the claim-level
verifier (issue 14) lands. A sanity failure (a tool error, a template the tools could not fill,
a fallback to offline mode) is a plain failure, never hidden by the xfail.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.adversarial.hostile import RESULTS, Case, Outcome, Turn, marks_in, verdict
from tests.adversarial.planted_cases import CONTROLS, PLANTED

loopback = pytest.mark.allow_hosts(["127.0.0.1"])
pytestmark = pytest.mark.slow  # about two seconds a case: a whole turn over HTTP each


class NotCaught(AssertionError):
    """The planted item reached the user unmarked."""


NOT_YET = pytest.mark.xfail(
    strict=True,
    raises=NotCaught,
    reason="not caught yet: a beta of 2 and a session count (see the issue-14 note)",
)


def _sane(turn: Turn) -> None:
    """The turn ran as the case meant: in LLM mode, every tool answered, the planted text sent."""
    case, answer = turn.model.case, turn.answer
    assert not turn.model.errors, turn.model.errors
    assert answer.mode == "llm", answer.text
    assert answer.language == case.lang
    ends = [e for e in turn.events if e["type"] == "tool_end"]
    assert len(ends) >= len(case.calls) and all(e["ok"] for e in ends), ends
    assert turn.model.answers, "the model was never asked to write"
    seen = "\n".join(turn.model.results.values())
    for words in case.evidence:
        assert words in seen, f"the tools did not return {words!r}"
    assert len(turn.model.rewrite_requests) <= 1, "the answer is rewritten at most once"
    assert answer.ledger.entries, "the ledger holds what the tools returned"


def _params(cases: list[Case]) -> list[object]:
    return [pytest.param(c, id=c.id, marks=() if c.caught_today else NOT_YET) for c in cases]


def test_the_suite_covers_the_issue() -> None:
    """At least 40 planted mistakes, every class of the issue, each in both languages."""
    assert len(PLANTED) >= 40
    kinds = {c.kind for c in PLANTED}
    assert len(kinds) >= 15
    for kind in kinds:
        assert {c.lang for c in PLANTED if c.kind == kind} == {"en", "zh"}, kind
    assert len({c.id for c in PLANTED + CONTROLS}) == len(PLANTED) + len(CONTROLS)


@loopback
@pytest.mark.parametrize("case", _params(PLANTED))
def test_a_planted_mistake_is_marked_or_removed(
    case: Case, hostile_turn: Callable[[Case], Turn]
) -> None:
    turn = hostile_turn(case)
    _sane(turn)
    near, item = turn.model.planted()
    written = turn.model.answers[0]
    assert written.count(near + item) == 1, (near + item, written)
    outcome = verdict(turn.answer.text, near, item)
    RESULTS.append(Outcome(case.id, case.kind, case.lang, outcome, banner=bool(turn.answer.banner)))
    if outcome == "missed":
        raise NotCaught(f"{item!r} reached the user unmarked:\n{turn.answer.text}")


@loopback
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CONTROLS])
def test_a_correct_answer_has_no_number_marked(
    case: Case, hostile_turn: Callable[[Case], Turn]
) -> None:
    turn = hostile_turn(case)
    _sane(turn)
    answer = turn.answer
    marked = marks_in(answer.text)
    RESULTS.append(
        Outcome(
            case.id,
            "control",
            case.lang,
            "clean" if not marked else f"{marked} marked",
            numbers=answer.verification.numbers_total,
            marked=marked,
            banner=bool(answer.banner),
        )
    )
    assert answer.verification.numbers_total >= 1
    assert marked == 0, answer.text
    assert answer.verification.ok, answer.verification.summary()
    assert turn.model.rewrite_requests == [], "a correct answer is not sent back"
    assert answer.text == turn.model.answers[0]  # shown as written
    assert answer.banner == ""
    if answer.coverage is not None:
        assert answer.coverage.complete, answer.coverage.to_json(answer.language)
