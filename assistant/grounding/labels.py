"""The reader's names for every metric and return convention, in English and Chinese.

One table, used wherever a figure or a fact-check is shown (app, CLI, reports, fact-check notes),
so the internal names (`change_points`, `prev_close`) never reach a reader and one convention
has one name everywhere.
"""

from __future__ import annotations

METRICS: dict[str, dict[str, str]] = {
    "return": {"en": "return", "zh": "涨跌幅"},
    "change_points": {"en": "change in points", "zh": "点数变动"},
    "day_change": {"en": "day change", "zh": "日涨跌幅"},
    "last_close": {"en": "close", "zh": "收盘价"},
    "open": {"en": "open", "zh": "开盘价"},
    "volatility_daily": {"en": "daily volatility", "zh": "日波动率"},
    "volatility_annual": {"en": "annualised volatility", "zh": "年化波动率"},
    "sma": {"en": "moving average", "zh": "移动均线"},
    "sma_distance": {"en": "distance from its moving average", "zh": "相对均线的偏离"},
    "high_52w": {"en": "52-week high", "zh": "52周最高"},
    "low_52w": {"en": "52-week low", "zh": "52周最低"},
    "period_high": {"en": "highest in the period", "zh": "区间最高"},
    "period_low": {"en": "lowest in the period", "zh": "区间最低"},
    "target_distance": {"en": "distance to a forecast target", "zh": "距预测目标"},
    "high_distance": {"en": "distance from the 52-week high", "zh": "距52周最高"},
    "low_distance": {"en": "distance from the 52-week low", "zh": "距52周最低"},
    "level_gap": {"en": "gap between two levels", "zh": "两个点位之差"},
    "max_drawdown": {"en": "maximum drawdown", "zh": "最大回撤"},
    "beta": {"en": "beta", "zh": "贝塔"},
    "correlation": {"en": "correlation", "zh": "相关系数"},
    "sector_change": {"en": "sector day change", "zh": "板块日涨跌幅"},
    "spread": {"en": "performance gap", "zh": "表现差"},
    "compound_growth": {"en": "compound growth", "zh": "复合增长"},
    "simple_growth": {"en": "simple growth", "zh": "简单增长"},
    "other": {"en": "other figure", "zh": "其他数字"},
}

# A return's starting price; "from ..." reads after a figure in both languages.
CONVENTIONS: dict[str, dict[str, str]] = {
    "prev_close": {"en": "from the previous close", "zh": "自前一交易日收盘起算"},
    "open": {"en": "from the open", "zh": "自首日开盘起算"},
    "start_close": {"en": "from the first day's close", "zh": "自首日收盘起算"},
    "close": {"en": "at the close", "zh": "按收盘价"},
    "ddof=1": {"en": "sample standard deviation", "zh": "样本标准差"},
    "ddof=0": {"en": "population standard deviation", "zh": "总体标准差"},
}


def _pick(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    entry = table.get(key)
    if entry is None:
        return key.replace("_", " ")
    return entry["zh" if lang.startswith("zh") else "en"]


def metric_label(metric: str, lang: str = "en") -> str:
    """The reader's name of a metric ("change in points", "点数变动")."""
    return _pick(METRICS, metric, lang)


def convention_label(convention: str, lang: str = "en") -> str:
    """The reader's name of a convention ("from the previous close", "自前一交易日收盘起算")."""
    return _pick(CONVENTIONS, convention, lang)


# A document's `market` field as the reader's language says it.
MARKETS: dict[str, dict[str, str]] = {
    "US equities": {"en": "US equities", "zh": "美股"},
    "China A-shares": {"en": "China A-shares", "zh": "A股"},
    "Hong Kong equities": {"en": "Hong Kong equities", "zh": "港股"},
    "US Treasuries": {"en": "US Treasuries", "zh": "美国国债"},
    "Commodities": {"en": "Commodities", "zh": "大宗商品"},
}
_MARKETS_BY_NAME = {name.casefold(): names for names in MARKETS.values() for name in names.values()}


def market_label(market: str, lang: str = "en") -> str:
    """A document's market in the reader's language ("US equities" -> "美股"); others as given."""
    names = _MARKETS_BY_NAME.get(market.strip().casefold())
    return names["zh" if lang.startswith("zh") else "en"] if names else market
