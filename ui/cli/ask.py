"""`footnote ask` and `footnote chat`: grounded, cited answers in the terminal."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel

from ui.cli.base import app, console, err_console, known_news, prepare, source_link, working

if TYPE_CHECKING:
    from assistant import Answer, Figure

LANGS = ("auto", "zh", "en")
NO_NUMBERS = {"en": "no numbers to verify", "zh": "无需核验的数字"}


def receipt_lines(figure: Figure) -> list[str]:
    """A figure's input prices and adjustments (dim) and its caveats (a warning line each)."""
    from assistant import input_prices

    lines = []
    if figure.inputs:
        lines.append(f"[dim]inputs: {escape(input_prices(figure.inputs, limit=3))}[/dim]")
    if figure.adjustments:
        lines.append(f"[dim]adjusted: {escape('; '.join(figure.adjustments))}[/dim]")
    lines += [f"[bold yellow]warning:[/bold yellow] {escape(c)}" for c in figure.caveats]
    return lines


def _print_answer(answer: Answer) -> None:
    shown = answer.to_json()
    banner = shown.get("banner")
    if banner:  # the main thing asked has no verified figure: said before the answer, in red
        console.print(Panel(escape(str(banner)), style="bold red"))
    console.print(Markdown(answer.text))
    for entry in answer.ledger.entries:
        figure = entry.figure
        if figure is None:
            continue
        for caveat in figure.caveats:
            # up front, not only in the receipts below, which may scroll away
            console.print(
                f"[bold yellow]warning:[/bold yellow] \\[{entry.n}] {escape(figure.symbol)} "
                f"{figure.metric}: {escape(caveat)}"
            )
    v = answer.verification
    if v.numbers_total and (answer.ledger.entries or not v.ok):
        colour = "green" if v.ok and not banner else "yellow"
        console.print(
            f"[{colour}]{v.numbers_verified}/{v.numbers_total} numbers verified[/{colour}]"
            + (f"  unsupported: {escape(', '.join(v.unsupported))}" if v.unsupported else "")
        )
    else:  # an error, a refusal or help: nothing was verified, so no green count
        console.print(f"[dim]{NO_NUMBERS.get(answer.language, NO_NUMBERS['en'])}[/dim]")
    _print_coverage(shown.get("coverage"))
    for citation in answer.ledger.entries:
        console.print(f"  [dim][{citation.n}][/dim] {escape(citation.label)}")
        source = citation.passage.source if citation.passage is not None else None
        if source is not None and (link := source_link(source.url, answer.language)):
            console.print(f"      {link}", highlight=False)
        cited = citation.figure
        if cited is None:
            continue
        for line in receipt_lines(cited):
            console.print(f"      {line}")
    if answer.suggestions:
        console.print("[dim]Try: " + " | ".join(answer.suggestions) + "[/dim]")
    console.print(Panel(answer.footer, style="dim"))


def _print_coverage(coverage: dict[str, Any] | None) -> None:
    """The coverage badge ("answers 2 of 3 asked items"), apart from the numbers badge, with
    the items left unanswered."""
    if not coverage:
        return
    colour = "green" if coverage.get("answered") == coverage.get("asked") else "yellow"
    missing = [str(m) for m in coverage.get("missing") or []]
    console.print(
        f"[{colour}]{escape(str(coverage.get('label')))}[/{colour}]"
        + (f"  not answered: {escape('; '.join(missing))}" if missing else "")
    )


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question, in Chinese or English."),
    news: str | None = typer.Option(None, "--news", help="Bind the question to a news item id."),
    thread: str | None = typer.Option(None, "--thread", help="Continue a thread by id."),
    lang: str = typer.Option("auto", "--lang", help="auto | zh | en"),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
) -> None:
    """Ask one question; every number in the answer is traced to a figure or a cited source."""
    from assistant import Footnote

    if lang not in LANGS:
        err_console.print(f"[red]--lang must be one of {', '.join(LANGS)}, not {lang!r}[/red]")
        raise typer.Exit(2)
    assistant = Footnote()
    prepare(assistant)
    known_news(assistant, news)
    with working("Answering"):
        answer = assistant.ask(question, thread_id=thread, news_id=news, language=lang)  # type: ignore[arg-type]
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2, default=str))
        return
    _print_answer(answer)
    console.print(f"[dim]thread: {answer.thread_id}  mode: {answer.mode}[/dim]")


@app.command()
def chat(
    news: str | None = typer.Option(
        None, "--news", help="Bind the conversation to a news item id."
    ),
    thread: str | None = typer.Option(None, "--thread", help="Continue a thread by id."),
    lang: str = typer.Option("auto", "--lang", help="auto | zh | en"),
) -> None:
    """An interactive conversation; type /new for a new thread, /quit to leave."""
    from assistant import Footnote

    assistant = Footnote()
    prepare(assistant)
    known_news(assistant, news)
    console.print(
        f"[bold]Footnote[/bold] ({assistant.mode} mode). /new starts a new thread, /quit leaves."
    )
    thread_id = thread
    while True:
        try:
            question = console.input("[bold cyan]you>[/bold cyan] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if question.strip() in {"/quit", "/exit", ":q"}:
            return
        if question.strip() == "/new":
            thread_id = None
            console.print("[dim]new thread[/dim]")
            continue
        if not question.strip():
            continue
        with console.status("thinking ..."):
            answer = assistant.ask(question, thread_id=thread_id, news_id=news, language=lang)  # type: ignore[arg-type]
        thread_id = answer.thread_id
        _print_answer(answer)
