"""`footnote metrics`: the standard figures for symbols over a window, each with its receipt."""

from __future__ import annotations

import json
import sys

import typer
from rich.markup import escape
from rich.table import Table

from ui.cli.base import app, console, err_console


@app.command()
def metrics(
    symbols: list[str] = typer.Argument(
        ..., help="Symbols or names (SPY, ^RUT, 'S&P 500', 罗素2000)."
    ),
    start: str = typer.Option(..., "--start", help="First day of the window, YYYY-MM-DD."),
    end: str = typer.Option(..., "--end", help="Last day of the window, YYYY-MM-DD."),
    convention: str = typer.Option(
        "prev_close", "--convention", help="Return convention: prev_close | open | start_close."
    ),
    benchmark: str | None = typer.Option(
        None, "--benchmark", help="Symbol for beta and correlation."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Print the standard metric set (return, volatility, SMA, 52-week range, drawdown ...)."""
    from assistant import Footnote, FootnoteError

    try:
        figures = Footnote(demo=False).metrics(symbols, start, end, convention, benchmark)
    except FootnoteError as exc:
        err_console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(
            json.dumps([f.to_json() for f in figures], ensure_ascii=False, indent=2) + "\n"
        )
        return
    table = Table(title=f"Metrics {start} → {end} (convention {convention})", show_lines=False)
    for column in ("symbol", "metric", "value", "window", "receipt"):
        table.add_column(column, overflow="fold")
    for f in figures:
        window = f"{f.start}..{f.end}" if f.start != f.end else str(f.end)
        notes = []
        if f.stale:
            notes.append(f"[yellow]stale, as of {f.as_of}[/yellow]")
        completeness = f.params.get("completeness")
        if isinstance(completeness, float) and completeness < 1:
            notes.append(
                f"[yellow]{f.params.get('rows')}/{f.params.get('sessions')} sessions[/yellow]"
            )
        for key in ("base_note",):
            if key in f.params:
                notes.append(escape(str(f.params[key])))
        receipt = escape(f.formula) + ("; " + "; ".join(notes) if notes else "")
        table.add_row(escape(f.symbol), f.metric, f.display(), window, receipt)
    for note in dict.fromkeys(
        str(f.params["calendar_note"]) for f in figures if "calendar_note" in f.params
    ):
        console.print(f"[dim]Calendar: {escape(note)}[/dim]")
    console.print(table)
    providers = sorted({f.provider for f in figures if f.provider})
    console.print(
        f"Source: {', '.join(providers)}; as of {max(f.as_of for f in figures if f.as_of)}"
    )
