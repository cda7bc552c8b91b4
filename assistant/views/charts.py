"""Plotly figures from market data: a price chart, relative performance and sector bars.

Every series is read through the `Market`'s price source, so a chart shows exactly the rows the
figures in an answer were computed from. Missing data raises the source's `PriceError` (with its
hint); callers decide how to show it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from assistant.ports import Market

SMA_WINDOW = 20
RANGE_SESSIONS = 252
DEFAULT_SESSIONS = 126  # about six months on screen

_WORDS = {
    "en": {
        "close": "Close",
        "sma": "20-day average",
        "band": "52-week range",
        "high": "52-week high",
        "low": "52-week low",
        "price_title": "{name}: close, 20-day average and 52-week range",
        "relative_title": "Relative performance, {start} to {end} (from the previous close)",
        "relative_axis": "change since {base} close, %",
        "sector_title": "Sector ETFs, day change on {day}",
        "sector_axis": "day change, %",
        "sector_missing": "Not shown, data end earlier: {items}",
        "common_end": "Compared to {day}, the last session all have: {items}",
        "ended": "{symbol} (last session {day})",
        "no_data": "{symbol} (no data)",
        "source": "Data: {provider}, as of {as_of}",
    },
    "zh": {
        "close": "收盘价",
        "sma": "20日均线",
        "band": "52周区间",
        "high": "52周最高",
        "low": "52周最低",
        "price_title": "{name}：收盘价、20日均线与52周区间",
        "relative_title": "相对表现，{start} 至 {end}（以前一交易日收盘为基准）",
        "relative_axis": "相对 {base} 收盘的涨跌幅，%",
        "sector_title": "行业 ETF {day} 日涨跌幅",
        "sector_axis": "日涨跌幅，%",
        "sector_missing": "未显示（数据截至更早）：{items}",
        "common_end": "比较截至各标的共同的最后交易日 {day}：{items}",
        "ended": "{symbol}（最后交易日 {day}）",
        "no_data": "{symbol}（无数据）",
        "source": "数据：{provider}，截至 {as_of}",
    },
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS["zh" if lang.startswith("zh") else "en"]


def _last_session(market: Market, symbol: str) -> dt.date:
    """The last session the source holds for `symbol`, else the last one before today."""
    from tools import calendar
    from tools.symbols import resolve_symbol

    found = market.last_session(resolve_symbol(symbol))
    return found or calendar.session_on_or_before(market.today())


def _frame(market: Market, symbol: str, start: dt.date, end: dt.date) -> tuple[pd.DataFrame, Any]:
    history = market.source.history(symbol, start, end)
    return history.frame, history


def price_series(
    symbol: str,
    *,
    end: dt.date | None = None,
    sessions: int = DEFAULT_SESSIONS,
    market: Market,
) -> pd.DataFrame:
    """Return Close, SMA20, High52 and Low52 for the last `sessions` sessions up to `end`.

    The 52-week columns are empty where fewer than 252 sessions precede a row, rather than a
    shorter window passed off as 52 weeks.
    """
    from tools import calendar

    end = end or _last_session(market, symbol)
    start = calendar.sessions_back(end, sessions + RANGE_SESSIONS)[0].date()
    frame, _ = _frame(market, symbol, start, end)
    out = pd.DataFrame(index=frame.index)
    out["Close"] = frame["Close"]
    out["SMA20"] = frame["Close"].rolling(SMA_WINDOW).mean()
    out["High52"] = frame["High"].rolling(RANGE_SESSIONS).max()
    out["Low52"] = frame["Low"].rolling(RANGE_SESSIONS).min()
    return out.iloc[-sessions:]


def price_chart(
    symbol: str,
    *,
    end: dt.date | None = None,
    sessions: int = DEFAULT_SESSIONS,
    lang: str = "en",
    market: Market,
) -> go.Figure:
    """Chart the close with its 20-day average and the 52-week high-low band."""
    import plotly.graph_objects as go

    from tools.symbols import resolve_symbol, symbol_name

    words = _words(lang)
    symbol = resolve_symbol(symbol)
    series = price_series(symbol, end=end, sessions=sessions, market=market)
    x = series.index
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=x, y=series["High52"], name=words["high"], line={"width": 0}, showlegend=False)
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=series["Low52"],
            name=words["band"],
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(120, 140, 180, 0.18)",
        )
    )
    fig.add_trace(go.Scatter(x=x, y=series["Close"], name=words["close"], line={"width": 2}))
    fig.add_trace(
        go.Scatter(x=x, y=series["SMA20"], name=words["sma"], line={"width": 1.5, "dash": "dot"})
    )
    name = symbol_name(symbol, "zh" if lang.startswith("zh") else "en")
    return _layout(fig, words["price_title"].format(name=name), "")


def relative_series(
    symbols: Sequence[str],
    start: dt.date,
    end: dt.date,
    *,
    market: Market,
) -> pd.DataFrame:
    """Return each symbol's percent change from the close before `start`, one column each.

    Symbols without prices in the window are left out; the frame's `attrs["missing"]` names them.
    """
    from tools import calendar
    from tools.prices.base import PriceError
    from tools.symbols import resolve_symbol

    base = calendar.previous_session(start)
    columns: dict[str, pd.Series] = {}
    missing: dict[str, str] = {}
    for text in symbols:
        symbol = resolve_symbol(text)
        try:
            frame, _ = _frame(market, symbol, base, end)
        except PriceError as exc:
            missing[symbol] = exc.message
            continue
        closes = frame["Close"]
        if closes.empty or closes.index[0].date() > base:
            missing[symbol] = f"no close for {symbol} on {base}"
            continue
        columns[symbol] = (closes / closes.iloc[0] - 1) * 100
    out = pd.DataFrame(columns)
    ends = {
        s: col.dropna().index[-1].date() for s, col in columns.items() if not col.dropna().empty
    }
    common = min(ends.values()) if ends else None
    if common is not None and len(set(ends.values())) > 1:
        out = out.loc[: pd.Timestamp(common)]  # one as-of session for every line
    out.attrs["missing"] = missing
    out.attrs["base"] = base
    out.attrs["ended_before"] = {s: d for s, d in ends.items() if common and d == common}
    out.attrs["common_end"] = common if len(set(ends.values())) > 1 else None
    return out


def relative_chart(
    symbols: Sequence[str],
    start: dt.date,
    end: dt.date,
    *,
    lang: str = "en",
    market: Market,
) -> go.Figure:
    """Chart the percent change of several symbols over one window, all from the same base close."""
    import plotly.graph_objects as go

    from tools.prices.base import NoData
    from tools.symbols import symbol_name

    words = _words(lang)
    series = relative_series(symbols, start, end, market=market)
    if series.empty:
        missing = "; ".join(series.attrs["missing"].values())
        raise NoData(f"No prices for any of {', '.join(symbols)}: {missing}")
    fig = go.Figure()
    zh = lang.startswith("zh")
    for symbol in series.columns:
        fig.add_trace(
            go.Scatter(
                x=series.index,
                y=series[symbol],
                name=symbol_name(symbol, "zh" if zh else "en"),
                mode="lines",
            )
        )
    title = words["relative_title"].format(start=start.isoformat(), end=end.isoformat())
    axis = words["relative_axis"].format(base=series.attrs["base"].isoformat())
    common = series.attrs.get("common_end")
    if common is None:
        return _layout(fig, title, axis)
    items = [
        words["ended"].format(symbol=symbol_name(s, "zh" if zh else "en"), day=d.isoformat())
        for s, d in series.attrs["ended_before"].items()
    ]
    fig.add_annotation(
        text=words["common_end"].format(day=common.isoformat(), items=", ".join(items)),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.22,
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#8a5a00"},
    )
    return _layout(fig, title, axis).update_layout(margin={"b": 70})


def sector_chart(
    on: dt.date | None = None,
    *,
    lang: str = "en",
    market: Market,
) -> go.Figure:
    """Chart the day change of the eleven sector ETFs on one session, best first."""
    import plotly.graph_objects as go

    words = _words(lang)
    figures = market.sector_performance(on)
    key = "sector_zh" if lang.startswith("zh") else "sector_en"
    names = [str(f.params.get(key, f.symbol)) for f in figures]
    values = [f.value for f in figures]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker_color=["#2e7d32" if v >= 0 else "#c62828" for v in values],
            text=[f.display(lang) for f in figures],
            textposition="auto",
        )
    )
    fig.update_yaxes(autorange="reversed")
    day = figures[0].end or figures[0].as_of
    title = words["sector_title"].format(day=day.isoformat() if day else "")
    missing = figures[0].params.get("missing_sectors") or {}
    if missing:  # the bars share one session; the sectors that stop earlier are named
        ended = figures[0].params.get("ended_before") or {}
        items = [
            words["ended"].format(symbol=s, day=ended[s])
            if s in ended
            else words["no_data"].format(symbol=s)
            for s in missing
        ]
        fig.add_annotation(
            text=words["sector_missing"].format(items=", ".join(items)),
            xref="paper",
            yref="paper",
            x=0,
            y=-0.22,
            showarrow=False,
            align="left",
            font={"size": 11, "color": "#8a5a00"},
        )
    laid = _layout(fig, title, words["sector_axis"], horizontal=True)
    return laid.update_layout(margin={"b": 70}) if missing else laid


def _layout(fig: go.Figure, title: str, axis: str, horizontal: bool = False) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        height=360,
        legend={"orientation": "h", "y": -0.15},
        hovermode="y unified" if horizontal else "x unified",
        template="plotly_white",
    )
    if axis:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(title_text=axis)
    return fig


def figures_for(
    symbols: Sequence[str],
    start: dt.date | None,
    end: dt.date | None,
    *,
    lang: str = "en",
    market: Market,
) -> list[go.Figure]:
    """Return the charts of a report or item: relative performance, then the first symbol's price.

    A chart whose data are missing is left out rather than failing the rest.
    """
    from tools.prices.base import PriceError

    out: list[go.Figure] = []
    if start and end and len(symbols) >= 2:
        with contextlib.suppress(PriceError, ValueError):
            out.append(relative_chart(symbols, start, end, lang=lang, market=market))
    if symbols:
        with contextlib.suppress(PriceError, ValueError):
            out.append(price_chart(symbols[0], end=end, lang=lang, market=market))
    return out


def report_charts(
    market: Market,
    symbols: Sequence[str],
    start: dt.date | None,
    end: dt.date | None,
    lang: str = "en",
) -> list[str]:
    """Return HTML fragments of a report's charts; the first carries plotly.js inline. An
    exported chart is a picture, not a tool: no mode bar (zoom, pan, download), no logo."""
    figures = figures_for(symbols, start, end, lang=lang, market=market)
    return [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0), config=EXPORT_CONFIG)
        for i, fig in enumerate(figures)
    ]


EXPORT_CONFIG = {"displayModeBar": False, "displaylogo": False}


def report_chart_images(
    market: Market,
    symbols: Sequence[str],
    start: dt.date | None,
    end: dt.date | None,
    lang: str = "en",
) -> list[tuple[str, str]]:
    """Return (title, SVG document) for each of a report's charts: static images for a
    Markdown export, drawn from the same figures as the HTML charts."""
    from assistant.views.svg import figure_svg

    figures = figures_for(symbols, start, end, lang=lang, market=market)
    return [(str(fig.layout.title.text or ""), figure_svg(fig)) for fig in figures]
