"""Who a question names: people and firms cited by the stored documents, in both languages.

The index is built from the documents' source entries (`person: Jeffrey Hirsch（杰弗里·赫希），
editor` or `person: Steven DeSanctis, equity strategist, Jefferies`), so no name is written in
code: a new corpus brings its own experts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.grounding.gates import compile as gate
from knowledge.documents import SourceEntry

_LATIN_NAME = gate(r"^\s*([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)+)")
_CJK_NAME = gate(r"[（(]([\u4e00-\u9fff·]{2,})[）)]")
_CJK_FIRM = gate(r"([\u4e00-\u9fff]{2,})[（(]([A-Z][\w.&' -]+)[）)]")
_LAST_PART = gate(r",\s*([^,]+)$")
# Words that follow a firm's own name ("Lazard Asset Management"); a last part made of other
# words ("Stock Trader's Almanac") is a title, not a firm to match on.
_FIRM_WORDS = frozenset(
    [
        "asset",
        "assets",
        "management",
        "capital",
        "research",
        "global",
        "securities",
        "group",
        "partners",
        "investments",
        "investment",
        "bank",
        "advisors",
        "advisers",
        "holdings",
        "co",
        "inc",
        "llc",
        "ltd",
    ]
)


def _firm(text: str) -> str | None:
    part = _LAST_PART.search(text)
    if part is None:
        return None
    words = part.group(1).split()
    if not words or not words[0][:1].isupper() or not words[0].isalpha():
        return None
    if all(w.lower().strip(".") in _FIRM_WORDS for w in words[1:]):
        return words[0].lower()
    return None


_MIN_KEY = 3


_CJK_SUFFIX = gate(r"(?:研究部|研究所|研究|资产管理|公司|集团|银行)+$")
_CJK_RUN = gate(r"[\u4e00-\u9fff]{2,}")


def _publisher_keys(publisher: str) -> set[str]:
    """The firm a publisher names: its leading Latin words before generic ones ("J.P. Morgan
    Global Research" -> "j.p. morgan", "jp morgan", "jpmorgan") and its Chinese name without a
    generic suffix ("摩根大通研究部" -> "摩根大通")."""
    keys: set[str] = set()
    words: list[str] = []
    for word in publisher.split():
        if not word[:1].isupper() or word.lower().strip(".()") in _FIRM_WORDS:
            break
        words.append(word)
    if words and len(words) <= 3 and not publisher.lower().startswith(("syndicated", "yahoo")):
        name = " ".join(words).lower()
        keys |= {name, name.replace(".", ""), name.replace(".", "").replace(" ", "")}
    for run in _CJK_RUN.findall(publisher):
        core = _CJK_SUFFIX.sub("", run)
        if len(core) >= 2 and core != run:
            keys.add(core)
    return keys


def people_index(sources: Iterable[SourceEntry]) -> dict[str, str]:
    """Lower-cased names, surnames and firms -> the person's name as the English source gives it."""
    index: dict[str, str] = {}
    for source in sources:
        text = source.person or ""
        found = _LATIN_NAME.match(text)
        if not found:
            continue
        name = found.group(1).strip()
        keys = {name.lower(), name.split()[-1].lower()}
        if cjk := _CJK_NAME.search(text):
            keys |= {cjk.group(1), cjk.group(1).split("·")[-1]}
        for firm_zh, firm_en in _CJK_FIRM.findall(text):
            keys |= {firm_zh, firm_en.split()[0].lower()}
        if firm := _firm(text):
            keys.add(firm)
        keys |= _publisher_keys(source.publisher)
        for key in keys:
            if len(key) >= _MIN_KEY or re.search(r"[\u4e00-\u9fff]", key):
                index.setdefault(key, name)
    return index


def named_person(text: str, index: Mapping[str, str]) -> str | None:
    """The person `text` names (by name, surname or firm), the longest key winning."""
    lowered = text.lower()
    for key in sorted(index, key=len, reverse=True):
        if key in lowered:
            return index[key]
    return None
