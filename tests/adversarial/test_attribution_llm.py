"""A model that puts words in the wrong mouth: through the real `openai` client and agent against
the local stub, a planted misattribution reaches the user marked, and counts against the badge;
the same answer with the right name is shown as written."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.adversarial.hostile import Case, Turn
from tests.adversarial.planted_cases import KN_TARGET

loopback = pytest.mark.allow_hosts(["127.0.0.1"])

EN = "What year-end target did Jefferies set for the Russell 2000?"
ZH = "杰富瑞给罗素2000设定的年底目标是多少？"
TAGS = {"en": " (attribution not supported by the sources)", "zh": "（出处与来源不符）"}


def _case(lang: str, who: str, tail: str = "") -> Case:
    if lang == "en":
        answer = f"{who} set a 2026 year-end target of 2,825 for the Russell 2000 {{kn@2,825}}."
    else:
        answer = f"{who}为罗素2000设定的2026年年底目标为2,825点{{kn@2,825}}。"
    return Case(
        id=f"attribution-{lang}",
        kind="attribution",
        lang=lang,
        question=EN if lang == "en" else ZH,
        calls=(KN_TARGET,),
        answer=answer + tail,
        evidence=("2,825",),
    )


@loopback
@pytest.mark.parametrize(
    ("lang", "right", "wrong", "named"),
    [
        (
            "en",
            "Jefferies strategist Steven DeSanctis",
            "J.P. Morgan's Michael Feroli",
            r"J\.P\. Morgan",
        ),
        ("zh", "杰富瑞策略师Steven DeSanctis", "摩根大通的Michael Feroli", "摩根大通"),
    ],
)
def test_a_planted_misattribution_is_marked(
    hostile_turn: Callable[[Case], Turn], lang: str, right: str, wrong: str, named: str
) -> None:
    honest = hostile_turn(_case(lang, right))
    assert honest.answer.mode == "llm", honest.answer.text
    assert honest.answer.verification.ok, honest.answer.verification.summary()
    assert honest.answer.text == honest.model.answers[0]  # shown as written

    turn = hostile_turn(_case(lang, wrong))
    answer = turn.answer
    assert answer.mode == "llm", answer.text
    found = [f for f in answer.verification.findings if f.kind == "attribution"]
    assert found, answer.verification.summary()
    assert any("Michael Feroli" in f.detail for f in found)
    assert turn.model.rewrite_requests, "the model is asked once to fix it"
    # marked where the person is first named: by their firm or their name
    assert re.search(f"(?:{named}){re.escape(TAGS[lang])}", answer.text), answer.text
    assert not answer.verification.ok  # the badge is not green


@loopback
def test_a_stray_link_from_the_model_is_text_with_a_finding(
    hostile_turn: Callable[[Case], Turn],
) -> None:
    case = _case("en", "Jefferies strategist Steven DeSanctis", " More at www.evil.example/t.")
    answer = hostile_turn(case).answer
    assert answer.mode == "llm"
    assert "`www.evil.example/t` (not a source link)" in answer.text, answer.text
    assert [f.text for f in answer.verification.findings if f.kind == "stray_link"] == [
        "www.evil.example/t"
    ]
