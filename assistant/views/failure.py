"""An error as one clear paragraph in the user's language, with the exit code the CLI ends with.

The CLI, its JSON output and the app show the same paragraph; none shows a traceback (set
FOOTNOTE_DEBUG=1 for one, secrets still redacted), and every secret is removed first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assistant.errors import FootnoteError
from assistant.grounding.guard import redact_secrets
from assistant.grounding.language import Lang
from assistant.settings import Settings

# exit codes of the `footnote` command (README, "Command line")
EXIT_OK = 0
EXIT_BUG = 1  # an unexpected error: a bug to report
EXIT_INPUT = 2  # bad input or missing data: the message says what to change
EXIT_MODEL = 3  # the chat model's server failed or was too slow

Kind = Literal["input", "model", "bug"]

_TEXT: dict[str, dict[Lang, str]] = {
    "model": {
        "en": "The chat model failed: {reason}. Nothing was lost. Try again later, or work "
        "offline (leave FOOTNOTE_CHAT_MODEL empty).",
        "zh": "聊天模型出错：{reason}。没有丢失任何内容。请稍后重试，或改用离线模式（将 FOOTNOTE_CHAT_MODEL 留空）。",
    },
    "file": {
        "en": "A file could not be read or written: {what}.",
        "zh": "无法读取或写入文件：{what}。",
    },
    "bug": {
        "en": "Footnote hit an unexpected error ({what}). Nothing was lost. Set FOOTNOTE_DEBUG=1 "
        "to see the details, and please report it.",
        "zh": "Footnote 遇到意外错误（{what}）。没有丢失任何内容。设置 FOOTNOTE_DEBUG=1 可查看详情，并请报告此问题。",
    },
}


@dataclass(frozen=True)
class Failure:
    """What to tell the user about an error, and how the command ends."""

    kind: Kind
    code: int
    message: str

    def to_json(self) -> dict[str, object]:
        return {"error": self.message, "kind": self.kind, "exit_code": self.code}


def _secrets(settings: Settings | None) -> list[str]:
    key = settings.openai_api_key if settings is not None else None
    return [key.get_secret_value()] if key is not None else []


def explain_failure(
    exc: BaseException, lang: Lang = "en", settings: Settings | None = None
) -> Failure:
    """One paragraph for `exc`, secrets redacted; `settings` adds the configured key to them."""
    from assistant.chat.llm.models import model_failure

    secrets = _secrets(settings)
    reason = model_failure(exc, lang)
    if reason is not None and not (
        isinstance(exc, FootnoteError) and type(exc).__name__ in ("MarketError", "KnowledgeError")
    ):
        text = _TEXT["model"][lang].format(reason=reason.rstrip("."))
        return Failure("model", EXIT_MODEL, redact_secrets(text, secrets))
    if isinstance(exc, FootnoteError):
        text = f"{exc.message} {exc.hint}".strip()
        return Failure("input", EXIT_INPUT, redact_secrets(text, secrets))
    if isinstance(exc, OSError):
        what = exc.strerror or type(exc).__name__
        if exc.filename:
            what = f"{what} ({exc.filename})"
        text = _TEXT["file"][lang].format(what=what)
        return Failure("input", EXIT_INPUT, redact_secrets(text, secrets))
    detail = " ".join(str(exc).split())[:200]
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return Failure("bug", EXIT_BUG, redact_secrets(_TEXT["bug"][lang].format(what=what), secrets))


def redacted_traceback(exc: BaseException, settings: Settings | None = None) -> str:
    """The traceback of `exc` with every secret removed (FOOTNOTE_DEBUG=1)."""
    import traceback

    text = "".join(traceback.format_exception(exc))
    return redact_secrets(text, _secrets(settings))


_LOG_SECRETS: set[str] = set()


def redact_logs(settings: Settings | None = None) -> None:
    """Make every log record of this process carry no secret: the configured key, the
    environment's keys and bearer tokens are removed from its message and its traceback.
    Installed once (a record factory, so records of every logger and handler are covered)."""
    import logging

    _LOG_SECRETS.update(_secrets(settings))
    previous = logging.getLogRecordFactory()
    if getattr(previous, "footnote_redacts", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a record whose arguments do not fit its format
            return record
        clean = redact_secrets(message, list(_LOG_SECRETS))
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and record.exc_info[1] is not None:
            import traceback

            text = "".join(traceback.format_exception(*record.exc_info))
            redacted = redact_secrets(text, list(_LOG_SECRETS))
            if redacted != text:
                record.exc_text = redacted.rstrip("\n")  # formatters print exc_text as given
        return record

    factory.footnote_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
