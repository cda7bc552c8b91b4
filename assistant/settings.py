"""Footnote's settings: read once from arguments, then the environment, then `.env`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PriceMode = Literal["auto", "live", "local"]
Language = Literal["auto", "zh", "en"]
Convention = Literal["prev_close", "open", "start_close"]

_REPO_ROOT = Path(__file__).resolve().parent.parent
# The shared reference folder beside the clone; FOOTNOTE_SHARED_DIR points elsewhere (an empty
# folder runs everything as on a clone without it).
SHARED_DIR = Path(os.environ.get("FOOTNOTE_SHARED_DIR") or _REPO_ROOT.parent / "shared")
DEFAULT_SHARED_PRICES = SHARED_DIR / "data" / "prices"


class Settings(BaseSettings):
    """Everything Footnote can be told; secrets stay `SecretStr` until the one place that needs them."""

    model_config = SettingsConfigDict(
        env_prefix="FOOTNOTE_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    home: Path = Field(
        default_factory=lambda: Path.home() / ".footnote",
        description="Folder for all state: Chroma, SQLite, prices, reports.",
    )
    chat_model: str = Field(
        default="",
        description="`openai:<model>` (or `<model>`); empty means offline mode.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_API_KEY", "FOOTNOTE_OPENAI_API_KEY"),
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "FOOTNOTE_OPENAI_BASE_URL"),
        description="Any OpenAI-compatible server: Ollama, vLLM, DeepSeek, Qwen ...",
    )
    price_mode: PriceMode = Field(default="auto", description="auto | live | local")
    live_deadline_s: float = Field(
        default=8.0, gt=0, le=120, description="Hard deadline for one live data call, seconds."
    )
    answer_deadline_s: float = Field(
        default=90.0,
        gt=0,
        le=3600,
        description="Wall-clock limit for one chat answer's model work, seconds (then offline).",
    )
    research_step_deadline_s: float = Field(
        default=120.0,
        gt=0,
        le=3600,
        description="Wall-clock limit for one research step's model call, seconds.",
    )
    language: Language = Field(default="auto", description="Default answer language.")
    convention: Convention = Field(
        default="prev_close",
        description="Where a return starts when the question does not say: prev_close (the "
        "close before the window), open (the first day's open), start_close (its close).",
    )
    max_file_mb: float = Field(default=20.0, gt=0, description="Largest file ingest accepts.")
    max_doc_chars: int = Field(
        default=1_000_000, gt=0, description="Most characters one ingested document may hold."
    )
    max_yaml_aliases: int = Field(
        default=50, ge=0, description="Most YAML aliases front matter may use (billion laughs)."
    )
    max_symbols: int = Field(
        default=12, gt=0, le=200, description="Most symbols one question may name."
    )
    max_live_calls: int = Field(
        default=8, ge=0, le=500, description="Most live price calls one answer may make."
    )
    live_answer_deadline_s: float = Field(
        default=20.0,
        gt=0,
        le=600,
        description="One deadline for all of an answer's live price calls, seconds (then "
        "stored data, labelled).",
    )
    max_json_depth: int = Field(default=64, gt=0, description="Deepest JSON nesting ingest reads.")
    max_pdf_pages: int = Field(default=1_000, gt=0, description="Most pages a PDF may have.")
    max_pdf_mb: float = Field(
        default=100.0, gt=0, description="Most megabytes a PDF's page content may inflate to."
    )
    max_doc_seconds: float = Field(
        default=300.0, gt=0, description="Most seconds embedding one document may take."
    )
    max_csv_mb: float = Field(default=200.0, gt=0, description="Largest price CSV imported.")
    max_csv_rows: int = Field(default=200_000, gt=0, description="Most rows in one price CSV.")
    chroma_url: str | None = Field(
        default=None,
        description="A Chroma server (`chroma run`) to keep the knowledge store on, e.g. "
        "http://127.0.0.1:8000 (optionally /<database>); empty keeps it under FOOTNOTE_HOME.",
    )
    store_lock_s: float = Field(
        default=600.0, gt=0, description="How long a write waits for another writer, seconds."
    )
    prices_root: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("FOOTNOTE_PRICES_DIR", "prices_root"),
        description="Folder of the Parquet price files when not FOOTNOTE_HOME/prices: one "
        "folder every app process and the CLI see (each symbol's writes take a lock file).",
    )
    database_url: str = Field(
        default="",
        description="postgresql://user:password@host:port/db keeps threads, reports, "
        "fact-checks and research checkpoints on a PostgreSQL server shared by every process; "
        "empty keeps them in SQLite files under FOOTNOTE_HOME.",
    )
    demo_prices: Path | None = Field(
        default=None,
        description="Folder of CSVs imported when the price store is empty "
        "(default: ../shared/data/prices beside the repository, when present).",
    )

    @field_validator("openai_api_key", mode="before")
    @classmethod
    def _blank_key_is_no_key(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("openai_base_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("chroma_url", mode="before")
    @classmethod
    def _blank_chroma_url_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, str):
            value = value.strip()
            if value and not value.startswith(("postgresql://", "postgres://")):
                raise ValueError(
                    "FOOTNOTE_DATABASE_URL must start with postgresql:// (or be empty for the "
                    "local SQLite file)"
                )
        return value

    @field_validator("home", mode="after")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def model_name(self) -> str:
        """The model's own name, without the `openai:` provider prefix."""
        name = self.chat_model.strip()
        return name.split(":", 1)[1] if name.lower().startswith("openai:") else name

    @property
    def mode(self) -> Literal["llm", "offline"]:
        """`llm` when a chat model is configured and can be called, else `offline`."""
        return "llm" if self.model_name and self.offline_reason is None else "offline"

    @property
    def offline_reason(self) -> str | None:
        """Why Footnote runs offline, or None when a chat model is configured and usable."""
        if not self.model_name:
            return "No chat model configured (set FOOTNOTE_CHAT_MODEL, e.g. openai:gpt-4o-mini)."
        if self.openai_api_key is None and self.openai_base_url is None:
            return (
                f"FOOTNOTE_CHAT_MODEL is {self.chat_model!r} but OPENAI_API_KEY is not set "
                "(and no OPENAI_BASE_URL for a local server): running offline."
            )
        return None

    @property
    def shared_prices(self) -> Path | None:
        """Folder of demo price CSVs, if one exists."""
        folder = self.demo_prices or DEFAULT_SHARED_PRICES
        return folder if folder.is_dir() else None

    # Folders inside FOOTNOTE_HOME, one per kind of state.
    @property
    def prices_dir(self) -> Path:
        return self.prices_root.expanduser() if self.prices_root else self.home / "prices"

    def price_files(self) -> list[Path]:
        """The stored price files (one Parquet file per symbol); empty before any import."""
        return sorted(self.prices_dir.glob("*.parquet")) if self.prices_dir.is_dir() else []

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def state_db(self) -> Path:
        return self.home / "footnote.sqlite"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    def masked(self) -> dict[str, str]:
        """The configuration as display strings, secrets masked."""
        key = self.openai_api_key.get_secret_value() if self.openai_api_key else ""
        return {
            "FOOTNOTE_HOME": str(self.home),
            "FOOTNOTE_CHAT_MODEL": self.chat_model or "(empty: offline mode)",
            "OPENAI_API_KEY": mask_secret(key) if key else "(not set)",
            "OPENAI_BASE_URL": self.openai_base_url or "(default OpenAI endpoint)",
            "FOOTNOTE_PRICE_MODE": self.price_mode,
            "FOOTNOTE_LIVE_DEADLINE_S": f"{self.live_deadline_s:g}",
            "FOOTNOTE_ANSWER_DEADLINE_S": f"{self.answer_deadline_s:g}",
            "FOOTNOTE_RESEARCH_STEP_DEADLINE_S": f"{self.research_step_deadline_s:g}",
            "FOOTNOTE_MAX_SYMBOLS": str(self.max_symbols),
            "FOOTNOTE_MAX_LIVE_CALLS": str(self.max_live_calls),
            "FOOTNOTE_LIVE_ANSWER_DEADLINE_S": f"{self.live_answer_deadline_s:g}",
            "FOOTNOTE_LANGUAGE": self.language,
            "FOOTNOTE_CONVENTION": self.convention,
            "FOOTNOTE_MAX_FILE_MB": f"{self.max_file_mb:g}",
            "FOOTNOTE_MAX_DOC_CHARS": f"{self.max_doc_chars:,}",
            "FOOTNOTE_CHROMA_URL": _redact_url(self.chroma_url or "")
            or "(none: the store is under FOOTNOTE_HOME)",
            "FOOTNOTE_DATABASE_URL": _redact_url(self.database_url)
            or "(empty: SQLite under FOOTNOTE_HOME)",
        }


def _redact_url(url: str) -> str:
    """A URL with its password (if any) replaced by stars."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
    except ValueError:
        return "****"
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:****@{host}"))


def mask_secret(secret: str) -> str:
    """Show only enough of a secret to tell two apart: `sk-…abcd`."""
    if len(secret) <= 8:
        return "****"
    return f"{secret[:3]}…{secret[-4:]}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
