"""The one sentence splitter, on a labelled corpus in both languages."""

from __future__ import annotations

import pytest

from knowledge.text import detect_language, sentence_spans, sentences
from tests.knowledge.sentence_corpus import CASES


def test_the_corpus_is_large_and_bilingual() -> None:
    langs = [detect_language(text) for text, _ in CASES]
    assert len(CASES) >= 60
    assert langs.count("zh") >= 25 and langs.count("en") >= 25


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[t[:40] for t, _ in CASES])
def test_corpus_case(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "J.P. Morgan Global Research expects the Fed to hold.",
        "摩根大通（J.P. Morgan）预计美联储按兵不动。",
        "Rates held at 3.50-3.75%, e.g. no cut, per the U.S. Federal Reserve.",
    ],
)
def test_spans_cover_the_text_without_cutting_a_word(text: str) -> None:
    spans = sentence_spans(text)
    assert len(spans) == 1 and text[spans[0][0] : spans[0][1]] == text.strip()
