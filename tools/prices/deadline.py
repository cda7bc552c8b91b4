"""Run a blocking call with a hard deadline, whatever the call itself does."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import TypeVar

from tools.prices.base import SourceUnavailable

T = TypeVar("T")


def call_with_deadline(call: Callable[[], T], deadline_s: float, what: str) -> T:
    """Return `call()`, re-raise what it raised, or raise `SourceUnavailable` after `deadline_s`."""
    answers: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def target() -> None:
        try:
            answers.put((True, call()))
        except BaseException as exc:  # handed to the caller's thread below
            answers.put((False, exc))

    # A daemon thread: a call stuck on a dead network must not keep the process alive.
    threading.Thread(target=target, name=f"deadline-{what}", daemon=True).start()
    try:
        ok, value = answers.get(timeout=deadline_s)
    except queue.Empty:
        raise SourceUnavailable(
            f"{what} gave no answer within {deadline_s:g} s.",
            "The network may be down or slow; stored data is used where there is some.",
        ) from None
    if ok:
        return value  # type: ignore[return-value]
    raise value  # type: ignore[misc]
