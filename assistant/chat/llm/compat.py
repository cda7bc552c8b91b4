"""`ChatOpenAI` made to work with the OpenAI-compatible servers people run (llama.cpp, Ollama, vLLM).

- tools are bound with `tool_choice="auto"`: llama.cpp's server ignores tools without it;
- `max_tokens` is sent beside `max_completion_tokens` to servers other than OpenAI's, since some
  honour only the older name;
- a streamed tool call whose name the server repeats in every chunk is named once (llama.cpp
  sends it each time, and LangChain's chunk merge glued "period_returnperiod_return...");
- structured output asks for `json_schema` first and, when the server rejects that (HTTP 400 or
  422), asks again in JSON mode with the schema written into the prompt.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import openai
from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessageChunk, BaseMessage, SystemMessage
from langchain_core.outputs import ChatGenerationChunk
from langchain_core.runnables import Runnable, RunnableLambda
from langchain_core.tools import BaseTool
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

SCHEMA_NOTE = (
    "Reply with one JSON object and nothing else. It must validate against this JSON schema:\n"
)


class CompatChatOpenAI(ChatOpenAI):
    """ChatOpenAI with the compatibility fixes above; `compatible_server` turns on `max_tokens`."""

    compatible_server: bool = False

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, Any]:
        if tools and tool_choice is None:
            tool_choice = "auto"
        return super().bind_tools(tools, tool_choice=tool_choice, **kwargs)

    def _get_request_payload(
        self, input_: LanguageModelInput, *, stop: list[str] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        payload: dict[str, Any] = super()._get_request_payload(input_, stop=stop, **kwargs)
        if self.compatible_server and payload.get("max_completion_tokens"):
            payload.setdefault("max_tokens", payload["max_completion_tokens"])
        return payload

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        named: set[int] = set()
        for chunk in super()._stream(*args, **kwargs):
            yield name_once(chunk, named)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: str = "json_schema",
        include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, Any]:
        primary = super().with_structured_output(
            schema,
            method=method,  # type: ignore[arg-type]
            include_raw=include_raw,
            **kwargs,
        )
        if method != "json_schema" or schema is None:
            return primary
        kwargs.pop("strict", None)
        json_mode = super().with_structured_output(
            schema, method="json_mode", include_raw=include_raw, **kwargs
        )
        note = SCHEMA_NOTE + json.dumps(_schema_of(schema), ensure_ascii=False)

        def with_note(value: LanguageModelInput) -> list[BaseMessage]:
            return [SystemMessage(note), *self._convert_input(value).to_messages()]

        fallback = RunnableLambda(with_note) | json_mode
        return primary.with_fallbacks(
            [fallback],
            exceptions_to_handle=(openai.BadRequestError, openai.UnprocessableEntityError),
        )


def _schema_of(schema: dict[str, Any] | type) -> dict[str, Any]:
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return schema.model_json_schema()
    return dict(schema) if isinstance(schema, dict) else {}


def name_once(chunk: ChatGenerationChunk, named: set[int]) -> ChatGenerationChunk:
    """Drop a tool-call name already given for the same call index earlier in the stream."""
    message = chunk.message
    if not isinstance(message, AIMessageChunk) or not message.tool_call_chunks:
        return chunk
    calls = []
    changed = False
    for call in message.tool_call_chunks:
        index = call.get("index")
        if index is not None and call.get("name"):
            if index in named:
                call = {**call, "name": None}
                changed = True
            else:
                named.add(index)
        calls.append(call)
    if not changed:
        return chunk
    fixed = AIMessageChunk(
        content=message.content,
        additional_kwargs=message.additional_kwargs,
        response_metadata=message.response_metadata,
        id=message.id,
        usage_metadata=message.usage_metadata,
        tool_call_chunks=calls,
    )
    return ChatGenerationChunk(message=fixed, generation_info=chunk.generation_info)
