"""Instruction-like text in documents: found in both languages, removed at ingest and at retrieval.

A stored document is data. A sentence that addresses the reading model (role tags such as
"[assistant]:", "Note to the AI assistant ...", "致阅读本文的AI助手", "Please disregard the rules
above", system notices, orders to print a token) is dropped from every field: title, summary,
headings, text, and each source entry. The assistant checks again when it builds a prompt
(`assistant.grounding.guard`), so a store filled by an older version is held too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.documents import Document

# Orders to a reader that is a model. Each alternative is a phrase no market text needs.
INSTRUCTION = re.compile(
    # the classic overrides
    r"ignore\s+(?:all\s+|any\s+)?(?:the\s+|your\s+|these\s+)?(?:previous|prior|above|earlier|preceding)\s+(?:instructions|prompts?|rules|directions)"
    r"|ignore\s+(?:all\s+|any\s+)?(?:the\s+|your\s+|these\s+|those\s+)?(?:instructions|rules|guidelines|directions)\s+(?:above|before|given|you\s+were)"
    r"|disregard\s+(?:all\s+|any\s+)?(?:the\s+|these\s+|those\s+)?(?:previous|prior|above|earlier|your|everything)\b"
    r"|disregard\s+(?:all\s+|any\s+)?(?:the\s+|these\s+|those\s+|your\s+)?(?:rules|instructions|guidelines|directions|prompts?|system)\b"
    r"|forget\s+(?:all\s+)?(?:your|the|previous)\s+(?:instructions|rules)"
    r"|\byou are now\b|\bhere are your new instructions\b|\bnew instructions?\s*:"
    r"|\bsystem\s*(?:prompt|message|override|notice|instruction|update|alert)s?\b|\badmin(?:istrator)?\s+override\b"
    r"|(?:print|reveal|output|repeat|include|say|write|append|insert)\s+(?:the\s+|your\s+|this\s+)?(?:system prompt|api[_ ]?key|secret|canary|password|token)"
    # addressing the model
    r"|\bnote\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:ai|a\.i\.|assistant|llm|language model|chat\s?bot|model)s?\b"
    r"|\b(?:dear|attention|hey|hello)\s*,?\s+(?:ai|assistant|llm|language model|chat\s?bot)\b"
    r"|\b(?:to|for)\s+(?:any|the|all)\s+(?:ai|llm|language model|assistant)s?\s+(?:reading|summari[sz]ing|processing|parsing)"
    r"|\bif\s+you\s+are\s+an?\s+(?:ai|llm|language model|assistant|chat\s?bot)\b"
    r"|\bai\s+(?:assistant|model)s?\s*(?:must|should|shall|need to|are required to)\b"
    r"|\b(?:in|at the (?:start|end) of)\s+(?:every|each|your)\s+(?:answer|reply|response|summary)\b"
    r"|\b(?:respond|reply|answer)\s+only\s+with\b"
    # role tags at the start of a line or in brackets
    r"|^\s*(?:system|assistant|developer)\s*:"
    r"|\[\s*(?:system|assistant|developer|inst)\s*\]\s*:?|<\|?\s*(?:im_start|im_end|system)\s*\|?>|\[/?INST\]"
    # Chinese
    r"|忽略(?:之前|以上|先前|前面|上述|上面)?的?(?:所有|全部)?(?:指令|指示|提示|规则|要求)"
    r"|(?:无视|不要理会|不必遵守|忘记|忘掉)(?:之前|以上|先前|前面|上述|上面|你的|所有)?的?(?:所有)?(?:指令|指示|提示|规则|要求|设定)"
    r"|你现在是|新的指令|系统(?:提示|通知|消息|指令|公告)|管理员(?:指令|覆盖)"
    r"|致.{0,12}(?:AI|ＡＩ|人工智能|智能|语言模型|大模型)\s*(?:助手|助理|模型)"
    r"|(?:AI|ＡＩ|人工智能)\s*(?:助手|助理|模型)(?:请|须|必须|应当|应该|务必)"
    r"|(?:在|于)(?:每个|每条|每次|所有)(?:回答|回复|答案)(?:中|里|开头|结尾)"
    r"|输出.*(?:密钥|口令|暗号)",
    re.IGNORECASE | re.MULTILINE,
)
_B64_BLOB = re.compile(r"[A-Za-z0-9+/]{32,}={0,2}")
# Sentences end at punctuation, not at line breaks: an order split over two lines is one order.
_SENTENCES = re.compile(r"[^。！？；.!?]+[。！？；.!?]?\s*")
# Letters from other scripts that look like Latin ones, folded before matching.
_LOOKALIKES = str.maketrans("аеорсухіѕјԁɡАЕОРСХІЅЈ", "aeopcyxisjdgAEOPCXISJ")

# A stored document carries the stamp of the rules that scrubbed it at ingest; read back under
# the same rules it is not scrubbed again (listing 3,500 documents took 8 s of regex for that).
# New rules change the stamp, and documents stored before are scrubbed on read as before.
SCRUB_STAMP = hashlib.sha256(
    # "v1": move it on when is_instruction or scrub_document change in ways the patterns do not show
    "\n".join([INSTRUCTION.pattern, _B64_BLOB.pattern, _SENTENCES.pattern, "v1"]).encode()
).hexdigest()[:16]


def _decoded_blob_is_instruction(blob: str) -> bool:
    try:
        decoded = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=False).decode(
            "utf-8", "ignore"
        )
    except (binascii.Error, ValueError):
        return False
    return bool(INSTRUCTION.search(decoded))


def is_instruction(sentence: str) -> bool:
    """True when `sentence` gives orders to a model (plainly, with look-alike letters, or in
    base64)."""
    folded = sentence.translate(_LOOKALIKES)
    probe = re.sub(r"\s+", " ", folded)
    return bool(INSTRUCTION.search(probe) or INSTRUCTION.search(folded)) or any(
        _decoded_blob_is_instruction(b) for b in _B64_BLOB.findall(sentence)
    )


def strip_orders(text: str) -> tuple[str, int]:
    """`text` without its instruction-like sentences (the others kept as they were, line breaks
    included); and how many went."""
    if not text or not (INSTRUCTION.search(text.translate(_LOOKALIKES)) or _B64_BLOB.search(text)):
        return text, 0  # the common case: nothing to look at sentence by sentence
    kept: list[str] = []
    removed = 0
    for piece in _SENTENCES.findall(text):
        if piece.strip() and is_instruction(piece):
            removed += 1
            continue
        kept.append(_B64_BLOB.sub("", piece) if _B64_BLOB.search(piece) else piece)
    return "".join(kept).strip(), removed


def _scrub(value: str | None, fallback: str | None = None) -> tuple[str | None, int]:
    if not value:
        return value, 0
    kept, removed = strip_orders(value)
    return (kept or fallback if removed else value), removed


def scrubbed_on_read(doc: Document, stamp: object) -> Document:
    """A stored document as a reader may see it: scrubbed again unless the current rules did it
    at ingest (`stamp` is what its record carries)."""
    return doc if stamp == SCRUB_STAMP else scrub_document(doc)[0]


def scrub_document(doc: Document) -> tuple[Document, int]:
    """`doc` with instruction-like sentences removed from every text field (title, summary,
    market, tags, headings, text, each source entry and view); and how many were removed."""
    removed = 0

    def clean(value: str | None, fallback: str | None = None) -> str | None:
        nonlocal removed
        kept, n = _scrub(value, fallback)
        removed += n
        return kept

    title = clean(doc.title, "(title withheld: it held instructions)") or doc.id
    summary = clean(doc.summary, "") or ""
    market = clean(doc.market)
    tags = [t for t in doc.tags if clean(t, "")]
    sections = [
        s.model_copy(
            update={"heading": clean(s.heading, "") or "", "text": clean(s.text, "") or ""}
        )
        for s in doc.sections
    ]
    sources = [
        s.model_copy(
            update={
                "publisher": clean(s.publisher, "(withheld)") or "(withheld)",
                "person": clean(s.person),
                "title": clean(s.title),
                "summary": clean(s.summary, "") or "",
                "url": None if s.url and is_instruction(s.url) else s.url,
            }
        )
        for s in doc.sources
    ]
    views = [
        v.model_copy(update={"claim": clean(v.claim, "") or "", "figure": clean(v.figure)})
        for v in doc.views
    ]
    if not removed:
        return doc, 0
    update = {
        "title": title,
        "summary": summary,
        "market": market,
        "tags": tags,
        "sections": [s for s in sections if s.text.strip()],
        "sources": sources,
        "views": [v for v in views if v.claim.strip()],
    }
    return doc.model_copy(update=update), removed
