"""The one place that builds chat models (OpenAI or any OpenAI-compatible server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.budget import Usage
from assistant.errors import ModelError
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
    settings: Settings, timeout_s: float = 60.0, max_tokens: int = 1500
) -> BaseChatModel:
    """A LangChain chat model for the configured OpenAI or OpenAI-compatible server."""
    if settings.mode != "llm":
        raise ModelNotConfigured(settings.offline_reason or "no chat model configured")
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.model_name,
        api_key=key,  # type: ignore[arg-type]
        base_url=settings.openai_base_url,
        timeout=timeout_s,
        max_retries=1,
        max_completion_tokens=max_tokens,
        temperature=0,
        stream_usage=True,
    )


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
    except openai.APIError as exc:
        return False, f"{type(exc).__name__}: {exc}"[:160]
    except OSError as exc:
        return False, f"{type(exc).__name__}: {exc}"[:160]
    where = settings.openai_base_url or "api.openai.com"
    if settings.model_name not in names and names:
        return True, f"{where} answers, but does not list {settings.model_name!r}"
    return True, f"{where} answers; {settings.model_name!r} listed"


def model_failure(exc: BaseException) -> str | None:
    """A short reason when `exc` is the chat model's server failing (rate limit, server error,
    timeout, no connection, unusable reply); None when it is anything else (a bug)."""
    import httpx
    import openai

    if isinstance(exc, ModelError):
        return exc.message
    if isinstance(exc, openai.RateLimitError):
        return "rate limited (HTTP 429)"
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return "could not connect"
    if isinstance(exc, openai.APIStatusError):
        return f"server error (HTTP {exc.status_code})"
    if isinstance(exc, openai.APIError):
        return f"unusable reply ({type(exc).__name__})"
    return None
