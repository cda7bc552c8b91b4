from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.settings import Settings, get_settings, mask_secret


def test_defaults_are_offline_without_a_model() -> None:
    settings = Settings()
    assert settings.mode == "offline"
    assert settings.price_mode == "local"  # set by the test fixture through the environment
    assert settings.live_deadline_s == 8.0


def test_model_without_key_is_offline_with_one_clear_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "openai:gpt-4o-mini")
    monkeypatch.setenv("OPENAI_API_KEY", "   ")  # blank is no key, never a silent empty key
    settings = Settings()
    assert settings.openai_api_key is None
    assert settings.mode == "offline"
    assert settings.offline_reason is not None
    assert "OPENAI_API_KEY" in settings.offline_reason


def test_model_with_key_is_llm_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "openai:gpt-4o-mini")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-1234567890abcd")
    settings = Settings()
    assert settings.mode == "llm"
    assert settings.model_name == "gpt-4o-mini"


def test_local_server_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    settings = Settings()
    assert settings.mode == "llm"
    assert settings.model_name == "qwen2.5:7b"  # a colon inside an Ollama name is kept


def test_masked_config_never_shows_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-proj-SECRETSECRETSECRET-9f3a"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    shown = Settings().masked()
    assert secret not in " ".join(shown.values())
    assert shown["OPENAI_API_KEY"].endswith("9f3a")
    assert "SECRET" not in repr(Settings())


@pytest.mark.parametrize(("secret", "shown"), [("short", "****"), ("sk-abcdefghij", "sk-…ghij")])
def test_mask_secret(secret: str, shown: str) -> None:
    assert mask_secret(secret) == shown


def test_bad_values_are_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOOTNOTE_PRICE_MODE", "sometimes")
    with pytest.raises(ValidationError, match="price_mode"):
        Settings()


def test_home_folders_live_under_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FOOTNOTE_HOME", str(tmp_path))
    settings = get_settings()
    for path in (settings.prices_dir, settings.chroma_dir, settings.state_db, settings.reports_dir):
        assert path.is_relative_to(tmp_path)


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("FOOTNOTE_LANGUAGE=zh\nFOOTNOTE_LIVE_DEADLINE_S=2.5\n", encoding="utf-8")
    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert settings.language == "zh"
    assert settings.live_deadline_s == 2.5


def test_chroma_url_is_read_and_shown_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOOTNOTE_CHROMA_URL", " http://team:s3cret@10.0.0.5:8000/research ")
    settings = Settings()
    assert settings.chroma_url == "http://team:s3cret@10.0.0.5:8000/research"
    shown = settings.masked()["FOOTNOTE_CHROMA_URL"]
    assert shown == "http://team:****@10.0.0.5:8000/research" and "s3cret" not in shown
    monkeypatch.setenv("FOOTNOTE_CHROMA_URL", "  ")
    assert Settings().chroma_url is None
