"""Fixtures for the app's tests: the app under AppTest with injected fake services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assistant.app import Footnote
from assistant.settings import get_settings
from assistant.store import Store
from tests.assistant.conftest import TODAY, load_shared_frames
from tests.ui.fakes import FakeAssistant, FakeLibrary, FakeResearch, demo_documents
from tools.market import Market
from tools.prices.fake import FakeSource
from ui.state import FOOTNOTE_KEY

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"
TIMEOUT_S = 60


@pytest.fixture(scope="session")
def ui_market(shared_prices: Path) -> Market:
    """The Market over the shared prices, today fixed after their last session."""
    frames = load_shared_frames(shared_prices)
    return Market(
        FakeSource(frames, provider="Yahoo Finance (third-party snapshot)"), today=lambda: TODAY
    )


@pytest.fixture(scope="session")
def docs() -> list[Any]:
    return demo_documents()


@pytest.fixture
def services(ui_market: Market, docs: list[Any], tmp_path: Path) -> Footnote:
    """A `Footnote` over real prices with a fake chat, library and research service."""
    store = Store(tmp_path / "state.sqlite")
    return Footnote(
        get_settings(),
        market=ui_market,
        library=FakeLibrary(docs),
        store=store,
        chat=FakeAssistant(ui_market, store.threads),  # type: ignore[arg-type]
        research=FakeResearch(tmp_path, ui_market),  # type: ignore[arg-type]
    )


@pytest.fixture
def make_app(services: Footnote) -> Callable[..., AppTest]:
    """Build the app with a test `Footnote` injected; the browser's locale picks the language."""

    def make(lang: str = "en", svc: Footnote | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        at.session_state[FOOTNOTE_KEY] = svc or services
        at.context["locale"] = "zh-CN" if lang == "zh" else "en-US"
        return at

    return make


def popover_labels(at: AppTest) -> list[str]:
    """Return the labels of every popover on the page."""
    found: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "WhichOneof"):
            try:
                if proto.WhichOneof("type") == "popover":
                    found.append(proto.popover.label)
            except ValueError:
                pass
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def texts(at: AppTest) -> str:
    """Return every markdown, caption and alert text on the page, joined."""
    parts = [m.value for m in at.markdown]
    for kind in ("caption", "warning", "info", "error", "success", "title", "header", "subheader"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)
