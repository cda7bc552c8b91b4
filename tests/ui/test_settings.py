"""Settings under AppTest: mode and key (session only), data mode, CSV import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from tests.ui.conftest import texts
from ui.state import OVERRIDES_KEY

KEY = "sk-test-0123456789abcdefghij"
CSV = (
    "Date,Open,High,Low,Close,Volume\n"
    "2026-01-20,10.0,10.5,9.8,10.2,1000\n"
    "2026-01-21,10.2,10.9,10.1,10.8,1200\n"
    "2026-01-22,10.8,11.0,10.6,10.7,900\n"
)


def open_settings(at: AppTest) -> AppTest:
    at.run()
    at.switch_page("pages/settings.py")
    return at.run()


def test_settings_page_renders_in_both_languages(make_app: Callable[..., AppTest]) -> None:
    en = open_settings(make_app())
    assert not en.exception and en.title[0].value == "Settings"
    zh = open_settings(make_app("zh"))
    assert zh.title[0].value == "设置" and "自动：优先本地，过期时联网" in zh.radio[1].options


def test_openai_mode_needs_a_key_and_keeps_it_in_the_session_only(
    make_app: Callable[..., AppTest], isolated_settings: Path
) -> None:
    at = open_settings(make_app())
    at.radio(key="settings_mode").set_value("openai").run()
    at.text_input(key="settings_model").input("gpt-4o-mini")
    at.button(key="settings_apply").click().run()
    assert "OpenAI needs an API key" in at.error[0].value
    at.text_input(key="settings_key").input(KEY)
    at.button(key="settings_apply").click().run()
    assert not at.exception
    assert at.success[0].value == "Applied: OpenAI."
    overrides = at.session_state[OVERRIDES_KEY]
    assert overrides["chat_model"] == "openai:gpt-4o-mini"
    assert overrides["openai_api_key"].get_secret_value() == KEY
    assert KEY not in str(overrides)  # a SecretStr shows as stars
    assert KEY not in texts(at)
    for path in isolated_settings.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_compatible_server_needs_a_base_url(make_app: Callable[..., AppTest]) -> None:
    at = open_settings(make_app())
    at.radio(key="settings_mode").set_value("compatible").run()
    at.text_input(key="settings_model").input("qwen2.5")
    at.text_input(key="settings_base_url").input("ftp://somewhere")
    at.button(key="settings_apply").click().run()
    assert "needs its base URL" in at.error[0].value
    at.text_input(key="settings_base_url").input("http://127.0.0.1:11434/v1")
    at.button(key="settings_apply").click().run()
    assert at.session_state[OVERRIDES_KEY]["openai_base_url"] == "http://127.0.0.1:11434/v1"


def test_data_mode_is_kept_as_an_override(make_app: Callable[..., AppTest]) -> None:
    at = open_settings(make_app())
    at.radio(key="settings_data_mode").set_value("live").run()
    assert not at.exception
    assert at.session_state[OVERRIDES_KEY]["price_mode"] == "live"


def test_csv_upload_imports_prices(make_app: Callable[..., AppTest]) -> None:
    at = open_settings(make_app())
    at.file_uploader(key="settings_csv").set_value(("SPY.csv", CSV.encode(), "text/csv"))
    at.run()
    at.button(key="settings_import").click().run()
    assert not at.exception
    assert "SPY.csv: SPY, 3 rows, 2026-01-20 to 2026-01-22." in at.success[0].value
    assert [(s.symbol, s.rows) for s in Footnote(demo=False).stored_prices()] == [("SPY", 3)]


def test_a_bad_csv_is_reported_not_raised(make_app: Callable[..., AppTest]) -> None:
    at = open_settings(make_app())
    at.file_uploader(key="settings_csv").set_value(("notes.csv", b"hello,world\n1,2\n", "text/csv"))
    at.run()
    at.button(key="settings_import").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("notes.csv:")
    assert Footnote(demo=False).stored_prices() == []


def test_price_health_lists_findings_in_both_languages(
    make_app: Callable[..., AppTest], shared_prices: Path
) -> None:
    path = shared_prices / "yahoo-2024_2026-02" / "XLB.csv"
    [outcome] = Footnote(demo=False).import_prices([path])
    assert outcome.error is None
    at = open_settings(make_app())
    assert not at.exception
    [health] = [e for e in at.expander if e.label == "Price data health"]
    shown = "\n".join(m.value for m in health.markdown)
    assert "XLB: 1 × split, 1 × stale end, 1 × OHLC inconsistency" in shown  # today 2026-03-09
    [frame] = health.dataframe
    table = frame.value
    split = table[table["Finding"] == "split"].iloc[0]
    assert split["Dates"] == "2025-11-14 .. 2025-11-17"
    assert "multiplied by 0.5" in split["What was done"]
    zh = open_settings(make_app("zh"))
    [health_zh] = [e for e in zh.expander if e.label == "行情数据体检"]
    assert "XLB：1 × 拆股，" in "\n".join(m.value for m in health_zh.markdown)


def test_price_health_with_no_stored_prices(make_app: Callable[..., AppTest]) -> None:
    at = open_settings(make_app())
    [health] = [e for e in at.expander if e.label == "Price data health"]
    assert "No stored prices to check yet." in [c.value for c in health.caption]
