"""`footnote ask` and `footnote chat`: grounded, cited answers in the terminal."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel

from ui.cli.base import (
    app,
    console,
    err_console,
    known_news,
    prepare,
    reader_lang,
    source_link,
    working,
)

if TYPE_CHECKING:
    from assistant import Answer, Figure

LANGS = ("auto", "zh", "en")


def receipt_lines(figure: Figure, lang: str = "en") -> list[str]:
    """A figure's input prices and adjustments (dim) and its caveats (a warning line each),
    labelled in `lang`."""
    from assistant import formula_label, input_prices, word

    colon = "：" if lang == "zh" else ": "
    lines = []
    if figure.inputs:
        shown = formula_label(input_prices(figure.inputs, limit=3), lang)
        lines.append(f"[dim]{word('cli.inputs', lang)}{colon}{escape(shown)}[/dim]")
    if figure.adjustments:
        adjusted = "; ".join(figure.adjustments)
        lines.append(f"[dim]{word('cli.adjusted', lang)}{colon}{escape(adjusted)}[/dim]")
    warning = f"[bold yellow]{word('cli.warning', lang)}{colon.rstrip()}[/bold yellow]"
    lines += [f"{warning} {escape(c)}" for c in figure.caveats]
    return lines


def citation_label(citation: object, lang: str) -> str:
    """One citation's line in the reader's language: "^RUT 涨跌幅：+5.31% — 收盘[d] / ..."."""
    from assistant import formula_label, metric_label

    figure = getattr(citation, "figure", None)
    colon = "：" if lang == "zh" else ": "
    if figure is None:
        label = str(getattr(citation, "label", ""))
        if lang == "zh":  # a source's "person, publisher: title" with Chinese punctuation
            who, sep, title = label.partition(": ")
            label = who.replace(", ", "，") + colon + title if sep else label
        return label
    what = f"{figure.symbol} {metric_label(figure.metric, lang)}"
    return f"{what}{colon}{figure.display(lang)} — {formula_label(figure.formula, lang)}"


def _print_answer(answer: Answer) -> None:
    from assistant import metric_label, word

    lang = "zh" if answer.language == "zh" else "en"
    colon = "：" if lang == "zh" else ": "
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
            what = f"{figure.symbol} {metric_label(figure.metric, lang)}"
            console.print(
                f"[bold yellow]{word('cli.warning', lang)}{colon.rstrip()}[/bold yellow] "
                f"\\[{entry.n}] {escape(what)}{colon}{escape(caveat)}"
            )
    v = answer.verification
    if v.numbers_total and (answer.ledger.entries or not v.ok):
        colour = "green" if v.ok and not banner else "yellow"
        counted = word("badge.verified", lang, ok=v.numbers_verified, total=v.numbers_total)
        unsupported = f"{word('cli.unsupported', lang)}{colon}{', '.join(v.unsupported)}"
        console.print(
            f"[{colour}]{counted}[/{colour}]"
            + (f"  {escape(unsupported)}" if v.unsupported else "")
        )
    else:  # an error, a refusal or help: nothing was verified, so no green count
        console.print(f"[dim]{word('badge.none', lang)}[/dim]")
    _print_coverage(shown.get("coverage"), lang)
    for citation in answer.ledger.entries:
        console.print(f"  [dim][{citation.n}][/dim] {escape(citation_label(citation, lang))}")
        source = citation.passage.source if citation.passage is not None else None
        if source is not None and (link := source_link(source.url, answer.language)):
            console.print(f"      {link}", highlight=False)
        cited = citation.figure
        if cited is None:
            continue
        for line in receipt_lines(cited, lang):
            console.print(f"      {line}")
    if answer.suggestions:
        joined = " | ".join(answer.suggestions)
        console.print(f"[dim]{escape(word('answer.try', lang, items=joined))}[/dim]")
    console.print(Panel(answer.footer, style="dim"))


def _print_coverage(coverage: dict[str, Any] | None, lang: str = "en") -> None:
    """The coverage badge ("answers 2 of 3 asked items"), apart from the numbers badge, with
    the items left unanswered."""
    if not coverage:
        return
    colour = "green" if coverage.get("answered") == coverage.get("asked") else "yellow"
    from assistant import word

    missing = [str(m) for m in coverage.get("missing") or []]
    zh = lang == "zh"
    items = ("；" if zh else "; ").join(missing)
    unanswered = f"{word('cli.not_answered', lang)}{'：' if zh else ': '}{items}"
    console.print(
        f"[{colour}]{escape(str(coverage.get('label')))}[/{colour}]"
        + (f"  {escape(unanswered)}" if missing else "")
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
    from assistant import word

    assistant = Footnote()
    speaks = reader_lang(question, lang)
    prepare(assistant, speaks)
    known_news(assistant, news, speaks)
    with working(word("work.answering", speaks)):
        answer = assistant.ask(question, thread_id=thread, news_id=news, language=lang)  # type: ignore[arg-type]
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2, default=str))
        return
    _print_answer(answer)
    said = "zh" if answer.language == "zh" else "en"
    mode = word(f"mode.name.{answer.mode}", said)
    console.print(
        f"[dim]{escape(word('answer.thread', said, id=answer.thread_id, mode=mode))}[/dim]"
    )


@app.command()
def chat(
    news: str | None = typer.Option(
        None, "--news", help="Bind the conversation to a news item id."
    ),
    thread: str | None = typer.Option(None, "--thread", help="Continue a thread by id."),
    lang: str = typer.Option("auto", "--lang", help="auto | zh | en"),
) -> None:
    """An interactive conversation; type /new for a new thread, /quit to leave."""
    from assistant import Footnote, word

    assistant = Footnote()
    speaks = reader_lang("", lang)
    prepare(assistant, speaks)
    known_news(assistant, news, speaks)
    mode = word(f"mode.name.{assistant.mode}", speaks)
    console.print(f"[bold]Footnote[/bold] {escape(word('chat.welcome', speaks, mode=mode))}")
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
            console.print(f"[dim]{word('chat.new_thread', speaks)}[/dim]")
            continue
        if not question.strip():
            continue
        with console.status(word("work.answering", reader_lang(question, lang)) + "…"):
            answer = assistant.ask(question, thread_id=thread_id, news_id=news, language=lang)  # type: ignore[arg-type]
        thread_id = answer.thread_id
        _print_answer(answer)
