"""The offline answers to the demo questions, byte for byte, as recorded before a refactor.

A refactor must not change what a user reads: the answer text, its citations (what each number
points at), the verification and the footer. Re-record on purpose, after a change that is meant to
alter answers, with FOOTNOTE_RECORD_GOLDEN=1 and review the diff of the JSON file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.assistant.test_offline_answers import NEWS_EN, NEWS_ZH, QUESTIONS

GOLDEN = Path(__file__).parent / "golden" / "offline_answers.json"
RECORD = os.environ.get("FOOTNOTE_RECORD_GOLDEN") == "1"

# (question, news id or None, index of the earlier turn whose thread it continues, or None)
TURNS: list[tuple[str, str | None, int | None]] = [
    *[(q, None, None) for q, _ in QUESTIONS],
    ("罗素2000的20日均线在哪里？", NEWS_ZH, None),
    ("What did the experts say?", NEWS_EN, None),
    ("How did the Russell 2000 do from 2026-01-26 to 2026-02-20?", NEWS_EN, None),
    ("罗素2000在12月1日至1月23日涨了多少？", None, None),
    ("那标普呢？", None, -1),
    ("and the Dow?", None, -2),
    ("What was the close of the S&P 500 on Sunday, January 25, 2026?", None, None),
    ("If I invest 10000 at 8% a year for 5 years, what do I get?", None, None),
    ("Did the Russell 2000 fall 20% from Dec 1 to Jan 23?", None, None),
    ("What's the weather in Paris?", None, None),
    ("What's the latest close of ZZZZQ?", None, None),
]


def _citation(entry: dict[str, Any]) -> dict[str, Any]:
    keep = ("n", "kind", "metric", "symbol", "value", "unit", "start", "end", "as_of")
    if entry["kind"] == "passage":
        keep = ("n", "kind", "doc_id", "chunk_id", "section", "text")
    return {k: entry.get(k) for k in keep}


def _record(make_assistant: Callable[..., Any]) -> list[dict[str, Any]]:
    assistant = make_assistant()
    answers: list[Any] = []
    out: list[dict[str, Any]] = []
    for i, (question, news, follows) in enumerate(TURNS):
        thread = answers[i + follows].thread_id if follows is not None else None
        answer = assistant.ask(question, thread_id=thread, news_id=news)
        answers.append(answer)
        data = answer.to_json()
        out.append(
            {
                "question": question,
                "news": news,
                "answer": data["answer"],
                "language": data["language"],
                "as_of": data["as_of"],
                "citations": [_citation(c) for c in data["citations"]],
                "verification": data["verification"],
                "suggestions": data["suggestions"],
                "footer": data["footer"],
            }
        )
    return out


def test_offline_answers_match_the_recording(make_assistant: Callable[..., Any]) -> None:
    got = json.loads(json.dumps(_record(make_assistant), ensure_ascii=False, default=str))
    if RECORD or not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not RECORD:
            pytest.fail(f"no recording yet: wrote {GOLDEN.name}; review it and run again")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g == w, f"answer to {w['question']!r} changed"
