"""One wall-clock deadline for work that talks to a model server.

An HTTP read timeout restarts with every byte, so a server that sends a space every ten seconds
never trips it. Here the work runs in a worker thread and the caller waits on a queue with the
time that is left: the caller gets control back at the deadline whatever the server does. The
worker is told to stop (`Cancelled` at its next streamed token) and is left to end on its own.
"""

from __future__ import annotations

import contextvars
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from langchain_core.callbacks import BaseCallbackHandler

T = TypeVar("T")


class DeadlineReached(Exception):
    """The deadline passed before the work finished; `seconds` is the deadline that applied."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"deadline of {seconds:g} s reached")
        self.seconds = seconds


class Cancelled(Exception):
    """Raised inside the worker when its caller has given up."""


@dataclass
class Deadline:
    """A point in `time.monotonic()` time, and the length it was set with."""

    seconds: float
    at: float = field(default=0.0)

    def __post_init__(self) -> None:
        if not self.at:
            self.at = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.at - time.monotonic()


class _QuietCancel(logging.Filter):
    """LangChain logs every exception a callback raises; a cancelled worker is not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "StopOnCancel" not in record.getMessage()


logging.getLogger("langchain_core.callbacks.manager").addFilter(_QuietCancel())


class StopOnCancel(BaseCallbackHandler):
    """Ends a streaming model call at its next token once `event` is set."""

    raise_error = True

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def on_llm_new_token(self, token: Any, **kwargs: Any) -> None:
        if self.event.is_set():
            raise Cancelled

    def on_llm_start(self, *args: Any, **kwargs: Any) -> None:
        if self.event.is_set():
            raise Cancelled

    def on_chat_model_start(self, *args: Any, **kwargs: Any) -> None:
        if self.event.is_set():
            raise Cancelled


def iterate_until(
    produce: Callable[[threading.Event], Iterator[T]], deadline: Deadline
) -> Iterator[T]:
    """Yield what `produce(cancel)` yields, in order, until it ends or `deadline` passes.

    `produce` runs in a worker thread (with the caller's context variables); its exceptions are
    raised here. At the deadline `DeadlineReached` is raised and `cancel` is set.
    """
    items: queue.Queue[tuple[str, Any]] = queue.Queue()
    cancel = threading.Event()
    context = contextvars.copy_context()

    def work() -> None:
        try:
            for item in produce(cancel):
                if cancel.is_set():
                    return
                items.put(("item", item))
            items.put(("done", None))
        except BaseException as exc:  # handed to the caller, who decides
            items.put(("error", exc))

    worker = threading.Thread(target=context.run, args=(work,), daemon=True, name="model-call")
    worker.start()
    try:
        while True:
            left = deadline.left()
            if left <= 0:
                raise DeadlineReached(deadline.seconds)
            try:
                kind, value = items.get(timeout=left)
            except queue.Empty:
                raise DeadlineReached(deadline.seconds) from None
            if kind == "item":
                yield value
            elif kind == "done":
                return
            else:
                raise value
    finally:
        cancel.set()


def call_until(call: Callable[[threading.Event], T], deadline: Deadline) -> T:
    """`call(cancel)` in a worker thread; its result, or `DeadlineReached` at the deadline."""

    def produce(cancel: threading.Event) -> Iterator[T]:
        yield call(cancel)

    for result in iterate_until(produce, deadline):
        return result
    raise DeadlineReached(deadline.seconds)  # pragma: no cover - produce always yields once
