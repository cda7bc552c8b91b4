"""A retrieved piece of text with what a reader needs to follow its citation."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from knowledge.documents import SourceEntry


class Passage(BaseModel):
    """One search hit: a chunk of a document, or one of its source entries."""

    chunk_id: str
    doc_id: str
    title: str
    published: date | None = None
    section: str = ""
    text: str
    language: str = "en"
    score: float = Field(default=0.0, description="Fused relevance; higher is better.")
    kind: Literal["chunk", "source"] = "chunk"
    cited: list[int] = Field(default_factory=list, description="Source numbers the text cites.")
    source: SourceEntry | None = Field(
        default=None,
        description="The cited source, resolved: the entry itself for a source record, "
        "else the first source the chunk cites.",
    )
    item_id: str | None = None

    def as_json(self) -> dict[str, object]:
        """The keys `footnote search --json` prints."""
        return {
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 6),
            "source": self.source.model_dump(mode="json") if self.source else None,
        }
