"""Split a text into paragraphs and sentences that keep their character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from knowledge.text import sentence_spans

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A line that starts a Markdown block of its own: a heading, list item, quote, table row, rule.
_BLOCK_START = re.compile(r"\s*(?:#|[-*+]\s|\d{1,3}[.)]\s|>|\||```|---|===)")
_LINE_END = re.compile(r"[.!?。！？:：]\W{0,3}$")
_WRAP_WIDTH = 40  # a line this wide (CJK counted double) that stops mid-sentence was wrapped


def _width(line: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in line)


def join_wrapped(text: str) -> str:
    """Return `text` with hard-wrapped lines joined by a space (same length: offsets stay).

    A newline joins two lines of one paragraph when the first is a wide line that stops
    mid-sentence and the second starts no Markdown block (heading, list, quote, table).
    """
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i == len(lines) - 1:
            break
        following = lines[i + 1]
        wrapped = (
            line.strip()
            and following.strip()
            and _width(line.strip()) >= _WRAP_WIDTH
            and not _LINE_END.search(line.rstrip())
            and not _BLOCK_START.match(line)
            and not line.lstrip().startswith("|")
            and not _BLOCK_START.match(following)
        )
        out.append(" " if wrapped else "\n")
    return "".join(out)


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
    """Return the sentences of `text` in order, each with its offset and paragraph number.

    Hard-wrapped lines are joined first, so a sentence broken over two lines is read whole.
    """
    text = join_wrapped(text)
    return [
        Sentence(paragraph[a:b], offset + a, number)
        for number, (offset, paragraph) in enumerate(_paragraphs(text))
        for a, b in sentence_spans(paragraph)
    ]
