"""A chat model proposes claims in the typed schema; code anchors and checks them."""

from __future__ import annotations

import datetime as dt

from assistant.factcheck import check_text, find_claims
from assistant.testing import ScriptedChatModel, tool_call
from tools.market import Market

D = dt.date(2026, 1, 26)
TEXT = "Small caps had a strong run: up 7.53% from the first December open. The target is 2,900."


def _model(*claims: dict[str, object]) -> ScriptedChatModel:
    return ScriptedChatModel(script=[tool_call("ClaimProposals", {"claims": list(claims)})])


def test_the_models_reading_replaces_the_rules_and_code_checks_it(market: Market) -> None:
    model = _model(
        {
            "sentence": "Small caps had a strong run: up 7.53% from the first December open.",
            "number": "7.53%",
            "symbol": "^RUT",
            "metric": "return",
            "direction": "up",
            "start": "2025-12-01",
            "end": "2026-01-23",
            "convention": "open",
        }
    )
    results = check_text(TEXT, market, published=D, model=model)
    first = results[0]
    assert first.claim.proposed_by == "model"
    assert (first.verdict, first.convention) == ("holds", "open")
    assert results[1].claim.proposed_by == "rules"  # nothing proposed: the rules' reading stays
    assert model.bound_tools[0]["function"]["name"] == "ClaimProposals"


def test_a_wrong_proposal_is_judged_by_the_data_not_by_the_model(market: Market) -> None:
    model = _model(
        {
            "sentence": "Small caps had a strong run: up 7.53% from the first December open.",
            "number": "7.53%",
            "symbol": "^GSPC",
            "metric": "return",
            "direction": "up",
            "start": "2025-12-01",
            "end": "2026-01-23",
            "convention": "open",
        }
    )
    first = check_text(TEXT, market, published=D, model=model)[0]
    assert first.verdict == "differs"
    assert round(first.computed or 0, 2) == 1.52


def test_numbers_the_text_does_not_contain_are_dropped() -> None:
    model = _model(
        {"sentence": "Invented.", "number": "12.34%", "symbol": "^RUT", "metric": "return"}
    )
    claims = find_claims(TEXT, D, model=model)
    assert [c.raw for c in claims] == ["7.53%", "2,900"]
    assert all(c.proposed_by == "rules" for c in claims)


def test_a_model_that_proposes_nothing_leaves_the_rules_reading() -> None:
    model = ScriptedChatModel(script=[tool_call("ClaimProposals", {"claims": []})])
    assert [c.proposed_by for c in find_claims(TEXT, D, model=model)] == ["rules", "rules"]
    assert len(model.calls) == 1
