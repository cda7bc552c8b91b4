"""The `footnote` Typer application that every subcommand module registers on."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup
from typer.exceptions import TyperException

if TYPE_CHECKING:
    from typer._click.core import Context

    from assistant import Footnote


class FootnoteGroup(TyperGroup):
    """Every command's errors end as one paragraph (or `{"error": ...}` under --json) and an
    exit code from README's table, never a traceback (FOOTNOTE_DEBUG=1 prints one, redacted)."""

    def invoke(self, ctx: Context) -> Any:
        args = [*getattr(ctx, "_protected_args", []), *ctx.args]  # emptied by the call below
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):  # usage errors, --help, exits
            raise
        except Exception as exc:
            raise typer.Exit(report_failure(exc, as_json="--json" in args, words=args)) from None


def report_failure(
    exc: BaseException, *, as_json: bool = False, words: list[str] | None = None
) -> int:
    """Print `exc` as one paragraph (JSON on stdout under --json); return the exit code."""
    from assistant import explain_failure, get_settings, redacted_traceback

    try:
        settings = get_settings()
    except Exception:  # settings that do not load are the error being reported, maybe
        settings = None
    chosen = settings.language if settings is not None else "auto"
    cjk = any(re.search(r"[\u4e00-\u9fff]", w) for w in words or [])
    lang: Literal["zh", "en"] = "zh" if chosen == "zh" or (chosen == "auto" and cjk) else "en"
    failure = explain_failure(exc, lang, settings)
    if os.environ.get("FOOTNOTE_DEBUG"):
        err_console.print(escape(redacted_traceback(exc, settings)), highlight=False)
    if as_json:
        sys.stdout.write(json.dumps(failure.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        err_console.print(f"[red]{escape(failure.message)}[/red]", highlight=False)
    return failure.code


app = typer.Typer(
    cls=FootnoteGroup,
    name="footnote",
    help="Footnote: an investment research assistant whose every number has a footnote.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
console = Console()
err_console = Console(stderr=True)


def package_version() -> str:
    """The installed version of Footnote."""
    try:
        return version("footnote")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def _print_version(value: bool) -> None:
    if value:
        console.print(f"footnote {package_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_print_version,
        is_eager=True,
    ),
) -> None:
    """Footnote: every number computed with a receipt or quoted from a cited source."""


# ---- shared by the commands: first-start set-up, spinners, news ids ---------------------


def reader_lang(text: str = "", chosen: str = "auto") -> Literal["zh", "en"]:
    """The language a command speaks: `--lang` or FOOTNOTE_LANGUAGE when set, else the
    language of the question or topic (English when there is none)."""
    from assistant import get_settings

    if chosen == "auto":
        try:
            chosen = get_settings().language
        except Exception:  # settings that do not load are reported by the command itself
            chosen = "auto"
    if chosen == "zh" or (chosen == "auto" and re.search(r"[\u4e00-\u9fff]", text)):
        return "zh"
    return "en"


def prepare(footnote: Footnote, lang: str = "en") -> None:
    """On a first start, make the demo content ready while a spinner names the step underway;
    each finished step stays as one line (on stderr, so `--json` output stays clean), in
    `lang`."""
    from assistant import word

    if not footnote.needs_setup():
        return
    with err_console.status(word("setup.title", lang) + "…") as status:
        steps = footnote.ensure_demo(
            on_step=lambda step: status.update(f"{escape(step)}…"), lang=lang
        )
        for line in steps:
            err_console.print(f"[dim]✓ {escape(line)}[/dim]")


@contextmanager
def working(what: str) -> Iterator[None]:
    """A spinner on stderr while a step runs (shown only on a terminal)."""
    with err_console.status(f"{escape(what)}…"):
        yield


def known_news(footnote: Footnote, news: str | None, lang: str = "en") -> None:
    """Stop with the stored ids when `--news` names no stored item (never ignore it); said in
    `lang`."""
    from assistant import word

    if news is None or footnote.news_item(news, "en") is not None:
        return
    ids = sorted({d.id for d in footnote.documents() if d.kind == "news"})
    known = ", ".join(ids) if ids else word("news.none_stored", lang)
    err_console.print(
        f"[red]{escape(word('news.unknown', lang, id=repr(news)))}[/red] "
        f"{escape(word('news.known', lang, ids=known))}"
    )
    raise typer.Exit(2)


_NOT_A_LINK = {
    "en": "shown as text, not a link: {host} is not on the allowed list",
    "zh": "仅显示为文字、不作链接：{host} 不在允许列表中",
}


def source_link(url: str | None, lang: str = "en") -> str | None:
    """A source's address for the terminal by the one link rule (the app's and the exports'):
    an allow-listed source as a terminal hyperlink, any other address as plain text saying why."""
    from assistant import link_host, safe_link

    if not url:
        return None
    allowed = safe_link(url)
    if allowed:
        return f"[link={escape(allowed)}]{escape(allowed)}[/link]"
    why = _NOT_A_LINK["zh" if lang == "zh" else "en"].format(host=link_host(url) or "?")
    return f"[dim]{escape(url)} ({escape(why)})[/dim]"
