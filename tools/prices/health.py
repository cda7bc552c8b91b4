"""Data-health checks per symbol: coverage, calendar gaps, splits and seams, stale ends, odd rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from tools import calendar
from tools.prices.adjust import FILE, Merge, merge_part
from tools.prices.base import OHLCV, tidy_frame
from tools.prices.records import Adjustment, Finding

Part = tuple[str, pd.DataFrame]  # (file it came from, its OHLCV rows), oldest import first
OHLC_TOLERANCE = 0.0005  # Open/Close more than 0.05% outside High-Low is reported
_MAX_LISTED = 20
_REPORTED = "none: reported only"


def merge_parts(symbol: str, parts: Sequence[Part], reference: pd.Series | None = None) -> Merge:
    """Merge parts in order as the store would (later parts win), recording every step."""
    frame = pd.DataFrame()
    log: tuple[Adjustment, ...] = ()
    findings: list[Finding] = []
    for file, rows in parts:
        new = tidy_frame(rows)
        new[FILE] = file
        merge = merge_part(symbol, frame, log, new, file, reference=reference)
        frame, log = merge.frame, merge.log
        findings.extend(merge.findings)
    return Merge(frame, log, tuple(findings))


def _runs(days: pd.DatetimeIndex, sessions: pd.DatetimeIndex) -> list[tuple[dt.date, dt.date, int]]:
    """Group missing sessions into runs of consecutive sessions: (first, last, count)."""
    positions = sessions.get_indexer(days)
    runs: list[tuple[dt.date, dt.date, int]] = []
    start = 0
    for i in range(1, len(positions) + 1):
        if i == len(positions) or positions[i] != positions[i - 1] + 1:
            runs.append((days[start].date(), days[i - 1].date(), i - start))
            start = i
    return runs


def _listed(index: pd.Index) -> tuple[str, ...]:
    return tuple(pd.Timestamp(d).date().isoformat() for d in index[:_MAX_LISTED])


def _calendar_findings(symbol: str, raw: pd.DataFrame, today: dt.date) -> list[Finding]:
    first, last = raw.index[0].date(), raw.index[-1].date()
    sessions = calendar.sessions_between(first, last)
    missing = sessions[~sessions.isin(raw.index)]
    files = sorted(set(raw[FILE].dropna().astype(str))) if FILE in raw else []
    found = [
        Finding(
            symbol,
            "coverage",
            (first.isoformat(), last.isoformat()),
            f"{len(raw)} rows from {first} to {last}: {len(sessions) - len(missing)} of "
            f"{len(sessions)} NYSE sessions",
            _REPORTED,
            extra={"rows": len(raw), "sessions": len(sessions), "files": files},
        )
    ]
    for a, b, count in _runs(missing, sessions):
        span = f"{a}" if a == b else f"{a} to {b}"
        found.append(
            Finding(
                symbol,
                "gap",
                (a.isoformat(), b.isoformat()),
                f"{count} NYSE session(s) missing: {span}",
                "none: figures over a window with a gap report their completeness",
                extra={"sessions": count},
            )
        )
    expected = calendar.session_on_or_before(today - dt.timedelta(days=1))
    if last < expected:
        behind = len(calendar.sessions_between(calendar.next_session(last), expected))
        found.append(
            Finding(
                symbol,
                "stale_end",
                (last.isoformat(), expected.isoformat()),
                f"the data end {last}, {behind} session(s) before the last settled session "
                f"{expected} (as of {today})",
                "none: figures for later days are refused or marked stale",
                extra={"sessions_behind": behind},
            )
        )
    return found


def _row_findings(symbol: str, raw: pd.DataFrame) -> list[Finding]:
    found = []
    volume = raw["Volume"]
    if (volume > 0).any():
        zero = raw.index[(volume == 0).to_numpy()]
        if len(zero):
            found.append(
                Finding(
                    symbol,
                    "intraday_row",
                    _listed(zero),
                    f"{len(zero)} row(s) with Volume 0 where the symbol normally trades: "
                    "intraday snapshots, not final closes",
                    _REPORTED,
                    extra={"rows": len(zero)},
                )
            )
    o, h, lo, c = (raw[k].to_numpy(dtype="float64") for k in ("Open", "High", "Low", "Close"))
    checks = {
        "High below Low": h < lo,
        "Open or Close above High": np.maximum(o, c) > h * (1 + OHLC_TOLERANCE),
        "Open or Close below Low": np.minimum(o, c) < lo * (1 - OHLC_TOLERANCE),
        "a price not above zero": ~((o > 0) & (h > 0) & (lo > 0) & (c > 0)),
    }
    for what, bad in checks.items():
        if bad.any():
            found.append(
                Finding(
                    symbol,
                    "ohlc",
                    _listed(raw.index[bad]),
                    f"{int(bad.sum())} row(s) with {what}",
                    _REPORTED,
                    extra={"rows": int(bad.sum())},
                )
            )
    return found


def check_prices(
    symbol: str,
    parts: Sequence[Part],
    today: dt.date,
    reference: pd.Series | None = None,
) -> list[Finding]:
    """Return the data-health findings for one symbol's parts, merged in order (newest last)."""
    merge = merge_parts(symbol, parts, reference)
    if merge.frame.empty:
        return [Finding(symbol, "coverage", (), "no rows", _REPORTED)]
    raw = merge.frame
    return [
        *_calendar_findings(symbol, raw, today),
        *(_later(f, merge.log) for f in merge.findings),
        *_row_findings(symbol, raw[list(OHLCV)]),
    ]


def check_stored(
    symbol: str, stored: pd.DataFrame, log: Sequence[Adjustment], today: dt.date
) -> list[Finding]:
    """Return the findings for a symbol already in the store: its rows and its adjustment log.

    Steps come from the log (the measurements made when the rows were merged); coverage, gaps,
    stale ends and odd rows are read from the stored raw rows.
    """
    if stored.empty:
        return [Finding(symbol, "coverage", (), "no rows stored", _REPORTED)]
    return [
        *_calendar_findings(symbol, stored, today),
        *(_logged(symbol, a, stored.index) for a in log),
        *_row_findings(symbol, stored[list(OHLCV)]),
    ]


def _logged(symbol: str, step: Adjustment, index: pd.Index) -> Finding:
    """Turn one logged adjustment into the finding the merge reported when it made it."""
    at = pd.Timestamp(step.date)
    earlier = index[index < at]
    dates = (*_listed(earlier[-1:]), step.date.isoformat())
    seam = " -> " in step.file  # a seam records "older files -> newer files"
    extra: dict[str, object] = {"source": step.source, "files" if seam else "file": step.file}
    if seam:
        extra["step"] = step.kind if step.resolved else "unresolved"
    if step.split:
        extra["split"] = step.split
    if step.superseded_by:
        action = f"superseded: {step.superseded_by} replaced these sessions with adjusted rows"
    elif not step.resolved:
        action = "not adjusted; figures across it carry a caveat"
    else:
        action = f"rows before {step.date} multiplied by {step.ratio:.6g} in the adjusted series (raw kept)"
    detail = step.detail or step.text()
    if step.split and step.split not in detail:
        detail += f", like a {step.split} split"
    return Finding(
        symbol,
        "seam" if seam or step.kind != "split" else "split",
        dates,
        detail,
        action,
        step.ratio if step.resolved else None,
        extra,
    )


def _later(finding: Finding, log: Sequence[Adjustment]) -> Finding:
    """Say so when a split's adjustment was superseded by rows merged after it."""
    if finding.kind != "split" or not finding.dates:
        return finding
    for a in log:
        same = a.date.isoformat() == finding.dates[-1] and a.file == finding.extra.get("file")
        if same and a.superseded_by:
            action = (
                f"{finding.action}; then superseded: {a.superseded_by} replaced these "
                "sessions with rows already adjusted"
            )
            return replace(finding, action=action)
    return finding


def check_many(
    parts: Mapping[str, Sequence[Part]],
    today: dt.date,
    references: Mapping[str, pd.Series] | None = None,
) -> dict[str, list[dict[str, object]]]:
    """Return JSON-ready findings for every symbol, sorted by symbol."""
    refs = references or {}
    return {
        symbol: [f.to_json() for f in check_prices(symbol, parts[symbol], today, refs.get(symbol))]
        for symbol in sorted(parts)
    }
