"""The Answer: text with `[n]` markers, its ledger, its verification and the footer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from assistant.budget import Usage
from assistant.grounding.labels import provider_label
from assistant.grounding.language import Lang
from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import Verification


def footer(language: Lang, provider: str | None, as_of: date | None, hypothetical: bool) -> str:
    """AI-generated, informational only, not advice; data provider and as-of session."""
    data = ""
    if provider and as_of:
        data = (
            f"数据：{provider_label(provider, 'zh')}，截至 {as_of.isoformat()} 交易日。"
            if language == "zh"
            else f"Data: {provider}, as of the {as_of.isoformat()} session."
        )
    if language == "zh":
        text = "AI 生成，仅供参考，不构成投资建议。" + data
        if hypothetical:
            text += "涉及未来的内容均为假设，不代表实际结果。"
        return text
    parts = ["AI-generated; for information only, not investment advice.", data]
    if hypothetical:
        parts.append("Anything about the future here is hypothetical, not a prediction of results.")
    return " ".join(p for p in parts if p)


@dataclass
class Answer:
    text: str
    ledger: Ledger
    verification: Verification
    language: Lang
    mode: Literal["llm", "offline"]
    as_of: date | None = None
    usage: Usage = field(default_factory=Usage)
    suggestions: list[str] = field(default_factory=list)
    footer: str = ""
    thread_id: str | None = None
    context: dict[str, Any] = field(default_factory=dict)  # what a follow-up may reuse
    # which asked items the answer gives (None: not checked); separate from `verification`

    def to_json(self) -> dict[str, Any]:
        """The shape of `footnote ask --json`."""
        return {
            "answer": self.text,
            "language": self.language,
            "mode": self.mode,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "citations": self.ledger.to_json(),
            "figures": [f.to_json() for f in self.ledger.figures],
            "verification": self.verification.to_json(),
            "suggestions": self.suggestions,
            "usage": self.usage.to_json(),
            "footer": self.footer,
            "thread_id": self.thread_id,
        }
