"""Fakes that are first-class code: a scripted chat model that supports tool calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

Step = AIMessage | Callable[[list[BaseMessage]], AIMessage]


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class ScriptedChatModel(BaseChatModel):
    """Replies from a queue; a step may be a message or a function of the conversation so far.

    It records every call and the tools bound to it, and reports token usage (about four
    characters a token) so budgets and benchmarks can count.
    """

    script: list[Any] = Field(default_factory=list)
    repeat_last: bool = False
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[dict[str, Any]] = Field(default_factory=list)
    position: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        self.bound_tools = [convert_to_openai_tool(t) for t in tools]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls.append(list(messages))
        if self.position >= len(self.script):
            if not (self.repeat_last and self.script):
                raise RuntimeError(f"scripted model ran out of replies after {self.position} calls")
            step = self.script[-1]
        else:
            step = self.script[self.position]
            self.position += 1
        reply = step(list(messages)) if callable(step) else step
        prompt_tokens = sum(_tokens(str(m.content)) for m in messages)
        out_tokens = _tokens(str(reply.content)) + 20 * len(reply.tool_calls)
        reply = reply.model_copy(
            update={
                "usage_metadata": {
                    "input_tokens": prompt_tokens,
                    "output_tokens": out_tokens,
                    "total_tokens": prompt_tokens + out_tokens,
                }
            }
        )
        return ChatResult(generations=[ChatGeneration(message=reply)])


def tool_call(name: str, args: dict[str, Any], call_id: str | None = None) -> AIMessage:
    """An assistant turn that calls one tool."""
    return AIMessage(
        content="", tool_calls=[{"name": name, "args": args, "id": call_id or f"call_{name}"}]
    )
