"""The knowledge store opened from settings, once per folder and process."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from knowledge import Library

_lock = threading.Lock()
_open: dict[Path, Library] = {}


def open_library(settings: Settings) -> Library:
    """The process's `Library` for the configured FOOTNOTE_HOME (one per folder)."""
    from knowledge import Library

    folder = settings.chroma_dir
    with _lock:
        library = _open.get(folder)
        if library is None:
            library = Library(folder, max_file_mb=settings.max_file_mb)
            _open[folder] = library
    return library
