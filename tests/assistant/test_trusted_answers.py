"""Offline knowledge answers a reader can trust line by line (issue 16): the direct answer first,
built from the document's typed views and items, each sentence attributed to the source that
names its person, risks never bullish, opportunities never bearish. Both languages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from assistant.chat.offline import pieces
from assistant.chat.service import Assistant
from knowledge.library import Library
from knowledge.text import sentences

NEWS = {"en": "russell-2000-rally-2026-01-26-en", "zh": "russell-2000-rally-2026-01-26-zh"}
_MARKER = re.compile(r"\[(\d+)\]")
# Words a sentence leans back on: it does not stand alone.
_LEANS = re.compile(r"^(?:- )?(?:This|That|These|Those|It|His|Her|The optimists|这一|这|该|其)")


def _sources(answer: Any) -> dict[int, dict[str, Any]]:
    return {c["n"]: c for c in answer.to_json()["citations"]}


def _people(library: Library, lang: str) -> dict[str, str]:
    doc = library.get(NEWS[lang])
    assert doc is not None
    return {v.person: v.stance for v in doc.views}


def _check_attribution(answer: Any, people: dict[str, str]) -> None:
    """A line naming a person cites at least one source entry that names that person."""
    cites = _sources(answer)
    for line in answer.text.splitlines():
        for person in people:
            surname = person.split()[-1]
            if surname not in line:
                continue
            cited = [cites[int(n)] for n in _MARKER.findall(line) if int(n) in cites]
            named = [
                c
                for c in cited
                if c.get("source") and surname in str(c["source"].get("person") or "")
            ]
            assert named, f"{person} named without a source naming them: {line}"


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "What did Jefferies forecast for the Russell 2000?"),
        ("zh", "杰富瑞对罗素2000的预测是什么？"),
    ],
)
def test_a_forecast_question_answers_with_the_target_first(
    make_assistant: Callable[..., Assistant], library: Library, lang: str, question: str
) -> None:
    answer = make_assistant().ask(question)
    assert answer.verification.ok, answer.verification
    first = answer.text.splitlines()[0]
    assert "2,825" in first and "DeSanctis" in first, first
    assert len(sentences(first)) <= 2
    assert first.index("2,825") < first.index("2026") or lang == "zh"  # the target leads
    cites = _sources(answer)
    lead_sources = [cites[int(n)]["source"] for n in _MARKER.findall(first)]
    assert lead_sources and all("DeSanctis" in (s or {}).get("person", "") for s in lead_sources)
    _check_attribution(answer, _people(library, lang))


@pytest.mark.parametrize(
    ("lang", "question", "kind", "excluded"),
    [
        ("en", "What are the risks to the rally?", "risks", "bull"),
        ("zh", "这轮上涨有哪些风险？", "risks", "bull"),
        ("en", "What opportunities does the analysis see?", "opportunities", "bear"),
        ("zh", "有哪些机会？", "opportunities", "bear"),
    ],
)
def test_risks_never_list_a_bullish_view_nor_opportunities_a_bearish_one(
    make_assistant: Callable[..., Assistant],
    library: Library,
    lang: str,
    question: str,
    kind: str,
    excluded: str,
) -> None:
    answer = make_assistant().ask(question, news_id=NEWS[lang])
    assert answer.verification.ok, answer.verification
    people = _people(library, lang)
    for person, stance in people.items():
        if stance == excluded:
            assert person not in answer.text, f"{stance} view of {person} listed under {kind}"
    doc = library.get(NEWS[lang])
    assert doc is not None
    first_item = pieces.items(doc, kind)[0].text.rstrip(".。")
    assert answer.text.startswith(first_item[:20])  # the direct answer: the document's first item
    _check_attribution(answer, people)


@pytest.mark.parametrize(
    ("lang", "question"),
    [("en", "What do the bulls and bears say?"), ("zh", "总结一下专家观点")],
)
def test_views_are_people_with_their_stance_and_own_source(
    make_assistant: Callable[..., Assistant], library: Library, lang: str, question: str
) -> None:
    answer = make_assistant().ask(question, news_id=NEWS[lang])
    assert answer.verification.ok, answer.verification
    assert "Yahoo" not in answer.text  # a data provider is a source, not an expert
    people = _people(library, lang)
    bull_word, bear_word = ("bullish", "bearish") if lang == "en" else ("看多", "看空")
    for line in answer.text.splitlines()[1:]:
        person = next((p for p in people if line.startswith(f"- {p}")), None)
        if person is not None:
            stance = bull_word if people[person] == "bull" else bear_word
            assert stance in line, line  # the stance the document gives
    _check_attribution(answer, people)


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "What signals should I monitor?"),
        ("zh", "需要关注哪些信号？"),
        ("en", "What drove the move?"),
        ("zh", "推动这轮行情的因素是什么？"),
        ("en", "Is the rally sustainable?"),
        ("zh", "小盘股的估值便宜吗？"),
    ],
)
def test_every_line_stands_alone_and_is_cited(
    make_assistant: Callable[..., Assistant], library: Library, lang: str, question: str
) -> None:
    answer = make_assistant().ask(question, news_id=NEWS[lang])
    assert answer.verification.ok, answer.verification
    lines = answer.text.splitlines()
    assert lines and _MARKER.search(lines[0]), "the direct answer comes first, cited"
    assert not lines[0].endswith((":", "：")), "no heading before the answer"
    for i, line in enumerate(lines):
        assert not _LEANS.match(line), line
        if line.endswith((":", "：")):  # a list head is followed by its list
            assert i + 1 < len(lines) and lines[i + 1].startswith("- "), answer.text
        elif line.strip():
            assert _MARKER.search(line), f"uncited line: {line}"
    _check_attribution(answer, _people(library, lang))
