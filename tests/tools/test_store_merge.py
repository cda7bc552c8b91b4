"""A save never drops a stored session the new part lacks: rows inside the new part's span that
it does not hold are kept, on the merged basis when it can be told, else with a finding."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tools import calendar
from tools.prices.adjust import FACTOR, adjusted
from tools.prices.base import OHLCV
from tools.prices.csv_import import import_csv
from tools.prices.fake import synthetic_ohlcv
from tools.prices.store import PriceStore

AT = dt.datetime(2026, 1, 26, 21, 0, tzinfo=dt.UTC)
SESSIONS = calendar.sessions_between(dt.date(2025, 3, 3), dt.date(2025, 6, 30))[:60]
PRICES = ["Open", "High", "Low", "Close"]


def raw_prices(split_at: int | None = None, seed: int = 11) -> pd.DataFrame:
    """60 generated sessions; with `split_at`, a 2:1 split there (raw prices halve)."""
    frame = synthetic_ohlcv(["X"], SESSIONS, seed=seed)["X"]
    if split_at is not None:
        frame.loc[frame.index[split_at:], PRICES] /= 2
        frame.loc[frame.index[split_at:], "Volume"] *= 2
    return frame


def truth(frame: pd.DataFrame, split_at: int | None) -> pd.Series:
    """The closes on the latest basis: rows before the split halved."""
    close = frame["Close"].copy()
    if split_at is not None:
        close.iloc[:split_at] /= 2
    return close


def steps(stored: pd.DataFrame) -> dict[dt.date, float]:
    """Where the stored factor changes from one row to the next, and by how much."""
    factor = stored[FACTOR].to_numpy()
    ratio = factor[:-1] / factor[1:]
    return {
        stored.index[i + 1].date(): round(float(r), 6)
        for i, r in enumerate(ratio)
        if abs(math.log(r)) >= 0.001
    }


def assert_whole(store: PriceStore, frame: pd.DataFrame, split_at: int | None = None) -> None:
    """Every session is there, raw as it came in, and on one basis."""
    stored = store.load("X")
    assert len(stored) == len(frame)
    assert list(stored.index) == list(frame.index)
    np.testing.assert_allclose(stored[list(OHLCV)].to_numpy(), frame[list(OHLCV)].to_numpy())
    np.testing.assert_allclose(
        adjusted(stored)["Close"].to_numpy(), truth(frame, split_at).to_numpy(), rtol=1e-9
    )


def test_alternate_days_then_the_days_between_keep_all_sixty(tmp_path: Path) -> None:
    store = PriceStore(tmp_path)
    frame = raw_prices()
    first = store.save("X", frame.iloc[::2], "first", AT)
    second = store.save("X", frame.iloc[1::2], "second", AT)
    assert (first.total, second.added, second.replaced, second.total) == (30, 30, 0, 60)
    assert_whole(store, frame)
    stored = store.load("X")
    assert (stored[FACTOR] == 1.0).all()  # one source, one basis: nothing rescaled
    assert list(stored["provider"]) == ["first", "second"] * 30
    assert not [f for f in second.findings if f.extra.get("step") == "unresolved"]


@pytest.mark.parametrize("split_at", [30, 31])  # on a stored day, on a new day
def test_alternate_days_across_a_split_keep_one_step_where_it_is(
    tmp_path: Path, split_at: int
) -> None:
    store = PriceStore(tmp_path)
    frame = raw_prices(split_at)
    store.save("X", frame.iloc[::2], "even.csv", AT, file="even.csv")
    store.save("X", frame.iloc[1::2], "odd.csv", AT, file="odd.csv")
    assert_whole(store, frame, split_at)
    split_day = frame.index[split_at].date()
    assert steps(store.load("X")) == {split_day: 0.5}
    active = [a for a in store.adjustments("X") if a.active]
    assert [(a.date, round(a.ratio, 6), a.split) for a in active] == [(split_day, 0.5, "2:1")]


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    out = frame.copy()
    out.index = out.index.strftime("%Y-%m-%d")
    out.to_csv(path, index_label="Date", float_format="%.6f")
    return path


def test_a_csv_import_with_a_gap_keeps_the_stored_days_in_the_gap(tmp_path: Path) -> None:
    store = PriceStore(tmp_path / "prices")
    frame = raw_prices().round(6)
    import_csv(store, write_csv(tmp_path / "X.csv", frame), "X")
    revised = frame.copy()
    revised.iloc[10, revised.columns.get_loc("Close")] *= 1.002  # a corrected close: it wins
    gapped = revised.drop(revised.index[20:25])  # five sessions missing from the file
    bad = revised.index[40]
    gapped.loc[bad, "High"] = gapped.loc[bad, "Low"] / 2  # a row the import rejects
    result = import_csv(store, write_csv(tmp_path / "X-fixed.csv", gapped), "X")
    assert [r.date for r in result.prices.rejected] == [bad.strftime("%Y-%m-%d")]
    assert result.saved.total == 60
    stored = store.load("X")
    assert list(stored.index) == list(frame.index)
    np.testing.assert_allclose(stored["Close"].to_numpy(), revised["Close"].to_numpy())
    # the gap and the rejected row keep the first import's rows, the corrected close is the new one
    np.testing.assert_allclose(stored.loc[bad, list(OHLCV)].to_numpy(), frame.loc[bad].to_numpy())
    files = stored["file"].map(lambda f: Path(f).name)
    assert set(files.iloc[20:25]) == {"X.csv"} and set(files.drop(bad).iloc[25:]) == {"X-fixed.csv"}
    assert (stored[FACTOR] == 1.0).all()


@pytest.mark.parametrize(
    "gaps",
    [
        [range(20, 23)],  # gaps away from the split (day 30)
        [range(20, 23), range(28, 33)],  # and one the split falls in
    ],
)
def test_an_overlapping_part_with_a_split_inside_keeps_factors_consistent(
    tmp_path: Path, gaps: list[range]
) -> None:
    store = PriceStore(tmp_path)
    frame = raw_prices(30)
    store.save("X", frame, "all.csv", AT, file="all.csv")
    part = frame.iloc[15:46].drop(frame.index[[i for gap in gaps for i in gap]])
    saved = store.save("X", part, "part.csv", AT, file="part.csv")
    assert saved.total == 60
    assert_whole(store, frame, 30)
    split_day = frame.index[30].date()
    assert steps(store.load("X")) == {split_day: 0.5}  # one step, at the split, not at a gap
    active = [a for a in store.adjustments("X") if a.active]
    assert [(a.date, round(a.ratio, 6)) for a in active] == [(split_day, 0.5)]
    assert all(a.resolved for a in active)
    history = store.history("X", SESSIONS[0].date(), SESSIONS[-1].date())
    assert [a.date for a in history.adjustments] == [split_day]


def test_stored_rows_on_an_older_basis_are_rebased_like_the_rows_before_the_part(
    tmp_path: Path,
) -> None:
    """Stored before a split, fetched again after it from a source that adjusts history (as
    Yahoo does): the kept rows inside the new part's span move to its basis too."""
    store = PriceStore(tmp_path)
    frame = raw_prices(30)
    store.save("X", frame.iloc[:30], "before the split", AT, file="old")
    fetched = frame.iloc[10:].copy()
    fetched.loc[fetched.index < frame.index[30], PRICES] /= 2  # the source's adjusted history
    fetched = fetched.drop(frame.index[15:18])
    listed = pd.Series(0.0, index=fetched.index)
    listed[frame.index[30]] = 2.0
    store.save("X", fetched, "after the split", AT, file="new", splits=listed)
    stored = store.load("X")
    assert len(stored) == 60
    np.testing.assert_allclose(adjusted(stored)["Close"].to_numpy(), truth(frame, 30).to_numpy())
    kept = stored.loc[frame.index[15:18]]
    assert set(kept["file"]) == {"old"}
    np.testing.assert_allclose(kept["Close"].to_numpy(), frame["Close"].iloc[15:18].to_numpy())
    assert (kept[FACTOR] == 0.5).all()


def test_kept_rows_whose_basis_cannot_be_told_are_kept_with_a_finding(tmp_path: Path) -> None:
    """The new part is on one basis before its gap and another after it (a 3% step no split
    explains): the stored rows in the gap are kept, unresolved, and the finding says so."""
    store = PriceStore(tmp_path)
    frame = raw_prices()
    store.save("X", frame, "all.csv", AT, file="all.csv")
    part = frame.iloc[10:51].drop(frame.index[20:25]).copy()
    part.loc[part.index < frame.index[20], PRICES] *= 0.97
    saved = store.save("X", part, "part.csv", AT, file="part.csv")
    assert saved.total == 60
    stored = store.load("X")
    np.testing.assert_allclose(
        stored.loc[frame.index[20:25], "Close"].to_numpy(), frame["Close"].iloc[20:25].to_numpy()
    )
    [finding] = [f for f in saved.findings if f.extra.get("step") == "unresolved"]
    assert finding.kind == "seam" and finding.extra["step"] == "unresolved"
    assert finding.dates == (str(frame.index[20].date()), str(frame.index[24].date()))
    assert "5 stored session(s)" in finding.detail
    unresolved = [a for a in store.adjustments("X") if a.active and not a.resolved]
    assert frame.index[20].date() in {a.date for a in unresolved}


def test_the_merge_runs_under_the_symbol_s_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock, Timeout

    import tools.prices.store as store_module

    held: list[bool] = []
    merge = store_module.merge_part

    def watched(*args: object, **kwargs: object) -> object:
        try:  # another process's view of the lock while the merge runs
            FileLock(tmp_path / ".X.lock", timeout=0).acquire()
        except Timeout:
            held.append(True)
        else:
            held.append(False)
        return merge(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "merge_part", watched)
    store = PriceStore(tmp_path)
    frame = raw_prices()
    store.save("X", frame.iloc[::2], "first", AT)
    store.save("X", frame.iloc[1::2], "second", AT)
    assert held == [True, True]
    assert len(store.load("X")) == 60


def closes_frame(closes: list[float]) -> pd.DataFrame:
    index = pd.DatetimeIndex(SESSIONS[: len(closes)], name="Date")
    c = pd.Series(closes, index=index, dtype="float64")
    return pd.DataFrame({"Open": c, "High": c * 1.01, "Low": c * 0.99, "Close": c, "Volume": 1e6})


@pytest.mark.parametrize("symbol", ["X", "^X"])
def test_a_one_day_spike_between_new_days_is_kept_as_it_is(tmp_path: Path, symbol: str) -> None:
    """A stored day a third below both new neighbours may be a spike or another basis: with no
    shared session to tell, it is kept as stored (an index never splits: not even a finding)."""
    closes = [100.0 + 0.1 * i for i in range(20)]
    closes[10] *= 0.66  # about a 3:2 split's ratio, and back the next day
    frame = closes_frame(closes)
    store = PriceStore(tmp_path)
    store.save(symbol, frame.iloc[::2], "even", AT)
    saved = store.save(symbol, frame.iloc[1::2], "odd", AT)
    stored = store.load(symbol)
    assert len(stored) == 20 and (stored[FACTOR] == 1.0).all()
    np.testing.assert_allclose(adjusted(stored)["Close"].to_numpy(), closes)
    unresolved = [f for f in saved.findings if f.extra.get("step") == "unresolved"]
    assert [f.dates for f in unresolved] == (
        [] if symbol.startswith("^") else [(str(frame.index[10].date()),) * 2]
    )


def test_several_kept_days_on_another_split_basis_with_no_shared_day_are_rebased(
    tmp_path: Path,
) -> None:
    """Stored rows a source left unadjusted, between new rows adjusted for a 2:1 split, with no
    session in common: the jump into them and back out is the basis step, as at a seam."""
    frame = raw_prices(50)  # the split after these 60 sessions: every row is pre-split
    adjusted_frame = frame.copy()
    adjusted_frame[PRICES] /= 2
    store = PriceStore(tmp_path)
    store.save("X", frame.iloc[20:25], "unadjusted", AT, file="old")
    part = pd.concat([adjusted_frame.iloc[10:20], adjusted_frame.iloc[25:40]])
    saved = store.save("X", part, "adjusted", AT, file="new")
    stored = store.load("X")
    assert len(stored) == 30
    np.testing.assert_allclose(
        adjusted(stored)["Close"].to_numpy(), adjusted_frame["Close"].iloc[10:40].to_numpy()
    )
    assert (stored.loc[frame.index[20:25], FACTOR] == 0.5).all()
    [kept] = [f for f in saved.findings if f.extra.get("step") == "kept"]
    assert kept.ratio == 0.5 and kept.extra["kept"] == 5
    assert not [a for a in store.adjustments("X") if a.active]  # an island: no event in prices
