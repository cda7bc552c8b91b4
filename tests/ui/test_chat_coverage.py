"""The chat page shows an answer's warning banner (in the asker's language) above it, and the
coverage badge apart from the numbers badge, which is not green under a banner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from assistant.chat.coverage import ChatAnswer, read_coverage
from assistant.grounding.coverage import banner
from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import verify
from assistant.reading import read_request
from tests.ui.conftest import texts
from tools.figure import Figure

REF = date(2026, 3, 6)


def _return(symbol: str, value: float) -> Figure:
    return Figure(
        metric="return",
        symbol=symbol,
        value=value,
        unit="%",
        start=date(2025, 12, 1),
        end=date(2026, 1, 23),
        as_of=date(2026, 1, 23),
        provider="test",
        formula="Close[2026-01-23] / Open[2025-12-01] - 1",
    )


def _stored(svc: Footnote, question: str, text: str, lang: str) -> str:
    """Save a turn whose answer is scored as the service scores one; return the thread id."""
    ledger = Ledger()
    ledger.add_figure(_return("^RUT", 7.5312))
    ledger.add_figure(_return("^GSPC", 1.5234))
    verification = verify(text, ledger, given=[question])
    coverage = read_coverage(read_request(question, REF), ledger, verification)
    answer = ChatAnswer(
        text=text,
        ledger=ledger,
        verification=verification,
        language=lang,  # type: ignore[arg-type]
        mode="llm",
        coverage=coverage,
        banner=banner(coverage, lang),  # type: ignore[arg-type]
    )
    thread = svc.threads.create(question)
    svc.threads.append(thread.id, "user", question)
    svc.threads.append(thread.id, "assistant", text, answer.to_json(), {})
    return thread.id


def _open(at: AppTest, thread: str) -> AppTest:
    at.run()
    at.switch_page("pages/chat.py")
    at.query_params["thread"] = thread
    return at.run()


def test_a_banner_stands_above_the_answer_and_the_numbers_badge_is_not_green(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    question = "标普500指数从12月1日到1月23日涨了多少？"
    thread = _stored(services, question, "标普500指数上涨了7.53%[1]。", "zh")
    at = _open(make_app("en"), thread)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "注意：这个回答没有给出所问的标普500指数涨跌幅（2025-12-01 至 2026-01-23）的核实数字。"
        "请把其中标注的数字视为未经核实。"
    ]
    body = texts(at)
    assert ":orange-badge[:material/warning: 1/1 numbers verified]" in body
    assert ":green-badge" not in body
    assert ":orange-badge[:material/rule: answers 0 of 1 asked item]" in body
    assert "Not answered: 标普500指数涨跌幅（2025-12-01 至 2026-01-23）" in body


def test_a_complete_answer_has_no_banner_and_two_green_badges(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    question = "How much did the S&P 500 rise from Dec 1 to Jan 23?"
    thread = _stored(services, question, "The S&P 500 rose 1.52% [2].", "en")
    at = _open(make_app("zh"), thread)
    assert not at.exception
    assert not at.error
    body = texts(at)
    assert ":green-badge[:material/verified: 1/1 个数字已核验]" in body
    assert ":green-badge[:material/task_alt: 回答了所问 1 项中的 1 项]" in body
