"""A fact-check's notes are written in the checked document's language: a Chinese analysis
gets Chinese notes (no English words but tickers and formula notation), an English one English
notes, over the same claims and verdicts. Generated prices, generated documents."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.factcheck import CheckedClaim, check_document, load_documents
from assistant.factcheck.stored import _data_arrived
from tests.english_words import english_words
from tools import calendar
from tools.market import Market
from tools.prices.fake import FakeSource, synthetic_ohlcv

START, END, SUNDAY, THURSDAY = (
    dt.date(2025, 12, 1),
    dt.date(2026, 1, 23),
    dt.date(2026, 1, 25),
    dt.date(2026, 1, 22),
)
CJK = re.compile(r"[\u4e00-\u9fff]")

ZH = """---
id: notes-zh
kind: news
title: 小盘股的几个数字
published: 2026-01-26
language: zh
tickers: ["^RUT"]
sources:
  - n: 2
    publisher: 一份券商报告
---
# 小盘股的几个数字

2025年12月1日至2026年1月23日，罗素2000{move}{ret}%[1]。2025年12月1日至2026年1月23日，罗素2000的日波动率为{vol}%[1]。

2026年1月25日（周日），罗素2000收于{close}点[1]。2026年1月22日，罗素2000收于{wrong}点[1]。

2026年1月23日，苹果（AAPL）上涨3.20%。分析师预计标普500将在2026年底达到7,500点[2]。
"""

EN = """---
id: notes-en
kind: news
title: A few small-cap numbers
published: 2026-01-26
language: en
tickers: ["^RUT"]
sources:
  - n: 2
    publisher: A broker's note
---
# A few small-cap numbers

The Russell 2000 {move} {ret}% between December 1, 2025 and January 23, 2026 [1]. Its daily volatility from December 1, 2025 to January 23, 2026 was {vol}% [1].

The Russell 2000 closed at {close} on Sunday, January 25, 2026 [1]. The Russell 2000 closed at {wrong} on January 22, 2026 [1].

Apple (AAPL) rose 3.20% on January 23, 2026. Analysts expect the S&P 500 to reach 7,500 by the end of 2026 [2].
"""


@pytest.fixture(scope="module")
def market() -> Market:
    sessions = calendar.sessions_between(dt.date(2024, 12, 2), dt.date(2026, 3, 6))
    frames = synthetic_ohlcv(["^RUT", "^GSPC"], sessions, seed=11, start_price=2400.0)
    return Market(FakeSource(frames), today=lambda: dt.date(2026, 3, 9))


def _check(template: str, lang: str, market: Market, tmp_path: Path) -> list[CheckedClaim]:
    ret = market.period_return("^RUT", START, END, "open").value  # from the open: a caveat
    daily, _ = market.volatility("^RUT", START, END, 0)  # population sd: a caveat
    words = {"zh": ("上涨", "下跌"), "en": ("rose", "fell")}[lang]
    text = template.format(
        move=words[0] if ret >= 0 else words[1],
        ret=f"{abs(ret):.2f}",
        vol=f"{daily.value:.2f}",
        close=f"{market.close_on('^RUT', END).value:,.2f}",  # Friday's close put on Sunday
        wrong=f"{market.close_on('^RUT', THURSDAY).value * 1.1:,.2f}",  # 10% off
    )
    path = tmp_path / f"notes-{lang}.md"
    path.write_text(text, encoding="utf-8")
    return check_document(load_documents(path, max_file_mb=1)[0], market)


@pytest.fixture(scope="module")
def both(market: Market, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[CheckedClaim]]:
    folder = tmp_path_factory.mktemp("notes")
    return {lang: _check(t, lang, market, folder) for lang, t in (("zh", ZH), ("en", EN))}


def test_a_chinese_document_gets_chinese_notes(both: dict[str, list[CheckedClaim]]) -> None:
    checked = both["zh"]
    verdicts = {c.verdict for c in checked}
    assert {"holds_with_caveat", "wrong_date", "differs", "unverifiable"} <= verdicts
    for c in checked:
        shown = c.to_json()["note"]  # the note with its receipt, as `footnote check --json`
        assert CJK.search(c.note), c.note
        assert english_words(shown) == [], (c.claim.raw, shown)
        assert c.language == "zh"
    sunday = next(c for c in checked if c.claim.date == SUNDAY)
    assert sunday.verdict == "wrong_date" and "星期日" in sunday.note and "周末" in sunday.note
    forecast = next(c for c in checked if c.claim.raw.startswith("7,500"))
    assert "所引来源 [2]" in forecast.note
    apple = next(c for c in checked if c.claim.symbol == "AAPL")
    assert apple.verdict == "unverifiable" and apple.no_data and "没有可供核对的数据" in apple.note


def test_an_english_document_keeps_english_notes_over_the_same_verdicts(
    both: dict[str, list[CheckedClaim]],
) -> None:
    zh, en = both["zh"], both["en"]
    assert [c.verdict for c in en] == [c.verdict for c in zh]
    assert [c.convention for c in en] == [c.convention for c in zh]
    for c in en:
        assert not CJK.search(c.to_json()["note"]), c.note
    caveat = next(c for c in en if c.verdict == "holds_with_caveat")
    assert caveat.note.startswith("Holds only measured from the open")
    assert "Sunday" in next(c for c in en if c.claim.date == SUNDAY).note
    assert next(c for c in en if c.claim.symbol == "AAPL").no_data


def test_a_claim_without_data_is_checked_again_when_prices_arrive_in_either_language(
    both: dict[str, list[CheckedClaim]], tmp_path: Path
) -> None:
    class Checks:
        def checked_at(self, doc_id: str) -> dt.datetime:
            return dt.datetime(2000, 1, 1)

    prices = tmp_path / "AAPL.parquet"
    prices.write_bytes(b"")
    for results in both.values():
        assert _data_arrived("x", results, Checks(), lambda: [prices])  # type: ignore[arg-type]
