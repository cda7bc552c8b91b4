"""The one place that builds chat models (OpenAI or any OpenAI-compatible server)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from assistant.budget import Usage
from assistant.errors import ModelError
from assistant.grounding.language import Lang
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# USD per million tokens (input, output) for cost estimates; unknown models cost 0 here.
PRICES_PER_MTOK: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}


class ModelNotConfigured(ModelError):
    """Raised when LLM mode is asked for but settings name no usable chat model."""


class TurnStopped(ModelError):
    """The model's turn ended without a usable answer (a limit reached, the wrong language);
    `usage` is what the turn cost before it stopped."""

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


def build_chat_model(
    settings: Settings, timeout_s: float | None = None, max_tokens: int = 1500
) -> BaseChatModel:
    """A LangChain chat model for the configured OpenAI or OpenAI-compatible server.

    One HTTP call waits at most `timeout_s` (default: the answer deadline, at most 60 s); the
    answer's overall deadline is enforced around it (`deadline.iterate_until`)."""
    if settings.mode != "llm":
        raise ModelNotConfigured(settings.offline_reason or "no chat model configured")
    from assistant.chat.llm.compat import CompatChatOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return CompatChatOpenAI(
        model=settings.model_name,
        api_key=key,  # type: ignore[arg-type]
        base_url=settings.openai_base_url,
        timeout=timeout_s if timeout_s is not None else min(60.0, settings.answer_deadline_s),
        max_retries=1,
        max_completion_tokens=max_tokens,
        temperature=0,
        stream_usage=True,
        compatible_server=_compatible_server(settings.openai_base_url),
    )


def _compatible_server(base_url: str | None) -> bool:
    """True for a server other than OpenAI's own (it may honour only `max_tokens`)."""
    from urllib.parse import urlparse

    return bool(base_url) and (urlparse(base_url).hostname or "") != "api.openai.com"


def estimate_cost(model: str, input_tokens: int, output_tokens: int) -> float:
    """Dollars for a call, from the table above (0 for models not in it)."""
    price_in, price_out = PRICES_PER_MTOK.get(model, (0.0, 0.0))
    return (input_tokens * price_in + output_tokens * price_out) / 1_000_000


def probe_chat_model(settings: Settings, timeout_s: float = 3.0) -> tuple[bool, str]:
    """Ask the configured server for its model list, bounded by `timeout_s`."""
    import openai

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    client = openai.OpenAI(
        api_key=key, base_url=settings.openai_base_url, timeout=timeout_s, max_retries=0
    )
    try:
        models = client.models.list()
        names = [m.id for m in models.data]
    except (openai.APIError, OSError) as exc:
        return False, _redacted(settings, f"{type(exc).__name__}: {exc}")[:160]
    where = settings.openai_base_url or "api.openai.com"
    if settings.model_name not in names and names:
        return True, f"{where} answers, but does not list {settings.model_name!r}"
    return True, f"{where} answers; {settings.model_name!r} listed"


class TurnBudgetReached(ModelError):
    """A turn's token budget stopped the agent before its next model call."""

    def __init__(self, tokens: int) -> None:
        super().__init__(f"token budget of {tokens} reached")
        self.tokens = tokens


def model_failure(exc: BaseException, lang: Lang = "en") -> str | None:
    """A short reason in `lang` when `exc` is the chat model's server failing or a limit ending
    its turn (rate limit, server error, timeout, no connection, unusable reply, deadline, token
    budget, a call loop); None when it is anything else (a bug).

    Nothing is imported here: at a deadline the abandoned worker may still be importing the
    client libraries, and an import would wait for it. A library not yet loaded cannot have
    raised `exc`, so its types are looked up in `sys.modules`."""
    import sys

    from assistant.chat.llm.deadline import DeadlineReached
    from assistant.chat.llm.notices import reason, seconds

    if isinstance(exc, DeadlineReached):
        return reason("deadline", lang, s=seconds(exc.seconds))
    if isinstance(exc, TurnBudgetReached):
        return reason("tokens", lang, n=exc.tokens)
    if isinstance(exc, ModelNotConfigured):
        return reason("not_configured", lang)
    if isinstance(exc, ModelError):
        return exc.message

    def loaded(module: str, name: str) -> type[BaseException] | tuple[()]:
        found = getattr(sys.modules.get(module), name, None)
        return found if isinstance(found, type) else ()

    limit = loaded("langchain.agents.middleware.model_call_limit", "ModelCallLimitExceededError")
    if limit and isinstance(exc, limit):
        return reason("calls", lang, n=getattr(exc, "run_count", "?"))
    if isinstance(exc, loaded("openai", "RateLimitError")):
        response = getattr(exc, "response", None)
        after = str(response.headers.get("retry-after", "")) if response is not None else ""
        retry = reason("retry_after", lang, s=after) if after.strip().isdigit() else ""
        return reason("rate_limited", lang, retry=retry)
    timeouts = (loaded("openai", "APITimeoutError"), loaded("httpx", "TimeoutException"))
    if any(t and isinstance(exc, t) for t in timeouts):
        return reason("timed_out", lang)
    connections = (loaded("openai", "APIConnectionError"), loaded("httpx", "TransportError"))
    if any(t and isinstance(exc, t) for t in connections):
        return reason("no_connection", lang)
    if isinstance(exc, loaded("openai", "APIStatusError")):
        return reason("server_error", lang, status=getattr(exc, "status_code", "?"))
    unusable = (
        loaded("openai", "APIError"),
        loaded("langchain_core.exceptions", "OutputParserException"),
        loaded("pydantic", "ValidationError"),
    )
    if isinstance(exc, json.JSONDecodeError) or any(t and isinstance(exc, t) for t in unusable):
        return reason("unusable", lang)
    return None


def _redacted(settings: Settings, text: str) -> str:
    from assistant.grounding.guard import redact_secrets

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    return redact_secrets(text, [key] if key else [])


_PING_TOOL = {
    "type": "function",
    "function": {
        "name": "ping_probe",
        "description": "Answer a ping. Call it whenever asked to ping.",
        "parameters": {
            "type": "object",
            "properties": {"word": {"type": "string"}},
            "required": ["word"],
        },
    },
}
_PING = [{"role": "user", "content": "Call the ping_probe tool with word 'hello'."}]


def probe_model_features(settings: Settings, timeout_s: float = 3.0) -> list[tuple[str, bool, str]]:
    """What the configured server does with the requests Footnote sends: tools with and without
    `tool_choice`, streamed tool-call names, `json_schema` output and `max_completion_tokens`.
    Each check is one small request bounded by `timeout_s`; (name, fine as it is, detail)."""
    import openai

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    client: Any = openai.OpenAI(  # raw requests, typed loosely: servers differ
        api_key=key, base_url=settings.openai_base_url, timeout=timeout_s, max_retries=0
    )
    model = settings.model_name
    out: list[tuple[str, bool, str]] = []

    def failed(exc: Exception) -> str:
        return _redacted(settings, f"{type(exc).__name__}: {exc}")[:120]

    try:  # tools, without and with tool_choice
        bare = client.chat.completions.create(model=model, messages=_PING, tools=[_PING_TOOL])
        chosen = client.chat.completions.create(
            model=model,
            messages=_PING,
            tools=[_PING_TOOL],
            tool_choice="auto",
        )
        with_bare = bool(bare.choices and bare.choices[0].message.tool_calls)
        with_choice = bool(chosen.choices and chosen.choices[0].message.tool_calls)
        if with_bare:
            out.append(
                ("tool calls", True, "called without tool_choice (Footnote sends it anyway)")
            )
        elif with_choice:
            out.append(("tool calls", True, "called only with tool_choice, which Footnote sends"))
        else:
            out.append(("tool calls", False, "no tool call, even with tool_choice"))
    except (openai.APIError, OSError) as exc:
        out.append(("tool calls", False, failed(exc)))

    try:  # streamed tool-call names
        names: list[str] = []
        stream = client.chat.completions.create(
            model=model,
            messages=_PING,
            tools=[_PING_TOOL],
            tool_choice="auto",
            stream=True,
        )
        for chunk in stream:
            for choice in chunk.choices:
                for call in choice.delta.tool_calls or []:
                    if call.function is not None and call.function.name:
                        names.append(call.function.name)
        if len(names) > 1:
            detail = f"the name is repeated in {len(names)} chunks; Footnote keeps the first"
            out.append(("streamed tool names", True, detail))
        elif names:
            out.append(("streamed tool names", True, "the name comes once"))
        else:
            out.append(("streamed tool names", False, "no streamed tool call"))
    except (openai.APIError, OSError) as exc:
        out.append(("streamed tool names", False, failed(exc)))

    try:  # structured output
        schema = {
            "name": "probe",
            "strict": True,
            "schema": {
                "type": "object",
                "properties": {"ok": {"type": "boolean"}},
                "required": ["ok"],
                "additionalProperties": False,
            },
        }
        client.chat.completions.create(
            model=model,
            messages=[{"role": "user", "content": "Reply with ok set to true."}],
            response_format={"type": "json_schema", "json_schema": schema},
            max_completion_tokens=20,
        )
        out.append(("json_schema output", True, "accepted"))
    except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
        detail = f"rejected ({exc.status_code}): Footnote falls back to JSON mode, then to rules"
        out.append(("json_schema output", False, detail))
    except (openai.APIError, OSError) as exc:
        out.append(("json_schema output", False, failed(exc)))

    try:  # the reply-length limit
        reply = client.chat.completions.create(
            model=model,
            messages=[{"role": "user", "content": "Count from 1 to 60 in words."}],
            max_completion_tokens=5,
        )
        used = reply.usage.completion_tokens if reply.usage else None
        finish = reply.choices[0].finish_reason if reply.choices else None
        if finish == "length" or (used is not None and used <= 8):
            out.append(("max_completion_tokens", True, "honoured"))
        else:
            detail = f"ignored ({used} tokens for a limit of 5); Footnote also sends max_tokens"
            out.append(("max_completion_tokens", False, detail))
    except (openai.APIError, OSError) as exc:
        out.append(("max_completion_tokens", False, failed(exc)))
    return out
