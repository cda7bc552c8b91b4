"""One answer's allowance of live price calls: a number of calls and one deadline for them all.

`CachedSource` asks the budget in force (a context variable, so the app's concurrent answers
each hold their own) before every live call; when the calls are spent or the answer's deadline
has passed, stored data is served and says why. Without a budget in force a live call is
bounded by the source's own per-call deadline only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class LiveBudget:
    """At most `calls` live calls, all of them finished within `seconds` of the start."""

    calls: int
    seconds: float
    started: float = field(default_factory=time.monotonic)
    used: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remaining_s(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def take(self) -> tuple[float, str]:
        """Claim one call: return the seconds it may wait, or (0, why) when none is left."""
        with self._lock:
            left = self.remaining_s()
            if self.used >= self.calls:
                return 0.0, (
                    f"this answer's {self.calls} live calls are used up "
                    "(setting FOOTNOTE_MAX_LIVE_CALLS)"
                )
            if left <= 0:
                return 0.0, (
                    f"this answer's {self.seconds:g} s for live data has passed "
                    "(setting FOOTNOTE_LIVE_ANSWER_DEADLINE_S)"
                )
            self.used += 1
            return left, ""


_CURRENT: ContextVar[LiveBudget | None] = ContextVar("footnote_live_budget", default=None)


def current_budget() -> LiveBudget | None:
    """The budget of the answer being worked on in this context, if any."""
    return _CURRENT.get()


@contextmanager
def live_budget(calls: int, seconds: float) -> Iterator[LiveBudget]:
    """Hold one answer's live calls to `calls` and `seconds` in total while the block runs."""
    budget = LiveBudget(calls=calls, seconds=seconds)
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        try:
            _CURRENT.reset(token)
        except ValueError:  # a generator closed from another context: that context never saw it
            _CURRENT.set(None)
