"""Each kind of file, and each bad input, gets a document or a clear per-file message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from knowledge import Library
from knowledge.loaders import LoadError, load_file
from tests.knowledge.conftest import encrypted_pdf, text_pdf

MD = """---
id: note-1
kind: analysis
title: A note
published: 2026-01-26
language: en
tickers: ["^RUT"]
sources:
  - n: 1
    publisher: Example Wire
    person: Ann Analyst
    url: https://example.org/a
---

# Ignored H1 because the title is set

## First

Small caps rallied [1].

## Second

Large caps lagged.
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_markdown_front_matter_and_sections(tmp_path: Path) -> None:
    (doc,) = load_file(write(tmp_path, "n.md", MD), 10**6)
    assert doc.id == "note-1" and doc.title == "A note" and doc.tickers == ["^RUT"]
    assert [s.heading for s in doc.sections] == ["First", "Second"]
    assert doc.source(1) is not None and doc.source(1).person == "Ann Analyst"  # type: ignore[union-attr]


def test_front_matter_unknown_field_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", "---\ntitle: x\nauthor_mood: happy\n---\n\nText.\n")
    with pytest.raises(LoadError, match="author_mood"):
        load_file(path, 10**6)


def test_text_html_pdf_json_jsonl(tmp_path: Path) -> None:
    (txt,) = load_file(write(tmp_path, "a.txt", "The title line\n\nBody text here."), 10**6)
    assert txt.title == "The title line" and "Body text" in txt.sections[0].text
    html = (
        "<html><head><title>Rally page</title></head><body><nav>Home | Markets | Login</nav>"
        "<article><h1>Rally page</h1><p>Small caps rose sharply in January as investors rotated "
        "out of large technology names and into domestic companies with cheaper valuations.</p>"
        "<p>Analysts disagree on whether the move can last beyond the seasonal window.</p>"
        "</article><footer>Copyright</footer></body></html>"
    )
    (page,) = load_file(write(tmp_path, "p.html", html), 10**6)
    body = " ".join(s.text for s in page.sections)
    assert "Small caps rose sharply" in body and "Copyright" not in body
    (pdf,) = load_file(write(tmp_path, "r.pdf", text_pdf("Small caps rallied in January.")), 10**6)
    assert pdf.sections[0].heading == "page 1" and "rallied" in pdf.sections[0].text
    records = [
        {"id": "j1", "title": "One", "text": "First record."},
        {"title": "Two", "text": "Second."},
    ]
    docs = load_file(write(tmp_path, "r.json", json.dumps(records)), 10**6)
    assert [d.title for d in docs] == ["One", "Two"] and docs[0].id == "j1"
    lines = "\n".join(json.dumps(r) for r in records)
    assert len(load_file(write(tmp_path, "r.jsonl", lines), 10**6)) == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.txt", "x" * 2000, "file too big"),
        ("blob.txt", b"\x00\x01\x02binary", "binary file"),
        ("latin.md", b"\xff\xfe\xfa\xfb" * 10 + b"\x81", "binary or unknown encoding"),
        ("empty.md", b"", "empty file"),
        ("only-chrome.md", "#tag1 #tag2\n解锁更多功能\n", "empty document"),
        ("locked.pdf", None, "encrypted PDF"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("bad.json", "{not json", "invalid JSON"),
        ("bad.jsonl", '{"title": "ok", "text": "fine"}\n{oops', "line 2: invalid JSON"),
        ("notext.json", '[{"title": "no text"}]', "no `text`"),
        ("frontmatter.md", "---\ntitle: [unclosed\n---\nbody", "front matter is not valid YAML"),
        ("file.docx", "whatever", "unsupported file type"),
    ],
)
def test_bad_inputs_get_clear_messages(
    tmp_path: Path, name: str, data: bytes | str | None, message: str
) -> None:
    payload = encrypted_pdf() if data is None else data
    path = write(tmp_path, name, payload)
    with pytest.raises(LoadError, match=message):
        load_file(path, 1000)


def test_library_reports_bad_files_per_file_and_keeps_going(
    library: Library, tmp_path: Path
) -> None:
    good = write(tmp_path, "good.md", MD)
    empty = write(tmp_path, "empty.txt", b"")
    outcomes = library.ingest([empty, good, tmp_path / "missing.md"])
    assert [o.status for o in outcomes] == ["failed", "added", "skipped"]
    assert "empty file" in outcomes[0].message and "no such file" in outcomes[2].message


def test_unreadable_file(library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.md", MD)

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    (outcome,) = library.ingest([path])
    assert outcome.status == "failed" and "unreadable file: Permission denied" in outcome.message


def test_nothing_outside_the_given_paths_is_read(library: Library, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside, "private.md", MD.replace("note-1", "private"))
    given = tmp_path / "given"
    given.mkdir()
    write(given, "mine.md", MD.replace("note-1", "mine"))
    os.symlink(outside / "private.md", given / "link.md")
    os.symlink(outside, given / "linked-dir")
    outcomes = library.ingest([given])
    by_name = {Path(o.path).name: o for o in outcomes}
    assert by_name["mine.md"].status == "added"
    assert (
        by_name["link.md"].status == "skipped"
        and "outside the given folder" in by_name["link.md"].message
    )
    assert "private.md" not in by_name  # the linked folder is not walked
    assert library.get("private") is None
    (refused,) = library.ingest([outside / "private.md"], allowed_roots=[given])
    assert refused.status == "skipped" and "outside the allowed folders" in refused.message
    assert library.get("private") is None
