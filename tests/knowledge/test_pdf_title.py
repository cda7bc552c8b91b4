"""A PDF without a real title in its metadata takes its first line as the title."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from knowledge.loaders import load_file
from tests.knowledge.conftest import text_pdf


def _two_lines(title: str, body: str, meta_title: str | None) -> bytes:
    from pypdf import PdfReader, PdfWriter

    raw = text_pdf(title)
    # a second line under the first, written into the same content stream
    raw = raw.replace(f"({title}) Tj ET".encode(), f"({title}) Tj 0 -20 Td ({body}) Tj ET".encode())
    raw = raw.replace(
        b"/Length %d" % len(f"BT /F1 12 Tf 72 720 Td ({title}) Tj ET"),
        b"/Length %d" % len(f"BT /F1 12 Tf 72 720 Td ({title}) Tj 0 -20 Td ({body}) Tj ET"),
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    if meta_title is not None:
        writer.add_metadata({"/Title": meta_title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("meta_title", [None, "untitled", "Microsoft Word - draft.docx"])
def test_a_pdf_without_a_real_title_takes_its_first_line(
    tmp_path: Path, meta_title: str | None
) -> None:
    path = tmp_path / "report-3.pdf"
    path.write_bytes(_two_lines("Small caps in January", "The index rose.", meta_title))
    (doc,) = load_file(path, 10**6)
    assert doc.title == "Small caps in January"


def test_a_real_metadata_title_wins(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(_two_lines("Page heading", "Body.", "Quarterly review"))
    (doc,) = load_file(path, 10**6)
    assert doc.title == "Quarterly review"
