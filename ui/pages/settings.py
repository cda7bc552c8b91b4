"""Settings: answer mode, model and key (this session only), data mode, CSV price import."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import streamlit as st
from pydantic import SecretStr

from ui import data
from ui.components.markdown import safe
from ui.state import OVERRIDES_KEY, apply_overrides, footnote, identity
from ui.text import t

MODES = ("offline", "openai", "compatible")
DATA_MODES = ("auto", "live", "local")


def _mode_form(current: dict[str, Any]) -> None:
    st.subheader(t("settings.mode"), anchor=False)
    mode = st.radio(
        t("settings.mode"),
        MODES,
        index=MODES.index(current.get("ui_mode", "offline")),
        format_func=lambda m: t(f"settings.mode.{m}"),
        horizontal=True,
        label_visibility="collapsed",
        key="settings_mode",
    )
    base_url = ""
    if mode == "compatible":
        base_url = st.text_input(
            t("settings.base_url"),
            value=current.get("openai_base_url") or "",
            placeholder="http://127.0.0.1:11434/v1",
            key="settings_base_url",
        )
    model = ""
    key = ""
    if mode != "offline":
        model = st.text_input(
            t("settings.model"),
            value=current.get("chat_model", "").removeprefix("openai:"),
            placeholder="gpt-4o-mini",
            key="settings_model",
        )
        key = st.text_input(
            t("settings.key"), type="password", help=t("settings.key_help"), key="settings_key"
        )
    if not st.button(t("settings.apply"), key="settings_apply", type="primary"):
        return
    overrides = {k: v for k, v in current.items() if k == "price_mode"}
    if mode != "offline":
        if not model.strip():
            st.error(t("settings.need_model"))
            return
        if mode == "openai" and not key.strip():
            st.error(t("settings.need_key"))
            return
        if mode == "compatible" and not base_url.strip().startswith(
            ("https://", "http://127.0.0.1", "http://localhost")
        ):
            st.error(t("settings.need_url"))
            return
        overrides.update(
            ui_mode=mode,
            chat_model=f"openai:{model.strip()}",
            openai_api_key=SecretStr(key.strip()) if key.strip() else None,
            openai_base_url=base_url.strip() or None,
        )
    apply_overrides(overrides)
    st.success(t("settings.applied", mode=t(f"settings.mode.{mode}")))


def _data_form(current: dict[str, Any]) -> None:
    st.subheader(t("settings.data"), anchor=False)
    price_mode = current.get("price_mode") or footnote().settings.price_mode
    picked = st.radio(
        t("settings.data_mode"),
        DATA_MODES,
        index=DATA_MODES.index(price_mode),
        format_func=lambda m: t(f"settings.data.{m}"),
        key="settings_data_mode",
    )
    if picked != price_mode:
        apply_overrides({**current, "price_mode": picked})
        st.rerun()


def _upload() -> None:
    st.subheader(t("settings.upload"), anchor=False)
    files = st.file_uploader(
        t("settings.upload"),
        type=["csv"],
        accept_multiple_files=True,
        help=t("settings.upload_help"),
        key="settings_csv",
    )
    symbol = st.text_input(t("settings.symbol"), key="settings_symbol").strip() or None
    if not st.button(t("settings.import"), key="settings_import", disabled=not files):
        return
    svc = footnote()
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for upload in files or []:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            paths.append(path)
        for outcome in svc.import_prices(paths, symbol=symbol if len(paths) == 1 else None):
            name = safe(outcome.path.name)
            if outcome.result is None:
                st.error(t("settings.import_failed", file=name, error=safe(outcome.error or "")))
                continue
            frame = outcome.result.prices.frame
            st.success(
                t(
                    "settings.imported",
                    file=name,
                    symbol=outcome.result.saved.symbol,
                    rows=outcome.result.saved.total,
                    first=frame.index[0].date() if len(frame) else "?",
                    last=frame.index[-1].date() if len(frame) else "?",
                )
            )
            for warning in outcome.result.prices.warnings[:3]:
                st.caption(safe(warning))
            for finding in outcome.result.saved.findings:  # splits, seams, disagreements
                st.warning(
                    safe(f"{finding.kind} {', '.join(finding.dates)}: {finding.detail}")
                    + f" ({safe(finding.action)})"
                )
    st.cache_data.clear()


def _stored() -> None:
    svc = footnote()
    rows = [
        {
            "symbol": s.symbol,
            "rows": s.rows,
            "first": s.first,
            "last": s.last,
            "provider": s.providers,
        }
        for s in svc.stored_prices()
    ]
    if rows:
        with st.expander(t("settings.stored")):
            st.dataframe(rows, hide_index=True)


def _health() -> None:
    svc = footnote()
    health = data.price_health(svc, data.key(svc))
    with st.expander(t("health.title"), expanded=any(not h.clean for h in health)):
        if not health:
            st.caption(t("health.none"))
            return
        st.caption(t("health.intro"))
        for item in health:
            if item.clean:
                st.markdown(safe(t("health.clean", symbol=item.symbol)))
                continue
            summary = t("health.join").join(
                f"{n} × {t('health.kind.' + kind)}" for kind, n in item.counts.items()
            )
            st.markdown(safe(t("health.summary", symbol=item.symbol, summary=summary)))
        rows = [
            {
                t("health.col.symbol"): f.symbol,
                t("health.col.kind"): t("health.kind." + f.kind),
                t("health.col.dates"): " .. ".join(dict.fromkeys(f.dates[:1] + f.dates[-1:])),
                t("health.col.detail"): f.detail,
                t("health.col.action"): f.action,
            }
            for item in health
            for f in item.findings
            if f.kind != "coverage"
        ]
        if rows:
            st.dataframe(rows, hide_index=True, key="settings_health")


def _users() -> None:
    """Whose threads and reports these are: the signed-in user's, or everyone's."""
    st.subheader(t("settings.users"), anchor=False)
    who = identity()
    if who:
        st.info(t("settings.users.signed_in", who=safe(who)), icon=":material/person:")
    else:
        st.info(t("settings.users.single"), icon=":material/group:")
    where = footnote().settings.masked()["FOOTNOTE_DATABASE_URL"]
    if where.startswith("postgres"):
        st.caption(t("settings.users.server", where=f"`{where}`"))


def render() -> None:
    """Show the settings page."""
    st.title(t("settings.title"), anchor=False)
    current: dict[str, Any] = dict(st.session_state.get(OVERRIDES_KEY) or {})
    _mode_form(current)
    st.divider()
    _data_form(current)
    st.divider()
    _upload()
    _stored()
    _health()
    st.divider()
    _users()


render()
