"""Read files into `Document`s: Markdown with YAML front matter, text, HTML, PDF, JSON, JSONL.

Every failure a user can cause (too big, binary, encrypted, empty, unreadable, malformed) raises
`LoadError` with a message meant for that user; nothing else escapes for a bad file. `Limits`
bound the work one file can cause (YAML aliases, JSON depth, PDF pages and decompressed bytes,
characters per document), each named after the setting that raises it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Limits:
    """The most work one file may cause; each over-the-limit file fails alone, with a message."""

    max_chars: int = 1_000_000  # characters per document (about 2,500 chunks to embed)
    yaml_aliases: int = 50  # alias uses in front matter ("billion laughs")
    front_matter_bytes: int = 64_000
    json_depth: int = 64
    pdf_pages: int = 1_000
    pdf_decompressed_mb: float = 100.0
    seconds: float = 300.0  # embedding time per document


_LIMITS = Limits()


def _too_long(text: str, limits: Limits) -> None:
    if len(text) > limits.max_chars:
        raise LoadError(
            f"document too long: {len(text):,} characters is over the {limits.max_chars:,} "
            "limit (FOOTNOTE_MAX_DOC_CHARS)"
        )


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


_FM_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)


class _BoundedLoader(yaml.SafeLoader):
    """A safe loader that refuses front matter using more than `max_aliases` aliases: a few
    hundred bytes of nested aliases otherwise expand to gigabytes ("billion laughs")."""

    max_aliases = 50

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self.max_aliases:
                raise LoadError(
                    f"front matter uses more than {self.max_aliases} YAML aliases "
                    "(FOOTNOTE_MAX_YAML_ALIASES): refused, it could expand without bound"
                )
        return super().compose_node(parent, index)


def _front_matter(text: str, limits: Limits = _LIMITS) -> tuple[dict[str, Any], str]:
    """YAML front matter between `---` lines at the very top, and the body after it."""
    if not text.startswith("---"):
        return {}, text
    parts = _FM_BOUNDARY.split(text, 2)
    if len(parts) < 3:
        return {}, text
    _, raw, body = parts
    if len(raw.encode("utf-8")) > limits.front_matter_bytes:
        raise LoadError(f"front matter is over {limits.front_matter_bytes:,} bytes: refused")
    loader_class = type("Loader", (_BoundedLoader,), {"max_aliases": limits.yaml_aliases})
    loader = loader_class(raw)
    try:
        meta = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise LoadError(f"front matter is not valid YAML: {exc}") from None
    except RecursionError:
        raise LoadError("front matter is nested too deeply") from None
    finally:
        loader.dispose()
    if meta is None:
        return {}, body.lstrip("\n")
    if not isinstance(meta, dict):
        raise LoadError(
            f"front matter must be a YAML mapping (key: value lines), not a {type(meta).__name__}"
        )
    return dict(meta), body.lstrip("\n")


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


def load_markdown(path: Path, data: bytes, limits: Limits = _LIMITS) -> list[Document]:
    text = _decode_text(data)
    _too_long(text, limits)
    meta, body = _front_matter(text, limits)
    h1, sections = markdown_sections(body)
    if h1 and "title" not in meta:
        meta["title"] = h1
    return [_with_body(meta, sections, path)]


def load_text(path: Path, data: bytes, limits: Limits = _LIMITS) -> list[Document]:
    raw = _decode_text(data)
    _too_long(raw, limits)
    text = clean(raw)
    if not text:
        raise LoadError("empty document: no text after cleaning")
    first, _, rest = text.partition("\n")
    title = first.strip()[:200]
    body = rest.strip() or first
    return [_with_body({"title": title}, [Section(heading="", text=body)], path)]


def load_html(path: Path, data: bytes, limits: Limits = _LIMITS) -> list[Document]:
    import trafilatura

    html = _decode_text(data)
    _too_long(html, limits)
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


def load_pdf(path: Path, data: bytes, limits: Limits = _LIMITS) -> list[Document]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise LoadError("encrypted PDF: needs a password, skipped")
        pages = len(reader.pages)
        if pages > limits.pdf_pages:
            raise LoadError(
                f"PDF has {pages:,} pages, over the {limits.pdf_pages:,} page limit "
                "(FOOTNOTE_MAX_PDF_PAGES)"
            )
        budget = int(limits.pdf_decompressed_mb * 1_000_000)
        inflated = 0
        # every page's content is measured before any is parsed: inflating is cheap, parsing
        # a huge content stream is what takes the time (20 s for one 60 MB page on busy cores)
        for number, page in enumerate(reader.pages, start=1):
            contents = page.get_contents()
            inflated += len(contents.get_data()) if contents is not None else 0
            if inflated > budget:
                raise LoadError(
                    f"PDF content inflates past {limits.pdf_decompressed_mb:g} MB by page "
                    f"{number} (FOOTNOTE_MAX_PDF_MB): refused as a possible decompression bomb"
                )
        chars = 0
        sections = []
        for number, page in enumerate(reader.pages, start=1):
            text = clean(page.extract_text() or "")
            chars += len(text)
            if chars > limits.max_chars:
                raise LoadError(
                    f"document too long: over {limits.max_chars:,} characters by page {number} "
                    "(FOOTNOTE_MAX_DOC_CHARS)"
                )
            if text:
                sections.append(Section(heading=f"page {number}", text=text))
        info = reader.metadata
        title = str(info.title) if info is not None and info.title else None
    except LoadError:
        raise
    except LimitReachedError as exc:
        raise LoadError(f"PDF refused as a possible decompression bomb: {exc}") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LoadError(f"unreadable PDF: {exc}") from None
    except RecursionError:
        raise LoadError("unreadable PDF: its objects nest too deeply") from None
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


def _json_depth_ok(value: Any, limit: int) -> bool:
    """Tell whether `value` nests at most `limit` levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


def _parse_json(text: str, limits: Limits, where: str = "") -> Any:
    too_deep = LoadError(
        f"{where}JSON nested deeper than {limits.json_depth} levels (FOOTNOTE_MAX_JSON_DEPTH)"
    )
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"{where}invalid JSON: {exc.msg} (line {exc.lineno})") from None
    except RecursionError:
        raise too_deep from None
    if not _json_depth_ok(parsed, limits.json_depth):
        raise too_deep
    return parsed


def load_json(path: Path, data: bytes, limits: Limits = _LIMITS) -> list[Document]:
    text = _decode_text(data)
    _too_long(text, limits)
    parsed = _parse_json(text, limits)
    records = parsed if isinstance(parsed, list) else [parsed]
    if not records:
        raise LoadError("empty JSON list: nothing to ingest")
    return [_record(r, path, f"record {i + 1}") for i, r in enumerate(records)]


def load_jsonl(path: Path, data: bytes, limits: Limits = _LIMITS) -> list[Document]:
    docs = []
    for number, line in enumerate(_decode_text(data).splitlines(), start=1):
        if not line.strip():
            continue
        _too_long(line, limits)
        raw = _parse_json(line, limits, f"line {number}: ")
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


def load_file(path: Path, max_bytes: int, limits: Limits = _LIMITS) -> list[Document]:
    """Every document in one file, or `LoadError` with the reason."""
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(
            f"unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(sorted(SUFFIXES))}"
        )
    return loader(path, _read_bytes(path, max_bytes), limits)
