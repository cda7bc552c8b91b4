"""Pure metric functions: frames in, numbers out, no I/O."""

from tools.metrics.base import TRADING_DAYS, MetricError
from tools.metrics.levels import (
    BASES,
    Basis,
    HighLow,
    MovingAverage,
    high_low,
    period_high_low,
    sma,
)
from tools.metrics.many import STANDARD_COLUMNS, Panel, standard_set_many
from tools.metrics.returns import CONVENTIONS, Convention, PeriodChange, day_change, period_change
from tools.metrics.risk import (
    BetaCorrelation,
    Drawdown,
    Volatility,
    beta_correlation,
    daily_returns,
    max_drawdown,
    volatility,
)

__all__ = [
    "BASES",
    "CONVENTIONS",
    "STANDARD_COLUMNS",
    "TRADING_DAYS",
    "Basis",
    "BetaCorrelation",
    "Convention",
    "Drawdown",
    "HighLow",
    "MetricError",
    "MovingAverage",
    "Panel",
    "PeriodChange",
    "Volatility",
    "beta_correlation",
    "daily_returns",
    "day_change",
    "high_low",
    "max_drawdown",
    "period_change",
    "period_high_low",
    "sma",
    "standard_set_many",
    "volatility",
]
