"""The fact-check's notes in both languages: why a claim holds, or what the data say instead.

A note is written in the checked document's language (a Chinese analysis gets Chinese notes);
metric and convention names come from `assistant.grounding.labels`, formulas are shown through
`formula_label`.
"""

from __future__ import annotations

import datetime as dt
import re

from assistant.grounding.labels import lang_of

NOTES: dict[str, dict[str, str]] = {
    # a claim that holds, or holds another way
    "holds": {"en": "Holds {how}.", "zh": "成立（{how}）。"},
    "holds_only": {"en": "Holds only {how}{expected}.", "zh": "仅在{how}时成立{expected}。"},
    "expected": {
        "en": " ({how}, {said}, it is {value})",
        "zh": "（{how}，{said}，结果为{value}）",
    },
    "as_stated": {"en": "as the text states", "zh": "即原文所述口径"},
    "the_default": {"en": "the default", "zh": "即默认口径"},
    "no_direction": {
        "en": " The text gives no direction; the size matches.",
        "zh": "原文未说明涨跌方向；幅度相符。",
    },
    "other_session": {
        "en": "The value holds, but it occurred on {session}, not {day}.",
        "zh": "数值成立，但出现在{session}，而非{day}。",
    },
    "truncated": {
        "en": "Holds only after truncation: {exact} rounds to {rounded}, not {raw}.",
        "zh": "仅在截断后成立：{exact}四舍五入应为{rounded}，而非{raw}。",
    },
    # the value belongs elsewhere, or differs
    "elsewhere": {
        "en": "{raw} is the {label}, not of {day}{where}.",
        "zh": "{raw}是{label}，而非{day}的数值{where}。",
    },
    "where": {"en": " ({note})", "zh": "；{note}"},
    "nearest": {
        "en": "The {label}, the last session before, is {value}; the text says {said}.",
        "zh": "此前最后一个交易日{label}为{value}；原文为{said}。",
    },
    "differs": {
        "en": "The data give {value} {how}; the text says {said}.",
        "zh": "数据为{value}（{how}）；原文为{said}。",
    },
    "nothing": {"en": "Nothing to compute on that day.", "zh": "当日没有可计算的数据。"},
    "prefix": {"en": "{note}. ", "zh": "{note}。"},
    "signed": {"en": "{shown} ({raw})", "zh": "{shown}（{raw}）"},
    # no check
    "no_symbol": {"en": "No symbol is named for this figure.", "zh": "这个数字未指明代码。"},
    "no_data": {"en": "No data to check it: {message}", "zh": "没有可供核对的数据：{message}"},
    "no_source": {"en": "{reason}; no source is cited.", "zh": "{reason}；未引用来源。"},
    "see_source": {
        "en": "{reason}; see the cited source {labels}.",
        "zh": "{reason}；见所引来源 {labels}。",
    },
    # how a value was measured
    "measured": {"en": "measured {convention}", "zh": "{convention}"},
    "as": {"en": "as the {what}", "zh": "按{what}"},
    "volatility": {
        "en": "{metric}, {ddof} of {n} daily returns",
        "zh": "{n}个日收益率的{ddof}计算的{metric}",
    },
    "sma": {"en": "SMA{n}", "zh": "{n}日均线"},
    "intraday": {"en": "intraday", "zh": "盘中最高/最低价"},
    "level_vs_close": {"en": "level vs close", "zh": "点位相对收盘价"},
    # which other session a value was computed on
    "window_ending": {"en": "window ending {day}", "zh": "截至{day}的区间涨跌幅"},
    "day_change_of": {"en": "day change of {day}", "zh": "{day}的日涨跌幅"},
    "close_of": {"en": "close of {day}", "zh": "{day}的收盘价"},
    "open_of": {"en": "open of {day}", "zh": "{day}的开盘价"},
    "as_of": {"en": "as of {day}", "zh": "截至{day}的数值"},
    "closed": {"en": "the market was closed on {day}", "zh": "美股于{day}休市"},
    "closed_day": {"en": "{day} ({weekday}, {why})", "zh": "{day}（{weekday}，{why}）"},
    "weekend": {"en": "weekend", "zh": "周末"},
    "holiday": {"en": "exchange holiday", "zh": "交易所假日"},
}

_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# Why a number is not market data (`Claim.reason`, written in English by the reader) in Chinese.
_REASONS_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^a maximum drawdown, which the checker does not compute$"),
        "最大回撤，核查不计算此项",
    ),
    (re.compile(r"^a beta, which the checker does not compute$"), "贝塔，核查不计算此项"),
    (
        re.compile(r"^a correlation, which the checker does not compute$"),
        "相关系数，核查不计算此项",
    ),
    (
        re.compile(r"^a relative performance, which the checker does not compute$"),
        "相对表现，核查不计算此项",
    ),
    (
        re.compile(r"^a high over a period, which the checker does not compute$"),
        "区间最高，核查不计算此项",
    ),
    (
        re.compile(r"^a low over a period, which the checker does not compute$"),
        "区间最低，核查不计算此项",
    ),
    (re.compile(r"^a forecast or target, not market data yet$"), "预测或目标，尚非行情数据"),
    (re.compile(r"^not a market-data figure \(reads as '(.*)'\)$"), r"并非行情数字（读作“\1”）"),
    (re.compile(r"^not a market-data figure$"), "并非行情数字"),
    (re.compile(r"^no symbol is named for this figure$"), "这个数字未指明代码"),
    (
        re.compile(r"^no day or window could be read for this figure$"),
        "无法读出这个数字所指的日期或区间",
    ),
    (
        re.compile(r"^no market metric recognised next to this number$"),
        "这个数字旁没有可识别的行情指标",
    ),
    (re.compile(r"^proposed by the chat model$"), "由大模型提出"),
)


def note(key: str, lang: str, **values: object) -> str:
    """The note phrase `key` in `lang`, filled with `values`."""
    return NOTES[key][lang_of(lang)].format(**values)


def reason(text: str, lang: str) -> str:
    """A claim's reason (why it is not market data) as a sentence start in `lang`."""
    if lang_of(lang) == "zh":
        for pattern, replacement in _REASONS_ZH:
            if pattern.match(text):
                return pattern.sub(replacement, text)
        return text
    return f"{text[:1].upper()}{text[1:]}"


def closed_day(day: dt.date, lang: str) -> str:
    """ "2026-01-25 (Sunday, weekend)" / "2026-01-25（星期日，周末）"."""
    why = note("weekend" if day.weekday() >= 5 else "holiday", lang)
    weekday = _WEEKDAYS_ZH[day.weekday()] if lang_of(lang) == "zh" else day.strftime("%A")
    return note("closed_day", lang, day=day.isoformat(), weekday=weekday, why=why)
