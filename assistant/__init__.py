"""assistant: grounded, cited answers over the market tools and the knowledge store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.service import Assistant

__all__ = ["open_assistant"]


def open_assistant(**overrides: Any) -> Assistant:
    """The configured Assistant (LLM mode when a chat model is set up, else offline)."""
    from assistant.service import Assistant

    return Assistant(**overrides)
