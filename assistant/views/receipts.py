"""Receipts for an answer's citations, read from the answer's JSON (live or reloaded alike)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from assistant.grounding.guard import host_allowed
from assistant.grounding.labels import (
    convention_label,
    formula_label,
    metric_label,
    provider_label,
)

if TYPE_CHECKING:
    from tools.figure import Figure

Field = Literal[
    "value",
    "metric",
    "symbol",
    "window",
    "convention",
    "as_of",
    "provider",
    "fetched_at",
    "formula",
    "label",
    "inputs",
    "adjustments",
    "stale",
    "notes",
    "document",
    "published",
    "section",
    "source",
]


@dataclass(frozen=True)
class Receipt:
    """One citation made readable: a short label, its rows, and a quote or link when it has them."""

    n: int
    kind: Literal["figure", "passage"]
    label: str
    rows: list[tuple[Field, str]] = field(default_factory=list)
    quote: str = ""
    url: str | None = None
    host: str = ""
    stale: bool = False
    caveats: list[str] = field(default_factory=list)  # shown as warnings, never folded away


def input_prices(inputs: Mapping[str, float], limit: int | None = None) -> str:
    """Write a figure's input prices as "Close[2025-11-28] = 2,500.43; ...".

    With a `limit`, a longer list shows its first and last prices and how many there are.
    """
    shown = [f"{k} = {v:,.2f}" for k, v in inputs.items()]
    if limit is not None and len(shown) > max(limit, 3):
        shown = [*shown[: limit - 1], f"… ({len(shown)} prices)", shown[-1]]
    return "; ".join(shown)


def figure_from(entry: Mapping[str, Any]) -> Figure:
    """Rebuild a Figure from its JSON (a citation entry's extra keys are ignored)."""
    from tools.figure import Figure

    return Figure.model_validate({k: v for k, v in entry.items() if k in Figure.model_fields})


def caveats(answer: Mapping[str, Any]) -> list[tuple[int, str]]:
    """Return (citation number, caveat) for every cited figure that carries one."""
    found: list[tuple[int, str]] = []
    for entry in answer.get("citations") or []:
        if entry.get("kind") == "figure":
            found.extend((int(entry["n"]), str(c)) for c in entry.get("caveats") or [])
    return found


def figures_csv(answer: Mapping[str, Any]) -> str:
    """Return an answer's figures (the shape of `Answer.to_json`) as CSV text."""
    from tools.figure import figures_to_csv

    return figures_to_csv(_answer_figures(answer))


def _answer_figures(answer: Mapping[str, Any]) -> Iterable[Figure]:
    stored = answer.get("figures")
    if stored is None:  # an older answer: its figure citations hold the same data
        stored = [c for c in answer.get("citations") or [] if c.get("kind") == "figure"]
    return [figure_from(f) for f in stored]


def receipts(answer: dict[str, Any], lang: str = "en") -> list[Receipt]:
    """Return one receipt per entry of `answer["citations"]` (the shape of `Answer.to_json`)."""
    return [receipt(entry, lang) for entry in answer.get("citations") or []]


def receipt(entry: dict[str, Any], lang: str = "en") -> Receipt:
    """Return the receipt of one citation entry."""
    if entry.get("kind") == "figure":
        return _figure_receipt(entry, lang)
    return _passage_receipt(entry)


def _figure_receipt(entry: dict[str, Any], lang: str) -> Receipt:
    figure = figure_from(entry)
    shown = figure.display(lang)
    window = ""
    if figure.start and figure.end:
        window = f"{figure.start.isoformat()} → {figure.end.isoformat()}"
    elif figure.end:
        window = figure.end.isoformat()
    notes = [str(n) for n in figure.params.get("notes", [])]
    for key in ("calendar_note", "base_note"):
        if figure.params.get(key):
            notes.append(str(figure.params[key]))
    rows: list[tuple[Field, str]] = [
        ("value", shown),
        ("metric", metric_label(figure.metric, lang)),
        ("symbol", figure.symbol),
        ("window", window),
        ("convention", convention_label(figure.convention, lang) if figure.convention else ""),
        ("as_of", figure.as_of.isoformat() if figure.as_of else ""),
        ("provider", provider_label(figure.provider, lang) if figure.provider else ""),
        (
            "fetched_at",
            figure.fetched_at.isoformat(timespec="minutes") if figure.fetched_at else "",
        ),
        ("formula", formula_label(figure.formula, lang)),
        ("label", figure.label or ""),
        ("inputs", formula_label(input_prices(figure.inputs), lang)),
        ("adjustments", "; ".join(figure.adjustments)),
        ("notes", "; ".join(notes)),
    ]
    return Receipt(
        n=int(entry["n"]),
        kind="figure",
        label=f"{figure.symbol} {metric_label(figure.metric, lang)} {shown}",
        rows=[(k, v) for k, v in rows if v],
        stale=figure.stale,
        caveats=list(figure.caveats),
    )


def _passage_receipt(entry: dict[str, Any]) -> Receipt:
    from urllib.parse import urlparse

    source = entry.get("source") or {}
    who = ", ".join(str(x) for x in (source.get("person"), source.get("publisher")) if x)
    label = f"{who}: {source.get('title') or entry.get('title', '')}" if who else entry["title"]
    url = source.get("url")
    rows: list[tuple[Field, str]] = [
        ("document", str(entry.get("title") or "")),
        ("published", str(entry.get("published") or "")),
        ("section", str(entry.get("section") or "")),
        ("source", ", ".join(str(x) for x in (who, source.get("title"), source.get("date")) if x)),
    ]
    return Receipt(
        n=int(entry["n"]),
        kind="passage",
        label=label,
        rows=[(k, v) for k, v in rows if v],
        quote=str(entry.get("text") or ""),
        url=url if url and host_allowed(url) else None,
        host=(urlparse(url).hostname or "") if url else "",
    )
