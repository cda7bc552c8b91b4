"""Merge a new batch of rows into a stored series: measure seams, infer splits, keep raw prices.

The rule on overlap: the rows merged last win on every session they hold (as the store always did),
and the series is kept on the basis of its latest rows, because back-adjusted prices keep their
latest prices real. Older rows are not rewritten: each row keeps its raw prices and gets a `factor`
that puts it on that basis, and every step in the factors is recorded as an `Adjustment`.

No stored session is dropped: stored rows inside the new rows' span that the new rows lack (a gap
in a file, alternate days) are kept. Where the shared sessions around them show the basis they
share with the new rows, they move to the new basis as the rows before the new ones do; where
nothing tells (two bases on either side, a split-sized jump where they meet), they are kept on
their stored basis with an unresolved step and a `seam` finding.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from tools.prices.base import OHLCV
from tools.prices.records import Adjustment, Finding
from tools.prices.splits import (
    SAME_BASIS,
    TOLERANCE,
    Level,
    Overlap,
    can_split,
    classify_step,
    compare_overlap,
    find_jumps,
    nearest_split,
    split_label,
)

FACTOR = "factor"
FILE = "file"
_PRICES = ["Open", "High", "Low", "Close"]
_ALREADY_ADJUSTED = "listed by the provider; prices already adjusted by it"


@dataclass(frozen=True)
class Merge:
    """The merged rows (raw prices, factor, origin), the adjustment log and what was found."""

    frame: pd.DataFrame
    log: tuple[Adjustment, ...]
    findings: tuple[Finding, ...]

    @property
    def active(self) -> tuple[Adjustment, ...]:
        """Return the adjustments still inside the series."""
        return tuple(a for a in self.log if a.active)


def adjusted(frame: pd.DataFrame) -> pd.DataFrame:
    """Return OHLCV on the adjusted basis: prices times the factor, volume divided by it."""
    out = frame.reindex(columns=list(OHLCV)).copy()
    if FACTOR not in frame:
        return out
    factor = frame[FACTOR].fillna(1.0)
    if (factor == 1.0).all():
        return out
    out[_PRICES] = out[_PRICES].mul(factor, axis=0)
    out["Volume"] = out["Volume"].div(factor)
    return out


def _day(value: object) -> str:
    return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]


def _files(rows: pd.DataFrame) -> str:
    column = FILE if FILE in rows else "provider"
    if column not in rows:
        return "stored rows"
    return ", ".join(dict.fromkeys(rows[column].dropna().astype(str))) or "stored rows"


def _new_factors(
    symbol: str,
    new: pd.DataFrame,
    file: str,
    splits: pd.Series | None,
    reference: pd.Series | None,
) -> tuple[pd.Series, list[Adjustment], list[Finding]]:
    """Return per-row factors for a batch on its own: provider splits first, then inferred ones."""
    factor = pd.Series(1.0, index=new.index)
    added: list[Adjustment] = []
    findings: list[Finding] = []
    close = new["Close"]
    handled: set[pd.Timestamp] = set()
    listed = splits.reindex(new.index).fillna(0.0) if splits is not None else pd.Series(dtype=float)
    for pos in np.flatnonzero(((listed > 0) & (listed != 1)).to_numpy()).tolist():
        when, shares = pd.Timestamp(new.index[pos]), float(listed.iloc[pos])
        expected = 1 / shares
        label = split_label(_as_split(shares))
        handled.add(when)
        observed = float(close.iloc[pos] / close.iloc[pos - 1]) if pos else float("nan")
        if pos and abs(math.log(observed / expected)) <= TOLERANCE:
            factor[new.index < when] *= expected
            added.append(
                Adjustment(
                    _date(when),
                    expected,
                    "split",
                    "provider",
                    file,
                    label,
                    "listed by the provider; prices unadjusted",
                )
            )
            action = f"rows before {_day(when)} multiplied by {expected:g} (raw kept)"
        else:
            # The provider sent prices it had already adjusted (Yahoo does): record the split so
            # receipts say so, with nothing applied here.
            added.append(
                Adjustment(
                    _date(when),
                    expected,
                    "split",
                    "provider",
                    file,
                    label,
                    _ALREADY_ADJUSTED,
                )
            )
            action = "none: the prices already reflect it"
        findings.append(
            Finding(
                symbol,
                "split",
                (_day(when),),
                f"the provider lists a {label} split",
                action,
                expected,
                {"source": "provider", "file": file},
            )
        )
    if not can_split(symbol):
        return factor, added, findings
    for jump in find_jumps(new[["Close"]].mul(factor, axis=0), reference):
        when = pd.Timestamp(jump.date)
        if when in handled:
            continue
        dates = (jump.previous.isoformat(), jump.date.isoformat())
        moved = f"Close moves x{jump.ratio:.4f} from {dates[0]} to {dates[1]}"
        if jump.reference_ratio is not None:
            moved += f" (the reference x{jump.reference_ratio:.4f})"
        if jump.reverts:
            findings.append(
                Finding(
                    symbol,
                    "spike",
                    dates,
                    moved + " and back the next session",
                    "none: left as it is",
                    jump.ratio,
                    {"file": file},
                )
            )
            continue
        factor[new.index < when] *= jump.factor
        added.append(
            Adjustment(jump.date, jump.factor, "split", "inferred", file, jump.label, moved)
        )
        findings.append(
            Finding(
                symbol,
                "split",
                dates,
                f"{moved}, like a {jump.label} split",
                f"rows before {dates[1]} multiplied by {jump.factor:g} in the adjusted series (raw kept)",
                jump.factor,
                {"split": jump.label, "source": "inferred", "file": file},
            )
        )
    return factor, added, findings


def _as_split(shares: float) -> tuple[int, int]:
    """Turn a provider's 'shares after per share before' number into (new, old)."""
    if shares >= 1:
        return (round(shares * 2), 2) if shares % 1 else (round(shares), 1)
    return (1, round(1 / shares))


def _date(value: object) -> dt.date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def _boundary(
    older: pd.DataFrame,
    newer: pd.DataFrame,
    measured: float | None,
    reference: pd.Series | None,
    symbol: str,
) -> tuple[float, bool]:
    """Return the factor that puts `older` on `newer`'s basis at their meeting point, and if it is known."""
    if measured is not None:
        return measured, True
    both = pd.concat([older.tail(1), newer.head(1)])
    if len(both) == 2 and both.index[0] < both.index[1] and can_split(symbol):
        jumps = find_jumps(both, reference)
        if jumps:
            return jumps[0].factor, True
    return 1.0, len(both) == 2 and both.index[0] < both.index[1]


def _unmeasured(overlap: Overlap) -> bool:
    """Tell whether shared sessions disagree but no run of them is long enough to measure a step."""
    return not overlap.levels and any(abs(math.log(r)) >= SAME_BASIS for _, r in overlap.outliers)


@dataclass(frozen=True)
class _Run:
    """Stored sessions the new rows lack, between two new rows, and how they are kept."""

    rows: pd.DatetimeIndex
    left: pd.Timestamp  # the new rows on either side
    right: pd.Timestamp
    ratio: float  # what their factors are multiplied by to meet the new rows' basis
    level: Level | None  # the shared sessions that measured it
    why: str = ""  # why their basis could not be told; empty when it could

    @property
    def safe(self) -> bool:
        return not self.why


def _around(overlap: Overlap, first: dt.date, last: dt.date) -> list[Level]:
    """The runs of shared sessions that tell the basis of stored rows from `first` to `last`:
    the one around them, else the nearest before and the nearest after (one when they agree)."""
    for level in overlap.levels:
        if level.first <= first and last <= level.last:
            return [level]
    found = [lv for lv in overlap.levels if lv.last < first][-1:]
    after = [lv for lv in overlap.levels if lv.first > last][:1]
    if after and not (found and abs(math.log(after[0].ratio / found[0].ratio)) < SAME_BASIS):
        found += after
    return found


def _basis(ratio: float) -> float:
    """A measured ratio as applied: one when both sides are on the same basis."""
    return 1.0 if classify_step(ratio) is None else ratio


def _jumps_at(closes: pd.Series, days: set[dt.date], reference: pd.Series | None) -> list[dt.date]:
    """The split-sized jumps in `closes` that land on one of `days`."""
    return [j.date for j in find_jumps(closes.to_frame("Close"), reference) if j.date in days]


def _inside_runs(
    symbol: str,
    held: pd.DataFrame,
    new: pd.DataFrame,
    overlap: Overlap,
    reference: pd.Series | None,
    unresolved: bool,
) -> list[_Run]:
    """Group the stored rows inside the new rows' span that they lack, and find each group's basis.

    A group takes the ratio of the shared sessions around it; between two runs of shared sessions
    on different bases, the one that meets its new neighbours without a split-sized jump, when
    only one does; with no shared sessions at all, their own basis, or the split that removes a
    jump where they meet the new rows. Anything else keeps them on the likelier basis (the shared
    sessions' before them, else their own), marked unresolved."""
    inside = held.index[
        (held.index > new.index[0]) & (held.index < new.index[-1]) & ~held.index.isin(new.index)
    ]
    if inside.empty:
        return []
    held_close = adjusted(held)["Close"]
    new_close = adjusted(new)["Close"]
    pos = new.index.searchsorted(inside)
    groups = np.split(np.arange(len(inside)), np.flatnonzero(np.diff(pos)) + 1)
    chosen: list[tuple[pd.DatetimeIndex, int, list[Level], float]] = []
    ratio = np.ones(len(inside))
    for group in groups:
        rows = inside[group]
        levels = _around(overlap, _date(rows[0]), _date(rows[-1])) if overlap.levels else []
        ratio[group] = _basis(levels[0].ratio) if levels else 1.0
        chosen.append((rows, int(pos[group[0]]), levels, float(ratio[group[0]])))
    # one pass over the whole merged series finds where a first choice meets a jump
    merged = pd.concat([new_close, held_close[inside] * ratio]).sort_index()
    splits = can_split(symbol)  # an index never splits: no jump is read as a basis step
    flagged = {j.date for j in find_jumps(merged.to_frame("Close"), reference)} if splits else set()
    runs = []
    for rows, at, levels, first in chosen:
        left, right = new.index[at - 1], new.index[at]
        ends = {_date(rows[0]), _date(right)}

        def fits(r: float, rows: pd.DatetimeIndex = rows, at: int = at) -> bool:
            """Tell whether the rows times `r` meet their new neighbours without a jump."""
            closes = pd.concat(
                [new_close[[new.index[at - 1]]], held_close[rows] * r, new_close[[new.index[at]]]]
            )
            ends = {_date(rows[0]), _date(new.index[at])}
            return not splits or not _jumps_at(closes, ends, reference)

        if unresolved and not levels:
            why = "the shared sessions disagree and no run of them is long enough to measure by"
            runs.append(_Run(rows, left, right, first, None, why))
            continue
        if len(levels) > 1:
            passing = [lv for lv in levels if fits(_basis(lv.ratio))]
            if len(passing) == 1:
                runs.append(_Run(rows, left, right, _basis(passing[0].ratio), passing[0]))
                continue
            bases = " and ".join(f"x{lv.ratio:.4f}" for lv in levels)
            why = (
                f"the shared sessions before and after them are on two bases ({bases}) and "
                "nothing tells which one they share"
            )
            keep = _basis((passing or levels)[0].ratio)  # the basis of the sessions before
            runs.append(_Run(rows, left, right, keep, None, why))
            continue
        level = levels[0] if levels else None
        if not ends & flagged:
            runs.append(_Run(rows, left, right, first, level))
            continue
        if level is None and len(rows) > 1:
            # no shared session to measure by: a split-sized jump into several kept rows and
            # back out is a basis step, as at a seam (for one row it may be a spike: kept as is)
            entry = find_jumps(
                pd.concat([new_close[[left]], held_close[rows[:1]]]).to_frame("Close"), reference
            )
            if entry and fits(1 / entry[0].factor):
                runs.append(_Run(rows, left, right, 1 / entry[0].factor, None))
                continue
        why = "they do not meet the new rows on either side without a split-sized jump"
        runs.append(_Run(rows, left, right, first, None, why))
    return runs


def merge_part(
    symbol: str,
    held: pd.DataFrame,
    log: tuple[Adjustment, ...],
    new: pd.DataFrame,
    file: str,
    splits: pd.Series | None = None,
    reference: pd.Series | None = None,
) -> Merge:
    """Merge `new` rows into `held` ones (new win on shared sessions, held ones the new lack are
    kept) and record every step."""
    factor, added, findings = _new_factors(symbol, new, file, splits, reference)
    new = new.copy()
    new[FACTOR] = factor
    if FILE not in new:
        new[FILE] = file
    if held.empty:
        return Merge(new, (*log, *added), tuple(findings))
    held = held.copy()
    if FACTOR not in held:
        held[FACTOR] = 1.0
    held[FACTOR] = held[FACTOR].fillna(1.0)
    overlap = compare_overlap(adjusted(held), adjusted(new))
    start, end = new.index[0], new.index[-1]
    before, after = held[held.index < start], held[held.index > end]
    unresolved = _unmeasured(overlap)
    runs = _inside_runs(symbol, held, new, overlap, reference, unresolved)
    # the new rows' factors on their own basis, before rescaling
    own = new[FACTOR].to_dict() if runs else {}
    end_ratio, end_known = (
        _boundary(
            adjusted(new),
            adjusted(after),
            None if overlap.end_ratio is None else 1 / overlap.end_ratio,
            reference,
            symbol,
        )
        if not after.empty
        else (1.0, True)
    )
    scale_new = end_ratio
    start_ratio, start_known = (
        _boundary(adjusted(before), adjusted(new), overlap.start_ratio, reference, symbol)
        if not before.empty
        else (1.0, True)
    )
    before = before.assign(**{FACTOR: before[FACTOR] * start_ratio * scale_new})
    new[FACTOR] = new[FACTOR] * scale_new
    kept = held.iloc[:0]
    if runs:
        inside = pd.DatetimeIndex(np.concatenate([run.rows.to_numpy() for run in runs]))
        times = np.concatenate([np.full(len(run.rows), run.ratio) for run in runs])
        kept = held.loc[inside]
        kept = kept.assign(**{FACTOR: kept[FACTOR].to_numpy() * times * scale_new})
    merged = pd.concat([before, new, kept, after]).sort_index()
    stop = after.index[0] if not after.empty else end
    # a step between two kept stored rows is still inside the series
    interior = {_date(d) for run in runs for d in run.rows[1:]}
    log = tuple(
        replace(a, superseded_by=file)
        if a.active and start <= pd.Timestamp(a.date) <= stop and a.date not in interior
        else a
        for a in log
    )
    seams = []
    for older, newer in ((before, new), (new, after)):
        if older.empty or newer.empty:
            continue
        step = float(older[FACTOR].iloc[-1] / newer[FACTOR].iloc[0])
        known = (start_known if newer is new else end_known) and not unresolved
        level = None
        if overlap.levels:
            level = overlap.levels[0] if newer is new else overlap.levels[-1]
        seam = _seam(symbol, older, newer, step, known, level)
        if seam is not None:
            seams.append(seam)
    moved: set[dt.date] = set()  # new rows whose own step, measured across kept rows, moved
    factors = merged[FACTOR]
    rebased: list[_Run] = []
    for run in runs:
        if not run.safe:
            seams.append(_kept_unresolved(symbol, merged.loc[run.rows], file, run))
            continue
        if classify_step(run.ratio) is not None:
            rebased.append(run)
        entry = float(factors.at[run.left] / factors.at[run.rows[0]])
        leave = float(factors.at[run.rows[-1]] / factors.at[run.right])
        measured = own[run.left] / own[run.right]  # the new rows' own step across them
        if abs(math.log(leave / measured)) >= SAME_BASIS:
            moved.add(_date(run.right))  # the kept rows hold it, or place it elsewhere
        if abs(math.log(entry * leave)) < SAME_BASIS:
            # an island of another source's raw basis: its factors step in and back out, which
            # is no event in the prices (any split or dividend inside it is its rows' own step)
            continue
        for older, newer, step in (
            ([run.left], run.rows, entry),
            (run.rows, [run.right], leave if _date(run.right) in moved else 1.0),
        ):
            if classify_step(step) is not None:  # rows looked up only where there is a step
                seam = _seam(symbol, merged.loc[older], merged.loc[newer], step, True, run.level)
                seams.extend([seam] if seam is not None else [])
    if rebased:
        findings.append(_kept_rebased(symbol, merged, file, rebased))
    if moved:  # stored rows hold the step the new rows inferred across their gap
        added = [a for a in added if a.date not in moved or a.detail == _ALREADY_ADJUSTED]
        findings = [
            f
            for f in findings
            if not (
                f.kind == "split"
                and f.action.startswith("rows before")
                and _date(f.dates[-1]) in moved
            )
        ]
    findings.extend(s[1] for s in seams)
    findings.extend(_overlap_findings(symbol, overlap, file))
    return Merge(merged, (*log, *added, *(s[0] for s in seams)), tuple(findings))


def _kept_rebased(symbol: str, merged: pd.DataFrame, file: str, runs: list[_Run]) -> Finding:
    """Say which kept stored rows were moved to the new rows' basis, and by how much."""
    rows = merged.loc[pd.DatetimeIndex(np.concatenate([run.rows.to_numpy() for run in runs]))]
    ratios = sorted({round(run.ratio, 4) for run in runs})
    measured = sorted({f"{run.level.first}..{run.level.last}" for run in runs if run.level})
    by = f" (measured on shared sessions {', '.join(measured)})" if measured else ""
    detail = (
        f"{len(rows)} stored session(s) {_day(rows.index[0])}..{_day(rows.index[-1])} "
        f"({_files(rows)}) lie inside {file}'s span but are not in it, so they are kept, "
        f"moved to its basis: x{', x'.join(f'{r:g}' for r in ratios)}{by}"
    )
    action = "their factors multiplied by that in the adjusted series (raw kept)"
    return Finding(
        symbol,
        "seam",
        (_day(rows.index[0]), _day(rows.index[-1])),
        detail,
        action,
        ratios[0] if len(ratios) == 1 else None,
        {"step": "kept", "files": f"{_files(rows)} -> {file}", "kept": len(rows)},
    )


def _kept_unresolved(
    symbol: str, rows: pd.DataFrame, file: str, run: _Run
) -> tuple[Adjustment, Finding]:
    """Record stored rows kept on their stored basis because the new rows' basis for them is unknown."""
    first, last = _day(rows.index[0]), _day(rows.index[-1])
    files = f"{_files(rows)} -> {file}"
    span = first if first == last else f"{first}..{last}"
    detail = (
        f"{len(rows)} stored session(s) {span} ({_files(rows)}) lie inside {file}'s span but "
        f"are not in it, so they are kept; {run.why}"
    )
    adjustment = Adjustment(
        _date(rows.index[0]), 1.0, "unexplained", "inferred", files, "", detail, resolved=False
    )
    action = f"kept (factor x{run.ratio:g}); figures across them carry a caveat"
    return adjustment, Finding(
        symbol,
        "seam",
        (first, last),
        detail,
        action,
        None,
        {"step": "unresolved", "files": files, "kept": len(rows)},
    )


def _seam(
    symbol: str,
    older: pd.DataFrame,
    newer: pd.DataFrame,
    step: float,
    known: bool,
    level: Level | None,
) -> tuple[Adjustment, Finding] | None:
    """Record the step where rows from one batch meet another's, if there is one."""
    kind = classify_step(step)
    if kind is None and known:
        return None
    at = newer.index[0]
    files = f"{_files(older)} -> {_files(newer)}"
    split = nearest_split(step)
    label = split_label(split) if split else ""
    how = (
        f"measured on {level.days} shared sessions {level.first}..{level.last}"
        if level is not None
        else "from the move between the last older and the first newer close"
    )
    if not known:
        detail = f"rows before {_day(at)} ({_files(older)}) disagree with {_files(newer)} on too few shared sessions to measure a step"
        adjustment = Adjustment(
            _date(at), 1.0, "unexplained", "inferred", files, "", detail, resolved=False
        )
        action = "not adjusted; figures across it carry a caveat"
        return adjustment, Finding(
            symbol,
            "seam",
            (_day(older.index[-1]), _day(at)),
            detail,
            action,
            None,
            {"step": "unresolved", "files": files},
        )
    assert kind is not None
    detail = f"rows before {_day(at)} come from {_files(older)}; on their basis closes are x{step:.4f} those of {_files(newer)} ({how})"
    if split:
        rest = step / (split[1] / split[0]) - 1
        detail += f": a {label} split" + (
            f" and a {abs(rest):.2%} adjustment step" if abs(rest) >= SAME_BASIS else ""
        )
    elif kind == "dividend":
        detail += ": a dividend-adjustment step, not a split"
    adjustment = Adjustment(_date(at), step, kind, "inferred", files, label, detail)
    action = f"rows before {_day(at)} multiplied by {step:.6g} in the adjusted series (raw kept)"
    extra: dict[str, object] = {"step": kind, "files": files}
    if label:
        extra["split"] = label
    return adjustment, Finding(
        symbol, "seam", (_day(older.index[-1]), _day(at)), detail, action, step, extra
    )


def _overlap_findings(symbol: str, overlap: Overlap, file: str) -> list[Finding]:
    """Report steps inside the overlap and single sessions that disagree, newer rows kept."""
    found = []
    for a, b in zip(overlap.levels, overlap.levels[1:], strict=False):
        step = b.ratio / a.ratio
        found.append(
            Finding(
                symbol,
                "seam",
                (a.last.isoformat(), b.first.isoformat()),
                f"on shared sessions the older rows change basis between {a.last} and {b.first} "
                f"(newer/older x{a.ratio:.4f}, then x{b.ratio:.4f})",
                f"none needed: {file}'s rows are kept on those sessions",
                step,
                {"step": classify_step(step) or "none", "within_overlap": True},
            )
        )
    if overlap.outliers:
        worst = max(overlap.outliers, key=lambda o: abs(math.log(o[1])))
        found.append(
            Finding(
                symbol,
                "reconciliation",
                tuple(d.isoformat() for d, _ in overlap.outliers),
                f"{len(overlap.outliers)} shared session(s) where the closes differ by more than 0.5% "
                f"from the sources' usual ratio (worst {worst[0]}: newer/older x{worst[1]:.4f})",
                f"{file}'s rows kept",
                worst[1],
            )
        )
    return found
