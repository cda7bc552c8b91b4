"""`footnote prices import|update|list`: fill and inspect the local price store."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from ui.cli.base import app, console, err_console

prices_app = typer.Typer(help="Fill and inspect the local price store.", no_args_is_help=True)
app.add_typer(prices_app, name="prices")


@prices_app.command("import")
def import_(
    paths: list[Path] = typer.Argument(..., help="CSV files or folders of CSV files."),
    symbol: str | None = typer.Option(
        None, "--symbol", help="Symbol for a single file (default: from the file name)."
    ),
) -> None:
    """Import daily price CSVs (yfinance's layout or Date,Open,High,Low,Close,Volume)."""
    from rich.progress import Progress

    from assistant import Footnote, FootnoteError

    footnote = Footnote(demo=False)
    try:
        total = footnote.count_price_files(paths)
    except FootnoteError as exc:
        err_console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    if symbol and total > 1:
        err_console.print("[red]--symbol names one file's symbol; give exactly one file.[/red]")
        raise typer.Exit(2)
    failed = 0
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("Importing", total=total)
        for outcome in footnote.import_prices(paths, symbol):
            progress.advance(task)
            name = escape(outcome.path.name)
            if outcome.result is None:
                failed += 1
                console.print(f"[red]✗ {name}[/red]: {escape(str(outcome.error))}")
                continue
            prices, saved = outcome.result.prices, outcome.result.saved
            console.print(
                f"[green]✓ {name}[/green] → {saved.symbol}: {len(prices.frame)} rows read "
                f"({prices.layout} layout), {saved.added} new, {saved.replaced} replaced, "
                f"{saved.total} stored"
            )
            for row in prices.rejected:
                console.print(
                    f"  [yellow]rejected[/yellow] line {row.line} ({escape(row.date)}): "
                    f"{escape(row.reason)}"
                )
            for warning in prices.warnings:
                console.print(f"  [yellow]warning[/yellow]: {escape(warning)}")
            for finding in saved.findings:  # splits, seams, disagreements with stored rows
                dates = ", ".join(finding.dates)
                console.print(
                    f"  [yellow]{finding.kind}[/yellow] {dates}: {escape(finding.detail)}"
                    f" [dim]({escape(finding.action)})[/dim]"
                )
    if failed:
        raise typer.Exit(1)


@prices_app.command()
def update(symbols: list[str] = typer.Argument(..., help="Symbols to fetch from Yahoo.")) -> None:
    """Fetch daily prices from Yahoo Finance into the store (from the last stored session on)."""
    from assistant import Footnote

    footnote = Footnote(demo=False)
    if footnote.settings.price_mode == "local":
        err_console.print(
            "[red]Price mode is local: live updates are off.[/red] "
            "Set FOOTNOTE_PRICE_MODE=auto (or live) to fetch from Yahoo."
        )
        raise typer.Exit(2)
    failed = 0
    for outcome in footnote.update_prices(symbols):
        if outcome.error:
            failed += 1
            console.print(f"[red]✗ {outcome.symbol}[/red]: {escape(str(outcome.error))}")
        else:
            console.print(
                f"[green]✓ {outcome.symbol}[/green]: {outcome.rows} rows stored, last {outcome.last}"
            )
    if failed:
        raise typer.Exit(1)


@prices_app.command("list")
def list_() -> None:
    """List the stored symbols with their first and last sessions."""
    from assistant import Footnote

    stored = Footnote(demo=False).stored_prices()
    if not stored:
        console.print("The price store is empty: `footnote prices import PATH` fills it.")
        return
    table = Table(title="Stored prices")
    for column in ("symbol", "rows", "first", "last", "provider"):
        table.add_column(column)
    for item in stored:
        table.add_row(item.symbol, str(item.rows), str(item.first), str(item.last), item.providers)
    console.print(table)


@prices_app.command()
def check(
    symbols: list[str] = typer.Argument(
        None, help="Symbols to check (default: every stored symbol)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as a JSON list."),
) -> None:
    """Check the stored prices: coverage, NYSE gaps, splits and seams, stale ends, odd rows.

    Findings are information, not failures: the exit code is 0 whatever is found.
    """
    import json
    import sys

    from assistant import Footnote, FootnoteError

    try:
        findings = Footnote(demo=False).check_prices(symbols or ())
    except FootnoteError as exc:
        err_console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(
            json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2) + "\n"
        )
        return
    if not findings:
        console.print("The price store is empty: `footnote prices import PATH` fills it.")
        return
    table = Table(title="Price data health")
    for column in ("symbol", "kind", "dates", "detail", "done"):
        table.add_column(column, overflow="fold")
    for f in findings:
        colour = "dim" if f.kind == "coverage" else "yellow"
        dates = f.dates[0] if len(f.dates) == 1 else " .. ".join(f.dates[:1] + f.dates[-1:])
        if len(f.dates) > 2:
            dates += f" ({len(f.dates)} dates)"
        table.add_row(
            f.symbol, f"[{colour}]{f.kind}[/{colour}]", dates, escape(f.detail), escape(f.action)
        )
    console.print(table)
    symbols_seen = len({f.symbol for f in findings})
    notable = sum(f.kind != "coverage" for f in findings)
    console.print(f"{symbols_seen} symbol(s) checked, {notable} finding(s) beyond coverage.")
