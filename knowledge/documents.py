"""The shapes of what the knowledge store holds: documents, their sections, sources and views."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DocumentKind = Literal["news", "analysis", "source"]
LanguageCode = Literal["zh", "en"]
Stance = Literal["bull", "bear", "neutral"]


class Section(BaseModel):
    """One headed part of a document's body."""

    model_config = ConfigDict(extra="forbid")

    heading: str = Field(default="", description="Section heading; empty for untitled text.")
    text: str = Field(description="The section's body text.")


class SourceEntry(BaseModel):
    """A numbered reference that the text cites as `[n]`."""

    model_config = ConfigDict(extra="forbid")

    n: int = Field(ge=0, description="The number the text uses: `[n]`.")
    publisher: str = Field(description="Who published the source (outlet, firm, data vendor).")
    person: str | None = Field(default=None, description="The person quoted or cited, if any.")
    title: str | None = Field(default=None, description="Title of the article, note or dataset.")
    date: dt.date | None = Field(default=None, description="Publication date of the source.")
    url: str | None = Field(default=None, description="Where a reader can follow the citation.")
    summary: str = Field(default="", description="One line: what this source says.")

    def label(self) -> str:
        """A one-line human citation: publisher, person, title, date."""
        parts = [self.publisher]
        if self.person:
            parts.append(self.person)
        if self.title:
            parts.append(f"“{self.title}”")
        if self.date:
            parts.append(self.date.isoformat())
        return ", ".join(parts)


class View(BaseModel):
    """An expert's view as the document reports it, tied to a source number."""

    model_config = ConfigDict(extra="forbid")

    person: str
    organisation: str | None = None
    stance: Stance = "neutral"
    claim: str = Field(description="What the person argues, in the document's words.")
    figure: str | None = Field(default=None, description="A number the view hinges on, as text.")
    source: int | None = Field(default=None, description="The source number `[n]` it comes from.")


class Document(BaseModel):
    """A text the assistant may quote, with everything a citation needs."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(
        min_length=1, max_length=200, description="Stable id; re-ingesting replaces it."
    )
    kind: DocumentKind = "analysis"
    title: str = Field(min_length=1)
    published: dt.date | None = None
    market: str | None = None
    language: LanguageCode = "en"
    tags: list[str] = Field(default_factory=list)
    tickers: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    sources: list[SourceEntry] = Field(default_factory=list)
    views: list[View] = Field(default_factory=list)
    item_id: str | None = Field(
        default=None, description="Shared by translations of the same item (zh and en as one)."
    )
    summary: str = Field(default="", description="One or two sentences for cards.")
    origin: str | None = Field(default=None, description="File the document was read from.")

    @field_validator("id")
    @classmethod
    def _id_is_plain(cls, value: str) -> str:
        value = value.strip()
        if not value or any(ch in value for ch in "\n\r\t"):
            raise ValueError("document id must be one line of text")
        return value

    @property
    def group_id(self) -> str:
        """The id that groups translations: `item_id`, or the document's own id."""
        return self.item_id or self.id

    def source(self, n: int) -> SourceEntry | None:
        """The source entry numbered `n`, if the document has one."""
        return next((s for s in self.sources if s.n == n), None)

    def text(self) -> str:
        """The body as one string, headings included."""
        return "\n\n".join(f"{s.heading}\n{s.text}" if s.heading else s.text for s in self.sections)

    def content_hash(self) -> str:
        """A fingerprint of everything stored for this document (origin excluded)."""
        payload = self.model_dump(mode="json", exclude={"origin"})
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:16]
