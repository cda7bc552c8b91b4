"""No false alarms: every number of the recorded demo answers and reports (both languages) holds.

The recording is benchmarks/data/verifier_corpus.json (made by `python -m
benchmarks.verifier_corpus` from the golden questions and the demo research report). A change to
the verifier that marks a true number there fails here, with the number and the reason.
"""

from __future__ import annotations

import pytest

from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import mark_unsupported, verify
from assistant.reading import read_claims
from benchmarks.verifier_corpus import load

ITEMS = load()


def test_the_recording_covers_both_languages_answers_and_reports() -> None:
    kinds = {(i["kind"], i["language"]) for i in ITEMS}
    assert kinds == {("answer", "en"), ("answer", "zh"), ("report", "en"), ("report", "zh")}
    assert not any(i["marked"] for i in ITEMS)


@pytest.mark.parametrize(
    "item", ITEMS, ids=[f"{i['kind']}-{i['language']}-{n}" for n, i in enumerate(ITEMS)]
)
def test_no_true_number_is_marked(item: dict[str, object]) -> None:
    ledger = Ledger.model_validate(item["ledger"])
    text = str(item["text"])
    question = str(item["question"])
    result = verify(text, ledger, given=[question] if question else [], reader=read_claims)
    assert result.findings == [], result.summary()
    assert result.numbers_verified == result.numbers_total
    assert mark_unsupported(text, result) == text


# Paraphrases a model might write about the demo report's evidence (English report ledger).
REPORT = next(i for i in ITEMS if i["kind"] == "report" and i["language"] == "en")
TRUE = [
    "The Russell 2000 gained 6.75% from December 1, 2025 to January 23, 2026 [1], or 168.73 points [2].",
    "Measured from the first session's open, the index rose 7.53% [3].",
    "Over the same stretch the S&P 500 added 0.97% [4] and the Nasdaq Composite 0.58% [7].",
    "The Dow climbed 2.90% [10], or 1,382.29 points [11].",
    "Small caps beat large caps by 5.78 percentage points [13].",
    "罗素2000指数自12月1日以来上涨6.75%[1]，跑赢标普500指数5.78个百分点[13]。",
    "Its 20-day SMA stood at 2,601.58 on January 23 [24], with the index 2.60% above it [25].",
    "The Russell 2000 closed at 2,669.16 on Jan. 23, 2026 [46], while the VIX ended at 16.09 [47].",
    "Annualised volatility was 15.47% [31]; on a daily basis it was 0.97% [30].",
    "The 52-week intraday high was 2,735.10 on 2026-01-22 [27] and the low 1,732.99 on 2025-04-09 [26].",
    "On a closing basis the index ranged from 1,760.71 [28] to 2,718.77 [29] over the past year.",
    "截至1月23日，罗素2000收于2,669.16点[46]，20日均线为2,601.58点[24]。",
    "The index is up about seven and a half percent [3] since early December.",
    "年化波动率为15.47%[31]，日波动率为0.97%[30]。",
    "The Russell 2000 rose 6.7% [1] in the period.",
]
WRONG = [
    "The S&P 500 rose 7.53% [3].",
    "The Russell 2000 closed at 2,669.16 on January 22, 2026 [46].",
    "The Russell 2000's annualised volatility was 7.53% [3].",
    "The maximum drawdown was 7.53% [3].",
    "The Russell 2000 fell 6.75% [1].",
    "The Nasdaq gained 0.97% [4].",
    "罗素2000的年化波动率为0.97%[30]。",
    "The 50-day average was 2,601.58 [24].",
    "The Russell 2000 rose 6.75% from January 2 to January 23 [1].",
    "标普500指数上涨6.75%[1]。",
    "The VIX closed at 2,669.16 [46].",
    "The Russell 2000 rose twelve percent [1].",
]


@pytest.mark.parametrize("text", TRUE)
def test_true_paraphrases_hold(text: str) -> None:
    result = verify(text, Ledger.model_validate(REPORT["ledger"]), reader=read_claims)
    assert result.ok, result.summary()


@pytest.mark.parametrize("text", WRONG)
def test_true_numbers_in_the_wrong_place_are_marked(text: str) -> None:
    result = verify(text, Ledger.model_validate(REPORT["ledger"]), reader=read_claims)
    assert result.unsupported, [c.claim for c in result.checks]
    assert "（未核实）" in mark_unsupported(text, result) or "(unverified)" in mark_unsupported(
        text, result
    )
