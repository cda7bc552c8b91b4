"""Read files into `Document`s: Markdown with YAML front matter, text, HTML, PDF, JSON, JSONL.

Every failure a user can cause (too big, binary, encrypted, empty, unreadable, malformed) raises
`LoadError` with a message meant for that user; nothing else escapes for a bad file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.documents import Document, Section
from knowledge.text import clean, detect_language, normalise

SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".json", ".jsonl"}
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


class LoadError(Exception):
    """A file that cannot become a document; the message says why, for the user."""


def stable_id(path: Path) -> str:
    """An id for a file without one: its name plus a short hash of its absolute path."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "doc"
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"{slug[:60]}-{digest}"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise LoadError(
            f"file too big: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit "
            "(FOOTNOTE_MAX_FILE_MB)"
        )
    if size == 0:
        raise LoadError("empty file: nothing to ingest")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(f"unreadable file: {exc.strerror or exc}") from None


def _decode_text(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise LoadError("binary file: contains NUL bytes, not text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError("binary or unknown encoding: not UTF-8 (or GB18030) text")


def markdown_sections(body: str) -> tuple[str | None, list[Section]]:
    """Split Markdown at headings; return the first H1 (if any) and the sections."""
    title: str | None = None
    sections: list[Section] = []
    heading = ""
    lines: list[str] = []

    def flush() -> None:
        text = clean("\n".join(lines))
        if text:
            sections.append(Section(heading=heading, text=text))

    for line in body.split("\n"):
        match = _HEADING.match(line)
        if match:
            flush()
            lines = []
            level, text = len(match.group(1)), clean(match.group(2))
            if level == 1 and title is None and not sections:
                title, heading = text, ""
            else:
                heading = text
        else:
            lines.append(line)
    flush()
    return title, sections


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between `---` lines at the very top, and the body after it."""
    if not text.startswith("---"):
        return {}, text
    import frontmatter

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise LoadError(f"front matter is not valid YAML: {exc}") from None
    if not isinstance(post.metadata, dict):
        raise LoadError("front matter must be a YAML mapping")
    return dict(post.metadata), post.content


def _normalised(value: Any) -> Any:
    """Every string inside front matter or a record goes through the same Unicode hygiene."""
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items()}
    return value


def _build(fields: dict[str, Any], path: Path) -> Document:
    fields = _normalised(fields)
    fields.setdefault("id", stable_id(path))
    fields["id"] = str(fields["id"])
    fields["origin"] = str(path)
    try:
        return Document.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'document'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise LoadError(f"invalid document fields: {problems}") from None


def _with_body(fields: dict[str, Any], sections: list[Section], path: Path) -> Document:
    if not sections:
        raise LoadError("empty document: no text after cleaning")
    fields.setdefault("sections", [s.model_dump() for s in sections])
    if "language" not in fields:
        fields["language"] = detect_language(" ".join(s.text for s in sections)[:4000])
    fields.setdefault("title", path.stem)
    return _build(fields, path)


def load_markdown(path: Path, data: bytes) -> list[Document]:
    meta, body = _front_matter(_decode_text(data))
    h1, sections = markdown_sections(body)
    if h1 and "title" not in meta:
        meta["title"] = h1
    return [_with_body(meta, sections, path)]


def load_text(path: Path, data: bytes) -> list[Document]:
    text = clean(_decode_text(data))
    if not text:
        raise LoadError("empty document: no text after cleaning")
    first, _, rest = text.partition("\n")
    title = first.strip()[:200]
    body = rest.strip() or first
    return [_with_body({"title": title}, [Section(heading="", text=body)], path)]


def load_html(path: Path, data: bytes) -> list[Document]:
    import trafilatura

    html = _decode_text(data)
    extracted = trafilatura.extract(
        html, output_format="markdown", include_comments=False, include_tables=True
    )
    if not extracted or not extracted.strip():
        raise LoadError("no readable text found in the HTML page")
    fields: dict[str, Any] = {}
    meta = trafilatura.extract_metadata(html)
    if meta is not None:
        if meta.title:
            fields["title"] = meta.title
        if meta.date:
            with contextlib.suppress(ValueError):
                fields["published"] = dt.date.fromisoformat(meta.date[:10])
    h1, sections = markdown_sections(extracted)
    if h1 and "title" not in fields:
        fields["title"] = h1
    return [_with_body(fields, sections, path)]


def load_pdf(path: Path, data: bytes) -> list[Document]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise LoadError("encrypted PDF: needs a password, skipped")
        sections = []
        for number, page in enumerate(reader.pages, start=1):
            text = clean(page.extract_text() or "")
            if text:
                sections.append(Section(heading=f"page {number}", text=text))
        info = reader.metadata
        title = str(info.title) if info is not None and info.title else None
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise LoadError(f"unreadable PDF: {exc}") from None
    if not sections:
        raise LoadError("no extractable text in the PDF (scanned images need OCR)")
    if title is None or _PLACEHOLDER_TITLE.match(title.strip()):
        title = _first_line_title(sections[0].text)
    fields: dict[str, Any] = {"title": title} if title else {}
    return [_with_body(fields, sections, path)]


# what PDF writers put in the title when the author set none
_PLACEHOLDER_TITLE = re.compile(
    r"(?i)^(?:|untitled(?: document)?|anonymous|document\d*|microsoft word - .*|\(.*\))$"
)


def _first_line_title(text: str) -> str | None:
    """The first line of a page when it reads as a title (short, not a sentence run-on)."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 160 else None
    return None


def _record(raw: Any, path: Path, where: str) -> Document:
    if not isinstance(raw, dict):
        raise LoadError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    fields = dict(raw)
    text = fields.pop("text", None) or fields.pop("body", None) or fields.pop("content", None)
    if "sections" not in fields:
        if not isinstance(text, str) or not clean(text):
            raise LoadError(f"{where}: record has no `text` or `sections`")
        fields["sections"] = [{"heading": "", "text": clean(text)}]
    else:
        fields["sections"] = [
            {"heading": clean(str(s.get("heading", ""))), "text": clean(str(s.get("text", "")))}
            for s in fields["sections"]
            if isinstance(s, dict) and clean(str(s.get("text", "")))
        ]
        if not fields["sections"]:
            raise LoadError(f"{where}: every section is empty")
    if "id" not in fields:
        fields["id"] = f"{stable_id(path)}-{where.replace(' ', '')}"
    try:
        return _with_body(fields, [Section(**s) for s in fields["sections"]], path)
    except LoadError as exc:
        raise LoadError(f"{where}: {exc}") from None


def load_json(path: Path, data: bytes) -> list[Document]:
    try:
        parsed = json.loads(_decode_text(data))
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON: {exc}") from None
    records = parsed if isinstance(parsed, list) else [parsed]
    if not records:
        raise LoadError("empty JSON list: nothing to ingest")
    return [_record(r, path, f"record {i + 1}") for i, r in enumerate(records)]


def load_jsonl(path: Path, data: bytes) -> list[Document]:
    docs = []
    for number, line in enumerate(_decode_text(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LoadError(f"line {number}: invalid JSON: {exc.msg}") from None
        docs.append(_record(raw, path, f"line {number}"))
    if not docs:
        raise LoadError("empty JSONL file: no records")
    return docs


_LOADERS = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".json": load_json,
    ".jsonl": load_jsonl,
}


def load_file(path: Path, max_bytes: int) -> list[Document]:
    """Every document in one file, or `LoadError` with the reason."""
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(
            f"unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(sorted(SUFFIXES))}"
        )
    return loader(path, _read_bytes(path, max_bytes))
