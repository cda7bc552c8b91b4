"""LLM mode driven by a scripted chat model: tool calls fill the ledger, the verifier checks the text."""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from assistant.budget import Budget
from assistant.chat.service import Assistant
from assistant.testing import ScriptedChatModel, tool_call

RUT_WINDOW = {
    "symbol": "Russell 2000",
    "start": "2025-12-01",
    "end": "2026-01-23",
    "convention": "open",
}


def _tool_text(messages: list[BaseMessage]) -> str:
    return "\n".join(str(m.content) for m in messages if isinstance(m, ToolMessage))


def _marker_for(messages: list[BaseMessage], metric: str) -> str:
    for line in _tool_text(messages).splitlines():
        if f" {metric} = " in line:
            return line.split("]")[0] + "]"
    raise AssertionError(f"no {metric} in tool results")


def test_one_metric_question_takes_two_model_calls(
    make_assistant: Callable[..., Assistant],
) -> None:
    def answer(messages: list[BaseMessage]) -> AIMessage:
        marker = _marker_for(messages, "return")
        return AIMessage(
            f"The Russell 2000 rose 7.53% from the 2025-12-01 open to the 2026-01-23 close {marker}."
        )

    model = ScriptedChatModel(script=[tool_call("period_return", RUT_WINDOW), answer])
    result = make_assistant(chat_model=model).ask(
        "How much did the Russell 2000 rise from Dec 1 to Jan 23?"
    )
    assert result.mode == "llm"
    assert result.usage.llm_calls == 2
    assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0
    assert result.verification.ok, result.verification.summary()
    assert result.verification.numbers_verified == 1
    assert {t["function"]["name"] for t in model.bound_tools} >= {
        "period_return",
        "search_knowledge",
        "news_item",
    }
    figure = result.ledger.figures[0]
    assert figure.convention == "open" and round(figure.value, 2) == 7.53


def test_wrong_number_is_regenerated_once_then_passes(
    make_assistant: Callable[..., Assistant],
) -> None:
    def good(messages: list[BaseMessage]) -> AIMessage:
        assert "failed the automatic number check" in str(messages[-1].content)
        return AIMessage(f"It rose 7.53% {_marker_for(messages, 'return')}.")

    model = ScriptedChatModel(
        script=[
            tool_call("period_return", RUT_WINDOW),
            AIMessage("It rose 9.1% [1]."),  # a number no tool produced
            good,
        ]
    )
    result = make_assistant(chat_model=model).ask(
        "How much did the Russell 2000 rise from Dec 1 to Jan 23?"
    )
    assert result.usage.llm_calls == 3
    assert result.verification.ok
    assert "9.1" not in result.text


def test_still_wrong_after_regeneration_is_marked(make_assistant: Callable[..., Assistant]) -> None:
    model = ScriptedChatModel(
        script=[
            tool_call("period_return", RUT_WINDOW),
            AIMessage("It rose 9.1% [1]."),
            AIMessage("It rose 9.1% [1]."),
        ]
    )
    result = make_assistant(chat_model=model).ask("How much did the Russell 2000 rise?")
    assert not result.verification.ok
    assert result.verification.unsupported == ["9.1%"]
    assert "9.1% (unverified)" in result.text


def test_runaway_tool_loop_is_bounded(make_assistant: Callable[..., Assistant]) -> None:
    model = ScriptedChatModel(
        script=[tool_call("resolve_symbol", {"text": "RUT"})], repeat_last=True
    )
    assistant = make_assistant(chat_model=model, budget=Budget(max_model_calls=4))
    result = assistant.ask("Loop forever please")
    assert len(model.calls) <= 4
    assert result.usage.llm_calls <= 4


def test_knowledge_passages_are_delimited_and_cited(
    make_assistant: Callable[..., Assistant],
) -> None:
    def answer(messages: list[BaseMessage]) -> AIMessage:
        text = _tool_text(messages)
        assert "<<<DATA [1]" in text and "DATA>>>" in text
        return AIMessage("Jefferies' Steven DeSanctis set a year-end 2026 target of 2,825 [1].")

    model = ScriptedChatModel(
        script=[
            tool_call("search_knowledge", {"query": "DeSanctis Jefferies target 2,825", "k": 1}),
            answer,
        ]
    )
    result = make_assistant(chat_model=model).ask("What is Jefferies' target for the Russell 2000?")
    assert result.verification.ok, result.verification.summary()
    assert result.ledger.passages


def test_streaming_yields_tool_events_and_text(make_assistant: Callable[..., Assistant]) -> None:
    model = ScriptedChatModel(
        script=[
            tool_call("period_return", RUT_WINDOW),
            lambda m: AIMessage(f"Up 7.53% {_marker_for(m, 'return')}."),
        ]
    )
    events = list(make_assistant(chat_model=model).stream("How much did the Russell 2000 rise?"))
    kinds = [e["type"] for e in events]
    assert kinds.index("tool_start") < kinds.index("tool_end") < kinds.index("final")
    assert "figure" in kinds
    assert events[-1]["answer"].verification.ok


def test_a_turn_stopped_by_its_call_limit_says_so_and_answers_offline(
    make_assistant: Callable[..., Assistant],
) -> None:
    model = ScriptedChatModel(
        script=[tool_call("trading_calendar", {"day": "2026-01-23"})], repeat_last=True
    )
    answer = make_assistant(chat_model=model, budget=Budget(max_model_calls=3)).ask(
        "What's the latest close of the Dow?"
    )
    assert "made 3 calls without a final answer" in answer.text
    assert "Model call limits exceeded" not in answer.text  # no raw library text
    assert answer.mode == "offline" and answer.verification.ok
    assert answer.usage.llm_calls == 3  # what the failed turn cost is still reported


def test_an_english_answer_to_a_chinese_question_is_not_shown_without_a_notice(
    make_assistant: Callable[..., Assistant],
) -> None:
    model = ScriptedChatModel(script=[AIMessage("The Russell 2000 did well.")], repeat_last=True)
    answer = make_assistant(chat_model=model).ask("罗素2000在12月1日至1月23日涨了多少？")
    assert answer.language == "zh" and answer.usage.llm_calls == 2  # asked once to rewrite
    assert answer.text.startswith("注意：聊天模型用英文作答")
    assert "The Russell 2000 did well." in answer.text
