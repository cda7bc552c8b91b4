"""A document written from computed Figures, in either language, must check clean."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.factcheck import check_text
from tools.figure import Figure
from tools.market import Market
from tools.symbols import symbol_name

START, END = dt.date(2025, 12, 1), dt.date(2026, 1, 23)
PUBLISHED = dt.date(2026, 1, 26)


def _day(d: dt.date, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d:%B} {d.day}, {d.year}"


def _move(value: float, lang: str, unit: str = "%") -> str:
    size = f"{abs(value):,.2f}{unit if unit == '%' else (' points' if lang == 'en' else '点')}"
    if lang == "zh":
        return ("上涨" if value >= 0 else "下跌") + size
    return ("rose " if value >= 0 else "fell ") + size


def _sentences(figures: list[Figure], symbol: str, lang: str) -> list[str]:
    f = {x.metric: x for x in figures}
    name, s, e = symbol_name(symbol, lang), _day(START, lang), _day(END, lang)
    level = lambda m: f"{f[m].value:,.2f}"  # noqa: E731
    dist = f["sma_distance"].value
    if lang == "en":
        side = "above" if dist >= 0 else "below"
        return [
            f"Between {s} and {e} the {name} {_move(f['return'].value, lang)}.",
            f"Between {s} and {e} the {name} {_move(f['change_points'].value, lang, 'points')}.",
            f"Its daily volatility from {s} to {e} was {f['volatility_daily'].value:.2f}% "
            "(sample standard deviation).",
            f"Annualised, that volatility was {f['volatility_annual'].value:.2f}%.",
            f"Its 20-session moving average stood at {level('sma')} on {e}.",
            f"The close was {abs(dist):.2f}% {side} its 20-session moving average.",
            f"Its 52-week high was {level('high_52w')} and its 52-week low was "
            f"{level('low_52w')} as of {e}.",
            f"The {name} closed at {level('last_close')} on {e}.",
            f"On {e} the {name} {_move(f['day_change'].value, lang)}.",
        ]
    side = "高于" if dist >= 0 else "低于"
    return [
        f"{s}至{e}，{name}{_move(f['return'].value, lang)}。",
        f"{s}至{e}，{name}{_move(f['change_points'].value, lang, 'points')}。",
        f"{s}至{e}，{name}的日波动率为{f['volatility_daily'].value:.2f}%（样本标准差）。",
        f"其年化波动率为{f['volatility_annual'].value:.2f}%。",
        f"截至{e}，{name}的20日均线为{level('sma')}点。",
        f"收盘价{side}20日均线{abs(dist):.2f}%。",
        f"截至{e}，{name}的52周最高为{level('high_52w')}点，52周最低为{level('low_52w')}点。",
        f"{e}，{name}收于{level('last_close')}点。",
        f"{e}，{name}{_move(f['day_change'].value, lang)}。",
    ]


def _sector_sentences(figures: list[Figure], lang: str) -> list[str]:
    e = _day(END, lang)
    lines = []
    for f in figures:
        name = symbol_name(f.symbol, lang)
        lines.append(
            f"{e}，{name}{_move(f.value, lang)}。"
            if lang == "zh"
            else f"On {e} the {name} {_move(f.value, lang)}."
        )
    return lines


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_text_written_from_figures_checks_clean(lang: str, market: Market) -> None:
    paragraphs = []
    for symbol in ("^RUT", "^GSPC", "^IXIC"):
        figures = market.standard_set(symbol, START, END)
        paragraphs.append(" ".join(_sentences(figures, symbol, lang)))
    paragraphs.append(" ".join(_sector_sentences(market.sector_performance(END), lang)))
    text = "\n\n".join(paragraphs)
    results = check_text(text, market, published=PUBLISHED)
    problems = [
        (c.claim.raw, c.claim.metric, c.verdict, c.note) for c in results if c.verdict != "holds"
    ]
    assert problems == []
    assert len(results) == 3 * 10 + 11
