"""Fixtures for knowledge tests: one demo store shared by read-only tests, small files on demand."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge import Document, Library, Section, SourceEntry


@pytest.fixture(scope="session")
def demo_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The demo corpus embedded once per session; tests must not write to it."""
    library = Library(tmp_path_factory.mktemp("demo-store"))
    assert library.ensure_demo()
    return library


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """An empty store of the test's own."""
    return Library(tmp_path / "store", max_file_mb=1.0)


@pytest.fixture
def make_doc() -> Callable[..., Document]:
    def make(
        doc_id: str = "doc-a", text: str = "Small caps rallied in January [1].", **kw: object
    ) -> Document:
        fields: dict[str, object] = {
            "id": doc_id,
            "title": f"Title of {doc_id}",
            "language": "en",
            "sections": [Section(heading="Body", text=text)],
            "sources": [
                SourceEntry(
                    n=1, publisher="Example Wire", person="Ann Analyst", url="https://example.org/a"
                )
            ],
        }
        fields.update(kw)
        return Document.model_validate(fields)

    return make


def text_pdf(text: str) -> bytes:
    """A one-page PDF whose page shows `text` in Helvetica (written by hand, no writer library)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
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


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
