"""`footnote ingest`, `footnote docs`, `footnote search`: the knowledge store from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from ui.cli.base import app, console, err_console, prepare, source_link

_STATUS_STYLE = {
    "added": "green",
    "updated": "cyan",
    "repaired": "magenta",
    "unchanged": "dim",
    "skipped": "yellow",
    "failed": "red",
}


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders to ingest."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per file."),
) -> None:
    """Ingest Markdown, text, HTML, PDF and JSON/JSONL files; report each file's outcome."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from assistant import Footnote

    library = Footnote()  # the demo corpus first, so it is never mistaken for user files
    prepare(library)
    if as_json:
        outcomes = library.ingest(paths)
        for outcome in outcomes:
            console.print_json(json.dumps(outcome.as_json(), ensure_ascii=False))
    else:
        with Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=err_console,
            transient=True,
        ) as progress:
            task = progress.add_task("", total=None)

            def step(done: int, total: int, path: str) -> None:
                name = escape(Path(path).name)
                progress.update(task, completed=done, total=total, description=name)

            outcomes = library.ingest(paths, on_progress=step)
        table = Table(title="Ingest")
        table.add_column("file", overflow="fold")
        for column in ("status", "documents", "chunks", "message"):
            table.add_column(column)
        for outcome in outcomes:
            style = _STATUS_STYLE.get(outcome.status, "")
            table.add_row(
                escape(outcome.path),
                f"[{style}]{outcome.status}[/{style}]",
                str(len(outcome.doc_ids)),
                str(outcome.chunks),
                escape(outcome.message),
            )
        console.print(table)
    if any(o.status == "failed" for o in outcomes) or not outcomes:
        raise typer.Exit(1)


@app.command()
def docs(
    as_json: bool = typer.Option(False, "--json", help="Print the documents as JSON."),
) -> None:
    """List the stored documents."""
    from assistant import Footnote

    stored = Footnote().documents()
    if as_json:
        rows = [
            {
                "id": d.id,
                "kind": d.kind,
                "title": d.title,
                "published": d.published.isoformat() if d.published else None,
                "language": d.language,
                "item_id": d.item_id,
                "sources": len(d.sources),
            }
            for d in stored
        ]
        console.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"Documents ({len(stored)})")
    table.add_column("id", overflow="fold")
    for column in ("kind", "lang", "published", "title", "sources"):
        table.add_column(column)
    for d in stored:
        published = d.published.isoformat() if d.published else ""
        table.add_row(
            escape(d.id), d.kind, d.language, published, escape(d.title), str(len(d.sources))
        )
    console.print(table)


@app.command()
def search(
    query: str = typer.Argument(..., help="What to look for, in Chinese or English."),
    k: int = typer.Option(5, "-k", "--k", min=1, max=50, help="How many passages."),
    as_json: bool = typer.Option(False, "--json", help="Print the passages as JSON."),
    doc_id: str | None = typer.Option(None, "--doc", help="Only this document."),
    ticker: str | None = typer.Option(None, "--ticker", help="Only documents about this ticker."),
    language: str | None = typer.Option(None, "--lang", help="Only documents in zh or en."),
) -> None:
    """Search the stored documents and their sources (hybrid: dense + BM25)."""
    from assistant import Footnote

    hits = Footnote().search(query, k, doc_id=doc_id, ticker=ticker, language=language)
    if as_json:
        console.print_json(json.dumps([h.as_json() for h in hits], ensure_ascii=False))
        return
    if not hits:
        console.print("No passages found.")
        return
    for rank, hit in enumerate(hits, start=1):
        where = f"{hit.title} · {hit.section}" if hit.section else hit.title
        console.print(
            f"[bold]{rank}.[/bold] {escape(where)} "
            f"[dim]({escape(hit.chunk_id)}, {hit.score:.4f})[/dim]"
        )
        console.print(hit.text, markup=False, highlight=False)
        if hit.source is not None:
            console.print(f"[dim]source [{hit.source.n}]: {escape(hit.source.label())}[/dim]")
            if link := source_link(hit.source.url, hit.language):
                console.print(link, markup=True, highlight=False)
        console.print()
