"""The evidence of one turn: figures and passages, each with its citation number `[n]`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.grounding.guard import sanitize_output, strip_instructions
from knowledge.passage import Passage
from tools.figure import Figure


@dataclass(frozen=True)
class Citation:
    """One numbered piece of evidence."""

    n: int
    kind: Literal["figure", "passage"]
    figure: Figure | None = None
    passage: Passage | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `footnote ask --json`'s `citations`."""
        if self.figure is not None:
            return {"n": self.n, "kind": "figure", **self.figure.to_json()}
        assert self.passage is not None
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

    @property
    def label(self) -> str:
        """A one-line description for receipts and citation lists."""
        if self.figure is not None:
            f = self.figure
            return f"{f.symbol} {f.metric}: {f.display()} — {f.formula}"
        assert self.passage is not None
        p = self.passage
        if p.source is not None:
            who = ", ".join(x for x in (p.source.person, p.source.publisher) if x)
            return f"{who}: {p.source.title or ''}" if who else (p.source.title or p.title)
        return f"{p.title} — {p.section}"


@dataclass
class Ledger:
    """Numbered evidence; adding the same figure or passage twice returns its first number."""

    entries: list[Citation] = field(default_factory=list)
    _keys: dict[str, int] = field(default_factory=dict, repr=False)

    def add_figure(self, figure: Figure) -> int:
        """Number `figure` (once) and return its citation number."""
        key = "f:" + json.dumps(figure.to_json(), sort_keys=True, default=str)
        return self._add(key, Citation(len(self.entries) + 1, "figure", figure=figure))

    def add_passage(self, passage: Passage) -> int:
        """Number `passage` (once) and return its citation number.

        The ledger keeps the passage as the reader and the model may see it: instruction-like
        sentences, invisible characters and outside links removed.
        """
        body, _ = strip_instructions(passage.text)
        passage = passage.model_copy(update={"text": sanitize_output(body)})
        return self._add(
            f"p:{passage.chunk_id}", Citation(len(self.entries) + 1, "passage", passage=passage)
        )

    def _add(self, key: str, citation: Citation) -> int:
        if key in self._keys:
            return self._keys[key]
        self.entries.append(citation)
        self._keys[key] = citation.n
        return citation.n

    def get(self, n: int) -> Citation | None:
        """The citation numbered `n`, or None when there is none."""
        return self.entries[n - 1] if 1 <= n <= len(self.entries) else None

    @property
    def figures(self) -> list[Figure]:
        return [c.figure for c in self.entries if c.figure is not None]

    @property
    def passages(self) -> list[Passage]:
        return [c.passage for c in self.entries if c.passage is not None]

    def __len__(self) -> int:
        return len(self.entries)

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.entries]
