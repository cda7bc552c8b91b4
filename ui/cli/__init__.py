"""The `footnote` command line: one module per group of subcommands.

`footnote <command>` imports only the module that registers that command, so a command starts
without paying for the imports of all the others (`footnote ui` most of all: the app's start
time counts from here). Anything else (`--help`, no command, `from ui.cli import app`) loads
every module.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

# command name -> the module in ui/cli that registers it
COMMANDS = {
    "ask": "ask",
    "chat": "ask",
    "bench": "bench",
    "check": "check",
    "doctor": "doctor",
    "ingest": "knowledge",
    "docs": "knowledge",
    "search": "knowledge",
    "metrics": "metrics",
    "prices": "prices",
    "research": "research",
    "reports": "research",
    "ui": "serve",
}

__all__ = ["COMMANDS", "app", "load", "main"]


def load(modules: list[str] | None = None) -> typer.Typer:
    """Import the command modules named (all when None) and return the Typer app."""
    for module in sorted(set(COMMANDS.values())) if modules is None else modules:
        import_module(f"ui.cli.{module}")
    from ui.cli.base import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # `from ui.cli import app`: the app with every command registered
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _command(argv: list[str]) -> str | None:
    """The command named on the command line (the first word that is not an option), if any."""
    return next((word for word in argv if not word.startswith("-")), None)


def main() -> None:
    """Run the `footnote` command; an error Footnote can explain ends it with that message."""
    name = _command(sys.argv[1:])
    command = load([COMMANDS[name]] if name in COMMANDS else None)
    from assistant import FootnoteError

    try:
        command()
    except FootnoteError as exc:
        from rich.markup import escape

        from ui.cli.base import err_console

        err_console.print(f"[red]error:[/red] {escape(exc.message)}")
        if exc.hint:
            err_console.print(escape(exc.hint))
        raise SystemExit(1) from None
