"""The one file that imports chromadb: a persistent client, two collections, nothing clever.

`footnote_chunks` holds every retrievable record (section chunks and source entries);
`footnote_documents` holds one record per document: its JSON and the generation (content
hash) whose chunks are visible. Writing that one record is the commit point of an ingest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings

from knowledge.embeddings import E5EmbeddingFunction

CHUNKS = "footnote_chunks"
DOCUMENTS = "footnote_documents"

Metadata = dict[str, Any]


class ChromaStore:
    """Chroma `PersistentClient` under one folder, with our embedding function and cosine space."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._client = chromadb.PersistentClient(
            path=str(folder),
            settings=Settings(anonymized_telemetry=False, allow_reset=False),
        )
        function: Any = E5EmbeddingFunction()  # chroma's generic parameter is a union
        self._chunks = self._client.get_or_create_collection(
            CHUNKS, embedding_function=function, configuration={"hnsw": {"space": "cosine"}}
        )
        self._documents = self._client.get_or_create_collection(
            DOCUMENTS, embedding_function=function, configuration={"hnsw": {"space": "cosine"}}
        )
        self._batch = max(1, min(self._client.get_max_batch_size(), 1000))

    # chunks ---------------------------------------------------------------------------------
    def add_chunks(
        self,
        ids: Sequence[str],
        embeddings: np.ndarray,
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            self._chunks.upsert(
                ids=list(ids[start:end]),
                embeddings=embeddings[start:end],
                documents=list(texts[start:end]),
                metadatas=list(metadatas[start:end]),
            )

    def delete_chunks(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), self._batch):
            self._chunks.delete(ids=list(ids[start : start + self._batch]))

    def chunk_ids(self, where: Mapping[str, Any] | None = None) -> list[str]:
        return list(self._chunks.get(where=dict(where) if where else None, include=[])["ids"])

    def get_chunks(
        self, ids: Sequence[str] | None = None, where: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str, Metadata]]:
        result = self._chunks.get(
            ids=list(ids) if ids is not None else None,
            where=dict(where) if where else None,
            include=["documents", "metadatas"],
        )
        docs = result["documents"] or []
        metas = result["metadatas"] or []
        return [(i, d, dict(m)) for i, d, m in zip(result["ids"], docs, metas, strict=True)]

    def get_embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunk ids (absent ids are left out)."""
        if not ids:
            return {}
        result = self._chunks.get(ids=list(ids), include=["embeddings"])
        vectors = result["embeddings"]
        if vectors is None:
            return {}
        return {
            i: np.asarray(v, dtype=np.float32) for i, v in zip(result["ids"], vectors, strict=True)
        }

    def query_chunks(
        self, embedding: np.ndarray, n: int, where: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str, Metadata, float]]:
        count = self._chunks.count()
        if count == 0:
            return []
        result = self._chunks.query(
            query_embeddings=[embedding],
            n_results=min(n, count),
            where=dict(where) if where else None,
            include=["documents", "metadatas", "distances"],
        )
        ids = result["ids"][0]
        docs = (result["documents"] or [[]])[0]
        metas = (result["metadatas"] or [[]])[0]
        dists = (result["distances"] or [[]])[0]
        return [
            (i, d, dict(m), 1.0 - float(dist))
            for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
        ]

    def count_chunks(self) -> int:
        return self._chunks.count()

    # documents (the commit records) ---------------------------------------------------------
    def commit_document(
        self, doc_id: str, payload: str, embedding: np.ndarray, metadata: Metadata
    ) -> None:
        self._documents.upsert(
            ids=[doc_id], embeddings=embedding[None, :], documents=[payload], metadatas=[metadata]
        )

    def delete_document(self, doc_id: str) -> None:
        self._documents.delete(ids=[doc_id])

    def get_documents(
        self, ids: Sequence[str] | None = None, where: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str, Metadata]]:
        result = self._documents.get(
            ids=list(ids) if ids is not None else None,
            where=dict(where) if where else None,
            include=["documents", "metadatas"],
        )
        docs = result["documents"] or []
        metas = result["metadatas"] or []
        return [(i, d, dict(m)) for i, d, m in zip(result["ids"], docs, metas, strict=True)]

    def count_documents(self) -> int:
        return self._documents.count()

    def embedding_function_name(self) -> str | None:
        """The embedding function the chunk collection's saved configuration names."""
        config = self._chunks.configuration_json or {}
        function = config.get("embedding_function") or {}
        name = function.get("name") if isinstance(function, dict) else None
        return str(name) if name else None
