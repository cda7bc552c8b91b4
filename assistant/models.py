"""The one place that builds chat models (OpenAI or any OpenAI-compatible server)."""

from __future__ import annotations

from assistant.settings import Settings


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
