"""A chart as a static SVG image: for exports that must not run code or load anything.

Draws what the report's Plotly figures hold (line traces over dates or numbers, a filled band
between two traces, horizontal or vertical bars) with the figure's title, axis title and legend.
No toolbar, no script, no outside font or image: a file a Markdown viewer shows as it is.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import plotly.graph_objects as go

PALETTE = ("#1f5fa8", "#d9731a", "#2e8b57", "#b03a48", "#6a4c93", "#4a6670", "#c49a00")
_FONT = "'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif"


def _number(value: Any) -> float | None:
    """A value on an axis as a number (a date as its day count); None for a gap."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.timestamp() / 86400
    if isinstance(value, dt.date):
        return float(value.toordinal() - 719163)
    if hasattr(value, "to_pydatetime"):
        return float(value.to_pydatetime().timestamp() / 86400)
    if type(value).__name__ == "datetime64":  # numpy's, as Plotly keeps a date index
        import pandas as pd

        return None if pd.isna(value) else float(pd.Timestamp(value).timestamp() / 86400)
    try:
        number = float(value)
    except (TypeError, ValueError):
        try:
            return dt.datetime.fromisoformat(str(value)).timestamp() / 86400
        except ValueError:
            return None
    return None if math.isnan(number) else number


def _is_date(value: Any) -> bool:
    return (
        isinstance(value, dt.date)
        or hasattr(value, "to_pydatetime")
        or type(value).__name__ == "datetime64"
        or _iso(value)
    )


def _iso(value: Any) -> bool:
    try:
        dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return isinstance(value, str)


def _ticks(low: float, high: float, count: int = 7) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= step * mult:
            step *= mult
            break
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _label(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def figure_svg(fig: go.Figure, width: int = 760, height: int = 380) -> str:
    """`fig` drawn as a self-contained SVG document."""
    layout = fig.layout
    title = str(layout.title.text or "") if layout.title else ""
    horizontal = any(getattr(t, "orientation", None) == "h" for t in fig.data)
    axis = layout.xaxis if horizontal else layout.yaxis
    axis_title = str(axis.title.text or "") if axis and axis.title else ""
    left, right, top, bottom = 84, 20, 46, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_FONT}" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="22" font-size="14" fill="#1d2330">{escape(title)}</text>',
    ]
    if any(t.type == "bar" for t in fig.data):
        out += _bars(fig, left, top, plot_w, plot_h, horizontal)
    else:
        out += _lines(fig, left, top, plot_w, plot_h)
    if axis_title:
        out.append(
            f'<text x="14" y="{top + plot_h / 2:.0f}" fill="#555" font-size="11" '
            f'transform="rotate(-90 14 {top + plot_h / 2:.0f})" text-anchor="middle">'
            f"{escape(axis_title)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _lines(fig: go.Figure, left: int, top: int, w: int, h: int) -> list[str]:
    series: list[tuple[Any, list[tuple[float, float] | None]]] = []
    xs_raw: list[Any] = []
    for trace in fig.data:
        xs = list(trace.x) if trace.x is not None else []
        ys = list(trace.y) if trace.y is not None else []
        xs_raw += xs[:1]
        points: list[tuple[float, float] | None] = []
        for x, y in zip(xs, ys, strict=False):
            px, py = _number(x), _number(y)
            points.append((px, py) if px is not None and py is not None else None)
        series.append((trace, points))
    found = [p for _, pts in series for p in pts if p is not None]
    if not found:
        return [f'<text x="{left}" y="{top + 20}">no data</text>']
    x0, x1 = min(p[0] for p in found), max(p[0] for p in found)
    y0, y1 = min(p[1] for p in found), max(p[1] for p in found)
    pad = (y1 - y0) * 0.05 or 1.0
    y0, y1 = y0 - pad, y1 + pad

    def sx(x: float) -> float:
        return left + (x - x0) / ((x1 - x0) or 1) * w

    def sy(y: float) -> float:
        return top + h - (y - y0) / ((y1 - y0) or 1) * h

    out = _grid(left, top, w, h, y0, y1, sy)
    dates = bool(xs_raw) and _is_date(xs_raw[0])
    for tick in _ticks(x0, x1, 6):
        label = (
            (dt.date(1970, 1, 1) + dt.timedelta(days=round(tick))).isoformat()
            if dates
            else _label(tick)
        )
        out.append(
            f'<text x="{sx(tick):.1f}" y="{top + h + 16}" fill="#555" text-anchor="middle">'
            f"{label}</text>"
        )
    legend: list[tuple[str, str, str]] = []
    previous: list[tuple[float, float]] = []
    colour_at = 0
    for trace, points in series:
        kept = [p for p in points if p is not None]
        line = getattr(trace, "line", None)
        hidden = line is not None and line.width == 0
        if trace.fill == "tonexty" and previous and kept:
            ring = [*kept, *reversed(previous)]
            path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in ring)
            fill = str(trace.fillcolor or "rgba(120,140,180,0.18)")
            out.append(f'<polygon points="{path}" fill="{fill}" stroke="none"/>')
            legend.append((str(trace.name or ""), fill, "band"))
        if not hidden and kept:
            colour = PALETTE[colour_at % len(PALETTE)]
            colour_at += 1
            dash = ' stroke-dasharray="3,3"' if line is not None and line.dash else ""
            width = line.width if line is not None and line.width else 1.8
            out += _polylines(points, sx, sy, colour, float(width), dash)
            legend.append((str(trace.name or ""), colour, "line"))
        previous = kept
    return out + _legend(legend, left, top + h + 30)


def _polylines(
    points: Sequence[tuple[float, float] | None],
    sx: Any,
    sy: Any,
    colour: str,
    width: float,
    dash: str,
) -> list[str]:
    """One polyline per run of points without a gap."""
    out: list[str] = []
    run: list[tuple[float, float]] = []
    for point in [*points, None]:
        if point is not None:
            run.append(point)
            continue
        if len(run) > 1:
            path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in run)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="{width:g}"{dash}/>'
            )
        run = []
    return out


def _grid(left: int, top: int, w: int, h: int, y0: float, y1: float, sy: Any) -> list[str]:
    out = [f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#ccd"/>']
    for tick in _ticks(y0, y1):
        y = sy(tick)
        out.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eef"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" fill="#555" text-anchor="end">'
            f"{_label(tick)}</text>"
        )
    return out


def _legend(items: list[tuple[str, str, str]], left: int, y: int) -> list[str]:
    out: list[str] = []
    x = left
    for name, colour, kind in items:
        if not name:
            continue
        if kind == "band":
            out.append(f'<rect x="{x}" y="{y - 8}" width="18" height="10" fill="{colour}"/>')
        else:
            out.append(
                f'<line x1="{x}" x2="{x + 18}" y1="{y - 3}" y2="{y - 3}" stroke="{colour}" '
                'stroke-width="2"/>'
            )
        out.append(f'<text x="{x + 24}" y="{y + 1}" fill="#333">{escape(name)}</text>')
        x += 34 + int(sum(11 if ord(c) > 0x2E80 else 6.5 for c in name))
    return out


def _bars(fig: go.Figure, left: int, top: int, w: int, h: int, horizontal: bool) -> list[str]:
    trace = next(t for t in fig.data if t.type == "bar")
    along, across = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    labels = list(along) if along is not None else []
    values = [_number(v) or 0.0 for v in (list(across) if across is not None else [])]
    if not values:
        return [f'<text x="{left}" y="{top + 20}">no data</text>']
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    out = [f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#ccd"/>']
    step = (h if horizontal else w) / len(values)
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        colour = "#2e8b57" if value >= 0 else "#b03a48"
        if horizontal:
            zero = left + (0 - low) / span * w
            end = left + (value - low) / span * w
            y = top + i * step + step * 0.15
            out.append(
                f'<rect x="{min(zero, end):.1f}" y="{y:.1f}" width="{abs(end - zero):.1f}" '
                f'height="{step * 0.7:.1f}" fill="{colour}"/>'
            )
            out.append(
                f'<text x="{left + 4}" y="{y + step * 0.5:.1f}" fill="#333">'
                f"{escape(str(label))} {value:+.2f}</text>"
            )
        else:
            zero = top + h - (0 - low) / span * h
            end = top + h - (value - low) / span * h
            x = left + i * step + step * 0.15
            out.append(
                f'<rect x="{x:.1f}" y="{min(zero, end):.1f}" width="{step * 0.7:.1f}" '
                f'height="{abs(end - zero):.1f}" fill="{colour}"/>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{top + h + 14}" fill="#333">{escape(str(label))}</text>'
            )
    return out
