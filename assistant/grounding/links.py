"""One rule for links, on every surface (app, CLI, Markdown, HTML, PDF).

A URL is shown as a link only when `link_allowed` says so: https, no user name or
password, no port of its own, a host on the allow-list and, where the surface knows the sources
behind the text (an answer's ledger), one of those sources. Anything else stays visible as text
that no renderer turns into a link: written as a code span (`inert_url`), which Streamlit's
Markdown, the CLI's Markdown, GitHub-style viewers and the HTML export all show as plain text.

Bare `www.` addresses and e-mail addresses are links to those renderers too (Streamlit's GFM
autolinks them after parsing, so a backslash escape does not stop it; a code span does), so they
are treated the same way.

Pure: strings in, strings out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ALLOWED_HOSTS = frozenset(
    {
        "finance.yahoo.com",
        "www.jpmorgan.com",
        "www.lazardassetmanagement.com",
        "www.jefferies.com",
        "www.stocktradersalmanac.com",
        "www.federalreserve.gov",
    }
)

# Markdown images and links (inline or by reference), and the reference definitions they use.
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto|javascript|data|file):[^>\s]*)>", re.IGNORECASE)
# A URL, a protocol-relative one, a bare `www.` address or an e-mail address, as text.
_STOP = "\\s<>\"'`)\\]}\u3000-\u9fff\uff00-\uffef"
_LINKISH = re.compile(
    rf"(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{{1,15}}://[^{_STOP}]+"
    rf"|(?<![\w/:])//(?:localhost\b|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{{2,}}\b)[^{_STOP}]*"
    rf"|(?<![A-Za-z0-9_.@/-])www\.[^{_STOP}]+"
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_TRAILING = ".,;:!?'\""


def link_allowed(url: str | None, sources: Iterable[str] | None = None) -> bool:
    """True when `url` may be shown as a link: https, no credentials or port, an allow-listed
    host, and (when `sources` is given) one of those source URLs."""
    if not url or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    # https only: an http link to an allowed host could be read or rewritten on the way
    if parts.scheme != "https" or parts.username or parts.password or port:
        return False
    if (parts.hostname or "") not in ALLOWED_HOSTS:
        return False
    if sources is None:
        return True
    return _key(url) in {_key(s) for s in sources if s}


def _key(url: str) -> str:
    return url.strip().rstrip("/.").lower()


def source_link(url: str | None, sources: Iterable[str] | None = None) -> str | None:
    """`url` when it may be a link, else None (the caller shows it as text)."""
    return url if url is not None and link_allowed(url, sources) else None


def inert_url(url: str) -> str:
    """`url` as text no Markdown renderer links: a code span."""
    body = url.replace("`", "")
    return f"`{body}`" if body else ""


@dataclass
class Delinked:
    """Text whose links obey the rule, and the URLs that were kept as text."""

    text: str
    strays: list[str] = field(default_factory=list)


def delink(text: str, sources: Iterable[str] | None = None) -> Delinked:
    """`text` with every link the rule does not allow shown as text: a Markdown link becomes
    its label and its address as a code span, a bare URL, `www.` address or e-mail address a
    code span; images are dropped (only the report's own charts are ever drawn). Text already in
    a code span is left alone, so applying this twice changes nothing."""
    known = list(sources) if sources is not None else None
    strays: list[str] = []

    def image(m: re.Match[str]) -> str:
        return f"[image removed: {m.group(1) or 'untrusted'}]"

    def link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        if link_allowed(url, known):
            return m.group(0)
        strays.append(url)
        return f"{label} ({inert_url(url)})" if url and url not in label else label

    def autolink(m: re.Match[str]) -> str:
        url = m.group(1)
        if link_allowed(url, known):
            return m.group(0)
        strays.append(url)
        return inert_url(url)

    def bare(m: re.Match[str]) -> str:
        found = m.group(0)
        url = found.rstrip(_TRAILING)
        tail = found[len(url) :]
        if link_allowed(url, known):
            return found
        strays.append(url)
        return inert_url(url) + tail

    out: list[str] = []
    at = 0
    for span in [*_CODE_SPAN.finditer(text), None]:
        end = span.start() if span is not None else len(text)
        part = text[at:end]
        part = MD_IMAGE.sub(image, part)
        # a link's own address is judged by `link`; mask it so `bare` does not judge it again
        pieces: list[str] = []
        last = 0
        found = sorted([*MD_LINK.finditer(part), *MD_AUTOLINK.finditer(part)], key=_start)
        for m in found:
            if m.start() < last:
                continue
            pieces.append(_LINKISH.sub(bare, part[last : m.start()]))
            pieces.append(link(m) if m.re is MD_LINK else autolink(m))
            last = m.end()
        pieces.append(_LINKISH.sub(bare, part[last:]))
        out.append("".join(pieces))
        if span is not None:
            out.append(span.group(0))
            at = span.end()
    return Delinked("".join(out), strays)


def inert_links(text: str) -> list[tuple[int, int, str]]:
    """(start, end, address) of each code span in `text` that holds only an address: a link
    shown as text."""
    out = []
    for span in _CODE_SPAN.finditer(text):
        inner = span.group(0)[1:-1]
        if inner and _LINKISH.fullmatch(inner):
            out.append((span.start(), span.end(), inner))
    return out


def _start(m: re.Match[str]) -> int:
    return m.start()


def stray_links(text: str, sources: Iterable[str] | None = None) -> list[str]:
    """The URLs, `www.` and e-mail addresses in `text` that the rule would not show as links."""
    return delink(text, sources).strays
