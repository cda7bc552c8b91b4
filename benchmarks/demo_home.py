"""A temporary FOOTNOTE_HOME with the demo prices and corpus, shared by the benchmarks of one run."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from benchmarks.runner import SHARED_DATA, Skip

_home: Path | None = None


def demo_home() -> Path:
    """Create (once per process) a home filled by `ensure_demo`, and point the settings at it."""
    global _home
    if _home is not None:
        return _home
    if not (SHARED_DATA / "prices").is_dir():
        raise Skip(f"shared price data absent: {SHARED_DATA / 'prices'}")
    home = Path(tempfile.mkdtemp(prefix="footnote-bench-"))
    atexit.register(shutil.rmtree, home, True)
    os.environ.update(FOOTNOTE_HOME=str(home), FOOTNOTE_PRICE_MODE="local", FOOTNOTE_CHAT_MODEL="")
    os.environ.pop("OPENAI_API_KEY", None)
    from assistant import Footnote, get_settings

    get_settings.cache_clear()
    for _ in Footnote(get_settings()).ensure_demo():
        pass
    _home = home
    return home
