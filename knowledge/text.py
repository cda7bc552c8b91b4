"""Text hygiene for ingest: Unicode normalisation, boilerplate removal, language, sentences."""

from __future__ import annotations

import re
import unicodedata

# Characters that change nothing a reader sees but can hide or reorder text (Trojan Source, ASCII
# smuggling): zero-width, bidi controls, BOM, soft hyphen and the Unicode "tag" block.
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile("[A-Za-z]+")

# Whole lines that are site chrome rather than content. Measured: a hashtag line was the top hit
# for almost every English query, so these never reach the index.
_HASHTAG_LINE = re.compile(r"^\s*(?:#[^\s#]+\s*){1,}$")
_BOILERPLATE = re.compile(
    r"^\s*(?:"
    r"解锁更多功能|登录后即可使用.*|关于我们[:：].*|相关个股|相关阅读推荐|暂无推荐文章|基于这条新闻提问.*"
    r"|深度投研|自动接受计划|数据基于历史.*不构成投资建议.*|分享到.*|扫码.*|点击.*登录.*"
    r"|unlock more features|log ?in to .*|sign (?:in|up)( to .*)?|subscribe( now| to .*)?"
    r"|about us:.*|related stocks|related (?:reading|articles)|share on (?:facebook|twitter|x).*"
    r"|no result|view all result|cookie(s)? (?:policy|settings).*|accept (?:all )?cookies"
    r"|(?:[A-Z^.]{1,8}\s*)?--|skip to (?:main )?content|advertisement|print|email alerts?"
    r")\s*$",
    re.IGNORECASE,
)
_BLANK_RUNS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u3000]+")

# NFKC folds Chinese full-width punctuation (，：；！？（）) into ASCII along with full-width digits
# and letters. The digits should fold (numbers parse); the punctuation should not (a title would
# read "小盘股领涨:…?"). Each mark is put back to its full-width form next to a CJK character:
# one character for one, so offsets into the text do not move.
_FULL_WIDTH = str.maketrans(",:;!?()", "，：；！？（）")
_HAN_OR_MARK = "\u3000-\u303f\u3400-\u9fff\uff01-\uff5e"  # CJK ideographs and marks
_HAN = re.compile(f"[{_HAN_OR_MARK}]")
_PAIR = re.compile(r"\(([^()\n]{0,200})\)")
_MARKS = re.compile(f"(?<=[{_HAN_OR_MARK}])[,:;!?]+|[,:;!?]+(?=[{_HAN_OR_MARK}])")
# Left exactly as NFKC gives them: code spans, Markdown link targets and URLs (which may hold
# Chinese, commas and parentheses; a URL runs to the next space, quote or Chinese full stop).
_VERBATIM = re.compile(r"`[^`\n]*`|\]\(\S*\)|\b[a-z][a-z0-9+.-]*://[^\s<>\"'`。、]*", re.IGNORECASE)


def _fold_marks(text: str) -> str:
    def pair(match: re.Match[str]) -> str:
        around = text[match.start() - 1 : match.start()] + match.group(1)
        around += text[match.end() : match.end() + 1]
        return f"（{match.group(1)}）" if _HAN.search(around) else match.group(0)

    text = _PAIR.sub(pair, text)
    return _MARKS.sub(lambda m: m.group(0).translate(_FULL_WIDTH), text)


def fold(text: str) -> str:
    """NFKC, with the punctuation of Chinese text kept full-width (offsets as NFKC's)."""
    folded = unicodedata.normalize("NFKC", text)
    parts, done = [], 0
    for match in _VERBATIM.finditer(folded):
        parts += [_fold_marks(folded[done : match.start()]), match.group(0)]
        done = match.end()
    parts.append(_fold_marks(folded[done:]))
    return "".join(parts)


def normalise(text: str) -> str:
    """NFKC (Chinese punctuation kept), invisible and control characters removed, line endings
    and spaces tidied."""
    text = fold(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def is_boilerplate(line: str) -> bool:
    """True for hashtag lines, login prompts and other site chrome."""
    stripped = line.strip()
    if not stripped:
        return False
    return bool(_HASHTAG_LINE.match(stripped) or _BOILERPLATE.match(stripped))


def strip_boilerplate(text: str) -> str:
    """Drop the lines `is_boilerplate` flags; keep the rest in order."""
    kept = [line for line in text.split("\n") if not is_boilerplate(line)]
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()


def clean(text: str) -> str:
    """`normalise` then `strip_boilerplate`: what every ingested text goes through."""
    return strip_boilerplate(normalise(text))


def has_cjk(text: str) -> bool:
    """True when the text contains at least one CJK ideograph."""
    return bool(_CJK.search(text))


def detect_language(text: str) -> str:
    """`zh` when CJK ideographs outnumber Latin words (and there are at least two), else `en`."""
    cjk = len(_CJK.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return "zh" if cjk >= max(2, words) else "en"


# A citation marker: one source [3], or several in one bracket [3, 5], [3，5], [3、5]. The one
# definition every module uses (documents, answers, reports, the verifier).
CITATION_MARKER = re.compile(r"\[\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*\]")
_MARKER_SEPARATOR = re.compile(r"[,，、]")
_ONE_MARKER = CITATION_MARKER.pattern.replace("(", "(?:", 1)  # the same, without a group
_MARKER_WITH_SPACE = re.compile(r"\s*" + CITATION_MARKER.pattern)


def marker_numbers(body: str) -> list[int]:
    """The source numbers inside one marker's brackets ("3, 5" -> [3, 5])."""
    return [int(part) for part in _MARKER_SEPARATOR.split(body) if part.strip()]


def citations(text: str) -> list[int]:
    """Source numbers cited in `text`, in order of first appearance."""
    seen: dict[int, None] = {}
    for match in CITATION_MARKER.finditer(text):
        seen.update(dict.fromkeys(marker_numbers(match.group(1))))
    return list(seen)


def strip_citations(text: str) -> str:
    """`text` without its citation markers (and the spaces before them)."""
    return _MARKER_WITH_SPACE.sub("", text)


# Sentence ends: Chinese full stops (no space needed), or ASCII ends followed by space.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "inc", "corp", "co", "ltd", "vs", "etc", "e.g", "i.e",
    "no", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "approx", "est", "fig",
}  # fmt: skip
# A sentence ends after 。！？； or, once NFKC has made them ASCII, after ! ? ; next to Chinese; an
# English sentence ends at . ! ? followed by a space or the end (a semicolon does not end one).
# Citation markers right after the end stay with the sentence.
_CJK_CHAR = "[\u3400-\u9fff]"


_CLOSERS = "\"'”’」』）)"  # closing quotes and brackets stay with the sentence they end


def _ends(semicolons: bool) -> re.Pattern[str]:
    full, ascii_ = ("；", ";") if semicolons else ("", "")
    return re.compile(
        rf"(?:[。！？{full}][{_CLOSERS}]*"
        rf"|(?<={_CJK_CHAR})[!?{ascii_}][{_CLOSERS}]*|[!?{ascii_}](?={_CJK_CHAR})"
        rf"|[.!?][{_CLOSERS}]*(?=(?:{_ONE_MARKER})*(?:\s|$|{_CJK_CHAR})))"
        rf"(?:{_ONE_MARKER})*"
    )


_END = _ends(semicolons=True)
_END_CLAUSES_JOINED = _ends(semicolons=False)  # a semicolon joins clauses into one sentence
_LEADING_CITES = re.compile(rf"(?:\s*{_ONE_MARKER})+")


# Abbreviations that can also close a sentence ("… bonds, etc. The dollar fell.", "… in the U.S.
# They …"): they end one when the next word is one that opens sentences, not a name.
_MAY_END = {"etc", "u.s", "u.k", "a.m", "p.m", "inc", "corp", "ltd", "co"}
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "they",
        "he",
        "she",
        "we",
        "i",
        "you",
        "but",
        "and",
        "so",
        "yet",
        "then",
        "there",
        "their",
        "his",
        "her",
        "our",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "while",
        "when",
        "if",
        "as",
        "however",
        "meanwhile",
        "still",
        "also",
    ]
)
_FIRST_WORD = re.compile(r"[A-Za-z]+")


def _ends_with_abbreviation(piece: str, following: str = "") -> bool:
    """True when `piece` ends in an abbreviation or an initial that runs on into `following`."""
    body = re.sub(rf"(?:{_ONE_MARKER})+$", "", piece)
    if body != piece:
        return False  # a marker after the stop: the writer ended the sentence there
    match = re.search(rf"((?:[A-Za-z]\.)*[A-Za-z]+)\.[{_CLOSERS}]*$", body)
    if not match:
        return False
    word = match.group(1)
    if match.group(0)[-1] in _CLOSERS and not (following[:1] and _CJK.match(following)):
        return False  # 'said "… U.S." Then': the quote closed the sentence
    if word.lower() in _MAY_END:
        first = _FIRST_WORD.match(following)
        opens = first is not None and following[:1].isupper() and first.group(0).lower() in _OPENERS
        return not opens
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word)) or word.lower() in _ABBREVIATIONS


def sentence_spans(text: str, *, semicolon_ends: bool = True) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, spaces around it left out.

    A sentence ends at 。！？； (or their ASCII forms next to Chinese), or at . ! ? before a space;
    markers right after the end, or at the head of the next piece, stay with it; a piece that
    ends in an abbreviation ("Jan.", "U.S.") runs on into the next. With `semicolon_ends` False,
    clauses joined by a semicolon stay one sentence (one citation at its end covers them all).

    The one splitter for both languages (answers, reports, fact-check, the verifier). Measured
    on the labelled corpus in tests/knowledge/sentence_corpus.py (66 cases, zh and en): this
    splitter 66/66, pysbd 0.3.4 53/66 (it breaks "Inc.的", "J.P. Morgan的", "（U.S.）", moves
    citation markers to the next sentence, and ignores Chinese semicolons), so no dependency.
    """
    ends = _END if semicolon_ends else _END_CLAUSES_JOINED
    spans: list[list[int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for end in [m.end() for m in ends.finditer(line)] + [len(line)]:
            a, b = _strip_span(text, offset + start, offset + end)
            start = end
            if a == b:
                continue
            lead = _LEADING_CITES.match(text, a, b)
            if lead and spans:
                spans[-1][1] = lead.end()  # markers at the head belong to the sentence before
                a, b = _strip_span(text, lead.end(), b)
                if a == b:
                    continue
            if spans and _ends_with_abbreviation(text[spans[-1][0] : spans[-1][1]], text[a:b]):
                spans[-1][1] = b
            else:
                spans.append([a, b])
        offset += len(line) + 1
    return [(a, b) for a, b in spans]


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def sentences(text: str) -> list[str]:
    """The sentences of `text` (see `sentence_spans`), each on one line."""
    return [" ".join(text[a:b].split("\n")) for a, b in sentence_spans(text)]
