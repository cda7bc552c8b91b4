"""The page's one `Footnote` object, and the one place to inject a test's own.

Tests put a `Footnote` in `st.session_state[FOOTNOTE_KEY]` before the first run; the app then
uses it instead of the configured, cached one. The API key typed on the Settings page lives in
this session's state only: it is handed to a session's own `Footnote` as a `SecretStr` and never
written out.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import Footnote, get_settings

FOOTNOTE_KEY = "footnote_app"
OVERRIDES_KEY = "footnote_overrides"
_LLM_KEY = "footnote_llm_app"
_CHAT_FIELDS = ("chat_model", "openai_api_key", "openai_base_url")


@st.cache_resource(show_spinner=False)
def _shared(price_mode: str) -> Footnote:
    """The process-wide `Footnote` for one data mode (offline answers)."""
    settings = get_settings().model_copy(update={"price_mode": price_mode})
    return Footnote(settings)


def footnote() -> Footnote:
    """This session's `Footnote`: injected, or configured and cached."""
    injected = st.session_state.get(FOOTNOTE_KEY)
    if isinstance(injected, Footnote):
        return injected
    overrides: dict[str, Any] = st.session_state.get(OVERRIDES_KEY) or {}
    shared = _shared(overrides.get("price_mode") or get_settings().price_mode)
    chat = {k: overrides[k] for k in _CHAT_FIELDS if k in overrides}
    if not chat:
        return shared
    held = st.session_state.get(_LLM_KEY)
    if isinstance(held, Footnote):
        return held
    settings = shared.settings.model_copy(update=chat)
    session = shared.with_settings(settings) if settings.mode == "llm" else shared
    st.session_state[_LLM_KEY] = session
    return session


def chat_mode() -> tuple[str, str]:
    """Return this session's answer mode and model name without opening any part."""
    injected = st.session_state.get(FOOTNOTE_KEY)
    if isinstance(injected, Footnote):
        return injected.mode, injected.settings.model_name
    overrides: dict[str, Any] = st.session_state.get(OVERRIDES_KEY) or {}
    chat = {k: overrides[k] for k in _CHAT_FIELDS if k in overrides}
    settings = get_settings().model_copy(update=chat) if chat else get_settings()
    return settings.mode, settings.model_name


def apply_overrides(overrides: dict[str, Any]) -> None:
    """Replace this session's settings overrides (mode, model, key, data mode)."""
    st.session_state[OVERRIDES_KEY] = dict(overrides)
    st.session_state.pop(_LLM_KEY, None)
