"""Hostile inputs: each one is refused with a message naming its setting, bounded in time and
memory (measured in a fresh process and recorded in bench-results/reliability.jsonl), and never
stops the rest of a batch."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge import Library
from knowledge.loaders import Limits, LoadError, load_file

Measure = Callable[..., dict[str, object]]

BILLION_LAUGHS = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
# Title

Body text.
"""

LOAD = (
    "from pathlib import Path\n"
    "from knowledge.loaders import load_file, LoadError\n"
    "try:\n"
    "    load_file(Path(PATH), 10**9)\n"
    "    result['outcome'] = 'loaded'\n"
    "except LoadError as exc:\n"
    "    result['outcome'] = str(exc)\n"
)


def run_load(measure: Measure, case: str, path: Path) -> dict[str, object]:
    return measure(case, f"PATH = {str(path)!r}\n" + LOAD, timeout=120)


def pdf_with_pages(streams: list[bytes], flate: bool) -> bytes:
    """A PDF whose pages carry these content streams (compressed when `flate`)."""
    n = len(streams)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
    ]
    for i, stream in enumerate(streams):
        body = zlib.compress(stream, 9) if flate else stream
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {3 + 2 * n} 0 R >> >> >>".encode()
        )
        filt = b" /Filter /FlateDecode" if flate else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(body), filt) + body + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_billion_laughs_front_matter_is_refused_fast(tmp_path: Path, measure: Measure) -> None:
    path = tmp_path / "laughs.md"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    result = run_load(measure, "YAML billion laughs", path)
    assert "YAML aliases" in str(result["outcome"])
    assert "FOOTNOTE_MAX_YAML_ALIASES" in str(result["outcome"])
    assert float(result["seconds"]) < 10  # type: ignore[arg-type]
    assert float(result["peak_rss_mb"]) < 400  # type: ignore[arg-type]


def test_a_few_aliases_are_still_fine(tmp_path: Path) -> None:
    path = tmp_path / "ok.md"
    path.write_text("---\ntickers: &t [SPY]\ntags: *t\n---\n# T\n\nBody.\n", encoding="utf-8")
    (doc,) = load_file(path, 10**6)
    assert doc.tickers == ["SPY"] and doc.tags == ["SPY"]


@pytest.mark.parametrize(
    ("front", "kind"), [("- a\n- b", "list"), ("just words", "str"), ("42", "int")]
)
def test_front_matter_that_is_not_a_mapping_says_so(tmp_path: Path, front: str, kind: str) -> None:
    path = tmp_path / "list.md"
    path.write_text(f"---\n{front}\n---\n# T\n\nBody.\n", encoding="utf-8")
    with pytest.raises(LoadError, match=f"must be a YAML mapping.*not a {kind}"):
        load_file(path, 10**6)


def test_deep_json_fails_alone_and_the_batch_goes_on(
    tmp_path: Path, store: Library, measure: Measure
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (folder / "b-wide.json").write_text(
        '{"text": "x", "meta": ' + '{"k": ' * 80 + "1" + "}" * 80 + "}", encoding="utf-8"
    )
    (folder / "c-good.md").write_text("# Good\n\nSmall caps rallied.\n", encoding="utf-8")
    result = run_load(measure, "JSON nested 100k deep", folder / "a-deep.json")
    assert "nested deeper than 64 levels" in str(result["outcome"])
    outcomes = {Path(o.path).name: o for o in store.ingest([folder])}
    assert outcomes["a-deep.json"].status == "failed"
    assert "FOOTNOTE_MAX_JSON_DEPTH" in outcomes["b-wide.json"].message
    assert outcomes["c-good.md"].status == "added"


def test_an_unexpected_loader_crash_fails_one_file_not_the_batch(
    tmp_path: Path, store: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import knowledge.loaders as loaders

    real = loaders._LOADERS[".md"]

    def flaky(path: Path, data: bytes, limits: Limits) -> object:
        if path.name.startswith("bad"):
            raise RuntimeError("loader bug")
        return real(path, data, limits)

    monkeypatch.setitem(loaders._LOADERS, ".md", flaky)
    for name in ("a.md", "bad.md", "c.md"):
        (tmp_path / name).write_text(f"# {name}\n\nText of {name}.\n", encoding="utf-8")
    statuses = [o.status for o in store.ingest([tmp_path / n for n in ("a.md", "bad.md", "c.md")])]
    assert statuses == ["added", "failed", "added"]


def test_pdf_decompression_bomb_is_refused(tmp_path: Path, measure: Measure) -> None:
    # Three pages of 60 MB content each, about 180 KB on disk: over the 100 MB default.
    page = b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n" + b" " * 60_000_000
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with_pages([page, page, page], flate=True))
    assert path.stat().st_size < 1_000_000
    result = run_load(measure, "PDF bomb (180 KB -> 180 MB)", path)
    assert "FOOTNOTE_MAX_PDF_MB" in str(result["outcome"])
    assert float(result["seconds"]) < 30  # type: ignore[arg-type]
    assert float(result["peak_rss_mb"]) < 800  # type: ignore[arg-type]


def test_pdf_page_limit(tmp_path: Path) -> None:
    page = b"BT /F1 12 Tf 72 720 Td (page) Tj ET"
    path = tmp_path / "many.pdf"
    path.write_bytes(pdf_with_pages([page] * 6, flate=False))
    with pytest.raises(
        LoadError, match=r"6 pages, over the 5 page limit \(FOOTNOTE_MAX_PDF_PAGES\)"
    ):
        load_file(path, 10**6, Limits(pdf_pages=5))
    assert len(load_file(path, 10**6, Limits(pdf_pages=6))[0].sections) == 6


def test_huge_markdown_under_the_size_cap_is_refused_by_characters(
    tmp_path: Path, measure: Measure
) -> None:
    path = tmp_path / "huge.md"
    line = "Small caps rallied while bond yields eased and the dollar slipped.\n"
    path.write_text("# Huge\n\n" + line * (19_500_000 // len(line)), encoding="utf-8")
    assert 19_000_000 < path.stat().st_size < 20_000_000
    result = run_load(measure, "19.5 MB Markdown", path)
    assert "FOOTNOTE_MAX_DOC_CHARS" in str(result["outcome"])
    assert float(result["seconds"]) < 10  # type: ignore[arg-type]


def test_sparse_2gb_csv_is_refused_before_reading(tmp_path: Path, measure: Measure) -> None:
    path = tmp_path / "SPY.csv"
    with path.open("wb") as out:
        out.write(b"Date,Open,High,Low,Close,Volume\n2026-01-02,1,1,1,1,1\n")
        out.truncate(2_000_000_000)
    code = (
        f"from pathlib import Path\nfrom tools.prices.csv_import import read_price_csv, CsvError\n"
        f"try:\n    read_price_csv(Path({str(path)!r}))\n    result['outcome'] = 'read'\n"
        f"except CsvError as exc:\n    result['outcome'] = exc.message\n"
    )
    result = measure("2 GB sparse CSV", code)
    assert "FOOTNOTE_MAX_CSV_MB" in str(result["outcome"])
    assert float(result["seconds"]) < 10  # type: ignore[arg-type]
    assert float(result["peak_rss_mb"]) < 400  # type: ignore[arg-type]


def test_csv_row_limit(tmp_path: Path) -> None:
    from tools.prices.csv_import import CsvError, read_price_csv

    path = tmp_path / "SPY.csv"
    rows = "".join(f"2025-01-{d:02d},1,1,1,1,1\n" for d in range(2, 9))
    path.write_text("Date,Open,High,Low,Close,Volume\n" + rows, encoding="utf-8")
    with pytest.raises(CsvError, match="more than 5 rows"):
        read_price_csv(path, max_rows=5)


def test_a_document_that_embeds_too_long_fails_alone(
    tmp_path: Path, hashed_embeddings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import knowledge.embeddings as embeddings
    from tests.reliability.worker import hashed

    calls: list[int] = []

    def slow(texts: list[str]) -> object:
        calls.append(len(texts))
        time.sleep(0.6)
        return hashed(texts)

    monkeypatch.setattr(embeddings, "embed_passages", slow)
    library = Library(tmp_path / "store", limits=Limits(seconds=0.5))
    long = tmp_path / "long.md"
    long.write_text("# Long\n\n" + "Small caps rallied again today. " * 6000, encoding="utf-8")
    short = tmp_path / "short.md"
    short.write_text("# Short\n\nSmall caps rallied.\n", encoding="utf-8")
    outcomes = library.ingest([long, short])
    assert [o.status for o in outcomes] == ["failed", "added"]
    assert "FOOTNOTE_MAX_DOC_SECONDS" in outcomes[0].message
    # The long one has hundreds of records; embedding stopped after the first slice.
    assert calls[0] == 64 and len(calls) <= 3
    assert [d.id for d in library.documents()] == [outcomes[1].doc_ids[0]]
