"""A hostile chat model behind the local OpenAI-compatible stub: it calls real tools, then writes
an answer with a planted mistake built from the figures and passages the tools returned.

A case's answer is a template over the tool results, so every true number in it is the one the
shared prices gave this run, and every planted mistake is a true number moved to the wrong place,
a fabricated one, or a broken citation:

    {rut.return}      the marker of the `return` figure from the call named `rut`: "[1]"
    {rut.return#}     its number alone: "1"
    {rut.return=}     its value as the tool showed it: "+7.53%", "2,669.16", "+186.93 points"
    {rut.return~}     the same without its sign: "7.53%"
    {sec.sector_change/XLF~}   among several figures of that metric, the one whose line names XLF
    {kn@financials (XLF)}      the marker of the first passage from call `kn` containing the words

When the service asks for a rewrite ("Your answer failed the automatic number check"), the model
plays `fixed` if the case has one, else the same mistake again (a model that does not learn).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pytest

from assistant.chat.coverage import ChatAnswer
from assistant.chat.events import Event
from assistant.chat.llm.prompts import REGENERATE
from assistant.settings import Settings, get_settings
from tests.assistant.openai_stub import StubState

REWRITE_CUE = REGENERATE.split("\n", 1)[0]

# " (unverified)" / "（未核实）" after a number; " (no such source)" / "（无此来源）" after a marker
MARK = re.compile(r" ?\((?:unverified|no such source|未核实|无此来源)\)|（(?:未核实|无此来源)）")


@dataclass(frozen=True)
class Call:
    name: str  # the tool call's id, used by the templates
    tool: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # the class of mistake (the list)
    lang: str
    question: str
    calls: tuple[Call, ...]
    answer: str  # the template the model plays
    item: str = ""  # the planted item as written in the answer (a template)
    near: str = ""  # the words right before it, to pick its occurrence (a template)
    fixed: str | None = None  # what the model writes when asked to rewrite
    caught_today: bool = True  # marked by the claim-level verifier (else a strict xfail)
    note: str = ""
    evidence: tuple[str, ...] = field(default_factory=tuple)  # must appear in the tool results


_PLACEHOLDER = re.compile(r"\{(\w+)([.@])([^{}]+?)([#=~]?)\}")
_FIGURE_LINE = re.compile(r"^\[(\d+)\] (.*?) (\w+) = (.+?) \(\d{4}-\d{2}-\d{2}\.\.", re.M)
_PASSAGE = re.compile(r"<<<DATA \[(\d+)\](.*?)DATA>>>", re.S)


class Unresolved(LookupError):
    """A template names a figure or passage the tools did not return."""


def render(template: str, results: dict[str, str]) -> str:
    """Fill a case template from the tool results (call id -> the text the tool returned)."""

    def fill(m: re.Match[str]) -> str:
        call, how, what, form = m.groups()
        text = results.get(call)
        if text is None:
            raise Unresolved(f"no result for call {call!r}")
        if how == "@":
            for block in _PASSAGE.finditer(text):
                if what in block.group(2):
                    return block.group(1) if form == "#" else f"[{block.group(1)}]"
            raise Unresolved(f"no passage from {call!r} contains {what!r}")
        metric, _, pick = what.partition("/")
        for line in _FIGURE_LINE.finditer(text):
            n, name, found, shown = line.groups()
            if found != metric or (pick and pick not in name):
                continue
            if form == "#":
                return n
            if form == "=":
                return shown
            if form == "~":
                return shown.lstrip("+-−")
            return f"[{n}]"
        raise Unresolved(f"no {what!r} figure from {call!r}")

    return _PLACEHOLDER.sub(fill, template)


@dataclass
class HostileModel:
    """The stub's `decide`: tool calls first, then the case's answer over what they returned."""

    case: Case
    answers: list[str] = field(default_factory=list)  # what it wrote, in order
    rewrite_requests: list[str] = field(default_factory=list)  # the findings it was sent
    results: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def __call__(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        tools = [m for m in messages if m.get("role") == "tool"]
        if not tools:
            return {
                "tool_calls": [
                    {"id": c.name, "name": c.tool, "arguments": c.args} for c in self.case.calls
                ]
            }
        self.results = {str(m.get("tool_call_id")): str(m.get("content") or "") for m in tools}
        last_user = next(
            (str(m.get("content") or "") for m in reversed(messages) if m.get("role") == "user"),
            "",
        )
        template = self.case.answer
        if last_user.startswith(REWRITE_CUE):
            self.rewrite_requests.append(last_user)
            if self.case.fixed is not None:
                template = self.case.fixed
        try:
            text = render(template, self.results)
        except Unresolved as exc:  # the test fails on this, with the reason
            self.errors.append(str(exc))
            text = f"Unresolved template: {exc}"
        self.answers.append(text)
        return {"content": text}

    def planted(self) -> tuple[str, str]:
        """The planted item and the words before it, filled from this run's tool results."""
        return render(self.case.near, self.results), render(self.case.item, self.results)


def strip_marks(text: str, fold: bool = False) -> tuple[str, list[int]]:
    """The text without the verifier's marks, and where each mark stood in that text; with
    `fold`, each stretch between marks NFKC-folded (fullwidth digits, "…")."""
    out: list[str] = []
    where: list[int] = []
    last = 0
    size = 0
    for m in MARK.finditer(text):
        piece = text[last : m.start()]
        piece = unicodedata.normalize("NFKC", piece) if fold else piece
        out.append(piece)
        size += len(piece)
        where.append(size)
        last = m.end()
    tail = text[last:]
    out.append(unicodedata.normalize("NFKC", tail) if fold else tail)
    return "".join(out), where


def verdict(shown: str, near: str, item: str) -> str:
    """'marked', 'removed' or 'missed': how the planted item reached the user in `shown`.

    'removed' means the item is not there even after folding both texts (NFKC), so a text that
    only rewrote fullwidth digits or an ellipsis does not pass for a removal."""
    for fold in (False, True):
        clean, marks = strip_marks(shown, fold)
        target = unicodedata.normalize("NFKC", near + item) if fold else near + item
        at = clean.find(target)
        if at < 0:
            continue
        head = unicodedata.normalize("NFKC", near) if fold else near
        start = at + len(head)
        end = at + len(target)
        return "marked" if any(start <= p <= end for p in marks) else "missed"
    return "removed"


def marks_in(text: str) -> int:
    """How many marks the user sees in `text`."""
    return len(MARK.findall(text))


@dataclass(frozen=True)
class Outcome:
    """One case's result, for the table."""

    case: str
    kind: str
    lang: str
    verdict: str  # marked / removed / missed; for a control: "clean" or "N marked"
    numbers: int = 0  # a control's numbers checked
    marked: int = 0  # a control's numbers marked (false alarms)
    banner: bool = False  # the answer came with the warning banner (main item not answered)


RESULTS: list[Outcome] = []


def table(results: list[Outcome]) -> str:
    """Class | language | planted | caught, a total line, and the controls' false-alarm rate."""
    rows: dict[tuple[str, str], list[int]] = {}
    controls = [r for r in results if r.kind == "control"]
    for r in results:
        if r.kind == "control":
            continue
        row = rows.setdefault((r.kind, r.lang), [0, 0, 0])
        row[0] += 1
        row[1] += r.verdict in ("marked", "removed")
        row[2] += r.banner
    head = f"{'class':<22} {'lang':<4} {'planted':>7} {'caught':>6} {'banner':>6}"
    lines = [head]
    for (kind, lang), (planted, caught, warned) in sorted(rows.items()):
        lines.append(f"{kind:<22} {lang:<4} {planted:>7} {caught:>6} {warned:>6}")
    planted, caught, warned = (sum(row[i] for row in rows.values()) for i in range(3))
    lines.append(f"{'total':<22} {'':<4} {planted:>7} {caught:>6} {warned:>6}")
    lines.append(
        "(caught: the item marked or removed in the text; banner: the answer was shown "
        "with the warning that the main asked item has no verified figure)"
    )
    planted_results = [r for r in results if r.kind != "control"]
    lines.append(
        "verdicts: "
        + ", ".join(
            f"{v} {sum(r.verdict == v for r in planted_results)}"
            for v in ("marked", "removed", "missed")
        )
    )
    missed = sorted(r.case for r in planted_results if r.verdict == "missed")
    if missed:
        lines.append("missed: " + ", ".join(missed))
    if controls:
        numbers = sum(r.numbers for r in controls)
        marked = sum(r.marked for r in controls)
        warned = sum(r.banner for r in controls)
        lines.append(
            f"controls: {len(controls)} correct answers, {numbers} numbers, {marked} marked "
            f"(false-alarm rate {marked / numbers if numbers else 0:.1%}), {warned} banners"
        )
    return "\n".join(lines)


@dataclass
class Turn:
    """One LLM-mode turn against the hostile model: the answer, the model, the stub, the events."""

    answer: ChatAnswer
    model: HostileModel
    state: StubState
    events: list[Event]


def llm_settings(monkeypatch: pytest.MonkeyPatch, base_url: str) -> Settings:
    """Settings for LLM mode against the stub at `base_url`."""
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "openai:stub-model")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-hostile-000000")
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    get_settings.cache_clear()
    return get_settings()
