"""Attribution on chat answers: a failure is a verification finding like a number's.

Who is named must be named by the source the sentence cites (person or firm, either language);
a stance given must be the document's; a list of risks holds no bullish view and a list of
opportunities no bearish one. The finding is marked where the name stands and turns the badge.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.chat.offline import pieces
from assistant.chat.offline.composer import Composed, OfflineComposer
from assistant.chat.service import Assistant
from assistant.grounding.attribution import check_attributions
from assistant.grounding.ledger import Ledger
from assistant.reading.people import people_index
from knowledge.documents import Document, Section, SourceEntry, View
from knowledge.library import Library

from .test_offline_answers import NEWS_EN, NEWS_ZH

DOC = Document(
    id="attr-views",
    title="Views",
    language="en",
    sections=[
        Section(heading="Views", text="Hirsch sees more upside [1]. Feroli sees no cut [2]."),
    ],
    sources=[
        SourceEntry(
            n=1,
            publisher="Stock Trader's Almanac",
            person="Jeffrey Hirsch（杰弗里·赫希）, editor",
            summary="More upside.",
        ),
        SourceEntry(
            n=2,
            publisher="J.P. Morgan Global Research（摩根大通研究部）",
            person="Michael Feroli（迈克尔·费罗利）, chief U.S. economist, J.P. Morgan",
            summary="No cut in 2026.",
        ),
    ],
    views=[
        View(person="Jeffrey Hirsch", stance="bull", claim="More upside.", source=1),
        View(person="Michael Feroli", stance="bear", claim="No cut.", source=2),
    ],
)
STANCES = {v.person: v.stance for v in DOC.views}
NAMES = people_index(DOC.sources)


def _ledger() -> Ledger:
    ledger = Ledger()
    for n in (1, 2):
        passage = pieces.source_passage(DOC, n)
        assert passage is not None
        assert ledger.add_passage(passage) == n
    return ledger


def _details(text: str) -> list[str]:
    return [f.detail for f in check_attributions(text, _ledger(), STANCES, NAMES)]


@pytest.mark.parametrize(
    ("right", "wrong"),
    [
        ("J.P. Morgan sees no cut in 2026 [2].", "J.P. Morgan sees no cut in 2026 [1]."),
        ("JPMorgan expects no cut [2].", "JPMorgan expects no cut [1]."),
        ("摩根大通预计2026年不降息[2]。", "摩根大通预计2026年不降息[1]。"),
        ("赫希认为仍有上行空间[1]。", "赫希认为仍有上行空间[2]。"),
    ],
)
def test_a_firm_or_a_chinese_name_must_be_named_by_the_cited_source(right: str, wrong: str) -> None:
    assert _details(right) == []
    assert _details(wrong) == [f"no cited source names {_person(wrong)}"]


def _person(text: str) -> str:
    return "Michael Feroli" if ("Morgan" in text or "摩根" in text) else "Jeffrey Hirsch"


def test_each_name_of_a_list_answers_to_its_own_marker() -> None:
    assert _details("The views come from Hirsch [1] and Feroli [2].") == []
    assert _details("The views come from Hirsch [2] and Feroli [1].") == [
        "no cited source names Jeffrey Hirsch",
        "no cited source names Michael Feroli",
    ]


def test_a_name_in_a_sentence_that_cites_nothing_is_a_finding() -> None:
    assert _details("Feroli expects no cut this year.") == [
        "names Michael Feroli but cites no source"
    ]


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        (
            "The main risks:\n- Jeffrey Hirsch expects more upside [1].\n- No cut [2].",
            "Jeffrey Hirsch is bullish in the source, listed as a risk",
        ),
        (
            "主要风险如下：\n- 赫希认为仍有上行空间[1]。",
            "Jeffrey Hirsch is bullish in the source, listed as a risk",
        ),
        (
            "Opportunities:\n- Michael Feroli (J.P. Morgan, bearish): no cut [2].",
            "Michael Feroli is bearish in the source, listed as an opportunity",
        ),
        (
            "机会在于：\n- 费罗利（摩根大通，看空）：不降息[2]。",
            "Michael Feroli is bearish in the source, listed as an opportunity",
        ),
        (
            "What could go wrong (risks)\nSupporting evidence:\n- A view (Almanac, bullish) [1].",
            "the view is bullish in the source, listed as a risk",
        ),
    ],
)
def test_risks_never_list_a_bullish_view_nor_opportunities_a_bearish_one(
    text: str, detail: str
) -> None:
    assert _details(text) == [detail]


def test_a_risk_list_holding_the_bear_and_other_lists_are_left_alone() -> None:
    assert _details("The main risks:\n- Michael Feroli (J.P. Morgan, bearish): no cut [2].") == []
    assert _details("What drove it:\n- Jeffrey Hirsch expects more upside [1].") == []
    assert _details("主要风险：\n- 费罗利（摩根大通，看空）：不降息[2]。") == []


def test_a_stance_the_document_does_not_give_is_a_finding_in_both_languages() -> None:
    assert _details("The bearish case comes from Hirsch [1].") == [
        "Jeffrey Hirsch is bull in the source, not bear"
    ]
    assert _details("看空的是赫希[1]；看多的是费罗利[2]。") == [
        "Jeffrey Hirsch is bull in the source, not bear",
        "Michael Feroli is bear in the source, not bull",
    ]


# ---- whole offline turns: the finding is marked and turns the badge ---------------------


@pytest.mark.parametrize(
    ("question", "news", "swap", "tag"),
    [
        (
            "What did the experts say?",
            NEWS_EN,
            ("Michael Feroli (J.P. Morgan, bearish)", "Oren Shiran (Lazard, bearish)"),
            " (attribution not supported by the sources)",
        ),
        (
            "专家怎么看？",
            NEWS_ZH,
            ("Michael Feroli（J.P. Morgan，看空）", "Oren Shiran（Lazard，看空）"),
            "（出处与来源不符）",
        ),
    ],
)
def test_a_composer_slip_is_marked_in_the_answer_and_counts_in_the_badge(
    make_assistant: Callable[..., Assistant],
    monkeypatch: pytest.MonkeyPatch,
    question: str,
    news: str,
    swap: tuple[str, str],
    tag: str,
) -> None:
    honest = make_assistant().ask(question, news_id=news)
    assert swap[0] in honest.text, honest.text
    assert not [f for f in honest.verification.findings if f.kind == "attribution"]

    compose = OfflineComposer.compose

    def slipping(self: OfflineComposer, *args: object, **kwargs: object) -> Composed:
        composed = compose(self, *args, **kwargs)  # type: ignore[arg-type]
        composed.text = composed.text.replace(*swap)
        return composed

    monkeypatch.setattr(OfflineComposer, "compose", slipping)
    answer = make_assistant().ask(question, news_id=news)
    found = [f for f in answer.verification.findings if f.kind == "attribution"]
    assert found and not answer.verification.ok  # the badge is not green
    assert any("Oren Shiran" in f.detail for f in found), found
    assert "Shiran" + tag in answer.text, answer.text  # marked right after the name
    assert answer.to_json()["verification"]["findings"]  # --json carries it


# ---- no false alarm on the demo answers ----------------------------------------------------

DEMO = [
    ("What do the bulls and bears say?", None),
    ("多空双方怎么看？", None),
    ("What are the main risks?", NEWS_EN),
    ("主要风险有哪些？", NEWS_ZH),
    ("What did Jefferies forecast for the Russell 2000?", None),
    ("杰富瑞对罗素2000的预测是什么？", None),
    ("总结一下专家观点", NEWS_ZH),
    ("What are the key insights?", NEWS_EN),
]


def test_the_demo_answers_raise_no_attribution_or_link_finding(
    make_assistant: Callable[..., Assistant], library: Library
) -> None:
    assistant = make_assistant()
    alarms = []
    named = 0
    for question, news in DEMO:
        answer = assistant.ask(question, news_id=news)
        named += any(p.split()[-1] in answer.text for p in STANCES)
        alarms += [
            (question, f.text, f.detail)
            for f in answer.verification.findings
            if f.kind in ("attribution", "stray_link")
        ]
    assert alarms == []
    assert named >= len(DEMO) // 2  # the check had names to read
