"""The evidence of one turn: figures and passages, each with its citation number `[n]`.

`Ledger` is a pydantic model: `ledger.model_dump(mode="json")` is the one stored form (threads,
research checkpoints, reports) and `Ledger.model_validate` reads it back, numbers and all.
`to_json()` is the flat view `footnote ask --json` prints.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from assistant.grounding.guard import sanitize_output, strip_instructions
from assistant.grounding.labels import metric_label
from knowledge.passage import Passage
from tools.figure import Figure


def shown_text(text: str) -> str:
    """Retrieved text as any surface may show it: sentences that give orders to the reader,
    invisible characters and outside links removed."""
    body, _ = strip_instructions(text)
    return sanitize_output(body)


def shown_passage(passage: Passage) -> Passage:
    """`passage` made safe to show: its text and its source's summary through `shown_text`."""
    text = passage.text
    if passage.source is not None and passage.source.url:
        # a source record's link is its entry's `url` (shown by the same allow-list rule
        # everywhere), not a "[link removed]" placeholder inside its text
        text = "\n".join(line for line in text.splitlines() if line.strip() != passage.source.url)
    update: dict[str, Any] = {"text": shown_text(text)}
    if passage.source is not None and passage.source.summary:
        update["source"] = passage.source.model_copy(
            update={"summary": shown_text(passage.source.summary)}
        )
    return passage.model_copy(update=update)


class FigureCitation(BaseModel):
    """A computed number, cited as `[n]`."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["figure"] = "figure"
    n: int
    figure: Figure

    @property
    def passage(self) -> None:
        return None

    @property
    def label(self) -> str:
        """A one-line description for receipts and citation lists."""
        f = self.figure
        return f"{f.symbol} {metric_label(f.metric)}: {f.display()} — {f.formula}"

    def to_json(self) -> dict[str, Any]:
        """The flat JSON shape of `footnote ask --json`'s `citations`."""
        return {"n": self.n, "kind": "figure", **self.figure.to_json()}


class PassageCitation(BaseModel):
    """A retrieved passage, cited as `[n]`."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["passage"] = "passage"
    n: int
    passage: Passage

    @property
    def figure(self) -> None:
        return None

    @property
    def label(self) -> str:
        """A one-line description for receipts and citation lists."""
        p = self.passage
        if p.source is not None:
            who = ", ".join(x for x in (p.source.person, p.source.publisher) if x)
            return f"{who}: {p.source.title or ''}" if who else (p.source.title or p.title)
        return f"{p.title} — {p.section}"

    def to_json(self) -> dict[str, Any]:
        """The flat JSON shape of `footnote ask --json`'s `citations`."""
        p = self.passage
        source = p.source.model_dump(mode="json") if p.source is not None else None
        return {
            "n": self.n,
            "kind": "passage",
            "chunk_id": p.chunk_id,
            "doc_id": p.doc_id,
            "title": p.title,
            "published": p.published.isoformat() if p.published else None,
            "section": p.section,
            "text": p.text,
            "source": source,
        }


Citation = Annotated[FigureCitation | PassageCitation, Field(discriminator="kind")]


def _figure_key(figure: Figure) -> str:
    return "f:" + json.dumps(figure.to_json(), sort_keys=True, default=str)


def _passage_key(passage: Passage) -> str:
    return f"p:{passage.chunk_id}"


class Ledger(BaseModel):
    """Numbered evidence; adding the same figure or passage twice returns its first number."""

    entries: list[Citation] = Field(default_factory=list)
    _keys: dict[str, int] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        for c in self.entries:
            key = _figure_key(c.figure) if c.kind == "figure" else _passage_key(c.passage)
            self._keys.setdefault(key, c.n)

    def add_figure(self, figure: Figure) -> int:
        """Number `figure` (once) and return its citation number."""
        key = _figure_key(figure)
        if key not in self._keys:
            self._append(key, FigureCitation(n=len(self.entries) + 1, figure=figure))
        return self._keys[key]

    def add_passage(self, passage: Passage) -> int:
        """Number `passage` (once) and return its citation number.

        The ledger keeps the passage as the reader and the model may see it: instruction-like
        sentences, invisible characters and outside links removed.
        """
        key = _passage_key(passage)
        if key not in self._keys:
            clean = shown_passage(passage)
            self._append(key, PassageCitation(n=len(self.entries) + 1, passage=clean))
        return self._keys[key]

    def add(self, citation: FigureCitation | PassageCitation) -> int:
        """Number the evidence of a citation from another ledger; return its number here."""
        if citation.kind == "figure":
            return self.add_figure(citation.figure)
        return self.add_passage(citation.passage)

    def _append(self, key: str, citation: FigureCitation | PassageCitation) -> None:
        self.entries.append(citation)
        self._keys[key] = citation.n

    def get(self, n: int) -> FigureCitation | PassageCitation | None:
        """The citation numbered `n`, or None when there is none."""
        return self.entries[n - 1] if 1 <= n <= len(self.entries) else None

    @property
    def figures(self) -> list[Figure]:
        return [c.figure for c in self.entries if c.kind == "figure"]

    @property
    def passages(self) -> list[Passage]:
        return [c.passage for c in self.entries if c.kind == "passage"]

    def __len__(self) -> int:
        return len(self.entries)

    def to_json(self) -> list[dict[str, Any]]:
        """The flat view of every citation (`footnote ask --json`)."""
        return [c.to_json() for c in self.entries]
