"""The store's own errors: a message for the user and the command that puts things right."""

from __future__ import annotations


class StoreError(Exception):
    """The knowledge store cannot be read as it stands (damaged, or busy for too long)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class StoreBusy(StoreError):
    """Another process held the store's write lock for longer than we were willing to wait."""
