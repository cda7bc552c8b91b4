"""The `footnote` command line: one module per group of subcommands."""

from __future__ import annotations

from ui.cli import ask as _ask  # noqa: F401  (registers commands)
from ui.cli import bench as _bench  # noqa: F401
from ui.cli import check as _check  # noqa: F401
from ui.cli import doctor as _doctor  # noqa: F401
from ui.cli import knowledge as _knowledge  # noqa: F401
from ui.cli import metrics as _metrics  # noqa: F401
from ui.cli import prices as _prices  # noqa: F401
from ui.cli import research as _research  # noqa: F401
from ui.cli import serve as _serve  # noqa: F401
from ui.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the `footnote` command."""
    app()
