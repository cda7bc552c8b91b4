"""The seams: what the assistant needs of the market, the library, the store and a chat model.

The real adapters (`tools.Market`, `knowledge.Library`, `assistant.store.Store`, a LangChain chat
model) and the fakes in `assistant.testing` both meet these Protocols; tests/assistant/
test_ports.py runs each pair through the same cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from pydantic import BaseModel

    from assistant.store import FactcheckStore, ReportStore, ThreadStore
    from knowledge import Document, IngestOutcome, Passage
    from knowledge.documents import DocumentKind
    from tools.figure import Figure
    from tools.prices.base import PriceSource


@runtime_checkable
class Market(Protocol):
    """Computed figures with receipts over one price source."""

    source: PriceSource

    def today(self) -> dt.date: ...

    def last_session(self, symbol: str) -> dt.date | None: ...

    def quote(self, symbol: str, on: dt.date | str | None = None) -> list[Figure]: ...

    def close_on(self, symbol: str, day: dt.date | str) -> Figure: ...

    def period_return(
        self, symbol: str, start: dt.date | str, end: dt.date | str, convention: str = ...
    ) -> Figure: ...

    def change_points(
        self, symbol: str, start: dt.date | str, end: dt.date | str, convention: str = ...
    ) -> Figure: ...

    def volatility(
        self, symbol: str, start: dt.date | str, end: dt.date | str, ddof: int = ...
    ) -> list[Figure]: ...

    def sma(
        self, symbol: str, at: dt.date | str | None = None, window: int = ...
    ) -> list[Figure]: ...

    def range_52w(
        self, symbol: str, at: dt.date | str | None = None, basis: str = ...
    ) -> list[Figure]: ...

    def period_range(
        self, symbol: str, start: dt.date | str, end: dt.date | str, basis: str = ...
    ) -> list[Figure]: ...

    def first_session(
        self, symbol: str, start: dt.date | str, end: dt.date | str
    ) -> dt.date | None: ...

    def sector_returns(
        self, start: dt.date | str, end: dt.date | str, convention: str = ...
    ) -> list[Figure]: ...

    def max_drawdown(self, symbol: str, start: dt.date | str, end: dt.date | str) -> Figure: ...

    def beta(
        self, symbol: str, benchmark: str, start: dt.date | str, end: dt.date | str
    ) -> list[Figure]: ...

    def relative_performance(
        self,
        symbols: Sequence[str],
        start: dt.date | str,
        end: dt.date | str,
        convention: str = ...,
    ) -> list[Figure]: ...

    def sector_performance(self, on: dt.date | str | None = None) -> list[Figure]: ...

    def standard_set(
        self,
        symbol: str,
        start: dt.date | str,
        end: dt.date | str,
        convention: str = ...,
        benchmark: str | None = None,
    ) -> list[Figure]: ...


@runtime_checkable
class Library(Protocol):
    """Stored documents and hybrid search over their chunks."""

    def get(self, doc_id: str) -> Document | None: ...

    def documents(self, kind: DocumentKind | None = None) -> list[Document]: ...

    def search(
        self,
        query: str,
        k: int = ...,
        *,
        doc_id: str | None = None,
        kind: DocumentKind | None = None,
        record: Literal["chunk", "source"] | None = None,
        language: str | None = None,
        ticker: str | None = None,
        tag: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Passage]: ...

    def ingest(
        self,
        paths: Iterable[Path | str],
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> list[IngestOutcome]: ...

    def ensure_demo(self) -> bool: ...

    def count(self) -> tuple[int, int]: ...


@runtime_checkable
class Store(Protocol):
    """Threads, fact-check results, reports and research checkpoints."""

    threads: ThreadStore
    factchecks: FactcheckStore
    reports: ReportStore

    def checkpointer(self) -> BaseCheckpointSaver[str]: ...

    def for_owner(self, owner: str) -> Store:
        """The same database, holding only `owner`'s threads and reports."""
        ...


# LangChain's own abstract chat model is the seam: `ChatOpenAI` (any OpenAI-compatible server)
# and `assistant.testing.ScriptedChatModel` both subclass it, and `create_agent` requires it.
ChatModel: TypeAlias = "BaseChatModel"


class Invocable(Protocol):
    """A runnable step: a prompt in, a message or a parsed object out."""

    def invoke(self, input: str, /) -> object: ...


class StructuredModel(Protocol):
    """A chat model that answers in a pydantic schema (the planner and the fact-checker)."""

    def with_structured_output(self, schema: type[BaseModel], /, **kwargs: Any) -> Invocable: ...
