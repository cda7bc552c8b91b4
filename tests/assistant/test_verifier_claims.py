"""Claim-level verification: a true number moved to the wrong symbol, date, metric or sign fails;
numbers in words, fullwidth digits and 【n】 markers are read; marks land where the user sees them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from assistant.grounding.ledger import Ledger
from assistant.grounding.numbers import extract_numbers, fold
from assistant.grounding.verifier import Verification, mark_unsupported, verify
from assistant.reading import read_claims
from knowledge.passage import Passage
from tools.figure import Figure

AS_OF = date(2026, 1, 23)


def _figure(
    metric: str,
    value: float,
    symbol: str = "^RUT",
    unit: str = "%",
    start: date = date(2025, 12, 1),
    end: date = AS_OF,
    **params: Any,
) -> Figure:
    return Figure(
        metric=metric,  # type: ignore[arg-type]
        symbol=symbol,
        value=value,
        unit=unit,  # type: ignore[arg-type]
        start=start,
        end=end,
        as_of=AS_OF,
        provider="test",
        formula="test",
        params=params,
    )


def _passage(chunk: str, text: str) -> Passage:
    return Passage(chunk_id=chunk, doc_id="doc", title="Doc", text=text)


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger()
    ledger.add_figure(_figure("return", 1.5165, "^GSPC"))  # [1]
    ledger.add_figure(_figure("return", 7.5307))  # [2]
    ledger.add_figure(_figure("last_close", 2669.16, unit="points", start=AS_OF))  # [3]
    ledger.add_passage(_passage("p1", "金融(XLF)-1.38%,原材料(XLB)+0.91%。"))  # [4]
    ledger.add_passage(_passage("p2", "Financials (XLF) fell 1.38% on the day."))  # [5]
    ledger.add_figure(_figure("volatility_annual", 15.4687))  # [6]
    ledger.add_figure(
        _figure("max_drawdown", -6.16, "^IXIC", peak="2026-01-12", trough="2026-03-01")
    )  # [7]
    return ledger


def _check(text: str, ledger: Ledger, **kwargs: Any) -> Verification:
    kwargs.setdefault("is_session", lambda d: d.weekday() < 5)
    return verify(text, ledger, reader=read_claims, **kwargs)


def _unsupported(text: str, ledger: Ledger, **kwargs: Any) -> list[str]:
    return _check(text, ledger, **kwargs).unsupported


# ---- a true value under the wrong receipt -------------------------------------------------


def test_the_right_number_for_the_right_symbol_holds(ledger: Ledger) -> None:
    assert _unsupported("The Russell 2000 rose 7.53% [2].", ledger) == []
    assert _unsupported("The S&P 500 rose 1.52% [1].", ledger) == []


def test_a_value_moved_to_another_symbol_is_unsupported(ledger: Ledger) -> None:
    result = _check("The S&P 500 rose 7.53% [2].", ledger)
    assert result.unsupported == ["7.53%"]
    assert result.findings[0].kind == "claim_mismatch"
    assert "^GSPC" in result.findings[0].detail and "^RUT" in result.findings[0].detail


def test_a_close_claimed_for_the_wrong_day_is_unsupported(ledger: Ledger) -> None:
    assert (
        _unsupported("The Russell 2000 closed at 2,669.16 on January 23, 2026 [3].", ledger) == []
    )
    wrong = "The Russell 2000 closed at 2,669.16 on January 22, 2026 [3]."
    result = _check(wrong, ledger)
    assert result.unsupported == ["2,669.16"]
    assert "2026-01-22" in result.findings[0].detail


@pytest.mark.parametrize(
    "text",
    [
        "The Russell 2000's annualised volatility was 7.53% [2].",
        "The Russell 2000's maximum drawdown was 7.53% [2].",
        "罗素2000的最大回撤为7.53%[2]。",
    ],
)
def test_a_return_claimed_as_another_metric_is_unsupported(ledger: Ledger, text: str) -> None:
    assert _unsupported(text, ledger) == [extract_numbers(text)[0].raw]


def test_the_metric_a_figure_is_holds(ledger: Ledger) -> None:
    assert _unsupported("The Russell 2000's annualised volatility was 15.47% [6].", ledger) == []
    assert _unsupported("The Nasdaq's maximum drawdown was 6.16% [7].", ledger) == []


@pytest.mark.parametrize(
    "text",
    [
        "Financials (XLF) rose 1.38% [4].",
        "金融板块(XLF)上涨1.38%[4]。",
        "Financials (XLF) gained 1.38% [5].",
    ],
)
def test_a_passage_supports_only_the_sign_it_states(ledger: Ledger, text: str) -> None:
    assert _unsupported(text, ledger) == [extract_numbers(text)[0].raw]
    assert (
        _unsupported(
            text.replace("rose", "fell").replace("上涨", "下跌").replace("gained", "lost"), ledger
        )
        == []
    )


def test_a_passage_about_another_subject_does_not_support(ledger: Ledger) -> None:
    assert _unsupported("Materials (XLB) fell 1.38% [4].", ledger) == ["1.38%"]


def test_a_fall_cited_to_a_rise_fails_even_beside_a_passage(ledger: Ledger) -> None:
    ledger.add_passage(_passage("p3", "The Russell 2000 rose 7.53% over the period."))  # [8]
    assert _unsupported("The Russell 2000 fell 7.53% [2][8].", ledger) == ["7.53%"]


def test_truncated_digits_hold_but_a_wrong_last_digit_does_not(ledger: Ledger) -> None:
    ledger.add_figure(_figure("return", 3.1879, "^DJI"))  # [8]
    assert _unsupported("The Dow rose 3.18% [8].", ledger) == []  # truncated, not rounded
    assert _unsupported("The Dow rose 3.19% [8].", ledger) == []  # rounded
    assert _unsupported("The Dow rose 3.17% [8].", ledger) == ["3.17%"]


# ---- the question's numbers are premises --------------------------------------------------


def test_a_number_from_the_question_is_not_support(ledger: Ledger) -> None:
    question = "Did the Russell 2000 rise 12% from Dec 1 to Jan 23?"
    result = _check("Yes, it rose 12% [2].", ledger, given=[question])
    assert result.unsupported == ["12%"]
    assert result.findings[-1].kind == "premise_repeated"


def test_rejecting_the_question_premise_is_not_a_claim(ledger: Ledger) -> None:
    question = "Did the Russell 2000 fall 20% from Dec 1 to Jan 23?"
    answer = "The data do not support the premise: the Russell 2000 returned +7.53% [2], not -20%."
    result = _check(answer, ledger, given=[question])
    assert result.ok and result.numbers_verified == 2
    assert _check(
        "数据不支持这一前提：罗素2000上涨7.53%[2]，而不是下跌20%。",
        ledger,
        given=["罗素2000跌了20%吗？"],
    ).ok


def test_our_own_fixed_texts_are_trusted(ledger: Ledger) -> None:
    notice = "That message is too long (5,000 characters; the limit is 4,000)."
    assert verify(notice, ledger, trusted=[notice]).ok
    assert not verify(notice, ledger, given=[notice]).ok


# ---- uncited sentences ----------------------------------------------------------------------


def test_an_uncited_number_holds_only_when_one_figure_matches_it_in_full(ledger: Ledger) -> None:
    assert _check("The Russell 2000 rose 7.53% since December.", ledger).ok
    ledger.add_figure(_figure("return", 7.5299, "^IXIC"))  # a second figure with that value
    result = _check("It rose 7.53% since December.", ledger)
    assert result.unsupported == ["7.53%"]
    assert [f.kind for f in result.findings] == ["uncited_sentence", "unsupported_number"]
    assert "[2], [8] all match" in result.findings[1].detail
    marked = mark_unsupported("It rose 7.53% since December.", result, "en")
    assert marked == "It rose 7.53% (unverified) since December."
    # the subject decides between them
    assert _check("The Russell 2000 rose 7.53% since December.", ledger).ok


# ---- number extraction ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("It rose twelve percent.", 12.0, "%"),
        ("It rose seven and a half percent.", 7.5, "%"),
        ("The spread widened by twenty-five basis points.", 0.25, "pp"),
        ("指数上涨百分之十二。", 12.0, "%"),
        ("指数上涨百分之七点五。", 7.5, "%"),
        ("指数上涨一成。", 10.0, "%"),
        ("指数上涨两成半。", 25.0, "%"),
        ("利差扩大三个百分点。", 3.0, "pp"),
        ("市值达1.87万亿美元。", 1.87e12, "usd"),
        ("指数上涨９．６％。", 9.6, "%"),
        ("Jefferies targets 2050 for the index.", 2050.0, "plain"),
        ("The index closed at 5 on the day.", 5.0, "plain"),
        ("Revenue reached 3.2B dollars and the multiple is 1.3x.", 3.2e9, "usd"),
    ],
)
def test_numbers_in_words_numerals_fullwidth_and_levels_are_read(
    text: str, value: float, unit: str
) -> None:
    first = extract_numbers(text)[0]
    assert first.value == pytest.approx(value)
    assert first.unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "In 2026 three of the five sectors rose.",
        "On 2026-01-23 the index, see [3], was flat in Q4 2025.",
        "1. The first point. 2. The second point.",
        "Midterm years such as 2026 have been good; the 20-day SMA over the past 30 days.",
        "这种格局一成不变。",
    ],
)
def test_dates_markers_list_numbers_and_years_are_not_claims(text: str) -> None:
    assert extract_numbers(text) == []


def test_word_numbers_are_checked_like_digits(ledger: Ledger) -> None:
    assert _unsupported("The Russell 2000 rose seven and a half percent [2].", ledger) == []
    assert _unsupported("The Russell 2000 rose twelve percent [2].", ledger) == ["twelve percent"]
    assert _unsupported("罗素2000上涨百分之十二[2]。", ledger) == ["百分之十二"]


def test_a_stated_duration_is_checked(ledger: Ledger) -> None:
    assert _unsupported("The Nasdaq's slide lasted 48 days [7].", ledger) == []  # peak to trough
    assert _unsupported("The Nasdaq's slide lasted 30 days [7].", ledger) == ["30 days"]


def test_a_year_like_target_is_checked(ledger: Ledger) -> None:
    ledger.add_passage(_passage("p9", "Jefferies targets 2,825 for the Russell 2000."))  # [8]
    assert _unsupported("Jefferies targets 2050 for the Russell 2000 [8].", ledger) == ["2050"]


# ---- marks where the user sees them ------------------------------------------------------


def test_marks_land_after_an_ellipsis_on_the_right_occurrence(ledger: Ledger) -> None:
    text = "The rally… it rose 7.53% [2]. The S&P 500 rose 7.53% [2]. See [9]."
    result = _check(text, ledger)
    marked = mark_unsupported(text, result, "en")
    assert marked == (
        "The rally… it rose 7.53% [2]. The S&P 500 rose 7.53% (unverified) [2]. "
        "See [9] (no such source)."
    )


def test_fullwidth_numbers_and_brackets_are_marked_in_place_in_chinese(ledger: Ledger) -> None:
    text = "罗素2000上涨７．５３％【2】……标普500上涨７．５３％【2】。另见【9】。"
    result = _check(text, ledger)
    assert result.numbers_total == 2 and result.unsupported == ["7.53%"]
    assert {f.kind for f in result.findings} == {"claim_mismatch", "unresolved_citation"}
    marked = mark_unsupported(text, result)  # the language is read from the text
    assert (
        marked
        == "罗素2000上涨７．５３％【2】……标普500上涨７．５３％（未核实）【2】。另见【9】（无此来源）。"
    )


def test_a_close_on_a_closed_day_is_marked_at_the_date(ledger: Ledger) -> None:
    text = "The Russell 2000 closed at 2,669.16 on Saturday, January 24, 2026 [3]."
    result = _check(text, ledger)
    assert "non_session_close" in {f.kind for f in result.findings}
    marked = mark_unsupported(text, result, "en")
    assert "January 24, 2026 (market closed that day)" in marked
    zh = "罗素2000在2026年1月24日收于2,669.16点[3]。"
    assert "2026年1月24日（当日休市）" in mark_unsupported(zh, _check(zh, ledger), "zh")


def test_every_span_finding_points_into_the_visible_text(ledger: Ledger) -> None:
    text = "“Small caps”… rose ９．９９％ [2]; 7.53% [8]."
    visible = fold(text)
    result = _check(text, ledger)
    for check in result.checks:
        assert fold(text[check.start : check.end]).folded == check.raw
    assert visible.folded.count("9.99%") == 1
    spans = [(f.start, f.end) for f in result.findings if f.start is not None]
    assert spans and all(0 <= a < b <= len(text) for a, b in spans)


def test_a_premise_is_rejected_only_by_a_negation_next_to_it(ledger: Ledger) -> None:
    question = "Did the Russell 2000 rise 12%?"
    assert _unsupported("No, it rose 12% [2].", ledger, given=[question]) == ["12%"]
    assert _unsupported("It did not rise 12%; it rose 7.53% [2].", ledger, given=[question]) == []
