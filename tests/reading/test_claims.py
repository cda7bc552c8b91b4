"""Claims: each number of an answer or a document with metric, symbol, period and sign."""

from __future__ import annotations

import datetime as dt

from assistant.reading import read_claims, read_request

PUBLISHED = dt.date(2026, 1, 26)
D = dt.date.fromisoformat

EN = (
    "The Russell 2000 gained 7.53% from the 2025-12-01 open to the 2026-01-23 close. "
    "Over the same period the S&P 500 rose 1.2%, while the Nasdaq fell 0.4%. "
    "The index closed at 2,669.16 on January 23. "
    "Analysts expect earnings growth of 20% next year. "
    "It trades 6.1% above its 50-day moving average."
)
ZH = (
    "罗素2000指数自2025年12月1日以来上涨7.53%。同期标普500上涨1.2%，纳指下跌0.4%。"
    "在此期间该指数的年化波动率为18.2%。分析师预计明年盈利增长20%。它比50日均线高出6.1%。"
)


def _rows(text: str) -> list[tuple[str, str | None, str | None, float]]:
    return [
        (c.raw, c.metric.key() if c.metric else None, c.symbol, c.value)
        for c in read_claims(text, PUBLISHED, news_date=PUBLISHED)
    ]


def test_english_document() -> None:
    claims = read_claims(EN, PUBLISHED)
    assert _rows(EN) == [
        ("7.53%", "return", "^RUT", 7.53),
        ("1.2%", "return", "^GSPC", 1.2),
        ("0.4%", "return", "^IXIC", -0.4),
        ("2,669.16", "last_close", "^RUT", 2669.16),
        ("20%", None, None, 20.0),
        ("6.1%", "sma_distance window=50", "^RUT", 6.1),
    ]
    first, second = claims[0], claims[1]
    assert first.period is not None and first.period.kind == "between"
    assert (first.period.start, first.period.end) == (D("2025-12-01"), D("2026-01-23"))
    assert first.convention == "open"
    assert second.period is not None and second.period.kind == "same_as_context"
    assert (second.period.start, second.period.end) == (first.period.start, first.period.end)
    assert claims[3].period is not None and claims[3].period.start == D("2026-01-23")
    assert "symbol" in claims[3].from_context


def test_chinese_document() -> None:
    claims = read_claims(ZH, PUBLISHED)
    assert _rows(ZH) == [
        ("7.53%", "return", "^RUT", 7.53),
        ("1.2%", "return", "^GSPC", 1.2),
        ("0.4%", "return", "^IXIC", -0.4),
        ("18.2%", "volatility annualised=true", "^RUT", 18.2),
        ("20%", None, None, 20.0),
        ("6.1%", "sma_distance window=50", "^RUT", 6.1),
    ]
    assert claims[3].period is not None and claims[3].period.start == D("2025-12-01")


def test_answer_sentences_take_the_question_as_context() -> None:
    ref = dt.date(2026, 3, 6)
    question = read_request("How did the Russell 2000 do in January?", ref)
    claims = read_claims(["It rose 4.1%.", "The S&P 500 was up 1.4% over the same period."],
                         ref, context=question)  # fmt: skip
    assert [c.symbol for c in claims] == ["^RUT", "^GSPC"]
    assert all(c.period is not None and c.period.start == D("2026-01-02") for c in claims)
    assert claims[0].from_context == ["symbol", "period"]


def test_below_is_negative() -> None:
    (claim,) = read_claims("SPY trades 2.5% below its 200-day moving average.", PUBLISHED)
    assert claim.metric is not None and claim.metric.name == "sma_distance"
    assert claim.sign == -1 and claim.value == -2.5
