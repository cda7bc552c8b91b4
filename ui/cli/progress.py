"""Progress for the steps a command may wait on: the first start's set-up, a long answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.markup import escape

from ui.cli.base import err_console

if TYPE_CHECKING:
    from assistant import Footnote


def prepare(footnote: Footnote) -> None:
    """On a first start, make the demo content ready while a spinner names the step underway;
    each finished step stays as one line (on stderr, so `--json` output stays clean)."""
    if not footnote.needs_setup():
        return
    with err_console.status("First start: preparing the demo content…") as status:
        for line in footnote.ensure_demo(on_step=lambda step: status.update(f"{escape(step)}…")):
            err_console.print(f"[dim]✓ {escape(line)}[/dim]")


@contextmanager
def working(what: str) -> Iterator[None]:
    """A spinner on stderr while a step runs (shown only on a terminal)."""
    with err_console.status(f"{escape(what)}…"):
        yield
