"""`footnote doctor`: configuration, data folder, mode and reachability at a glance."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from assistant import Footnote
from ui.cli.base import app, console


@app.command()
def doctor() -> None:
    """Print the configuration (secrets masked), the data folder, the mode and what is reachable."""
    report = Footnote(demo=False).diagnose()

    config = Table(title="Configuration", show_header=False, title_justify="left")
    for key, value in report.config.items():
        config.add_row(key, value)
    console.print(config)

    data = Table(title=f"Data folder: {report.home}", title_justify="left")
    data.add_column("what")
    data.add_column("where")
    data.add_column("holds")
    for item in report.data:
        data.add_row(item.label, str(item.path), item.summary)
    console.print(data)

    console.print(f"[bold]Mode:[/bold] {report.mode_line}")
    if report.notice:
        console.print(f"[yellow]Notice:[/yellow] {report.notice}")

    probes = Table(title="Reachability (each probe bounded to 3 s)", title_justify="left")
    probes.add_column("service")
    probes.add_column("status")
    probes.add_column("detail")
    for probe in report.probes:
        if probe.ok is None:
            status = "[dim]skipped[/dim]"
        else:
            status = "[green]reachable[/green]" if probe.ok else "[red]unreachable[/red]"
        probes.add_row(probe.name, status, probe.detail)
    console.print(probes)

    if report.model_features:
        features = Table(title="Chat-model server: what it supports", title_justify="left")
        features.add_column("feature")
        features.add_column("status")
        features.add_column("detail")
        for check in report.model_features:
            status = "[green]ok[/green]" if check.ok else "[yellow]worked around[/yellow]"
            features.add_row(check.name, status, escape(check.detail))
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
        found = "[green]none[/green]" if symbol.clean else f"[yellow]{symbol.summary()}[/yellow]"
        health.add_row(symbol.symbol, symbol.coverage, found)
    console.print(health)
