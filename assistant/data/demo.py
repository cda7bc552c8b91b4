"""Make the demo content ready on first start: prices and the demo news corpus."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.settings import Settings, get_settings


def ensure_demo(settings: Settings | None = None) -> Iterator[str]:
    """Fill an empty store with the demo content; yield one line per thing done."""
    settings = settings or get_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    yield f"Data folder: {settings.home}"
    if settings.offline_reason and settings.chat_model:
        yield f"Notice: {settings.offline_reason}"
    elif settings.mode == "offline":
        yield "Offline mode: no chat model configured; answers come from the offline composer."
    from assistant.data.market import import_demo_prices

    yield from import_demo_prices(settings)
    from assistant.data.library import ensure_demo_corpus

    yield ensure_demo_corpus(settings)
