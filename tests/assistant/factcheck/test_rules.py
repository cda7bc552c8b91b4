"""Claim rules on single sentences, and verdicts on hand-made computations."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.factcheck import extract_claims
from assistant.factcheck.claims import Claim
from assistant.factcheck.compute import Computed, Option
from assistant.factcheck.verify import judge

D = dt.date(2026, 1, 26)


def _read(text: str) -> list[tuple[str, str | None, str, float]]:
    return [(c.raw, c.symbol, c.metric, c.claimed) for c in extract_claims(text, D)]


def test_numbers_followed_by_for_symbol_take_that_symbol() -> None:
    got = _read(
        "Measured from the November 28, 2025 close, the gains are 6.75% for the Russell 2000 and 0.97% for the S&P 500."
    )
    assert got == [("6.75%", "^RUT", "return", 6.75), ("0.97%", "^GSPC", "return", 0.97)]


def test_a_list_of_numbers_maps_to_the_symbols_named_before_it_in_order() -> None:
    claims = extract_claims(
        "2025年12月2日至2026年1月23日，罗素2000为0.96%，标普500为0.62%的日波动率；若用样本标准差ddof=1，则分别为0.97%和0.63%。",
        D,
    )
    assert [(c.symbol, c.convention) for c in claims[2:]] == [
        ("^RUT", "ddof=1"),
        ("^GSPC", "ddof=1"),
    ]


def test_the_index_means_the_index_the_text_is_about() -> None:
    text = (
        "The Russell 2000 rose 2% on January 23, 2026 and the Russell 2000 led again, while the "
        "S&P 500 gained 1%. The index closed at 2,669.16 on January 23, 2026."
    )
    assert extract_claims(text, D)[-1].symbol == "^RUT"


def test_direction_words_sign_changes_in_both_languages() -> None:
    assert [
        c.claimed for c in extract_claims("On January 23, 2026 the Russell 2000 fell 1.82%.", D)
    ] == [-1.82]
    assert [c.claimed for c in extract_claims("2026年1月23日，罗素2000下跌1.82%。", D)] == [-1.82]
    unsigned = extract_claims("On January 23, 2026 the Russell 2000 moved 1.82%.", D)[0]
    assert unsigned.sign_known is False


def test_forecasts_rates_and_valuations_are_not_market_claims() -> None:
    for text in (
        "Jefferies set a year-end target of 2,825 for the Russell 2000 [4].",
        "The Russell 2000 traded at a forward P/E about 30% below large caps [7].",
        "摩根大通预计美联储将利率维持在3.50%-3.75%[6]。",
    ):
        assert {c.metric for c in extract_claims(text, D)} == {"other"}, text


def test_dates_without_a_year_are_read_before_the_publication_day() -> None:
    claim = extract_claims("The Russell 2000 closed at 2,526.24 on December 9.", D)[0]
    assert claim.date == dt.date(2025, 12, 9)


def test_a_stated_open_or_close_sets_the_convention() -> None:
    opened = extract_claims(
        "From the December 1, 2025 open to January 23, 2026 the Dow gained 3.19%.", D
    )[0]
    closed = extract_claims("以2025年11月28日收盘价为起点，至2026年1月23日道指上涨2.90%。", D)[0]
    assert (opened.convention, opened.start) == ("open", dt.date(2025, 12, 1))
    assert (closed.convention, closed.start) == ("start_close", dt.date(2025, 11, 28))


def _claim(value: float, decimals: int = 2, **extra: object) -> Claim:
    fields: dict[str, object] = {
        "sentence": "s",
        "span": (0, 1),
        "raw": f"{value}",
        "symbol": "^RUT",
        "metric": "return",
        "claimed": value,
        "unit": "%",
        "tolerance": 0.5 * 10**-decimals,
        "decimals": decimals,
        **extra,
    }
    return Claim.model_validate(fields)


def _options(*values: tuple[float, str, bool]) -> Computed:
    return Computed([Option(v, conv, f"receipt {conv}", ok) for v, conv, ok in values])


@pytest.mark.parametrize(
    ("claimed", "verdict", "convention"),
    [
        (6.75, "holds", "prev_close"),
        (7.53, "holds_with_caveat", "open"),
        (7.52, "holds_with_caveat", "open"),  # 7.5271 truncated
        (9.10, "differs", "prev_close"),
    ],
)
def test_verdicts_follow_the_matching_computation(
    claimed: float, verdict: str, convention: str
) -> None:
    computed = _options((6.7480, "prev_close", True), (7.5271, "open", False))
    checked = judge(_claim(claimed), computed)
    assert (checked.verdict, checked.convention) == (verdict, convention)
    assert checked.receipt == f"receipt {convention}"


def test_a_value_that_matches_only_another_session_is_a_wrong_date() -> None:
    computed = Computed(
        [Option(2669.16, "close", "Close[2026-01-23]", True)],
        [Option(2718.77, "close", "Close[2026-01-22]", False, "close of 2026-01-22")],
    )
    checked = judge(_claim(2718.77, metric="last_close", unit="points"), computed)
    assert checked.verdict == "wrong_date" and "2026-01-22" in checked.note


def test_an_unsigned_claim_matches_on_size_and_says_so() -> None:
    checked = judge(_claim(1.82, sign_known=False), _options((-1.8247, "prev_close", True)))
    assert checked.verdict == "holds" and "no direction" in checked.note
    signed = judge(_claim(1.82), _options((-1.8247, "prev_close", True)))
    assert signed.verdict == "differs"


def test_hard_wrapped_lines_are_joined_but_blocks_are_not() -> None:
    from assistant.factcheck.segments import split_sentences

    text = (
        "# A heading line that is long enough to look like wrapped prose\n"
        "Selling returned on January 20, 2026, when the Dow Jones Industrial Average\n"
        "shed 870.74 points [1].\n"
        "- a list item that is long enough to be mistaken for wrapped prose\n"
        "- the next item\n\n"
        "此前2026年1月20日抛压重现，道琼斯工业平均指数当天下跌\n870.74点[1]。"
    )
    sentences = split_sentences(text)
    assert [s.text[:12] for s in sentences] == [
        "# A heading ",
        "Selling retu",
        "- a list ite",
        "- the next i",
        "此前2026年1月20日",
    ]
    assert all(text[s.start : s.end].replace("\n", " ") == s.text for s in sentences)
    points = [c for c in extract_claims(text, D) if c.metric != "other"]
    assert [(c.symbol, c.metric, c.start, c.claimed) for c in points] == [
        ("^DJI", "change_points", dt.date(2026, 1, 20), -870.74),
        ("^DJI", "change_points", dt.date(2026, 1, 20), -870.74),
    ]
