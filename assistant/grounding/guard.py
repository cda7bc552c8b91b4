"""Defences that live in code: input limits, smuggled characters, unsafe output, refusals."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from assistant.grounding.links import ALLOWED_HOSTS as ALLOWED_HOSTS
from assistant.grounding.links import Delinked, delink, link_allowed
from knowledge.instructions import is_instruction

MAX_QUESTION_CHARS = 4_000
# Zero-width, bidi controls and Unicode tag characters: invisible text that can smuggle orders.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)
_TAGS = re.compile("[\U000e0020-\U000e007e]+")
_KEYLIKE = re.compile(
    r"\b(?:sk-[A-Za-z0-9_\-]{12,}|sk-proj-[A-Za-z0-9_\-]{8,}|(?:ghp|gho|xox[abp])_[A-Za-z0-9]{12,}"
    r"|AKIA[0-9A-Z]{16})\b"
)
_HTML_TAG = re.compile(
    r"<\s*/?\s*(?:img|script|iframe|object|embed|style|link|meta|a|svg)\b[^>]*>", re.I
)
_REF_IMAGE = re.compile(r"!\[([^\]]*)\]\[[^\]]*\]")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_DATA_DELIMITERS = re.compile(r"<<<\s*DATA|DATA\s*>>>", re.IGNORECASE)


@dataclass(frozen=True)
class Screened:
    """A question after the input checks."""

    text: str  # NFKC-normalised, invisible characters removed: what the tools read
    refused: Literal["too_long", "empty"] | None = None
    hidden_text: str = ""  # what invisible tag characters spelled, for the record
    display: str = ""  # as typed, invisible characters removed: what the thread shows


def screen_question(question: str) -> Screened:
    """Refuse over-long or empty input; strip invisible characters before anything reads it."""
    if len(question) > MAX_QUESTION_CHARS:
        return Screened("", "too_long")
    hidden = "".join(chr(ord(c) - 0xE0000) for c in "".join(_TAGS.findall(question)))
    visible = _INVISIBLE.sub("", question).strip()
    text = unicodedata.normalize("NFKC", visible)
    if not text:
        return Screened("", "empty", hidden)
    return Screened(text, None, hidden, visible)


def clean_untrusted(text: str) -> str:
    """Make retrieved text safe to show or to hand to a model as data."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _DATA_DELIMITERS.sub("", text)  # no forged end of the data block


def host_allowed(url: str) -> bool:
    """True for links the one rule (`assistant.grounding.links.link_allowed`) lets through."""
    return link_allowed(url)


def secret_values() -> list[str]:
    """Secrets present in this process's environment, to keep out of every output."""
    names = ("OPENAI_API_KEY", "FOOTNOTE_OPENAI_API_KEY")
    return [v for n in names if (v := os.environ.get(n, "")) and len(v) >= 8]


# "Bearer <token>" and "Authorization: <token>" as servers echo them back
_BEARER = re.compile(r"\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=\-]{6,}", re.IGNORECASE)
_AUTH_HEADER = re.compile(
    r"(\b(?:authorization|api[-_]?key|x-api-key)['\"]?\s*[:=]\s*['\"]?)(?!Bearer\b|Basic\b|Token\b)"
    r"[A-Za-z0-9._~+/=\-]{6,}",
    re.IGNORECASE,
)


def redact_secrets(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """`text` without the given secrets, the environment's keys, bearer tokens or key-shaped
    strings: for every message, log line, traceback and page."""
    for secret in sorted(
        {*secrets, *secret_values(), *_environment_values()}, key=len, reverse=True
    ):
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    text = _BEARER.sub(lambda m: f"{m.group(1)} [redacted]", text)
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}[redacted]", text)
    return _KEYLIKE.sub("[redacted]", text)


_ENV_ASSIGNMENT = re.compile(
    r"""(?:['"]?\b(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|PATH|HOME|SHELL|USER|PWD|LANG|TERM|HOSTNAME)['"]?\s*[:=]\s*"""
    r"""(?:'[^'\n]*'|"[^"\n]*"|[^\s,}'"]+))"""
)
_SECRET_NAME = re.compile(r"KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|AUTH", re.IGNORECASE)


def _environment_values() -> list[str]:
    """Values of environment variables whose names say they are secret."""
    return [v for k, v in os.environ.items() if _SECRET_NAME.search(k) and len(v) >= 6]


def sanitize_output(text: str, sources: Iterable[str] | None = None) -> str:
    """Drop images, raw HTML, environment dumps and anything that looks like a key; show every
    link the one rule does not allow (outside hosts, and with `sources`, any address that is not
    one of them) as text."""
    return sanitize_answer(text, sources).text


def sanitize_answer(text: str, sources: Iterable[str] | None = None) -> Delinked:
    """`sanitize_output`, with the addresses it kept as text (for a finding)."""
    if len(_ENV_ASSIGNMENT.findall(text)) >= 3:
        text = _ENV_ASSIGNMENT.sub("[environment data removed]", text)
        text = re.sub(
            r"(?:\[environment data removed\][\s,;{}]*){2,}", "[environment data removed] ", text
        )
    text = _REF_DEFINITION.sub("", text)
    text = _REF_IMAGE.sub(lambda m: f"[image removed: {m.group(1) or 'untrusted'}]", text)
    text = _HTML_TAG.sub("", text)
    done = delink(text, sources)
    text = done.text
    for secret in {*secret_values(), *_environment_values()}:
        text = text.replace(secret, "[redacted]")
    # a bearer token or an Authorization header a model repeats (not "Basic Materials")
    text = _BEARER_TOKEN.sub("Bearer [redacted]", text)
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}[redacted]", text)
    return Delinked(_KEYLIKE.sub("[redacted]", text), done.strays)


_BEARER_TOKEN = re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=\-]{12,}", re.IGNORECASE)


Refusal = Literal["manipulation", "allocation", "system_prompt", "secrets", "no_such_tool"]

_RULES: list[tuple[Refusal, re.Pattern[str]]] = [
    (
        "manipulation",
        re.compile(
            r"pump[- ]and[- ]dump|\bspoof|wash trad|front[- ]?run|corner the market|manipulat\w* (?:the )?(?:price|market|stock)"
            r"|(?:move|push|pump|prop up|drive up|drive down)\s+(?:the\s+)?(?:price|stock|shares)\b.*\b(?:coordinat|together|group|post|rumou?r)"
            r"|spread (?:a )?(?:fake|false)\s+(?:news|rumou?r)|操纵(?:市场|股价|价格)|拉抬股价|坐庄|散布(?:谣言|假消息)|对倒|虚假申报|砸盘",
            re.I,
        ),
    ),
    (
        "secrets",
        re.compile(
            r"openai_api_key|\bapi[_ ]?keys?\b|\b(?:secret|access) (?:key|token)s?\b|\benv(?:ironment)? var(?:iable)?s?\b"
            r"|\b(?:print|dump|show|list|reveal|output)\b.{0,20}\benv(?:ironment)?\b|printenv|os\.environ"
            r"|密钥|环境变量|api\s*key",
            re.I,
        ),
    ),
    (
        "system_prompt",
        re.compile(
            r"system prompt|your (?:instructions|prompt)|initial prompt|developer message|系统提示|系统指令|你的提示词",
            re.I,
        ),
    ),
    (
        "allocation",
        re.compile(
            r"how much (?:of my|should i (?:put|invest|allocate|buy))|what (?:percent|percentage|share) of my"
            r"|(?:allocate|allocation of) my|my (?:portfolio|savings|retirement|401k|ira)\b.*\b(?:put|invest|allocate|buy|sell)"
            r"|should i (?:buy|sell|invest|go all in)|我(?:应该|该)(?:买|卖|投|配置)|我的(?:资产|组合|仓位|存款|养老金)"
            r"|(?:仓位|配置)(?:多少|比例)|全仓",
            re.I,
        ),
    ),
    (
        "no_such_tool",
        re.compile(
            r"(?:^|[.!?]\s*)(?:please\s+|can you\s+|could you\s+)?(?:delete|drop|wipe|erase|clear|reset|remove)\s+"
            r"(?:the\s+|your\s+|all\s+(?:the\s+)?|my\s+)?(?:store|database|db|index|collection|data|documents?|files?|prices|threads)\b"
            r"|(?:^|[.!?]\s*)(?:please\s+|can you\s+)?(?:ingest|download|fetch|scrape|crawl|open|visit|browse)\b[^.?!]*(?:https?://|\burl\b|\blink\b|网址)"
            r"|(?:^|[.!?]\s*)(?:please\s+|can you\s+)?(?:run|execute)\s+(?:this\s+|the\s+|a\s+)?(?:shell\s+)?(?:command|script|code)\b"
            r"|删除.{0,6}(?:数据|存储|库|文档|文件)|清空.{0,6}(?:数据|存储|库)|(?:抓取|下载|打开).{0,10}(?:网址|链接|http)|执行.{0,6}(?:命令|脚本)",
            re.I,
        ),
    ),
]


def refusal_kind(question: str) -> Refusal | None:
    """Which request this is that the assistant must not carry out, if any."""
    for kind, pattern in _RULES:
        if pattern.search(question):
            return kind
    return None


_B64_BLOB = re.compile(r"[A-Za-z0-9+/]{32,}={0,2}")
_SENT_ACROSS_LINES = re.compile(r"[^。！？；.!?]+[。！？；.!?]?\s*")


def strip_instructions(text: str) -> tuple[str, int]:
    """Drop sentences of retrieved text that give orders to the reader; return text and count.

    Retrieved text is data. A sentence that tries to instruct the assistant (in English, in
    Chinese, or hidden in base64) is removed before any model or template sees it.
    """
    text = clean_untrusted(text)
    kept: list[str] = []
    removed = 0
    # Sentences end at punctuation, not at line breaks: an order split over two lines is one order.
    for sentence in _SENT_ACROSS_LINES.findall(text):
        blobs = _B64_BLOB.findall(sentence)
        if is_instruction(sentence):
            removed += 1
            continue
        kept.append(_B64_BLOB.sub("", sentence) if blobs else sentence)
    return "".join(kept).strip(), removed


def clean_label(text: str | None) -> str:
    """A title, section or source label from a document, made safe to show a model: one line,
    no orders, no delimiters."""
    if not text:
        return ""
    body, _ = strip_instructions(" ".join(text.split()))
    return body[:300]


# ---- orders in an answer that nobody asked for ------------------------------------------

Order = Literal["trade_call", "canary"]

_TRADE_CALL = re.compile(
    r"\b(?:STRONG\s+)?(?:BUY|SELL|SHORT)\s+(?:\^?[A-Z]{1,5}\b|NOW\b|IMMEDIATELY\b)"
    r"|\b(?:you|investors|readers)\s+should\s+(?:now\s+|immediately\s+)?(?:buy|sell|short|dump)\b"
    r"|\b(?:i|we)\s+(?:strongly\s+)?recommend\s+(?:that\s+you\s+)?(?:buying|selling|shorting|to\s+buy|to\s+sell|you\s+buy|you\s+sell)\b"
    r"|\b(?:buy|sell)\s+(?:it|them|now)\s*(?:now|immediately|today)?\s*!"
    r"|(?:建议|推荐)(?:您|你|大家|投资者)?(?:立即|马上|现在)?(?:买入|卖出|抛售|清仓|加仓|抄底|做空)"
    r"|(?:立即|马上|赶紧|立刻)(?:买入|卖出|抛售|清仓|加仓|抄底|做空)",
)
# "CANARY", "canary token", or a code like "XKCD-7F3A91" (letters, a dash, 4+ hex digits);
# "a canary in the coal mine" and "NASDAQ-100" are not flagged
_CANARY = re.compile(
    r"\bCANARY\b|(?i:\bcanary[-_ ]?(?:token|code|string)\b)|\b[A-Z]{4,}-[0-9A-F]{4,}\b"
)
_ASKED_TRADE = re.compile(r"\b(?:buy|sell|short)\b|买|卖|做空", re.IGNORECASE)


def unasked_orders(answer: str, question: str) -> list[Order]:
    """What in a model's `answer` looks like orders planted by a document rather than an answer
    to `question`: a buy/sell call or a canary-like token (such an answer is withheld). A trade
    call is not flagged when the question itself is about buying or selling. A link that is not
    one of the sources is no order: it is shown as text, with a finding (`sanitize_answer`)."""
    found: list[Order] = []
    if _TRADE_CALL.search(answer) and not _ASKED_TRADE.search(question):
        found.append("trade_call")
    if any(m.group(0) not in question for m in _CANARY.finditer(answer)):
        found.append("canary")
    return found
