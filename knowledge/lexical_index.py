"""The BM25 index kept on disk beside the vector store, so a new process does not rebuild it.

    lexical/
      current.json        what is current: {"revision", "base", "delta", "base_records",
                          "delta_records"}; replaced atomically, the version stamp
      base-<hex>/         a bm25s index (memory-mapped on load) + ids.npy (its chunk ids, sorted,
                          bytes) + stats.json (records, average length)
      delta-<hex>.jsonl   what changed since the base was built, one JSON line per event:
                          {"add": id, "tokens": [...]}, {"remove": id, "tokens": [...]},
                          then {"revision": r}
                          closing each commit

bm25s has no incremental add, so the index is a base segment plus a delta log. The writer
(holding the store's write lock) appends each commit's added and removed chunks to the log and
then moves `current.json` to the new store revision; readers load the base memory-mapped and
replay the log up to that revision. A removed base record is masked (its tokens, logged with
the removal, are taken off the document frequencies); an added one is scored with the base's
average length and the live document count and frequencies. When the log outgrows `max(REBUILD_MIN, REBUILD_SHARE x base)` records
the writer builds a new base from every visible chunk. A store of at most `SMALL` records
keeps no base at all: its log is the whole index and is indexed in memory exactly as before
(an index of a few thousand records builds in well under a second).

`current.json` absent, or naming another revision than the store's, means missing or stale: the
next writer (or a reader that gets the write lock without waiting) rebuilds it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.lexical import BM25Index

log = logging.getLogger(__name__)

FOLDER = "lexical"
CURRENT = "current.json"
SMALL = 5_000  # records: below this, no base segment (the log is indexed in memory)
REBUILD_MIN = 2_000  # log records before a rebuild is considered
REBUILD_SHARE = 0.25  # ... and the share of the base they must exceed (geometric growth:
# a store filled from empty is re-indexed about 1 / 0.25 = 4 times its size in total)
REBUILD_MAX = 20_000  # ... but never more than this many (the log is replayed at load)

Record = tuple[str, list[str]]


@dataclass(frozen=True)
class Current:
    revision: str
    base: str | None
    delta: str
    base_records: int
    delta_records: int


def _positive(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the `k` best positive scores, best first (a small index is fully sorted,
    as `BM25Index.search` sorts it, so that ties fall the same way)."""
    if len(scores) <= 2 * SMALL:
        order = np.argsort(-scores)
        return order[scores[order] > 0][:k]
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        part = np.argpartition(-scores[positive], k - 1)[:k]
        positive = positive[part]
    return positive[np.argsort(-scores[positive], kind="stable")]


class _Saved:
    """A base's bm25s files read with numpy alone (memory-mapped), scored as bm25s scores them:
    importing bm25s costs a cold search about 0.4 s (it imports scipy), and a search needs only
    the stored per-token scores. `bm25s.BM25.get_scores` on a "lucene" index (what `_write_base`
    writes; the variants that add a non-occurrence term are read by bm25s itself) is, per query
    token the vocabulary knows, `np.add.at(scores, indices[start:end], data[start:end])` over
    that token's column, in query order: done here the same way, so the sums are the same
    float32 sums (`tests/knowledge/test_scale.py` holds the two to exact equality)."""

    # bm25s's file names (`BM25.save` / `BM25.load` defaults)
    FILES = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy")

    def __init__(self, folder: Path, params: dict[str, Any]) -> None:
        self.k1 = float(params["k1"])
        self.b = float(params["b"])
        self.num_docs = int(params["num_docs"])
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.int_dtype = np.dtype(params.get("int_dtype", "int32"))
        self.vocab_dict: dict[str, int] = json.loads(
            (folder / "vocab.index.json").read_text(encoding="utf-8")
        )
        data, indices, indptr = (np.load(folder / name, mmap_mode="r") for name in self.FILES)
        self.scores = {"data": data, "indices": indices, "indptr": indptr}

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        ids = np.asarray(
            [self.vocab_dict[t] for t in tokens if t in self.vocab_dict], self.int_dtype
        )
        if int(ids.max(initial=0)) >= len(indptr) - 1:
            raise ValueError("a query token id is outside the saved index")
        starts, ends = indptr[ids], indptr[ids + 1]
        scores = np.zeros(self.num_docs, dtype=self.dtype)
        for start, end in zip(starts, ends, strict=True):
            np.add.at(scores, indices[start:end], data[start:end])
        return scores


def _load_saved(folder: Path) -> Any:
    """A saved bm25s index: read directly when it is a plain one, else by bm25s."""
    params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
    if params.get("method", "lucene") in ("lucene", "robertson", "atire"):
        return _Saved(folder, params)
    import bm25s

    return bm25s.BM25.load(str(folder), mmap=True, show_progress=False)


class _Base:
    """A saved bm25s index loaded memory-mapped, with its sorted chunk ids."""

    def __init__(self, folder: Path) -> None:
        self.model = _load_saved(folder)
        self.ids = np.load(folder / "ids.npy", mmap_mode="r")
        stats = json.loads((folder / "stats.json").read_text(encoding="utf-8"))
        self.records = int(stats["records"])
        self.average_length = float(stats["average_length"])
        indptr = self.model.scores["indptr"]
        self._indptr = indptr

    def position(self, chunk_id: str) -> int | None:
        key = chunk_id.encode("utf-8")
        at = int(np.searchsorted(self.ids, key))
        return at if at < len(self.ids) and self.ids[at] == key else None

    def positions(self, chunk_ids: Sequence[str]) -> set[int]:
        """The positions of those of `chunk_ids` the base holds (`position`, all at once)."""
        if not chunk_ids or not len(self.ids):
            return set()
        keys = np.asarray([c.encode("utf-8") for c in chunk_ids])
        at = np.searchsorted(self.ids, keys)
        inside = at < len(self.ids)
        found = np.zeros(len(keys), dtype=bool)
        found[inside] = self.ids[at[inside]] == keys[inside]
        return {int(p) for p in at[found]}

    def frequency(self, token: str) -> int:
        token_id = self.model.vocab_dict.get(token)
        if token_id is None or token_id + 1 >= len(self._indptr):
            return 0
        return int(self._indptr[token_id + 1] - self._indptr[token_id])

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return np.zeros(self.records, dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)


class LexicalIndex:
    """BM25 over a base segment and a delta, at one store revision."""

    def __init__(
        self,
        revision: str,
        base: _Base | None,
        added: dict[str, list[str]],
        removed: dict[str, list[str]],
    ) -> None:
        self.revision = revision
        self._base = base
        self._added_ids = list(added)
        self._added = [added[i] for i in self._added_ids]
        self._exact: BM25Index | None = None
        self._mask: np.ndarray | None = None
        if base is None:
            self._exact = BM25Index(self._added_ids, self._added)
            return
        positions: set[int] = set()
        self._gone: Counter[str] = Counter()
        for chunk_id, tokens in removed.items():
            at = base.position(chunk_id)
            if at is not None and at not in positions:
                positions.add(at)
                self._gone.update(set(tokens) or {"\u2205"})
        positions.update(base.positions(self._added_ids))
        if positions:
            self._mask = np.ones(base.records, dtype=np.float32)
            self._mask[np.fromiter(positions, dtype=np.int64)] = 0.0
        self._live_base = base.records - len(positions)
        self._lengths = np.asarray([len(t) for t in self._added], dtype=np.float32)
        self._index_added()

    def _index_added(self) -> None:
        """The added records' postings, built with numpy (a cold search loads a log of up to
        thousands of records): per token, its rows (ascending) and counts, found through
        `_vocab` -> a slice of `_rows` / `_tf`."""
        n = len(self._added)
        vocab: dict[str, int] = {}
        flat = [vocab.setdefault(t, len(vocab)) for tokens in self._added for t in tokens]
        key = np.asarray(flat, dtype=np.int64) * max(n, 1) + np.repeat(
            np.arange(n, dtype=np.int64), self._lengths.astype(np.int64)
        )
        pairs, counts = np.unique(key, return_counts=True)  # by token, then row
        self._vocab = vocab
        self._rows = pairs % max(n, 1)
        self._tf = counts.astype(np.float32)
        self._starts = np.searchsorted(pairs // max(n, 1), np.arange(len(vocab) + 1))

    def _postings(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """The rows of the added records holding `token`, and how often each holds it."""
        at = self._vocab.get(token)
        if at is None:
            return self._rows[:0], self._tf[:0]
        start, end = int(self._starts[at]), int(self._starts[at + 1])
        return self._rows[start:end], self._tf[start:end]

    def __len__(self) -> int:
        if self._base is None:
            return len(self._added_ids)
        return self._live_base + len(self._added_ids)

    def _idf(self, token: str) -> float:
        assert self._base is not None
        n = len(self)
        df = self._base.frequency(token) - self._gone[token] + len(self._postings(token)[0])
        return math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0

    def ceiling(self, query_tokens: Sequence[str]) -> float:
        """The most any record could score (as `BM25Index.ceiling`)."""
        if self._exact is not None:
            return self._exact.ceiling(query_tokens)
        assert self._base is not None
        k1 = float(self._base.model.k1)
        return sum(self._idf(t) for t in query_tokens) * (k1 + 1)

    def _delta_scores(self, tokens: Sequence[str]) -> np.ndarray:
        assert self._base is not None
        out = np.zeros(len(self._added_ids), dtype=np.float32)
        if not self._added_ids:
            return out
        k1, b = float(self._base.model.k1), float(self._base.model.b)
        norm = k1 * ((1 - b) + b * self._lengths / max(self._base.average_length, 1e-9))
        for token in tokens:  # repeated query tokens count again, as in bm25s
            rows, tf = self._postings(token)
            if not len(rows):
                continue
            out[rows] += self._idf(token) * tf / (norm[rows] + tf)
        return out

    def search(
        self,
        query_tokens: Sequence[str],
        k: int,
        accept: Callable[[list[str]], list[bool]] | None = None,
    ) -> list[tuple[str, float]]:
        """The `k` best (id, score) pairs with a positive score; with `accept`, only ids it
        accepts (asked about best first, in widening batches)."""
        if not query_tokens or len(self) == 0:
            return []
        if self._exact is not None and accept is None:
            return self._exact.search(query_tokens, k)
        if self._exact is not None:
            ids = self._exact.ids
            scores = self._exact.scores(query_tokens)
        else:
            assert self._base is not None
            base = self._base.scores(query_tokens)
            if self._mask is not None:
                base = base * self._mask
            scores = np.concatenate([base, self._delta_scores(query_tokens)])
            ids = None
        return self._best(scores, ids, k, accept)

    def _id(self, position: int, ids: list[str] | None) -> str:
        if ids is not None:
            return ids[position]
        assert self._base is not None
        if position < self._base.records:
            return bytes(self._base.ids[position]).decode("utf-8")
        return self._added_ids[position - self._base.records]

    def _best(
        self,
        scores: np.ndarray,
        ids: list[str] | None,
        k: int,
        accept: Callable[[list[str]], list[bool]] | None,
    ) -> list[tuple[str, float]]:
        window = k if accept is None else max(4 * k, 64)
        asked: set[int] = set()
        out: list[tuple[str, float]] = []
        while True:
            top = _positive(scores, window)
            fresh = [int(p) for p in top if int(p) not in asked]
            asked.update(fresh)
            names = [self._id(int(p), ids) for p in fresh]
            keep = accept(names) if accept is not None else [True] * len(names)
            for position, name, ok in zip(fresh, names, keep, strict=True):
                if ok:
                    out.append((name, float(scores[position])))
                    if len(out) == k:
                        return out
            if len(top) < window:
                return out
            window *= 4


class LexicalStore:
    """The files under `folder` (normally `<store>/lexical`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / CURRENT

    # ------------------------------------------------------------------ reading
    def current(self) -> Current | None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return Current(
                str(raw["revision"]),
                raw.get("base") or None,
                str(raw["delta"]),
                int(raw.get("base_records", 0)),
                int(raw.get("delta_records", 0)),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def load(self, revision: str) -> LexicalIndex | None:
        """The index at `revision`, or None when it is missing or at another revision."""
        for _ in range(2):  # a writer may replace the base between reading the stamp and it
            current = self.current()
            if current is None or current.revision != revision:
                return None
            try:
                base = _Base(self.folder / current.base) if current.base else None
                added, removed = self._replay(self.folder / current.delta, revision)
            except (OSError, ValueError, KeyError) as exc:
                log.info("lexical index unreadable (%s); trying again", exc)
                continue
            return LexicalIndex(revision, base, added, removed)
        return None

    @staticmethod
    def _replay(path: Path, revision: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The log's adds and removes up to the line closing `revision` (later lines belong to
        a commit not yet published)."""
        added: dict[str, list[str]] = {}
        removed: dict[str, list[str]] = {}
        pending_add: dict[str, list[str]] = {}
        pending_remove: dict[str, list[str]] = {}
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                event = json.loads(line)
                if "add" in event:
                    pending_add[str(event["add"])] = [str(t) for t in event["tokens"]]
                elif "remove" in event:
                    tokens = [str(t) for t in event.get("tokens") or []]
                    pending_remove[str(event["remove"])] = tokens
                elif "revision" in event:
                    for chunk_id, tokens in pending_remove.items():
                        if added.pop(chunk_id, None) is None:
                            removed.setdefault(chunk_id, tokens)  # a base record
                    added.update(pending_add)
                    pending_add, pending_remove = {}, {}
                    if event["revision"] == revision:
                        return added, removed
        raise ValueError(f"the lexical log has no revision {revision}")

    # ------------------------------------------------------------------ writing (under the lock)
    def _publish(self, current: Current) -> None:
        tmp = self.folder / f"{CURRENT}.{uuid.uuid4().hex}.tmp"
        tmp.write_text(json.dumps(current.__dict__), encoding="utf-8")
        os.replace(tmp, self.path)

    def invalidate(self) -> None:
        """Mark the index stale (a write it cannot follow, e.g. the chunks were reset)."""
        with contextlib.suppress(OSError):
            self.path.unlink()

    def append(
        self, previous: str, revision: str, added: Sequence[Record], removed: Sequence[Record]
    ) -> bool:
        """Log one commit (from store revision `previous` to `revision`); False when the index
        was not at `previous` (missing or stale) and needs a rebuild instead."""
        current = self.current()
        if current is None or current.revision != previous:
            return False
        path = self.folder / current.delta
        with path.open("a", encoding="utf-8") as out:
            for chunk_id, tokens in removed:
                out.write(
                    json.dumps({"remove": chunk_id, "tokens": list(tokens)}, ensure_ascii=False)
                )
                out.write("\n")
            for chunk_id, tokens in added:
                out.write(json.dumps({"add": chunk_id, "tokens": list(tokens)}, ensure_ascii=False))
                out.write("\n")
            out.write(json.dumps({"revision": revision}) + "\n")
            out.flush()
            os.fsync(out.fileno())
        self._publish(
            Current(
                revision,
                current.base,
                current.delta,
                current.base_records,
                current.delta_records + len(added) + len(removed),
            )
        )
        return True

    def due(self) -> bool:
        """Whether the log has outgrown the base (time to rebuild)."""
        current = self.current()
        if current is None:
            return True
        if current.base is None:
            return current.delta_records > SMALL
        limit = min(REBUILD_MAX, max(REBUILD_MIN, REBUILD_SHARE * current.base_records))
        return current.delta_records > limit

    def rebuild(self, revision: str, records: Iterable[Record]) -> Current:
        """A new index at `revision` from every visible record (streamed, ids converted to
        integers page by page); the old files are removed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        previous = self.current()
        vocab: dict[str, int] = {}
        rows: list[tuple[str, np.ndarray]] = []
        for chunk_id, tokens in records:
            doc = [t for t in tokens if t] or ["\u2205"]
            numbers = [vocab.setdefault(t, len(vocab)) for t in doc]
            rows.append((chunk_id, np.asarray(numbers, dtype=np.int32)))
        tag = uuid.uuid4().hex[:12]
        delta = f"delta-{tag}.jsonl"
        base_name: str | None = None
        if len(rows) > SMALL:
            base_name = f"base-{tag}"
            self._write_base(self.folder / base_name, rows, vocab)
            with (self.folder / delta).open("w", encoding="utf-8") as out:
                out.write(json.dumps({"revision": revision}) + "\n")
                out.flush()
                os.fsync(out.fileno())
        else:
            words = {i: t for t, i in vocab.items()}
            with (self.folder / delta).open("w", encoding="utf-8") as out:
                for chunk_id, numbers_ in rows:  # the store's order: ties fall as before
                    tokens = [words[int(i)] for i in numbers_]
                    if tokens == ["\u2205"]:
                        tokens = []
                    out.write(json.dumps({"add": chunk_id, "tokens": tokens}, ensure_ascii=False))
                    out.write("\n")
                out.write(json.dumps({"revision": revision}) + "\n")
                out.flush()
                os.fsync(out.fileno())
        current = Current(
            revision,
            base_name,
            delta,
            len(rows) if base_name else 0,
            0 if base_name else len(rows),
        )
        self._publish(current)
        if previous is not None:  # readers that mapped the old base keep their open files
            if previous.base and previous.base != base_name:
                shutil.rmtree(self.folder / previous.base, ignore_errors=True)
            if previous.delta != delta:
                with contextlib.suppress(OSError):
                    (self.folder / previous.delta).unlink()
        return current

    @staticmethod
    def _write_base(
        folder: Path, rows: list[tuple[str, np.ndarray]], vocab: dict[str, int]
    ) -> None:
        import bm25s

        rows.sort(key=lambda r: r[0])
        model: Any = bm25s.BM25()
        model.index(([r[1].tolist() for r in rows], vocab), show_progress=False)
        folder.mkdir(parents=True)
        model.save(str(folder), show_progress=False)
        lengths = [len(r[1]) for r in rows]
        ids = np.asarray([r[0].encode("utf-8") for r in rows])
        np.save(folder / "ids.npy", ids)
        stats = {"records": len(rows), "average_length": sum(lengths) / max(len(lengths), 1)}
        (folder / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
