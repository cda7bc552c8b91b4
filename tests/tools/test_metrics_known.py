"""Known answers: the return series and expected values published in empyrical's test suite."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from tools import metrics
from tools.metrics import MetricError


def closes_from(returns_percent: list[float]) -> pd.Series:
    """Prices starting at 100 that produce the given daily returns (NaN counts as 0)."""
    returns = np.nan_to_num(np.array(returns_percent, dtype="float64")) / 100
    prices = 100 * np.cumprod(np.concatenate([[1.0], 1 + returns]))
    return pd.Series(prices, index=pd.bdate_range("2000-01-03", periods=len(prices)))


# empyrical-reloaded's test vectors (tests/test_stats.py): the same series, expected figures.
MIXED = [1.0, 10.0, -4.0, 2.0, 3.0, 2.0, 1.0, -10.0]  # their first NaN dropped
NEGATIVE = [0.0, -6.0, -7.0, -1.0, -9.0, -2.0, -6.0, -8.0, -5.0]
POSITIVE = [1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    ("returns", "expected"),
    [
        (MIXED, -0.1),
        (NEGATIVE, -0.36590730349873601),
        (POSITIVE, 0.0),
        ([10.0, -10.0, 10.0], -0.10),
        ([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0], 0.0),
    ],
)
def test_max_drawdown_matches_published_values(returns: list[float], expected: float) -> None:
    assert metrics.max_drawdown(closes_from(returns)).value == pytest.approx(expected, abs=1e-8)


def test_annual_volatility_matches_published_value() -> None:
    vol = metrics.volatility(closes_from(MIXED), ddof=1)
    assert vol.annual == pytest.approx(0.9136465399704637, abs=1e-8)
    assert vol.daily == pytest.approx(0.9136465399704637 / math.sqrt(252), abs=1e-10)
    assert vol.returns == 8


def test_drawdown_sessions_are_the_peak_and_the_trough() -> None:
    closes = pd.Series(
        [100, 110, 105, 120, 90, 95, 130.0], index=pd.bdate_range("2026-01-05", periods=7)
    )
    drawdown = metrics.max_drawdown(closes)
    assert drawdown.value == pytest.approx(90 / 120 - 1)
    assert (drawdown.peak, drawdown.trough) == (dt.date(2026, 1, 8), dt.date(2026, 1, 9))


def _frame() -> pd.DataFrame:
    index = pd.DatetimeIndex(["2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07"])
    return pd.DataFrame(
        {
            "Open": [10.0, 11.0, 12.0, 13.0],
            "High": [10.5, 12.0, 12.5, 14.0],
            "Low": [9.5, 10.5, 11.0, 12.5],
            "Close": [10.0, 11.5, 12.2, 13.8],
        },
        index=index,
    )


@pytest.mark.parametrize(
    ("convention", "base", "session"),
    [
        ("prev_close", 10.0, dt.date(2026, 1, 2)),
        ("open", 11.0, dt.date(2026, 1, 5)),
        ("start_close", 11.5, dt.date(2026, 1, 5)),
    ],
)
def test_conventions_pick_their_base(convention: str, base: float, session: dt.date) -> None:
    change = metrics.period_change(_frame(), dt.date(2026, 1, 5), dt.date(2026, 1, 7), convention)
    assert (change.base, change.base_session, change.final) == (base, session, 13.8)
    assert change.ratio == pytest.approx(13.8 / base - 1)
    assert change.points == pytest.approx(13.8 - base)


def test_prev_close_without_an_earlier_row_is_a_clear_error() -> None:
    with pytest.raises(MetricError, match="previous close"):
        metrics.period_change(_frame(), dt.date(2026, 1, 2), dt.date(2026, 1, 7), "prev_close")
    with pytest.raises(MetricError, match="convention"):
        metrics.period_change(_frame(), dt.date(2026, 1, 2), dt.date(2026, 1, 7), "close_to_close")


def test_sma_high_low_and_too_little_data() -> None:
    frame = _frame()
    average = metrics.sma(frame["Close"], dt.date(2026, 1, 7), window=3)
    assert average.value == pytest.approx((11.5 + 12.2 + 13.8) / 3)
    assert average.distance == pytest.approx(13.8 / average.value - 1)
    span = metrics.high_low(frame, dt.date(2026, 1, 6), window=3, basis="intraday")
    assert (span.high, span.high_session, span.low, span.low_session) == (
        12.5,
        dt.date(2026, 1, 6),
        9.5,
        dt.date(2026, 1, 2),
    )
    closes = metrics.high_low(frame, dt.date(2026, 1, 6), window=3, basis="close")
    assert (closes.high, closes.low) == (12.2, 10.0)
    with pytest.raises(MetricError, match="needs 5 closes"):
        metrics.sma(frame["Close"], dt.date(2026, 1, 7), window=5)
    with pytest.raises(MetricError, match="needs at least"):
        metrics.volatility(frame["Close"].iloc[:2], ddof=1)


def test_beta_against_itself_and_a_scaled_copy() -> None:
    closes = closes_from(MIXED)
    same = metrics.beta_correlation(closes, closes)
    assert (same.beta, same.correlation) == (pytest.approx(1.0), pytest.approx(1.0))
    doubled = 100 * (1 + 2 * closes.pct_change().fillna(0)).cumprod()
    result = metrics.beta_correlation(doubled, closes)
    assert result.beta == pytest.approx(2.0)
    assert result.correlation == pytest.approx(1.0)
