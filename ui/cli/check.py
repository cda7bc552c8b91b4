"""`footnote check FILE`: find a document's market claims and check each against the data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from ui.cli.base import app, console, report_failure

if TYPE_CHECKING:
    from assistant import CheckedClaim

_COLOURS = {
    "holds": "green",
    "holds_with_caveat": "yellow",
    "wrong_date": "red",
    "differs": "red",
    "unverifiable": "dim",
}


WIDE = 120  # below this many columns, one block per claim instead of a six-column table


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _what(claim: CheckedClaim, lang: str) -> str:
    from assistant import metric_label

    c = claim.claim
    return f"{c.symbol or '-'} {metric_label(c.metric, lang)}"


def _how(claim: CheckedClaim, lang: str) -> str:
    from assistant import convention_label

    return convention_label(claim.convention, lang) if claim.convention else ""


def _title(title: str, results: list[CheckedClaim], lang: str) -> str:
    from assistant import word

    count = word("check.numbers", lang, n=len(results))
    return f"{escape(title)}（{count}）" if lang == "zh" else f"{escape(title)} ({count})"


def _table(title: str, results: list[CheckedClaim], lang: str) -> None:
    from assistant import verdict_label, word

    table = Table(title=_title(title, results, lang), show_lines=True)
    for column in word("check.columns", lang).split("|"):
        table.add_column(column, overflow="fold")
    for c in results:
        colour = _COLOURS[c.verdict]
        computed = "" if c.computed is None else f"{c.computed:,.4f}"
        receipt = escape(c.receipt + ("\n" if c.receipt else "") + c.note)
        table.add_row(
            escape(_short(c.claim.sentence)),
            f"{escape(c.claim.raw)}\n{escape(_what(c, lang))}",
            f"[{colour}]{verdict_label(c.verdict, lang)}[/{colour}]",
            computed,
            escape(_how(c, lang)),
            receipt,
        )
    console.print(table)


def _per_claim(title: str, results: list[CheckedClaim], lang: str) -> None:
    """One block per claim, every line wrapped to the terminal: readable at 80 columns."""
    from assistant import verdict_label, word

    console.print(f"[bold]{_title(title, results, lang)}[/bold]")
    for i, c in enumerate(results, 1):
        colour = _COLOURS[c.verdict]
        console.print()
        console.print(
            f"{i}. [{colour}]{verdict_label(c.verdict, lang)}[/{colour}]  "
            f"[bold]{escape(c.claim.raw)}[/bold]  {escape(_what(c, lang))}"
        )
        console.print(f"   [dim]{escape(_short(c.claim.sentence, 200))}[/dim]")
        if c.computed is not None:
            how = _how(c, lang)
            shown = f"{c.computed:,.4f}" + (
                (f"（{how}）" if lang == "zh" else f" ({how})") if how else ""
            )
            console.print(f"   {escape(word('check.computed', lang, value=shown))}")
        if c.receipt:
            console.print(f"   {escape(word('check.receipt', lang, text=c.receipt))}")
        if c.note:
            console.print(f"   {escape(c.note)}")


@app.command()
def check(
    file: Path = typer.Argument(..., help="Markdown, text, HTML, PDF or JSON file to check."),
    as_json: bool = typer.Option(False, "--json", help="Print the claims as JSON."),
    rules_only: bool = typer.Option(
        False, "--rules-only", help="Do not ask the chat model to propose claims."
    ),
) -> None:
    """Check every market-data claim of a document against the price data."""
    from assistant import Footnote, FootnoteError, verdict_label, word

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
        lang = results[0].language if results else doc.language
        if console.width >= WIDE:
            _table(doc.title, results, lang)
        else:
            _per_claim(doc.title, results, lang)
    counts: dict[str, int] = {}
    for c in claims:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    lang = claims[0].language if claims else (checked[0][0].language if checked else "en")
    console.print(
        word("check.join", lang).join(
            f"{verdict_label(verdict, lang)}：{n}"
            if lang == "zh"
            else f"{n} {verdict_label(verdict)}"
            for verdict, n in counts.items()
        )
        or word("check.none", lang)
    )
