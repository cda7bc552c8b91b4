"""Check a text, a document or a file: extract the claims, then compute each one."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import KnowledgeError
from assistant.factcheck.claims import CheckedClaim, Claim
from assistant.factcheck.extract import extract_claims
from assistant.factcheck.verify import check_claim

if TYPE_CHECKING:
    from assistant.ports import ChatModel, Market
    from knowledge.documents import Document


log = logging.getLogger(__name__)


def find_claims(
    text: str,
    published: dt.date | None = None,
    default_symbol: str | None = None,
    model: ChatModel | None = None,
) -> list[Claim]:
    """Return the claims of a text: the rules' reading, with a chat model's proposals first."""
    claims = extract_claims(text, published, default_symbol)
    if model is None:
        return claims
    from assistant.chat.llm.deadline import Deadline, call_until
    from assistant.chat.llm.models import model_failure
    from assistant.factcheck.propose import merge, propose_claims
    from assistant.settings import get_settings

    # one deadline for the model's proposals, as for an answer: a server that hangs or drips
    # a byte at a time costs that long, then the rules check alone
    deadline = Deadline(get_settings().answer_deadline_s)
    try:
        proposals = call_until(
            lambda cancel: propose_claims(text, model, published, claims), deadline
        )
    except Exception as exc:  # a failing or non-conforming server: the rules still check
        if model_failure(exc) is None and not isinstance(exc, ValueError):
            raise
        log.warning("the chat model's claim proposals failed (%s); rules only", exc)
        return claims
    return merge(claims, proposals)


def check_text(
    text: str,
    market: Market,
    published: dt.date | None = None,
    default_symbol: str | None = None,
    model: ChatModel | None = None,
    sources: dict[int, str] | None = None,
    lang: str | None = None,
) -> list[CheckedClaim]:
    """Return every number of `text` with its verdict from the market data; the notes in
    `lang`, the text's own language when not given."""
    from assistant.factcheck.memo import memoised
    from knowledge.text import detect_language

    claims = find_claims(text, published, default_symbol, model)
    market = memoised(market)
    said = lang or detect_language(text[:4000])  # as the loaders read a document's language
    return [check_claim(claim, market, sources, said) for claim in claims]


def check_document(
    doc: Document, market: Market, model: ChatModel | None = None
) -> list[CheckedClaim]:
    """Return the checked claims of a document's text (spans index `doc.text()`)."""
    from assistant.factcheck.extract import dateline

    sources = {s.n: s.label() for s in doc.sources}
    default = doc.tickers[0] if doc.tickers else None
    text = doc.text()
    published = doc.published or dateline(text)
    return check_text(text, market, published, default, model, sources, doc.language)


class UnreadableFile(KnowledgeError):
    """A file the checker cannot read; the message says why."""


def load_documents(path: Path, max_file_mb: float) -> list[Document]:
    """Read a Markdown, text, HTML, PDF or JSON file into documents (raises `UnreadableFile`)."""
    from knowledge.loaders import LoadError, load_file

    try:
        return load_file(Path(path), int(max_file_mb * 1_000_000))
    except LoadError as exc:
        raise UnreadableFile(f"{Path(path).name}: {exc}") from None


def check_file(
    path: Path, market: Market, max_file_mb: float, model: ChatModel | None = None
) -> list[tuple[Document, list[CheckedClaim]]]:
    """Check every document in a file against the market data."""
    return [(doc, check_document(doc, market, model)) for doc in load_documents(path, max_file_mb)]
