"""The standard metric set for 2,000 symbols x 252 sessions: vectorised vs a per-symbol loop."""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd

from benchmarks.runner import Measure, check, median, timed

NAME = "metrics"
DESCRIPTION = (
    "Standard metric set, 2,000 symbols x 252 sessions (seeded synthetic prices): "
    "median time (target <= 50 ms) and speed-up over a per-symbol empyrical-reloaded loop (>= 20x)"
)
SYMBOLS = 2_000
SESSIONS = 252
SEED = 20260123


def _inputs() -> tuple[object, pd.Series, pd.Timestamp, pd.Timestamp]:
    from tools.metrics import Panel
    from tools.prices.fake import synthetic_ohlcv

    sessions = pd.bdate_range("2025-01-02", periods=SESSIONS + 1)
    frames = synthetic_ohlcv([f"S{i:04d}" for i in range(SYMBOLS + 1)], sessions, seed=SEED)
    bench = frames.pop("S2000")["Close"]
    return Panel.from_frames(frames), bench, sessions[1], sessions[-1]


def _loop(panel: object, bench: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The same figures one symbol at a time, with empyrical-reloaded where it has the metric."""
    import empyrical

    rows = {}
    bench_returns = bench.pct_change().loc[start:end].iloc[1:]
    for symbol in panel.close.columns:  # type: ignore[attr-defined]
        close = panel.close[symbol]  # type: ignore[attr-defined]
        window = close.loc[start:end]
        returns = window.pct_change().iloc[1:]
        base = close.loc[:start].iloc[-2]
        rows[symbol] = {
            "return": window.iloc[-1] / base - 1,
            "volatility_annual": empyrical.annual_volatility(returns),
            "sma": close.loc[:end].tail(20).mean(),
            "high_52w": panel.high[symbol].loc[:end].tail(252).max(),  # type: ignore[attr-defined]
            "low_52w": panel.low[symbol].loc[:end].tail(252).min(),  # type: ignore[attr-defined]
            "max_drawdown": empyrical.max_drawdown(returns),
            "beta": empyrical.beta(returns, bench_returns),
            "correlation": returns.corr(bench_returns),
            "day_change": window.iloc[-1] / window.iloc[-2] - 1,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def run() -> list[Measure]:
    from tools.metrics import standard_set_many

    panel, bench, start, end = _inputs()

    def vectorised() -> pd.DataFrame:
        return standard_set_many(panel, start.date(), end.date(), benchmark=bench)  # type: ignore[arg-type]

    times = timed(vectorised, repeat=15, warmup=2)
    began = time.perf_counter()
    looped = _loop(panel, bench, start, end)
    loop_s = time.perf_counter() - began

    ours = vectorised()
    worst = max(
        float(np.nanmax(np.abs(ours[c].to_numpy() - looped[c].to_numpy()))) for c in looped.columns
    )
    fast = median(times)
    return [
        check("vectorised standard set, median of 15", round(fast * 1000, 2), "ms", "<=", 50),
        Measure("per-symbol empyrical loop, one run", round(loop_s * 1000, 1), "ms"),
        check("speed-up over the loop", round(loop_s / fast, 1), "x", ">=", 20),
        check(
            "largest difference from the loop",
            worst,
            "abs",
            "<=",
            1e-9,
            note="same figures both ways" if math.isfinite(worst) else "NaN",
        ),
    ]
