"""Fixtures for knowledge tests: one demo store shared by read-only tests, small files on demand."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from knowledge import Document, Library, Section, SourceEntry


@pytest.fixture(scope="session")
def demo_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The demo corpus embedded once per session; tests must not write to it."""
    library = Library(tmp_path_factory.mktemp("demo-store"))
    assert library.ensure_demo()
    return library


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server from the installed chromadb, on a free loopback port; its
    URL, or a skip that says why it could not start. `FOOTNOTE_TEST_CHROMA_URL` names a server
    already running (CI's team step starts one) to use instead."""
    import os
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    given = os.environ.get("FOOTNOTE_TEST_CHROMA_URL", "").strip().rstrip("/")
    if given:
        yield given
        return
    chroma = Path(sys.executable).with_name("chroma")
    command = str(chroma) if chroma.exists() else shutil.which("chroma")
    if command is None:
        pytest.skip("no `chroma` command beside this Python: the server cannot be started")
    port = _free_port()
    log = tmp_path_factory.mktemp("chroma-server") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [command, "run", "--path", str(log.parent / "data"), "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-300:]
                    pytest.skip(f"`chroma run` did not start on port {port}: {tail!r}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(
    params=[
        pytest.param("embedded"),
        pytest.param("server", marks=pytest.mark.allow_hosts(["127.0.0.1"])),
    ]
)
def library(request: pytest.FixtureRequest, tmp_path: Path) -> Library:
    """An empty store of the test's own: on this disk, and again on a `chroma run` server
    (a database of its own on the session's server)."""
    if request.param == "server":
        url = request.getfixturevalue("chroma_server")
        return Library(
            tmp_path / "store", max_file_mb=1.0, chroma_url=f"{url}/t{uuid.uuid4().hex[:12]}"
        )
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
