"""The services a page uses (assistant, library, market, research) and the one place to inject fakes.

Tests put a `Services` in `st.session_state[SERVICES_KEY]` before the first run; the app then
uses it instead of the configured, cached ones. The API key typed on the Settings page lives in
this session's state only: it is handed to the assistant as a `SecretStr` and never written out.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from assistant import open_assistant
from assistant.settings import Settings, get_settings
from assistant.views import feed as views

SERVICES_KEY = "footnote_services"
OVERRIDES_KEY = "footnote_overrides"
_LLM_KEY = "footnote_llm_assistant"
_CHAT_FIELDS = ("chat_model", "openai_api_key", "openai_base_url")


@dataclass
class Services:
    """Everything a page may call; built once per process (or per session in LLM mode)."""

    assistant: Any
    library: Any
    market: Any
    settings: Settings
    research: Callable[[], Any] | None = None
    fact_checks: Callable[[str, bool], Any] | None = None
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def open_research(self) -> Any | None:
        """Return the deep-research service, or None while it is not available."""
        return self.research() if self.research is not None else None


def _research_factory(settings: Settings) -> Callable[[], Any] | None:
    try:
        from assistant import research
    except ImportError:
        return None
    opener = getattr(research, "open_research", None)
    if opener is None:
        return None
    return lambda: opener(settings)


@st.cache_resource(show_spinner=False)
def _shared(price_mode: str) -> Services:
    """Open the process-wide services for one data mode (offline assistant included)."""
    from assistant.data.library import open_library
    from assistant.data.market import open_market

    settings = get_settings().model_copy(update={"price_mode": price_mode})
    market = open_market(settings)
    library = open_library(settings)
    assistant = open_assistant(settings=settings, market=market, library=library)

    def checks(doc_id: str, check_missing: bool) -> Any:
        return views.fact_checks(doc_id, settings, market, check_missing)

    return Services(
        assistant,
        library,
        market,
        settings,
        _research_factory(settings),
        fact_checks=checks,
        key=price_mode,
    )


def services() -> Services:
    """Return the services for this session: injected, or configured and cached."""
    injected = st.session_state.get(SERVICES_KEY)
    if injected is not None:
        return injected  # type: ignore[no-any-return]
    overrides: dict[str, Any] = st.session_state.get(OVERRIDES_KEY) or {}
    shared = _shared(overrides.get("price_mode") or get_settings().price_mode)
    chat = {k: overrides[k] for k in _CHAT_FIELDS if k in overrides}
    if not chat:
        return shared
    held = st.session_state.get(_LLM_KEY)
    if held is not None:
        return held  # type: ignore[no-any-return]
    settings = shared.settings.model_copy(update=chat)
    if settings.mode == "llm":
        assistant = open_assistant(
            settings=settings,
            market=shared.market,
            library=shared.library,
            threads=shared.assistant.threads,
        )
    else:
        assistant = shared.assistant
    session = Services(
        assistant,
        shared.library,
        shared.market,
        settings,
        _research_factory(settings),
        fact_checks=shared.fact_checks,
        key=shared.key,
    )
    st.session_state[_LLM_KEY] = session
    return session


def chat_mode() -> tuple[str, str]:
    """Return this session's answer mode and model name without opening any service."""
    injected = st.session_state.get(SERVICES_KEY)
    if injected is not None:
        return injected.assistant.mode, injected.settings.model_name
    overrides: dict[str, Any] = st.session_state.get(OVERRIDES_KEY) or {}
    chat = {k: overrides[k] for k in _CHAT_FIELDS if k in overrides}
    settings = get_settings().model_copy(update=chat) if chat else get_settings()
    return settings.mode, settings.model_name


def apply_overrides(overrides: dict[str, Any]) -> None:
    """Replace this session's settings overrides (mode, model, key, data mode)."""
    st.session_state[OVERRIDES_KEY] = dict(overrides)
    st.session_state.pop(_LLM_KEY, None)
