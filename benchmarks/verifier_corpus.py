"""The demo answers and reports as the verifier sees them: text, evidence, question.

`python -m benchmarks.verifier_corpus` asks the golden-test questions offline on the demo home and
runs the demo research report in both languages, then writes `data/verifier_corpus.json`. The
verifier's false-alarm test and its benchmark read that file, so they need no market data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "data" / "verifier_corpus.json"
NEWS = {"en": "russell-2000-rally-2026-01-26-en", "zh": "russell-2000-rally-2026-01-26-zh"}
# the marks the verifier adds; a recorded text must be the one before marking
_MARKS = re.compile(
    r" \((?:unverified|no such source|market closed that day)\)|（(?:未核实|无此来源|当日休市)）"
)


def load() -> list[dict[str, Any]]:
    """Every recorded item: kind (answer/report), language, question, text, ledger (JSON)."""
    items: list[dict[str, Any]] = json.loads(CORPUS.read_text(encoding="utf-8"))
    return items


def build() -> list[dict[str, Any]]:
    from benchmarks.demo_home import demo_home

    demo_home()
    from assistant import Footnote
    from tests.assistant.test_golden_answers import TURNS

    app = Footnote()
    items: list[dict[str, Any]] = []
    threads: list[str | None] = []
    for i, (question, news, follows) in enumerate(TURNS):
        thread = threads[i + follows] if follows is not None else None
        answer = app.ask(question, thread_id=thread, news_id=news)
        threads.append(answer.thread_id)
        items.append(
            {
                "kind": "answer",
                "language": answer.language,
                "question": question,
                "text": _MARKS.sub("", answer.text),
                "marked": bool(_MARKS.search(answer.text)),
                "ledger": answer.ledger.model_dump(mode="json"),
            }
        )
    service = app.research
    for lang, news in NEWS.items():
        report = service.run(service.plan("", news_id=news))
        items.append(
            {
                "kind": "report",
                "language": lang,
                "question": "",
                "text": _MARKS.sub("", _body(report)),
                "marked": bool(_MARKS.search(_body(report))),
                "ledger": report.ledger.model_dump(mode="json"),
            }
        )
    return items


def _body(report: Any) -> str:
    """The text the research assembler verifies: summary, sections, signals, cited views."""
    views = [
        " ".join(
            f"{part.strip().rstrip('.。;；')} [{v.citation}]."
            for part in re.split(
                r"(?<=[。；！？])|(?<=[.;!?])(?=\s|$)", f"{v.claim} {v.figure or ''}"
            )
            if part.strip()
        )
        for v in report.views
        if v.citation is not None
    ]
    parts = [
        report.summary,
        *(s.text for s in report.sections),
        *(s.status for s in report.signals),
    ]
    return "\n\n".join([*parts, *views])


if __name__ == "__main__":
    built = build()
    CORPUS.write_text(json.dumps(built, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(built)} items to {CORPUS}")
