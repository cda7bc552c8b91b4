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
