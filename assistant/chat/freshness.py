"""Whether an answer stands on live or stored prices, and the notice that says so.

An answer falls back to stored data when the live source fails, when the answer's live-call
allowance is spent, or when the price mode is local and the store is behind. The reference
session ("today" for "last week") may itself be the latest stored session. Either way the
answer opens with one notice, in the asker's language, naming the date of the data
("Live data unavailable; latest stored session 2026-02-20."); `ChatAnswer.stale` carries the
same facts for `--json` and the app. Only a question whose period is placed from the reference
date ("last week", "上周", "past 5 days", YTD) is told that such dates count from that session;
one naming its dates ("January 2026", "Q4 2025", "2025年11月") is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from assistant.grounding.language import Lang
from assistant.reading.shapes import Request
from tools.figure import Figure

Why = Literal["live_failed", "live_calls", "live_deadline", "local", "behind"]

_TEXT: dict[Why, dict[Lang, str]] = {
    "live_failed": {
        "en": "Live data unavailable; latest stored session {day}.",
        "zh": "实时数据不可用；最新存储交易日为{day}。",
    },
    "live_calls": {
        "en": "Live data unavailable: this answer used its {calls} live calls "
        "(FOOTNOTE_MAX_LIVE_CALLS); latest stored session {day}.",
        "zh": "实时数据不可用：本回答已用完{calls}次实时调用（FOOTNOTE_MAX_LIVE_CALLS）；"
        "最新存储交易日为{day}。",
    },
    "live_deadline": {
        "en": "Live data unavailable: this answer's {seconds} s for live data ran out "
        "(FOOTNOTE_LIVE_ANSWER_DEADLINE_S); latest stored session {day}.",
        "zh": "实时数据不可用：本回答的实时数据时限{seconds}秒已用完"
        "（FOOTNOTE_LIVE_ANSWER_DEADLINE_S）；最新存储交易日为{day}。",
    },
    "local": {
        "en": "Live data off (price mode is local); latest stored session {day}.",
        "zh": "未启用实时数据（价格模式为local）；最新存储交易日为{day}。",
    },
    "behind": {
        "en": "Newer data could not be had; latest stored session {day}.",
        "zh": "未能获取更新的数据；最新存储交易日为{day}。",
    },
}

_RELATIVE: dict[Lang, str] = {
    "en": " Relative dates such as 'last week' are counted from that session.",
    "zh": "“上周”等相对日期从该交易日起算。",
}


@dataclass(frozen=True)
class Stale:
    """Stored data stood in for live data: up to which session, why, and the notice."""

    as_of: date
    why: Why
    notice: str
    reference: bool  # the answer's "today" is the latest stored session

    def to_json(self) -> dict[str, Any]:
        return {
            "latest_stored_session": self.as_of.isoformat(),
            "why": self.why,
            "notice": self.notice,
            "reference_is_stored": self.reference,
        }


def _notes(figure: Figure) -> str:
    notes = figure.params.get("notes") or []
    return " ".join(str(n) for n in notes) if isinstance(notes, list) else str(notes)


def _fell_back(figure: Figure) -> bool:
    """Stored rows stood in for live ones: the data are behind, or the live source failed."""
    return figure.stale or "live source failed" in _notes(figure)


def _why(figures: Iterable[Figure]) -> tuple[Why, dict[str, str]]:
    notes = " ".join(_notes(f) for f in figures)
    if "FOOTNOTE_MAX_LIVE_CALLS" in notes:
        calls = notes.split("this answer's ", 1)[1].split(" live calls", 1)[0]
        return "live_calls", {"calls": calls}
    if "FOOTNOTE_LIVE_ANSWER_DEADLINE_S" in notes:
        seconds = notes.split("this answer's ", 1)[1].split(" s for live", 1)[0]
        return "live_deadline", {"seconds": seconds}
    if "live source failed" in notes or "live data unavailable" in notes:
        return "live_failed", {}
    if "price mode is local" in notes:
        return "local", {}
    return "behind", {}


def relative_period(request: Request | None) -> bool:
    """Tell whether the question's period is placed from the reference date ("last week")."""
    return request is not None and request.period is not None and request.period.relative


def stale_data(
    reference: Figure | None, figures: Iterable[Figure], lang: Lang, *, relative: bool
) -> Stale | None:
    """The notice an answer needs when stored data stood in for live data (None: it did not).

    `relative`: the question's period counts from the reference date, so the notice says that
    the reference is the latest stored session when it is."""
    fell = [f for f in figures if _fell_back(f)]
    ref_stale = reference is not None and reference.stale
    if ref_stale and reference is not None:
        fell.append(reference)
    days = [f.as_of for f in fell if f.as_of]
    if not days:
        return None
    why, values = _why(fell)
    if why == "behind" and len(fell) == int(ref_stale):
        # only the reference is old and no live source was asked: a symbol whose data end
        # earlier than the others', which the answer names itself, not a fallback
        return None
    day = max(days)
    notice = _TEXT[why][lang].format(day=day.isoformat(), **values)
    if ref_stale and relative:
        notice += _RELATIVE[lang]
    return Stale(as_of=day, why=why, notice=notice, reference=ref_stale)
