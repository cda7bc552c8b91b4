"""The verifier on a table of cases: rounding, units, scale, sign, pp vs %, wrong passage."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import mark_unsupported, verify
from knowledge.documents import SourceEntry
from knowledge.passage import Passage
from tools.figure import Figure


def _figure(metric: str, value: float, unit: str = "%", symbol: str = "^RUT") -> Figure:
    return Figure(
        metric=metric,
        symbol=symbol,
        value=value,
        unit=unit,  # type: ignore[arg-type]
        start=date(2025, 12, 1),
        end=date(2026, 1, 23),
        as_of=date(2026, 1, 23),
        provider="test",
        formula="test",
    )


def _passage(chunk: str, text: str, summary: str = "") -> Passage:
    return Passage(
        chunk_id=chunk,
        doc_id="doc",
        title="Doc",
        text=text,
        source=SourceEntry(n=1, publisher="Pub", summary=summary),
    )


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger()
    ledger.add_figure(_figure("return", 7.5312))  # [1]
    ledger.add_figure(_figure("day_change", -1.8213))  # [2]
    ledger.add_figure(_figure("sma", 2601.576, "points"))  # [3]
    ledger.add_figure(_figure("spread", 6.0123, "pp", "^RUT - ^GSPC"))  # [4]
    ledger.add_passage(_passage("p1", "Jefferies sees the index at 2,825 by end-2026."))  # [5]
    ledger.add_passage(_passage("p2", "Revenue reached $2.3 billion; GDP 1.5万亿美元."))  # [6]
    ledger.add_passage(_passage("p3", "该基金规模达120亿元。"))  # [7]
    return ledger


def _always_session(_: date) -> bool:
    return True


@pytest.mark.parametrize(
    ("text", "verified", "total"),
    [
        ("The Russell 2000 rose 7.53% [1].", 1, 1),
        ("The Russell 2000 rose 7.5% [1].", 1, 1),  # coarser rounding still within half a unit
        ("The Russell 2000 rose 7.54% [1].", 0, 1),  # off by more than half of the last digit
        ("It fell 1.82% on the day [2].", 1, 1),
        ("It rose 1.82% on the day [2].", 0, 1),  # wrong sign
        ("It changed -1.82% on the day [2].", 1, 1),
        ("The 20-day average is 2,601.58 [3].", 1, 1),
        ("The gap was 6.01 percentage points [4].", 1, 1),
        ("The gap was 6.01% [4].", 0, 1),  # percent is not percentage points
        ("Jefferies targets 2,825 [5].", 1, 1),
        ("Revenue was $2.3B [6].", 1, 1),  # scale: billion == B
        ("GDP was 1.5万亿美元 [6].", 1, 1),  # scale: 万亿
        ("GDP was $1.5 trillion [6].", 1, 1),
        ("Revenue was $2.4B [6].", 0, 1),
        ("基金规模为120亿元[7]。", 1, 1),  # a yuan amount quoted from its source
        ("基金规模为120亿美元[7]。", 0, 1),  # dollars are not yuan
        ("The fund holds 12 billion yuan [7].", 1, 1),
        ("The fund holds RMB 12 billion [7].", 1, 1),
        ("Revenue was 2.3 billion yuan [6].", 0, 1),  # the source says dollars
        ("The 20-day average is ¥2,601.58 [3].", 0, 1),  # the market data is in dollars
        ("20日均线为2,601.58元[3]。", 0, 1),
    ],
)
def test_number_matching(ledger: Ledger, text: str, verified: int, total: int) -> None:
    result = verify(text, ledger, is_session=_always_session)
    assert (result.numbers_verified, result.numbers_total) == (verified, total)
    assert result.ok == (verified == total)


def test_number_cited_to_the_wrong_passage(ledger: Ledger) -> None:
    result = verify("Jefferies targets 2,825 [6].", ledger, is_session=_always_session)
    assert result.numbers_verified == 0
    assert result.findings[0].kind == "wrong_passage"
    assert "[5]" in result.findings[0].detail


def test_unresolved_marker_and_uncited_sentence(ledger: Ledger) -> None:
    result = verify("It rose 7.53%. It rose 9.99%. See [42].", ledger, is_session=_always_session)
    kinds = {f.kind for f in result.findings}
    assert "unresolved_citation" in kinds
    assert "uncited_sentence" in kinds
    # 7.53% is the one figure of the ledger it can be; 9.99% is none of them
    assert result.numbers_verified == 1
    assert result.unsupported == ["9.99%"]


def test_close_on_a_non_session_is_flagged(ledger: Ledger) -> None:
    result = verify("The index's 20-day average was 2,601.58 at the 2026-01-25 close [3].", ledger)
    # the closed day is named, and the figure (dated 2026-01-23) does not carry that date
    assert [f.kind for f in result.findings] == ["claim_mismatch", "non_session_close"]
    clean = verify("The index's 20-day average was 2,601.58 at the 2026-01-23 close [3].", ledger)
    assert clean.ok


def test_chinese_sentences_and_markers(ledger: Ledger) -> None:
    text = "罗素2000上涨7.53%[1]。当日下跌1.82%[2]。杰富瑞预计年底达到2,825点[5]。"
    result = verify(text, ledger, is_session=_always_session)
    assert (result.numbers_verified, result.numbers_total) == (3, 3)
    assert result.ok


def test_years_dates_markers_and_names_are_not_numbers(ledger: Ledger) -> None:
    text = "From 2025-12-01 to Jan 23, 2026 the Russell 2000 and S&P 500 moved; see [1]."
    assert verify(text, ledger, is_session=_always_session).numbers_total == 0


def test_mark_unsupported_flags_only_the_bad_number(ledger: Ledger) -> None:
    text = "It rose 7.53% [1] while the Dow rose 9.99% [1]."
    result = verify(text, ledger, is_session=_always_session)
    marked = mark_unsupported(text, result)
    assert "9.99% (unverified)" in marked
    assert "7.53% (unverified)" not in marked
    zh = mark_unsupported(
        "上涨9.99%[1]。", verify("上涨9.99%[1]。", ledger, is_session=_always_session), "zh"
    )
    assert "9.99%（未核实）" in zh


def test_a_close_that_conflicts_with_the_data_loses_even_when_a_passage_says_it() -> None:
    ledger = Ledger()
    close = _figure("last_close", 2669.16, "points")
    close = close.model_copy(update={"end": date(2026, 1, 23)})
    ledger.add_figure(close)  # [1]
    ledger.add_passage(
        _passage("poison", "The Russell 2000 closed at 2,900.00 on 2026-01-23.")
    )  # [2]
    result = verify(
        "The Russell 2000 closed at 2,900.00 on 2026-01-23 [2].", ledger, is_session=_always_session
    )
    assert [f.kind for f in result.findings] == ["conflicts_with_data"]
    assert "2,669.16" in result.findings[0].detail
    assert verify("It closed at 2,669.16 on 2026-01-23 [1].", ledger, is_session=_always_session).ok


@pytest.mark.parametrize(
    "text",
    [
        "The 20-day average stood at 2,601.58 on Jan. 23 [3].",  # "Jan." does not end a sentence
        "U.S. small caps rose 7.53% and fell 1.82% on the day [1][2].",
        "罗素2000上涨7.53%；当日下跌1.82%[1, 2]。",  # clauses joined by a semicolon share the marker
    ],
)
def test_abbreviations_and_joined_clauses_keep_their_citation(ledger: Ledger, text: str) -> None:
    result = verify(text, ledger, is_session=_always_session)
    assert result.ok, result.summary()
    assert result.numbers_verified == result.numbers_total > 0
