"""`footnote check FILE`: find a document's market claims and check each against the data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from ui.cli.base import app, console, report_failure

_COLOURS = {
    "holds": "green",
    "holds_with_caveat": "yellow",
    "wrong_date": "red",
    "differs": "red",
    "unverifiable": "dim",
}


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@app.command()
def check(
    file: Path = typer.Argument(..., help="Markdown, text, HTML, PDF or JSON file to check."),
    as_json: bool = typer.Option(False, "--json", help="Print the claims as JSON."),
    rules_only: bool = typer.Option(
        False, "--rules-only", help="Do not ask the chat model to propose claims."
    ),
) -> None:
    """Check every market-data claim of a document against the price data."""
    from assistant import Footnote, FootnoteError

    try:
        checked = Footnote(demo=False).check_file(file, use_model=not rules_only)
    except (OSError, FootnoteError) as exc:
        raise typer.Exit(report_failure(exc, as_json=as_json)) from None
    claims = [c for _, results in checked for c in results]
    if as_json:
        payload = {"claims": [c.to_json() for c in claims]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    for doc, results in checked:
        table = Table(title=f"{doc.title} ({len(results)} numbers)", show_lines=True)
        for column in ("sentence", "claim", "verdict", "computed", "convention", "receipt / note"):
            table.add_column(column, overflow="fold")
        for c in results:
            claim = c.claim
            what = f"{escape(claim.raw)}\n{claim.symbol or '-'} {claim.metric}"
            colour = _COLOURS[c.verdict]
            computed = "" if c.computed is None else f"{c.computed:,.4f}"
            receipt = escape(c.receipt + ("\n" if c.receipt else "") + c.note)
            table.add_row(
                escape(_short(claim.sentence)),
                what,
                f"[{colour}]{c.verdict}[/{colour}]",
                computed,
                escape(c.convention or ""),
                receipt,
            )
        console.print(table)
    counts: dict[str, int] = {}
    for c in claims:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    console.print(", ".join(f"{n} {verdict}" for verdict, n in counts.items()) or "No numbers.")
