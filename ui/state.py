"""The page's one `Footnote` object, and the one place to inject a test's own.

When Streamlit's authentication is configured (an `[auth]` section in secrets.toml), the
`Footnote` a session gets holds only the signed-in user's threads and reports (`for_user`);
without it the app is single-user.

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
        return _for_user(injected)
    overrides: dict[str, Any] = st.session_state.get(OVERRIDES_KEY) or {}
    shared = _shared(overrides.get("price_mode") or get_settings().price_mode)
    chat = {k: overrides[k] for k in _CHAT_FIELDS if k in overrides}
    if not chat:
        return _for_user(shared)
    held = st.session_state.get(_LLM_KEY)
    if isinstance(held, Footnote):
        return _for_user(held)
    settings = shared.settings.model_copy(update=chat)
    session = shared.with_settings(settings) if settings.mode == "llm" else shared
    st.session_state[_LLM_KEY] = session
    return _for_user(session)


def auth_configured() -> bool:
    """True when Streamlit's authentication (`st.login`, OpenID Connect) is configured."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or one that does not parse: no sign-in
        return False


def identity() -> str | None:
    """Whose threads and reports this session sees: "" when no sign-in is configured (the
    single user), the signed-in user's e-mail (else the provider's subject id) when it is,
    None when it is configured and nobody is signed in."""
    if not auth_configured():
        return ""
    if not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    if isinstance(email, str) and email.strip():
        return email.strip().lower()
    subject = st.user.get("sub")
    issuer = st.user.get("iss")
    if isinstance(subject, str) and subject:
        return f"{issuer}#{subject}" if isinstance(issuer, str) and issuer else subject
    return None


def login_providers() -> list[str]:
    """The named providers of the `[auth]` section (`[auth.google]` ...); empty for one."""
    try:
        section = st.secrets["auth"]
        return [name for name, value in section.items() if hasattr(value, "items")]
    except Exception:
        return []


_SIGNED_OUT = "\x00signed-out"  # an owner no identity can be: nothing to see


def _for_user(svc: Footnote) -> Footnote:
    who = identity()
    return svc.for_user(_SIGNED_OUT if who is None else who)


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
