from __future__ import annotations

import pytest

from assistant.grounding.numbers import extract_numbers


def _raw(text: str) -> list[str]:
    return [m.raw for m in extract_numbers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russell 2000上涨7.53%，标普500上涨1.52%[1]。", ["7.53%", "1.52%"]),
        ("On 2026-01-23 the index closed at 2,669.16 [2].", ["2,669.16"]),
        ("2026年1月23日收于2,669.16点[2]。", ["2,669.16点"]),
        ("The 20-day average sits at 2,601.58 [3].", ["2,601.58"]),
        ("52周区间为1,732.99至2,735.10点。", ["1,732.99", "2,735.10点"]),
        ("SMA20 at 2601.58 in Q4 2025 and 10-K filings", ["2601.58"]),
        ("About 50 bp of cuts priced in 2026.", ["50 bp"]),
        ("Revenue of $2.3B and 1.5万亿美元, a 1.3x multiple.", ["$2.3B", "1.5万亿美元", "1.3x"]),
        ("3 sectors rose, in 2026, on Jan 23, 2026.", []),
        ("ＲＵＴ rose ７.５３％", ["7.53%"]),
    ],
)
def test_extracts_assertions_and_skips_names_dates_and_windows(
    text: str, expected: list[str]
) -> None:
    assert _raw(text) == expected


def test_units_scale_and_precision() -> None:
    by_raw = {
        m.raw: m for m in extract_numbers("$2.3B, 1.5万亿, 50个基点, 6.01 percentage points, 14%")
    }
    assert by_raw["$2.3B"].value == pytest.approx(2.3e9)
    assert by_raw["$2.3B"].unit == "usd"
    assert by_raw["$2.3B"].tolerance == pytest.approx(0.05e9)
    assert by_raw["1.5万亿"].value == pytest.approx(1.5e12)
    assert by_raw["50个基点"].value == pytest.approx(0.5)  # basis points read as percentage points
    assert by_raw["50个基点"].unit == "pp"
    assert by_raw["6.01 percentage points"].unit == "pp"
    assert by_raw["14%"].tolerance == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("text", "unit"),
    [("¥300", "cny"), ("￥300", "cny"), ("300元", "cny"), ("120亿元", "cny"), ("300人民币", "cny"), ("人民币300", "cny"), ("RMB 300", "cny"), ("300 yuan", "cny"),
     ("300美元", "usd"), ("$300", "usd"), ("US$300", "usd"), ("300 dollars", "usd")],
)  # fmt: skip
def test_yuan_and_dollar_amounts_are_different_families(text: str, unit: str) -> None:
    (mention,) = extract_numbers(f"规模为{text}。")
    assert mention.unit == unit


def test_ranges_carry_the_unit_and_are_not_negative() -> None:
    first, second = extract_numbers("held at 3.50-3.75% in 2026")
    assert (first.value, first.unit) == (3.5, "%")
    assert (second.value, second.unit) == (3.75, "%")
    assert not second.signed


def test_signs_and_directions() -> None:
    fell, neg, rose = extract_numbers("fell 1.65%, then -0.52%, then rose 0.82%")
    assert fell.direction == "down" and not fell.signed
    assert neg.value == -0.52 and neg.signed
    assert rose.direction == "up"
    (zh,) = extract_numbers("当日下跌1.82%")
    assert zh.direction == "down"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The Russell 2000's beta to the S&P 500 from December 1 to January 23 was 2 [1].", [2.0]),
        ("罗素2000相对标普500的贝塔为2[1]。", [2.0]),
        ("The correlation is 1 over the window.", [1.0]),
        ("Beta was computed over 3 windows.", []),  # a count, not the ratio's value
    ],
)
def test_a_small_ratio_value_is_a_number_to_check(text: str, values: list[float]) -> None:
    from assistant.grounding.numbers import extract_numbers

    assert [m.value for m in extract_numbers(text)] == values


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("It rose 7.53% over the 48 sessions from the December 1 open.", [48.0]),
        ("在12月1日开盘到1月23日收盘的48个交易日里，指数上涨。", [48.0]),
        ("Its high over the 52 weeks to January 23.", []),  # a window parameter
        ("过去20个交易日里指数上涨。", []),
    ],
)
def test_a_stated_window_length_is_a_duration(text: str, values: list[float]) -> None:
    from assistant.grounding.numbers import extract_durations

    assert [m.value for m in extract_durations(text)] == values
