"""Shared test set-up: isolated state, no network, no key, real data from ../shared when present."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import SHARED_DIR, Settings, get_settings

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = SHARED_DIR / "data"
SHARED_PRICES = SHARED_DATA / "prices"

# A developer's own .env must never leak a key or a model into the tests.
Settings.model_config["env_file"] = None

# A server the environment names (CI's team step) serves the PostgreSQL cases; every other test
# keeps the embedded SQLite default, so the variable is read here and then cleared per test.
_GIVEN_DATABASE_URL = (
    os.environ.get("FOOTNOTE_TEST_DATABASE_URL") or os.environ.get("FOOTNOTE_DATABASE_URL") or ""
).strip()

_ENV_TO_CLEAR = (
    "FOOTNOTE_DATABASE_URL",
    "FOOTNOTE_PRICES_DIR",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "FOOTNOTE_CHAT_MODEL",
    "FOOTNOTE_OPENAI_API_KEY",
    "FOOTNOTE_OPENAI_BASE_URL",
    "FOOTNOTE_PRICE_MODE",
    "FOOTNOTE_LANGUAGE",
    "FOOTNOTE_CONVENTION",
    "FOOTNOTE_DEMO_PRICES",
)


@pytest.fixture(autouse=True)
def isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own FOOTNOTE_HOME, offline mode and local prices."""
    home = tmp_path_factory.mktemp("footnote-home")
    for name in _ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FOOTNOTE_HOME", str(home))
    monkeypatch.setenv("FOOTNOTE_PRICE_MODE", "local")
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def shared_prices() -> Path:
    """The real Yahoo price CSVs in ../shared/data/prices, or a skip that says why."""
    if not SHARED_PRICES.is_dir():
        pytest.skip(f"shared price data absent: {SHARED_PRICES} (see shared/data/PROVENANCE.md)")
    return SHARED_PRICES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ../shared/data folder, or a skip that says why."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data absent: {SHARED_DATA}")
    return SHARED_DATA


def offline_subprocess_env(home: Path) -> dict[str, str]:
    """Environment for a child process: own home, no key, every HTTP proxy a dead loopback port."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in _ENV_TO_CLEAR}
    dead = "http://127.0.0.1:9"
    env.update(
        FOOTNOTE_HOME=str(home),
        FOOTNOTE_PRICE_MODE="local",
        HTTP_PROXY=dead,
        HTTPS_PROXY=dead,
        ALL_PROXY=dead,
        http_proxy=dead,
        https_proxy=dead,
        NO_PROXY="",
        no_proxy="",
    )
    return env


# ---- the state store on SQLite and on PostgreSQL ------------------------------------------


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for the tests: the one FOOTNOTE_TEST_DATABASE_URL or
    FOOTNOTE_DATABASE_URL names (CI's team step starts one), else a throwaway cluster when
    PostgreSQL is installed, else a skip that says why. FOOTNOTE_TEST_POSTGRES=off skips them
    (CI's two whole-suite runs: the team step runs these cases once, on its own server)."""
    import os

    from tests.servers import start_postgres, why_no_postgres

    if _GIVEN_DATABASE_URL:
        yield _GIVEN_DATABASE_URL
        return
    if os.environ.get("FOOTNOTE_TEST_POSTGRES", "").lower() in ("off", "0", "no"):
        pytest.skip("PostgreSQL cases are off here (FOOTNOTE_TEST_POSTGRES=off)")
    reason = why_no_postgres()
    if reason is not None:
        pytest.skip(f"no PostgreSQL server: {reason}")
    server = start_postgres()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def state_where(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a test's state store lives: a SQLite file, then an empty schema on PostgreSQL."""
    if request.param == "sqlite":
        return tmp_path / "state.sqlite"
    from tests.servers import fresh_schema_url

    return fresh_schema_url(request.getfixturevalue("postgres_url"))
