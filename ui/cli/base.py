"""The `footnote` Typer application that every subcommand module registers on."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import typer
from rich.console import Console

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
