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

from ui.cli.base import app, console, err_console, known_news, prepare, report_failure

if TYPE_CHECKING:
    from assistant import Report, ResearchService

FORMATS = ("md", "html", "pdf")


def _show_plan(plan: object) -> None:
    """The plan as a list: every question whole and wrapped, at any width, before the prompt."""
    from assistant import Plan

    assert isinstance(plan, Plan)
    console.print(f"[bold]Plan: {escape(plan.title)}[/bold]")
    for i, s in enumerate(plan.sections, 1):
        tools = f"  [dim]({escape(', '.join(s.tools))})[/dim]" if s.tools else ""
        console.print(f"\n{i}. [bold]{escape(s.heading)}[/bold]{tools}")
        for question in s.questions:
            console.print(f"   - {escape(question)}")
    label = f" ({plan.window_label})" if plan.window_label else ""
    console.print(
        f"Window: {plan.start} – {plan.end}{label} (every question runs over it) · "
        f"symbols: {', '.join(plan.symbols)}",
        markup=False,
    )
    for note in plan.notes:
        console.print(f"Note: {note}", markup=False)
    e = plan.estimate
    console.print(
        f"\nEstimate: {e.model_calls} model calls, {e.input_tokens + e.output_tokens:,} tokens, "
        f"${e.cost_usd:.4f}, about {e.seconds:.0f} s"
    )


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

    from assistant import Footnote, FootnoteError, Plan, ResearchEvent

    if fmt not in FORMATS:
        err_console.print(f"[red]--format must be one of {', '.join(FORMATS)}, not {fmt!r}[/red]")
        raise typer.Exit(2)
    footnote = Footnote()
    prepare(footnote)
    known_news(footnote, news)
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
    if not auto_accept and plan_file is None and not typer.confirm("Run this plan?", default=True):
        console.print(
            "Plan rejected; nothing was run. Edit it with --plan-only --json and --plan FILE."
        )
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
                progress.update(task, description=f"{event['phase']}: {event['step']}")
                if event["phase"] in ("done", "skipped"):
                    progress.advance(task)

        try:
            report = service.run(plan, on_event=on_event)
        except Exception as exc:
            # the sections that finished are checkpointed: say so, and how to go on
            code = report_failure(exc, as_json=as_json)
            if service.last_run_id:
                err_console.print(
                    f"Finished sections are kept. Resume with: footnote research --resume "
                    f"{service.last_run_id}"
                )
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
    console.print(Markdown(report.markdown))
    v = report.verification
    console.print(f"{v.numbers_verified}/{v.numbers_total} numbers verified; files: {report.files}")
    if report.stopped:
        console.print(f"[yellow]Stopped early: {report.stopped}[/yellow]")


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
