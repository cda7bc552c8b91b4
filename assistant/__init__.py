"""assistant: grounded, cited answers over the market tools and the knowledge store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.chat.service import Assistant

__all__ = ["ensure_demo_prices", "open_assistant"]


def open_assistant(**overrides: Any) -> Assistant:
    """The configured Assistant (LLM mode when a chat model is set up, else offline)."""
    from assistant.chat.service import Assistant

    if "market" not in overrides:
        ensure_demo_prices(overrides.get("settings"))
    return Assistant(**overrides)


def ensure_demo_prices(settings: Any | None = None) -> None:
    """Import the demo prices into an empty store (a no-op once it holds data)."""
    from assistant.data.market import import_demo_prices

    for _ in import_demo_prices(settings):
        pass
