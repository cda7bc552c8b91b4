"""`footnote metrics`: the standard figures for symbols over a window, each with its receipt."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from ui.cli.base import app, console, err_console, reader_lang

if TYPE_CHECKING:
    from assistant import Figure


def _write_csv(figures: list[Figure], path: Path | None) -> None:
    """Write the figures as CSV to `path`, or to stdout when there is none."""
    from assistant import figures_to_csv

    text = figures_to_csv(figures)
    if path is None:
        sys.stdout.write(text)
        return
    path.write_text(text, encoding="utf-8")
    err_console.print(f"Wrote {len(figures)} figures to {escape(str(path))}")


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
    as_csv: bool = typer.Option(
        False,
        "--csv",
        help="Write the figures as CSV: to FILE when a name ending in .csv follows "
        "(`--csv out.csv`), else to stdout.",
    ),
) -> None:
    """Print the standard metric set (return, volatility, SMA, 52-week range, drawdown ...)
    with the labels in FOOTNOTE_LANGUAGE (English unless it says zh)."""
    from assistant import (
        Footnote,
        FootnoteError,
        convention_label,
        formula_label,
        input_prices,
        metric_label,
        provider_label,
        word,
    )

    files = [s for s in symbols if s.lower().endswith(".csv")]
    symbols = [s for s in symbols if s not in files]
    if files and not as_csv:
        err_console.print(f"[red]{escape(files[0])} is not a symbol; did you mean --csv?[/red]")
        raise typer.Exit(2)
    if len(files) > 1 or not symbols:
        err_console.print("[red]Give one or more symbols and at most one CSV file.[/red]")
        raise typer.Exit(2)
    try:
        figures = Footnote(demo=False).metrics(symbols, start, end, convention, benchmark)
    except FootnoteError as exc:
        err_console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    if as_csv:
        _write_csv(figures, Path(files[0]) if files else None)
        return
    if as_json:
        sys.stdout.write(
            json.dumps([f.to_json() for f in figures], ensure_ascii=False, indent=2) + "\n"
        )
        return
    lang = reader_lang()
    title = word(
        "metrics.title", lang, start=start, end=end, convention=convention_label(convention, lang)
    )
    table = Table(title=escape(title), show_lines=False)
    for column in word("metrics.columns", lang).split("|"):
        table.add_column(column, overflow="fold")
    for f in figures:
        window = f"{f.start}..{f.end}" if f.start != f.end else str(f.end)
        notes = []
        if f.stale:
            notes.append(f"[yellow]{word('metrics.stale', lang, date=f.as_of)}[/yellow]")
        completeness = f.params.get("completeness")
        if isinstance(completeness, float) and completeness < 1:
            shown = word(
                "metrics.sessions",
                lang,
                rows=f.params.get("rows"),
                sessions=f.params.get("sessions"),
            )
            notes.append(f"[yellow]{shown}[/yellow]")
        for key in ("base_note",):
            if key in f.params:
                notes.append(escape(str(f.params[key])))
        if f.inputs:
            notes.append(
                f"[dim]{escape(formula_label(input_prices(f.inputs, limit=3), lang))}[/dim]"
            )
        notes += [f"[cyan]{escape(a)}[/cyan]" for a in f.adjustments]
        notes += [
            f"[bold yellow]{escape(word('metrics.caveat', lang, text=c))}[/bold yellow]"
            for c in f.caveats
        ]
        if f.label:
            notes.insert(0, escape(f.label))
        receipt = escape(formula_label(f.formula, lang)) + (
            "; " + "; ".join(notes) if notes else ""
        )
        table.add_row(
            escape(f.symbol), metric_label(f.metric, lang), f.display(lang), window, receipt
        )
    for note in dict.fromkeys(
        str(f.params["calendar_note"]) for f in figures if "calendar_note" in f.params
    ):
        console.print(f"[dim]{escape(word('metrics.calendar', lang, text=note))}[/dim]")
    console.print(table)
    for caveat in dict.fromkeys(f"{f.symbol}: {c}" for f in figures for c in f.caveats):
        console.print(f"[bold yellow]{word('cli.warning', lang)}:[/bold yellow] {escape(caveat)}")
    providers = sorted({provider_label(f.provider, lang) for f in figures if f.provider})
    as_of = max(f.as_of for f in figures if f.as_of)
    console.print(escape(word("metrics.source", lang, providers=", ".join(providers), date=as_of)))
