"""`footnote research`: plan, approve (or auto-accept), run and export a deep-research report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from ui.cli.base import (
    app,
    console,
    err_console,
    known_news,
    prepare,
    reader_lang,
    report_failure,
)

if TYPE_CHECKING:
    from assistant import Report, ResearchService

FORMATS = ("md", "html", "pdf")


def _show_plan(plan: object) -> None:
    """The plan as a list: every question whole and wrapped, at any width, before the prompt;
    in the plan's language."""
    from assistant import Plan, tool_label, word

    assert isinstance(plan, Plan)
    lang = plan.language
    console.print(f"[bold]{escape(word('plan.title', lang, title=plan.title))}[/bold]")
    sep = "、" if lang == "zh" else ", "
    for i, s in enumerate(plan.sections, 1):
        named = sep.join(tool_label(tool, lang) for tool in s.tools)
        named = f"（{named}）" if lang == "zh" else f"({named})"
        tools = f"  [dim]{escape(named)}[/dim]" if s.tools else ""
        console.print(f"\n{i}. [bold]{escape(s.heading)}[/bold]{tools}")
        for question in s.questions:
            console.print(f"   - {escape(question)}")
    label = ""
    if plan.window_label:
        label = f"（{plan.window_label}）" if lang == "zh" else f" ({plan.window_label})"
    window = word(
        "plan.window",
        lang,
        start=plan.start,
        end=plan.end,
        label=label,
        symbols=", ".join(plan.symbols),
    )
    console.print(window, markup=False)
    for note in plan.notes:
        console.print(word("plan.note", lang, text=note), markup=False)
    e = plan.estimate
    estimate = word(
        "plan.estimate",
        lang,
        calls=e.model_calls,
        tokens=e.input_tokens + e.output_tokens,
        cost=e.cost_usd,
        seconds=e.seconds,
    )
    console.print(f"\n{estimate}", markup=False)


@app.command()
def research(
    topic: str = typer.Argument("", help="What to research (may be empty with --news)."),
    news: str | None = typer.Option(None, "--news", help="Bind the report to a news item id."),
    auto_accept: bool = typer.Option(False, "--auto-accept", help="Run the plan without asking."),
    plan_only: bool = typer.Option(False, "--plan-only", help="Print the plan and stop."),
    plan_file: Path | None = typer.Option(
        None, "--plan", help="Run an edited plan (JSON from --plan-only --json)."
    ),
    fmt: str = typer.Option("md", "--format", help="md | html | pdf"),
    out: Path | None = typer.Option(None, "--out", help="Where to write the report file."),
    lang: str = typer.Option("auto", "--lang", help="auto | zh | en"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    resume: str | None = typer.Option(
        None, "--resume", help="Continue a run that stopped, by the run id it printed."
    ),
) -> None:
    """Plan and write a sourced research report whose every number is verified."""
    from pydantic import ValidationError

    from assistant import Footnote, FootnoteError, Plan, ResearchEvent, word

    if fmt not in FORMATS:
        err_console.print(f"[red]--format must be one of {', '.join(FORMATS)}, not {fmt!r}[/red]")
        raise typer.Exit(2)
    footnote = Footnote()
    speaks = reader_lang(topic, lang)
    prepare(footnote, speaks)
    known_news(footnote, news, speaks)
    service = footnote.research
    if resume is not None:
        _finish(service, service.resume(resume), fmt, out, as_json, resume)
        return
    try:
        if plan_file is not None:
            plan = Plan.model_validate_json(plan_file.read_text(encoding="utf-8"))
        else:
            plan = service.plan(topic, news_id=news, language=lang)
    except (FootnoteError, ValidationError, OSError) as exc:
        if isinstance(exc, ValidationError):
            exc = FootnoteError(f"The plan file is not a valid plan: {exc.error_count()} error(s).")
        raise typer.Exit(report_failure(exc, as_json=as_json)) from None
    if plan_only:
        if as_json:
            print(plan.model_dump_json(indent=2))
        else:
            _show_plan(plan)
        return
    if not as_json:
        _show_plan(plan)
    said = plan.language
    confirm = word("plan.confirm", said)
    if not auto_accept and plan_file is None and not typer.confirm(confirm, default=True):
        console.print(word("plan.rejected", said))
        raise typer.Exit(1)

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("research", total=len(plan.sections))

        def on_event(event: ResearchEvent) -> None:
            if event["type"] == "progress":
                phase = word(f"research.phase.{event['phase']}", said)
                colon = "：" if said == "zh" else ": "
                progress.update(task, description=escape(f"{phase}{colon}{event['step']}"))
                if event["phase"] in ("done", "skipped"):
                    progress.advance(task)

        try:
            report = service.run(plan, on_event=on_event)
        except Exception as exc:
            # the sections that finished are checkpointed: say so, and how to go on
            code = report_failure(exc, as_json=as_json)
            if service.last_run_id:
                err_console.print(word("plan.resume", said, run=service.last_run_id))
            raise typer.Exit(code) from None
    _finish(service, report, fmt, out, as_json, None)


def _finish(
    service: ResearchService,
    report: Report | None,
    fmt: str,
    out: Path | None,
    as_json: bool,
    run_id: str | None,
) -> None:
    """Export and show a finished report."""
    if report is None:
        err_console.print(f"[red]Run {run_id} has nothing left to run or is not known.[/red]")
        raise typer.Exit(2)
    try:
        service.export(report, "md", out if fmt == "md" else None)
        if fmt != "md":
            service.export(report, fmt, out)  # type: ignore[arg-type]
    except RuntimeError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str))
        return
    from assistant import word

    console.print(Markdown(report.markdown))
    v = report.verification
    lang = report.language
    files = ", ".join(report.files.values())
    done = word(
        "research.verified", lang, ok=v.numbers_verified, total=v.numbers_total, files=files
    )
    console.print(done, markup=False)
    if report.stopped:
        console.print(
            f"[yellow]{escape(word('research.stopped', lang, why=report.stopped))}[/yellow]"
        )


@app.command("reports")
def list_reports() -> None:
    """List stored research reports."""
    from assistant import Footnote

    table = Table(title="Reports")
    for column in ("id", "created", "language", "title"):
        table.add_column(column)
    for r in Footnote().reports():
        table.add_row(r.id, r.created_at.strftime("%Y-%m-%d %H:%M"), r.language, r.title)
    console.print(table)
