"""The original seed analysis (../shared/seed): no true claim is accused, its wrong date is named."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.factcheck import CheckedClaim, check_document, load_documents
from assistant.settings import SHARED_DIR
from tools.market import Market

SEED = SHARED_DIR / "seed" / "000_17e7ddb8f0ab51bc.txt"
WINDOW = (dt.date(2025, 12, 1), dt.date(2026, 1, 23))
INDEXES = {"^RUT", "^DJI", "^GSPC", "^IXIC"}


@pytest.fixture(scope="module")
def checked(market: Market) -> list[CheckedClaim]:
    if not SEED.is_file():
        pytest.skip(f"the shared seed analysis is absent: {SEED}")
    return check_document(load_documents(SEED, max_file_mb=20)[0], market)


def _by_raw(checked: list[CheckedClaim], raw: str) -> list[CheckedClaim]:
    return [c for c in checked if c.claim.raw == raw]


def test_window_moves_are_read_over_the_window_not_as_one_day(
    checked: list[CheckedClaim], market: Market
) -> None:
    for raw, symbol in (("3.19%", "^DJI"), ("1.52%", "^GSPC"), ("1.42%", "^IXIC")):
        first = _by_raw(checked, raw)[0]
        assert (first.claim.symbol, first.claim.metric) == (symbol, "return")
        assert (first.claim.start, first.claim.end) == WINDOW  # "在此期间": the window just named
        expected = market.period_return(symbol, *WINDOW, "open").value
        assert first.computed == pytest.approx(expected)
        assert abs(expected - first.claim.claimed) <= first.claim.tolerance
        assert first.verdict == "holds_with_caveat" and "自首日开盘起算" in first.note


def test_points_volatility_and_distance_are_checked(
    checked: list[CheckedClaim], market: Market
) -> None:
    points = _by_raw(checked, "$186.93")[0]
    assert points.claim.metric == "change_points"
    assert points.computed == pytest.approx(market.change_points("^RUT", *WINDOW, "open").value)
    for raw, symbol in (("0.96%", "^RUT"), ("0.62%", "^GSPC")):
        for vol in _by_raw(checked, raw):
            assert (vol.claim.symbol, vol.claim.metric) == (symbol, "volatility_daily")
            daily, _ = market.volatility(symbol, *WINDOW, 0)
            assert vol.computed == pytest.approx(daily.value)
            assert vol.verdict == "holds_with_caveat" and "ddof=0" in vol.receipt
    distance = _by_raw(checked, "2.6%")[0]
    assert distance.claim.metric == "sma_distance" and distance.verdict == "holds"


def test_no_index_claim_is_accused_and_every_accusation_is_a_real_difference(
    checked: list[CheckedClaim],
) -> None:
    accused = [c for c in checked if c.verdict == "differs"]
    assert not [c for c in accused if c.claim.symbol in INDEXES]
    for c in accused:  # the sector moves the seed put on a Sunday match no session's data
        assert c.computed is not None
        assert abs(c.computed - c.claim.claimed) > c.claim.tolerance
        assert "2026-01-23" in c.note and "星期日" in c.note


def test_forecasts_and_rates_are_unverifiable_and_point_to_their_source(
    checked: list[CheckedClaim],
) -> None:
    for raw in ("2825点", "14%", "3.5%", "3.75%"):
        for c in _by_raw(checked, raw):
            assert c.verdict == "unverifiable" and c.computed is None
            assert "所引来源 [" in c.note


def test_the_sunday_close_stays_a_wrong_date(checked: list[CheckedClaim]) -> None:
    close = _by_raw(checked, "$2,669.16")[0]
    assert close.verdict == "wrong_date"
    assert close.claim.date == dt.date(2026, 1, 25)
    assert close.computed == pytest.approx(2669.16, abs=0.005)
    assert close.receipt == "收盘[2026-01-23]"  # the formula's field named in Chinese
