"""Offline mode end to end on real prices and the demo corpus: verified, cited, in the asker's language."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from assistant.chat.service import Assistant

NEWS_ZH = "russell-2000-rally-2026-01-26-zh"
NEWS_EN = "russell-2000-rally-2026-01-26-en"

QUESTIONS = [
    ("How much did the Russell 2000 rise from Dec 1 to Jan 23?", "en"),
    ("罗素2000在12月1日至1月23日涨了多少？", "zh"),
    ("Compare the Russell 2000 with the S&P 500 since December", "en"),
    ("罗素2000和纳斯达克相比，12月以来表现如何？", "zh"),
    ("How volatile has the Russell 2000 been since December?", "en"),
    ("罗素2000的20日均线在哪里？", "zh"),
    ("What's the 52-week range of the Russell 2000?", "en"),
    ("纳斯达克12月以来最大回撤是多少？", "zh"),
    ("What is the beta of IWM against the S&P 500 since December?", "en"),
    ("1月23日哪些板块领涨？", "zh"),
    ("What's the latest close of the Dow?", "en"),
    ("What drove the small-cap rally?", "en"),
    ("多空双方的观点是什么？", "zh"),
    ("What are the main risks?", "en"),
    ("需要关注哪些预警信号？", "zh"),
    ("Is the rally sustainable?", "en"),
    ("What did Jeffrey Hirsch say about the January effect?", "en"),
    ("小盘股的估值便宜吗？", "zh"),
]

_MARKER = re.compile(r"\[(\d+)\]")


@pytest.mark.parametrize(("question", "lang"), QUESTIONS)
def test_answers_are_verified_cited_and_in_the_question_language(
    make_assistant: Callable[..., Assistant], question: str, lang: str
) -> None:
    answer = make_assistant().ask(question)
    assert answer.mode == "offline"
    assert answer.language == lang
    v = answer.verification
    assert v.ok, v.summary()
    assert v.numbers_verified == v.numbers_total
    markers = {int(n) for n in _MARKER.findall(answer.text)}
    assert markers, "every answer cites something"
    assert markers <= {c.n for c in answer.ledger.entries}
    assert len(answer.suggestions) == 3
    assert ("不构成投资建议" if lang == "zh" else "not investment advice") in answer.footer
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", answer.text)


def test_known_answer_russell_dec_to_jan(make_assistant: Callable[..., Assistant]) -> None:
    answer = make_assistant().ask("How much did the Russell 2000 rise from Dec 1 to Jan 23?")
    open_return = next(
        f for f in answer.ledger.figures if f.metric == "return" and f.convention == "open"
    )
    assert open_return.value == pytest.approx(7.53, abs=0.005)
    assert "+7.53%" in answer.text
    assert "open of the first session" in answer.text  # the convention is stated
    assert answer.as_of is not None and answer.as_of.isoformat() == "2026-01-23"
    assert "2026-01-23" in answer.footer


def test_sunday_close_says_closed_and_gives_friday(
    make_assistant: Callable[..., Assistant],
) -> None:
    answer = make_assistant().ask("What was the Russell 2000's close on 2026-01-25?")
    assert "closed on 2026-01-25" in answer.text
    assert "2,669.16" in answer.text
    assert answer.verification.ok


def test_compounding_is_computed(make_assistant: Callable[..., Assistant]) -> None:
    answer = make_assistant().ask("If I earn 2% a month, what is that over a year, compounded?")
    assert "26.82%" in answer.text
    assert answer.verification.ok
    assert "hypothetical" in answer.footer


def test_false_premise_is_corrected(make_assistant: Callable[..., Assistant]) -> None:
    answer = make_assistant().ask("Why did the Russell 2000 fall 40% yesterday?")
    assert "do not support the premise" in answer.text
    change = next(f for f in answer.ledger.figures if f.metric == "day_change")
    assert abs(change.value) < 10
    assert answer.verification.ok


def test_news_thread_uses_the_news_date_and_labels_later_data(
    make_assistant: Callable[..., Assistant],
) -> None:
    assistant = make_assistant()
    bound = assistant.ask("罗素2000的20日均线在哪里？", news_id=NEWS_ZH)
    assert bound.as_of is not None and bound.as_of.isoformat() == "2026-01-23"
    sma = next(f for f in bound.ledger.figures if f.metric == "sma")
    assert sma.value == pytest.approx(2601.576, abs=0.001)
    later = assistant.ask(
        "How did the Russell 2000 do from 2026-01-26 to 2026-02-20?", news_id=NEWS_EN
    )
    assert "after the news date" in later.text
    assert later.verification.ok


def test_followups_in_a_thread(make_assistant: Callable[..., Assistant]) -> None:
    assistant = make_assistant()
    first = assistant.ask("罗素2000在12月1日至1月23日涨了多少？")
    second = assistant.ask("那标普呢？", thread_id=first.thread_id)
    assert second.thread_id == first.thread_id
    symbols = {f.symbol for f in second.ledger.figures}
    assert symbols == {"^GSPC"}
    assert second.ledger.figures[0].start.isoformat() == "2025-12-01"  # type: ignore[union-attr]
    third = assistant.ask("and the Dow?", thread_id=first.thread_id)
    assert {f.symbol for f in third.ledger.figures} == {"^DJI"}
    assert third.language == "en"


def test_stream_yields_events_in_order(make_assistant: Callable[..., Assistant]) -> None:
    events = list(make_assistant().stream("What's the 52-week range of the Russell 2000?"))
    kinds = [e["type"] for e in events]
    assert kinds[0] == "tool_start"
    assert "figure" in kinds
    assert kinds.index("text_delta") < kinds.index("verification") < kinds.index("final")
    assert kinds[-1] == "final"


def test_cannot_answer_says_so_and_offers_help(make_assistant: Callable[..., Assistant]) -> None:
    answer = make_assistant().ask("What's the weather in Paris?")
    assert "can't answer" in answer.text
    assert "I can compute" in answer.text
    assert answer.verification.numbers_total == 0


def test_unknown_symbol_gets_a_clear_message(make_assistant: Callable[..., Assistant]) -> None:
    answer = make_assistant().ask("What's the latest close of ZZZZQ?")
    assert "ZZZZQ" in answer.text
    assert answer.ledger.figures == []
