"""Split a text into paragraphs and sentences that keep their character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from knowledge.text import sentence_spans

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text: where it starts and which paragraph it belongs to."""

    text: str
    start: int
    paragraph: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield position, text[position : match.start()]
        position = match.end()
    yield position, text[position:]


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of `text` in order, each with its offset and paragraph number."""
    return [
        Sentence(paragraph[a:b], offset + a, number)
        for number, (offset, paragraph) in enumerate(_paragraphs(text))
        for a, b in sentence_spans(paragraph)
    ]
