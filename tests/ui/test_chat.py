"""Chat under AppTest: streamed answers with receipts, badge, follow-ups, threads, limits."""

from __future__ import annotations

import re
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from assistant.grounding.guard import MAX_QUESTION_CHARS
from tests.ui.conftest import popover_labels, texts

NEWS_ID = "russell-2000-rally-2026-01-26-en"


def open_chat(at: AppTest, **params: str) -> AppTest:
    at.run()
    at.switch_page("pages/chat.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question)
    return at.run()


def test_answer_shows_citations_badge_and_follow_ups(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = ask(open_chat(make_app(), news=NEWS_ID), "How did the Russell 2000 do?")
    assert not at.exception
    body = texts(at)
    assert "The Russell 2000 returned +6.75% from 2025-12-01 to 2026-01-23 :blue-badge[1]." in body
    assert ":green-badge[:material/verified: 1/1 numbers verified]" in body
    assert popover_labels(at) == ["[1] ^RUT return +6.75%"]
    assert "**Formula**: Close[2026-01-23] / Close[2025-11-28] - 1" in body  # the receipt
    assert [b.label for b in at.button if "follow" in (b.key or "")] == [
        "What was its volatility?",
        "How did the S&P 500 do?",
        "Where is its 20-day average?",
    ]
    call = services.chat.calls[0]
    assert call == {
        "question": "How did the Russell 2000 do?",
        "thread_id": None,
        "news_id": NEWS_ID,
        "language": "auto",
    }
    assert at.query_params["thread"] and at.query_params["news"] == NEWS_ID


def test_follow_up_button_asks_in_the_same_thread(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = ask(open_chat(make_app()), "How did the Russell 2000 do?")
    thread = at.query_params["thread"]
    next(b for b in at.button if b.label == "How did the S&P 500 do?").click().run()
    assert not at.exception
    assert services.chat.calls[1]["question"] == "How did the S&P 500 do?"
    assert services.chat.calls[1]["thread_id"] == thread
    assert [m.role for m in services.threads.messages(thread)] == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    assert len(at.chat_message) == 4


def test_a_reloaded_page_shows_the_conversation(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    first = ask(open_chat(make_app()), "罗素2000表现如何？")
    thread = first.query_params["thread"]
    reloaded = open_chat(make_app(), thread=thread)  # a new session, as after a reload
    assert not reloaded.exception
    assert [m.name for m in reloaded.chat_message] == ["user", "assistant"]
    body = texts(reloaded)
    assert "罗素2000表现如何？" in body
    assert "罗素2000指数在2025-12-01至2026-01-23期间上涨+6.75%:blue-badge[1]。" in body
    assert ":green-badge[:material/verified: 1/1 numbers verified]" in body
    assert popover_labels(reloaded) == ["[1] ^RUT return +6.75%"]


def test_new_thread_button_starts_over(make_app: Callable[..., AppTest]) -> None:
    at = ask(open_chat(make_app()), "How did the Russell 2000 do?")
    assert at.query_params.get("thread")
    at.button(key="new_thread").click().run()
    assert "thread" not in at.query_params
    assert len(at.chat_message) == 0
    ask(at, "And the S&P 500?")
    assert len(at.chat_message) == 2


def test_chinese_question_gets_a_chinese_answer_in_an_english_ui(
    make_app: Callable[..., AppTest],
) -> None:
    at = ask(open_chat(make_app("en")), "罗素2000从2025年12月1日到2026年1月23日涨了多少？")
    assert "罗素2000指数在" in texts(at)
    assert next(b.label for b in at.button if "follow" in (b.key or "")) == "波动率是多少？"


def test_over_long_question_is_refused_with_a_message(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = ask(open_chat(make_app()), "x" * (MAX_QUESTION_CHARS + 1))
    assert not at.exception
    assert "the limit is 4,000" in at.warning[0].value
    assert services.chat.calls == []


def test_feed_question_opens_the_chat_with_a_general_thread(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = make_app().run()
    ask(at, "How did the Russell 2000 do?")
    assert not at.exception
    assert services.chat.calls[0]["news_id"] is None
    assert "General questions" in texts(at)
    assert "1/1 numbers verified" in texts(at)


def test_news_item_question_goes_to_its_chat(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    at = make_app().run()
    at.switch_page("pages/news.py")
    at.query_params["id"] = NEWS_ID
    ask(at.run(), "What is its 20-day average?")
    assert services.chat.calls[0]["news_id"] == NEWS_ID
    assert at.query_params["news"] == NEWS_ID


def test_unsafe_answer_text_is_defused(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    services.chat.reply = (
        "See ![x](https://evil.example/p.png) and [this](https://evil.example/a) "
        "or https://evil.example/b <script>alert(1)</script> costs $5 and $6 [1]."
    )
    at = ask(open_chat(make_app()), "How did the Russell 2000 do?")
    answer = next(m.value for m in at.markdown if "costs" in m.value)
    assert "<script>" not in answer and "p.png" not in answer and "![" not in answer
    # the addresses stay readable as code spans, which Streamlit's Markdown never links
    assert "this (`https://evil.example/a`)" in answer and "`https://evil.example/b`" in answer
    assert "](https://evil" not in answer and "evil.example" not in re.sub(r"`[^`]*`", "", answer)
    assert "\\$5 and \\$6" in answer  # no LaTeX between two dollar signs
    assert ":orange-badge" in texts(at)  # the unsupported numbers show


def test_a_failing_answer_is_explained(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    services.chat.fail = "model server unreachable"
    at = ask(open_chat(make_app()), "How did the Russell 2000 do?")
    assert not at.exception
    assert "model server unreachable" in at.error[0].value


def test_receipts_ignore_fields_a_figure_does_not_have() -> None:
    from assistant.views.receipts import receipt

    entry = {
        "n": 3,
        "kind": "figure",
        "raw": "+6.75%",
        "metric": "return",
        "symbol": "^RUT",
        "value": 6.748,
        "unit": "%",
    }
    assert receipt(entry).label == "^RUT return +6.75%"


def test_the_real_assistant_in_llm_mode_streams_into_the_page(
    make_app: Callable[..., AppTest], services: Footnote
) -> None:
    """The real `Assistant` with a scripted chat model (no network): tool call, then the text."""
    from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

    from assistant.chat.service import Assistant
    from assistant.testing import ScriptedChatModel, tool_call

    def answer(messages: list[BaseMessage]) -> AIMessage:
        results = "\n".join(str(m.content) for m in messages if isinstance(m, ToolMessage))
        marker = next(line for line in results.splitlines() if " return = " in line)
        return AIMessage(
            "The Russell 2000 rose 7.53% from the 2025-12-01 open to the 2026-01-23 close "
            + marker.split("]")[0]
            + "]."
        )

    window = {
        "symbol": "Russell 2000",
        "start": "2025-12-01",
        "end": "2026-01-23",
        "convention": "open",
    }
    model = ScriptedChatModel(script=[tool_call("period_return", window), answer])
    services._chat = Assistant(
        services.settings,
        market=services.market,
        library=services.library,
        threads=services.threads,
        chat_model=model,
    )
    at = ask(open_chat(make_app()), "How much did the Russell 2000 rise from Dec 1 to Jan 23?")
    assert not at.exception
    body = texts(at)
    assert "The Russell 2000 rose 7.53%" in body and ":blue-badge[1]" in body
    assert ":green-badge[:material/verified: 1/1 numbers verified]" in body
    assert popover_labels(at)[0] == "[1] ^RUT return +7.53%"
