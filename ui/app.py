"""The Streamlit app (entry point for `streamlit run`): language switch and page navigation."""

from __future__ import annotations

import streamlit as st

from assistant import get_settings
from ui import routes
from ui.state import auth_configured, chat_mode, identity, login_providers
from ui.text import LANG_KEY, LANGS, t

SWITCH_KEY = "lang_switch"

st.set_page_config(page_title="Footnote", page_icon="📎", layout="wide")


def _default_language() -> str:
    configured = get_settings().language
    if configured in LANGS:
        return configured
    locale = st.context.locale or ""
    return "zh" if locale.lower().startswith("zh") else "en"


def _switch_language() -> None:
    picked = st.session_state.get(SWITCH_KEY)
    if picked in LANGS:
        st.session_state[LANG_KEY] = picked


def _sidebar() -> None:
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = _default_language()
    if st.session_state.get(SWITCH_KEY) not in LANGS:
        st.session_state[SWITCH_KEY] = st.session_state[LANG_KEY]
    with st.sidebar:
        st.segmented_control(
            t("lang.label"),
            list(LANGS),
            format_func=LANGS.__getitem__,
            key=SWITCH_KEY,
            selection_mode="single",
            on_change=_switch_language,
        )
        mode, model = chat_mode()
        if mode == "llm":
            st.caption(t("mode.llm", model=model))
        else:
            st.caption(t("mode.offline"))


def _sign_in() -> None:
    """The only page a visitor sees when sign-in is configured and nobody is signed in."""
    st.title(t("auth.title"), anchor=False)
    st.write(t("auth.why"))
    providers = login_providers()
    for provider in providers or [""]:
        label = t("auth.login_with", provider=provider) if provider else t("auth.login")
        if st.button(label, key=f"login_{provider or 'default'}", type="primary"):
            st.login(provider) if provider else st.login()


def _signed_in() -> None:
    who = identity()
    if who:
        with st.sidebar:
            st.caption(t("auth.as", who=st.user.get("name") or who))
            st.button(t("auth.logout"), key="logout", on_click=st.logout)


_sidebar()
if auth_configured() and identity() is None:
    _sign_in()
    st.stop()
_signed_in()
pages = [
    st.Page(
        routes.FEED, title=t("nav.feed"), icon=":material/home:", url_path="feed", default=True
    ),
    st.Page(routes.NEWS, title=t("nav.news"), icon=":material/article:", url_path="news"),
    st.Page(routes.CHAT, title=t("nav.chat"), icon=":material/chat:", url_path="chat"),
    st.Page(
        routes.RESEARCH, title=t("nav.research"), icon=":material/science:", url_path="research"
    ),
    st.Page(
        routes.LIBRARY, title=t("nav.library"), icon=":material/library_books:", url_path="library"
    ),
    st.Page(
        routes.SETTINGS, title=t("nav.settings"), icon=":material/settings:", url_path="settings"
    ),
]
st.navigation(pages).run()
