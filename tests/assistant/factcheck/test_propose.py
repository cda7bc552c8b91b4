"""A chat model proposes claims in the typed schema; code anchors and checks them."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.factcheck import check_text, find_claims
from assistant.factcheck.claims import JSON_KEYS
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


def test_a_wrong_window_is_judged_by_the_data_not_by_the_model(market: Market) -> None:
    model = _model(
        {
            "sentence": "Small caps had a strong run: up 7.53% from the first December open.",
            "number": "7.53%",
            "symbol": "^RUT",
            "metric": "return",
            "direction": "up",
            "start": "2026-01-02",
            "end": "2026-01-23",
            "convention": "open",
        }
    )
    first = check_text(TEXT, market, published=D, model=model)[0]
    assert first.claim.proposed_by == "model" and first.claim.model_disagreed is None
    assert first.verdict == "differs"
    expected = market.period_return("^RUT", dt.date(2026, 1, 2), dt.date(2026, 1, 23), "open")
    assert first.computed == pytest.approx(expected.value)


def test_where_the_model_contradicts_the_text_the_text_wins_and_json_says_so(
    market: Market,
) -> None:
    model = _model(
        {
            "sentence": "Small caps had a strong run: up 7.53% from the first December open.",
            "number": "7.53%",
            "symbol": "^GSPC",
            "metric": "return",
            "direction": "down",
            "start": "2025-12-01",
            "end": "2026-01-23",
        },
        {
            "sentence": "The target is 2,900.",
            "number": "2,900",
            "symbol": "^RUT",
            "metric": "last_close",
        },
    )
    first, target = check_text(TEXT, market, published=D, model=model)
    assert first.claim.symbol == "^RUT" and first.claim.claimed > 0
    assert first.claim.model_disagreed == {"symbol": "^GSPC", "direction": "down"}
    assert first.to_json()["model_disagreed"] == {"symbol": "^GSPC", "direction": "down"}
    assert target.claim.metric == "other" and target.verdict == "unverifiable"
    assert target.to_json()["model_disagreed"] == {"metric": "last_close"}


def test_a_chinese_sentence_keeps_its_own_direction_and_metric(market: Market) -> None:
    text = "2026年1月23日，罗素2000下跌1.82%。"
    model = _model(
        {
            "sentence": text,
            "number": "1.82%",
            "symbol": "^RUT",
            "metric": "volatility_daily",
            "direction": "up",
        }
    )
    (checked,) = check_text(text, market, published=D, model=model)
    assert (checked.claim.metric, checked.claim.claimed) == ("day_change", -1.82)
    assert checked.claim.model_disagreed == {"metric": "volatility_daily", "direction": "up"}
    assert checked.verdict == "holds"
    assert set(checked.to_json()) == {*JSON_KEYS, "model_disagreed"}


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
