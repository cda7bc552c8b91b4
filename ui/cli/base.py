"""The `footnote` Typer application that every subcommand module registers on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from assistant import Footnote

app = typer.Typer(
    name="footnote",
    help="Footnote: an investment research assistant whose every number has a footnote.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
console = Console()
err_console = Console(stderr=True)


def package_version() -> str:
    """The installed version of Footnote."""
    try:
        return version("footnote")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def _print_version(value: bool) -> None:
    if value:
        console.print(f"footnote {package_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_print_version,
        is_eager=True,
    ),
) -> None:
    """Footnote: every number computed with a receipt or quoted from a cited source."""


# ---- shared by the commands: first-start set-up, spinners, news ids ---------------------


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


def known_news(footnote: Footnote, news: str | None) -> None:
    """Stop with the stored ids when `--news` names no stored item (never ignore it)."""
    if news is None or footnote.news_item(news, "en") is not None:
        return
    ids = sorted({d.id for d in footnote.documents() if d.kind == "news"})
    known = ", ".join(ids) if ids else "none yet (add some with `footnote ingest PATH`)"
    err_console.print(
        f"[red]No news item has the id {escape(news)!r}.[/red] Stored news items: {escape(known)}."
    )
    raise typer.Exit(2)
