"""`footnote doctor`: configuration, data folder, mode and reachability at a glance."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from assistant import Footnote
from ui.cli.base import app, console


@app.command()
def doctor(
    repair: bool = typer.Option(
        False,
        "--repair",
        help="Repair the stored state: re-embed damaged documents, set damaged files aside.",
    ),
) -> None:
    """Print the configuration (secrets masked), the data folder, the mode and what is reachable."""
    if repair:
        for line in Footnote(demo=False).repair():
            console.print(line, markup=False, highlight=False)
    report = Footnote(demo=False).diagnose()

    config = Table(title="Configuration", show_header=False, title_justify="left")
    for key, value in report.config.items():
        config.add_row(key, escape(value))
    console.print(config)

    data = Table(title=f"Data folder: {escape(str(report.home))}", title_justify="left")
    data.add_column("what")
    data.add_column("where")
    data.add_column("holds")
    for item in report.data:
        data.add_row(escape(item.label), escape(str(item.path)), escape(item.summary))
    console.print(data)

    state = Table(title="Stored state", title_justify="left")
    state.add_column("part")
    state.add_column("status")
    state.add_column("detail", overflow="fold")
    state.add_column("fix", overflow="fold")
    for check in report.state:
        status = "[green]whole[/green]" if check.ok else "[red]damaged[/red]"
        state.add_row(escape(check.name), status, escape(check.detail), escape(check.fix))
    console.print(state)

    console.print(f"[bold]Mode:[/bold] {escape(report.mode_line)}")
    if report.notice:
        console.print(f"[yellow]Notice:[/yellow] {escape(report.notice)}")

    probes = Table(title="Reachability (each probe bounded to 3 s)", title_justify="left")
    probes.add_column("service")
    probes.add_column("status")
    probes.add_column("detail")
    for probe in report.probes:
        if probe.ok is None:
            status = "[dim]skipped[/dim]"
        else:
            status = "[green]reachable[/green]" if probe.ok else "[red]unreachable[/red]"
        probes.add_row(escape(probe.name), status, escape(probe.detail))
    console.print(probes)

    if report.model_features:
        features = Table(title="Chat-model server: what it supports", title_justify="left")
        features.add_column("feature")
        features.add_column("status")
        features.add_column("detail")
        for feature in report.model_features:
            status = "[green]ok[/green]" if feature.ok else "[yellow]worked around[/yellow]"
            features.add_row(feature.name, status, escape(feature.detail))
        console.print(features)

    if not report.prices:
        console.print("[dim]Price data health: no stored prices to check.[/dim]")
        return
    health = Table(
        title="Price data health (`footnote prices check` for details)", title_justify="left"
    )
    health.add_column("symbol")
    health.add_column("coverage", overflow="fold")
    health.add_column("findings", overflow="fold")
    for symbol in report.prices:
        found = (
            "[green]none[/green]"
            if symbol.clean
            else f"[yellow]{escape(symbol.summary())}[/yellow]"
        )
        health.add_row(symbol.symbol, escape(symbol.coverage), found)
    console.print(health)
