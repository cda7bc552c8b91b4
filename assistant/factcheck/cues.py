"""Bilingual words that say what a number in a sentence measures, and how."""

from __future__ import annotations

import re

from assistant.grounding.lexicon import CLOSE_EN, CLOSE_ZH, DOWN_EN, DOWN_ZH, UP_EN, UP_ZH, words

_I = re.IGNORECASE

# Numbers next to these are not market data: forecasts, valuations, rates, macro figures.
NOT_MARKET = re.compile(
    r"target|forecast\w*|expect\w*|estimat\w*|predict\w*|outlook|projection"
    r"|P/E|price[- ]to[- ]earnings|earnings|\bEPS\b|\bGDP\b|funds rate|interest rates?"
    r"|basis points of|rate cuts?|\bcuts?\b|\bhikes?\b|inflation|valuation|multiple|discount"
    r"|目标|预测|预计|预期|市盈率|盈利|利率|降息|加息|估值|通胀|增速|折价|经济",
    _I,
)
VOLATILITY = re.compile(r"volatility|standard deviation|std\.?\s?dev|波动率|标准差", _I)
ANNUAL = re.compile(r"annuali[sz]ed|annual|年化", _I)
DAILY = re.compile(r"\bdaily\b|日收益率|日收盘收益率|日波动", _I)
SMA = re.compile(
    r"moving average|\bSMA\d*\b|\d+[- ]?(?:day|session) average|均线|移动平均|平均线", _I
)
HIGH = re.compile(r"52-week high|\bhigh\b|52周高点|52周最高|高点|最高", _I)
LOW = re.compile(r"52-week low|\blow\b|52周低点|52周最低|低点|最低", _I)
RANGE = re.compile(r"52-week|52 weeks|52周|\brange\b|区间", _I)
OPEN = re.compile(r"\bopen(?:ing|ed|s)?\b|开盘", _I)
CLOSE = re.compile(words(CLOSE_EN, CLOSE_ZH), _I)
CHANGE = re.compile(
    r"\b(?:rose|rise|rises|risen|gain\w*|fell|fall|falls|drop\w*|declin\w*|climb\w*|jump\w*"
    r"|slid|slipped|advanc\w*|added|lost|up|down|return\w*|performance|moved|rall\w*|sank"
    r"|tumbl\w*|surg\w*|change)\b"
    r"|上涨|下跌|涨幅|跌幅|涨跌|上升|下降|回落|走高|走低|收涨|收跌|涨|跌|回报",
    _I,
)
ABOVE = re.compile(r"\babove\b|\bhigher than\b", _I)
BELOW = re.compile(r"\bbelow\b|\blower than\b|\bunder\b", _I)
ZH_ABOVE = re.compile(r"(?:高于|高出)\S{0,12}$|高约?$")
ZH_BELOW = re.compile(r"(?:低于|还差|仅差|距)\S{0,12}$|(?:低约?|差)$")
DOWN_WORDS = re.compile(words(DOWN_EN, DOWN_ZH), _I)
UP_WORDS = re.compile(words(UP_EN, UP_ZH), _I)

# How a change or a level is measured.
START_OPEN = re.compile(r"\bopen(?:ing)?\b|开盘", _I)
START_CLOSE = re.compile(r"\bclos(?:e|ing)\b|收盘", _I)
PREVIOUS_CLOSE = re.compile(
    r"previous close|prior close|close to close|close-to-close|前收|前一交易日收盘|收盘价对收盘价",
    _I,
)
SAME_WAY = re.compile(
    r"same way|same convention|same basis|measured the same|同一口径|同样口径|按同一", _I
)
DDOF = re.compile(r"ddof\s?=\s?([01])|(population|总体)|(sample|样本)", _I)
INTRADAY = re.compile(r"intraday|盘中", _I)
CLOSING_BASIS = re.compile(r"closing (?:high|low|basis)|收盘(?:最高|最低|高点|低点)", _I)
SESSIONS = re.compile(r"(\d{1,3})\s?(?:-\s?)?(?:sessions?|trading days|个交易日)", _I)
SMA_WINDOW = re.compile(r"(\d{1,3})\s?(?:-\s?)?(?:sessions?|days?|日|个交易日|天)", _I)
RESPECTIVELY = re.compile(r"respectively|the figures are|分别|四者|三者|两者|二者", _I)
THE_INDEX = re.compile(r"\bthe index\b|\bthe benchmark\b|该指数|指数", _I)
LEVEL_SUBJECT = re.compile(r"that level|this level|the target|这一点位|该点位|这一目标|该目标", _I)
CLAUSE_BREAK = re.compile(r"[;，；:：(（)）]|,(?!\d{3})")


def nearest_before(pattern: re.Pattern[str], text: str, end: int, start: int = 0) -> int | None:
    """Return the end offset of the last match of `pattern` in text[start:end], if any."""
    last = None
    for match in pattern.finditer(text, start, end):
        last = match.end()
    return last
