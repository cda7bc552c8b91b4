"""Split-like moves and seams on small synthetic frames (no shared data needed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tools.prices.adjust import adjusted, merge_part
from tools.prices.splits import classify_step, compare_overlap, find_jumps, nearest_split

D = dt.date


def frame(closes: list[float], start: str = "2025-03-03", volume: float = 1e6) -> pd.DataFrame:
    index = pd.bdate_range(start, periods=len(closes), name="Date")
    c = pd.Series(closes, index=index, dtype="float64")
    return pd.DataFrame(
        {"Open": c, "High": c * 1.01, "Low": c * 0.99, "Close": c, "Volume": volume}
    )


@pytest.mark.parametrize(
    ("ratio", "label"),
    [
        (0.5, (2, 1)),
        (0.49, (2, 1)),
        (0.6667, (3, 2)),
        (0.1, (10, 1)),
        (2.0, (1, 2)),
        (9.8, (1, 10)),
    ],
)
def test_split_ratios_within_tolerance(ratio: float, label: tuple[int, int]) -> None:
    assert nearest_split(ratio) == label


@pytest.mark.parametrize("ratio", [0.9, 0.8, 0.58, 1.25, 0.44])
def test_ordinary_moves_are_not_splits(ratio: float) -> None:
    assert nearest_split(ratio) is None


@pytest.mark.parametrize(
    ("ratio", "kind"),
    [
        (0.9995, None),
        (0.998, "basis"),
        (0.993, "dividend"),
        (0.986, "dividend"),
        (0.5, "split"),
        (0.95, "unexplained"),
    ],
)
def test_steps_are_classified(ratio: float, kind: str | None) -> None:
    assert classify_step(ratio) == kind


def test_a_split_is_found_unless_the_reference_shares_it_or_it_reverts() -> None:
    prices = frame([100, 101, 102, 51.2, 51.5, 52])
    [jump] = find_jumps(prices)
    assert (jump.date, jump.previous, jump.label, jump.factor) == (
        D(2025, 3, 6),
        D(2025, 3, 5),
        "2:1",
        0.5,
    )
    assert find_jumps(prices, reference=prices["Close"] * 3) == []
    assert find_jumps(frame([100, 101, 50.4, 101, 102]))[0].reverts


def test_a_constant_step_on_shared_days_is_a_seam_a_single_odd_day_a_finding() -> None:
    older = frame([100.0 + i for i in range(14)])
    newer = older.copy()
    newer.loc[newer.index[:6], ["Open", "High", "Low", "Close"]] *= 0.99
    newer.loc[newer.index[10], "Close"] *= 1.02
    overlap = compare_overlap(older, newer)
    assert [round(level.ratio, 4) for level in overlap.levels] == [0.99, 1.0]
    assert [d for d, _ in overlap.outliers] == [newer.index[10].date()]


def test_merging_rescales_older_rows_to_the_newer_basis_and_keeps_them_raw() -> None:
    older = frame([100.0 + i for i in range(10)])
    newer = older.iloc[5:].copy()
    newer[["Open", "High", "Low", "Close"]] *= 0.5  # the newer download is split-adjusted
    first = merge_part("ABC", pd.DataFrame(), (), older, "old.csv")
    merged = merge_part("ABC", first.frame, first.log, newer, "new.csv")
    [step] = merged.active
    assert (step.date, step.split, step.ratio, step.file) == (
        D(2025, 3, 10),
        "2:1",
        pytest.approx(0.5),
        "old.csv -> new.csv",
    )
    assert merged.frame["Close"].iloc[0] == 100  # raw kept
    assert adjusted(merged.frame)["Close"].iloc[0] == pytest.approx(50)
    assert adjusted(merged.frame)["Volume"].iloc[0] == pytest.approx(2e6)


def test_an_unmeasurable_seam_is_recorded_unresolved() -> None:
    older = frame([100.0 + i for i in range(6)])
    newer = older.iloc[4:].copy()
    newer[["Open", "High", "Low", "Close"]] *= 0.97
    first = merge_part("ABC", pd.DataFrame(), (), older, "old.csv")
    merged = merge_part("ABC", first.frame, first.log, newer, "new.csv")
    [step] = merged.active
    assert not step.resolved and step.text().startswith("unresolved")
    assert (merged.frame["factor"] == 1).all()
