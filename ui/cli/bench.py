"""`footnote bench [NAME]`: run benchmarks, print a table, write a JSON file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ui.cli.base import app, console, err_console


@app.command()
def bench(
    names: list[str] = typer.Argument(None, help="Benchmarks to run (all when omitted)."),
    out: Path = typer.Option(
        Path("bench-results/latest.json"), "--out", help="Where to write the JSON results."
    ),
    list_only: bool = typer.Option(False, "--list", help="List the benchmarks and exit."),
) -> None:
    """Run benchmarks; print each figure with its unit and target; record the machine.

    Benchmarks live in the source checkout (`benchmarks/`), not in the installed package: run
    this command from a clone."""
    try:
        from benchmarks import runner
    except ImportError:
        err_console.print(
            "[red]The benchmarks are not installed with the package.[/red] They live in the "
            "source checkout: clone the repository and run `uv run footnote bench` there."
        )
        raise typer.Exit(2) from None

    if list_only:
        for name, module in runner.discover().items():
            console.print(f"[bold]{name}[/bold]  {module.DESCRIPTION}")
        return
    try:
        results = runner.run(names or None)
    except KeyError as exc:
        err_console.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(2) from None
    table = Table(title="Benchmarks")
    for column in ("benchmark", "figure", "value", "unit", "target", "ok"):
        table.add_column(column)
    for result in results:
        if result.skipped:
            table.add_row(result.benchmark, f"skipped: {result.skipped}", "", "", "", "")
        for m in result.measures:
            ok = {True: "[green]yes[/green]", False: "[red]no[/red]", None: ""}[m.passed]
            table.add_row(result.benchmark, m.name, f"{m.value:g}", m.unit, m.target or "", ok)
    console.print(table)
    path = runner.write_json(results, out)
    console.print(f"Wrote {path}")
