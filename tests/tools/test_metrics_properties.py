"""Invariants of the metric functions, and the vectorised set agreeing with them and empyrical."""

from __future__ import annotations

import datetime as dt

import empyrical
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tools import metrics
from tools.metrics import Panel, standard_set_many
from tools.prices.fake import synthetic_ohlcv

returns_arrays = arrays(
    np.float64,
    st.integers(min_value=5, max_value=60),
    elements=st.floats(-0.2, 0.2, allow_nan=False),
)


def closes(returns: np.ndarray) -> pd.Series:
    prices = 50 * np.cumprod(np.concatenate([[1.0], 1 + returns]))
    return pd.Series(prices, index=pd.bdate_range("2025-01-02", periods=len(prices)))


@given(returns_arrays)
def test_drawdown_is_between_minus_one_and_zero_and_matches_empyrical(returns: np.ndarray) -> None:
    series = closes(returns)
    drawdown = metrics.max_drawdown(series)
    assert -1 <= drawdown.value <= 0
    assert drawdown.peak <= drawdown.trough
    assert drawdown.value == pytest.approx(
        empyrical.max_drawdown(series.pct_change().iloc[1:]), abs=1e-9
    )


@given(returns_arrays, st.floats(0.01, 1000))
def test_scale_does_not_change_returns_volatility_or_drawdown(
    returns: np.ndarray, scale: float
) -> None:
    series = closes(returns)
    assume(np.std(returns, ddof=1) > 1e-9)
    scaled = series * scale
    frame = pd.DataFrame({"Open": series, "High": series, "Low": series, "Close": series})
    start, end = frame.index[1].date(), frame.index[-1].date()
    a = metrics.period_change(frame, start, end)
    b = metrics.period_change(frame * scale, start, end)
    assert a.ratio == pytest.approx(b.ratio, rel=1e-9, abs=1e-12)
    assert metrics.volatility(series).daily == pytest.approx(
        metrics.volatility(scaled).daily, rel=1e-7, abs=1e-12
    )
    assert metrics.max_drawdown(series).value == pytest.approx(
        metrics.max_drawdown(scaled).value, abs=1e-12
    )


@given(returns_arrays)
def test_volatility_matches_empyrical_and_grows_with_ddof(returns: np.ndarray) -> None:
    series = closes(returns)
    vol1, vol0 = metrics.volatility(series, ddof=1), metrics.volatility(series, ddof=0)
    assert vol1.annual == pytest.approx(
        empyrical.annual_volatility(series.pct_change().iloc[1:]), rel=1e-9, abs=1e-12
    )
    assert vol1.daily >= vol0.daily >= 0


@given(returns_arrays, st.integers(1, 5))
def test_sma_lies_between_the_window_extremes(returns: np.ndarray, window: int) -> None:
    series = closes(returns)
    at = series.index[-1].date()
    average = metrics.sma(series, at, window)
    tail = series.tail(window)
    assert tail.min() - 1e-9 <= average.value <= tail.max() + 1e-9


@given(returns_arrays, returns_arrays)
def test_beta_and_correlation_agree_with_empyrical_and_bounds(a: np.ndarray, b: np.ndarray) -> None:
    n = min(len(a), len(b))
    x, y = closes(a[:n]), closes(b[:n])
    assume(np.std(a[:n], ddof=1) > 1e-6 and np.std(b[:n], ddof=1) > 1e-6)
    result = metrics.beta_correlation(x, y)
    assert -1 - 1e-9 <= result.correlation <= 1 + 1e-9
    expected = empyrical.beta(x.pct_change().iloc[1:], y.pct_change().iloc[1:])
    assert result.beta == pytest.approx(expected, rel=1e-7, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["prev_close", "open", "start_close"]))
def test_vectorised_set_equals_the_one_symbol_functions(seed: int, convention: str) -> None:
    sessions = pd.bdate_range("2025-01-02", periods=60)
    frames = synthetic_ohlcv(["A", "B", "C", "BENCH"], sessions, seed=seed)
    bench = frames.pop("BENCH")
    start, end = sessions[10].date(), sessions[-1].date()
    table = standard_set_many(
        Panel.from_frames(frames), start, end, convention, bench["Close"], range_window=30
    )
    for symbol, frame in frames.items():
        row = table.loc[symbol]
        inside = frame["Close"].loc[pd.Timestamp(start) :]
        change = metrics.period_change(frame, start, end, convention)
        assert row["return"] == pytest.approx(change.ratio, rel=1e-12)
        assert row["change_points"] == pytest.approx(change.points, rel=1e-12)
        assert row["volatility_daily"] == pytest.approx(metrics.volatility(inside).daily, rel=1e-9)
        assert row["sma"] == pytest.approx(metrics.sma(frame["Close"], end, 20).value, rel=1e-12)
        span = metrics.high_low(frame, end, 30)
        assert (row["high_52w"], row["low_52w"]) == (span.high, span.low)
        assert row["max_drawdown"] == pytest.approx(metrics.max_drawdown(inside).value, abs=1e-12)
        beta = metrics.beta_correlation(inside, bench["Close"].loc[pd.Timestamp(start) :])
        assert row["beta"] == pytest.approx(beta.beta, rel=1e-9)
        assert row["correlation"] == pytest.approx(beta.correlation, rel=1e-9)
        assert row["day_change"] == pytest.approx(metrics.day_change(frame, end).ratio, rel=1e-12)


def test_vectorised_set_gives_nan_where_data_cannot_answer() -> None:
    sessions = pd.bdate_range("2025-01-02", periods=30)
    frames = synthetic_ohlcv(["A", "B"], sessions, seed=1)
    frames["B"].loc[:, "Close"] = np.nan
    table = standard_set_many(Panel.from_frames(frames), sessions[0].date(), sessions[-1].date())
    assert np.isnan(table.loc["A", "return"])  # prev_close before the first row does not exist
    assert table.loc["B"].drop(["high_52w", "low_52w"]).isna().all()
    with pytest.raises(metrics.MetricError):
        standard_set_many(Panel.from_frames(frames), dt.date(2030, 1, 1), dt.date(2030, 2, 1))
