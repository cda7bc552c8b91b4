"""The two shared Yahoo folders: the five 2-for-1 seams are found, adjusted and checked by hand.

Expected values are computed here with plain pandas from the CSV files themselves, never with the
project's reader, store or metrics.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.tools.conftest import FOLDERS, TODAY
from tools.market import Market
from tools.prices.csv_import import csv_files, import_csv
from tools.prices.health import check_many
from tools.prices.splits import find_jumps
from tools.prices.store import PriceStore

D = dt.date
OLD, NEW = FOLDERS
SPLIT_IN_FILE = {"XLB", "XLU"}  # halve on 2025-11-17 inside the older file
SPLIT_AT_SEAM = {"XLE", "XLK", "XLY"}  # unadjusted older rows meet adjusted newer ones
DIVIDEND_SEAM = {"XLF", "XLI", "XLP", "XLV"}


@pytest.fixture(scope="module")
def store(shared_prices: Path, tmp_path_factory: pytest.TempPathFactory) -> PriceStore:
    """Both folders imported in order, older first."""
    store = PriceStore(tmp_path_factory.mktemp("store"))
    for path in csv_files([shared_prices / OLD, shared_prices / NEW]):
        import_csv(store, path)
    return store


@pytest.fixture(scope="module")
def market(store: PriceStore) -> Market:
    return Market(store, today=lambda: TODAY)


def plain_closes(shared_prices: Path, symbol: str) -> pd.Series:
    """Closes by hand: the older file's rows, the newer file's rows winning, older rows rescaled.

    A 2:1 split inside one file: older prices / 2. Where the files meet: older prices times the
    median newer/older ratio of the first shared week (2025-09-08..12).
    """
    old = pd.read_csv(shared_prices / OLD / f"{symbol}.csv", index_col="Date", parse_dates=True)
    close = old["Close"].astype(float)
    if symbol in SPLIT_IN_FILE:
        close = close.where(close.index >= "2025-11-17", close / 2)
    new_path = shared_prices / NEW / f"{symbol}.csv"
    if new_path.exists():
        new = pd.read_csv(new_path, skiprows=[1, 2], index_col=0, parse_dates=True)["Close"]
        new = new.astype(float)
        first_week = slice("2025-09-08", "2025-09-12")
        factor = float((new[first_week] / close[first_week]).median())
        close = pd.concat([close[close.index < new.index[0]] * factor, new])
    return close


def test_the_five_split_seams_are_found_with_dates_and_ratios(store: PriceStore) -> None:
    found = {
        s: [(a.date, a.split, a.kind) for a in store.adjustments(s) if a.active]
        for s in store.symbols()
    }
    for symbol in SPLIT_IN_FILE:
        assert found[symbol] == [(D(2025, 11, 17), "2:1", "split")]
        assert [a.ratio for a in store.adjustments(symbol)] == [0.5]
    for symbol in SPLIT_AT_SEAM:
        # the seam's factor is the split times the newer file's dividend re-adjustment
        assert found[symbol] == [(D(2025, 9, 8), "2:1", "split")]
        [seam] = [a for a in store.adjustments(symbol) if a.active]
        assert 0.49 < seam.ratio < 0.5
    splits = {s for s in store.symbols() for a in store.adjustments(s) if a.active and a.split}
    assert splits == SPLIT_IN_FILE | SPLIT_AT_SEAM
    xlu = next(a for a in store.adjustments("XLU") if a.active)
    assert (xlu.source, xlu.file) == ("inferred", f"{OLD}/XLU.csv")
    assert xlu.text() == "split-adjusted, 2:1 on 2025-11-17, inferred"


def test_dividend_steps_are_seams_not_splits(store: PriceStore) -> None:
    for symbol in DIVIDEND_SEAM:
        [step] = [a for a in store.adjustments(symbol) if a.active]
        assert (step.date, step.kind, step.split) == (D(2025, 9, 8), "dividend", "")
        assert 0.003 <= 1 - step.ratio <= 0.015
        assert step.file == f"{OLD}/{symbol}.csv -> {NEW}/{symbol}.csv"


def test_raw_prices_are_kept(store: PriceStore) -> None:
    raw = store.raw("XLU")["Close"]
    assert raw[pd.Timestamp("2025-11-14")] == pytest.approx(88.76, abs=0.005)
    assert store.history("XLU", D(2025, 11, 14), D(2025, 11, 14)).frame["Close"].iloc[
        0
    ] == pytest.approx(44.38, abs=0.005)


def test_the_detector_finds_the_jumps_in_the_merged_frames(
    real_frames: dict[str, pd.DataFrame],
) -> None:
    found = {
        s: [(j.date, j.label) for j in find_jumps(f)]
        for s, f in real_frames.items()
        if not s.startswith("^")
    }
    assert {s: j for s, j in found.items() if j} == {
        **{s: [(D(2025, 11, 17), "2:1")] for s in SPLIT_IN_FILE},
        **{s: [(D(2025, 9, 8), "2:1")] for s in SPLIT_AT_SEAM},
    }


def test_a_reference_that_moves_alike_is_not_a_split(real_frames: dict[str, pd.DataFrame]) -> None:
    xlu = real_frames["XLU"]
    assert find_jumps(xlu, reference=xlu["Close"]) == []
    assert [j.date for j in find_jumps(xlu, reference=real_frames["SPY"]["Close"])] == [
        D(2025, 11, 17)
    ]


WINDOWS = [
    ("XLU", D(2025, 10, 1), D(2025, 12, 31)),
    ("XLB", D(2025, 10, 1), D(2025, 12, 31)),
    ("XLK", D(2025, 8, 1), D(2025, 10, 31)),
    ("XLE", D(2025, 6, 2), D(2026, 1, 30)),
    ("XLY", D(2025, 8, 1), D(2025, 12, 31)),
    ("XLF", D(2025, 8, 1), D(2025, 10, 31)),
]


@pytest.mark.parametrize(("symbol", "start", "end"), WINDOWS)
def test_metrics_across_seams_match_hand_adjusted_prices(
    market: Market, shared_prices: Path, symbol: str, start: dt.date, end: dt.date
) -> None:
    close = plain_closes(shared_prices, symbol)
    inside = close[start.isoformat() : end.isoformat()]
    base = close[close.index < pd.Timestamp(start)].iloc[-1]
    expected_return = (inside.iloc[-1] / base - 1) * 100
    returns = inside.pct_change().dropna()
    expected_vol = float(np.std(returns, ddof=1)) * 100
    expected_drawdown = float((inside / inside.cummax() - 1).min()) * 100
    year = close[: end.isoformat()].tail(252)

    figures = market.standard_set(symbol, start, end)
    by = {(f.metric, f.params.get("basis")): f for f in figures}
    ret = by[("return", None)]
    assert ret.value == pytest.approx(expected_return, abs=0.01)
    assert by[("volatility_daily", None)].value == pytest.approx(expected_vol, abs=0.001)
    assert by[("max_drawdown", None)].value == pytest.approx(expected_drawdown, abs=0.01)
    assert by[("high_52w", "close")].value == pytest.approx(year.max(), rel=1e-4)
    assert by[("low_52w", "close")].value == pytest.approx(year.min(), rel=1e-4)
    assert ret.adjustments, "a figure across a seam says how it was adjusted"
    assert ret.caveats == []
    assert set(ret.inputs) == {f"Close[{d}]" for d in (ret.end,)} | {
        f"Close[{pd.Timestamp(close[close.index < pd.Timestamp(start)].index[-1]).date()}]"
    }


def test_xlu_q4_2025_is_about_minus_two_percent(market: Market) -> None:
    figure = market.period_return("XLU", "2025-10-01", "2025-12-31")
    assert figure.value == pytest.approx(-2.1, abs=0.05)
    assert figure.adjustments == ["split-adjusted, 2:1 on 2025-11-17, inferred"]
    assert figure.inputs == {
        "Close[2025-09-30]": pytest.approx(87.21 / 2, abs=0.01),
        "Close[2025-12-31]": pytest.approx(42.69, abs=0.01),
    }


def test_an_unadjusted_source_gets_a_caveat_not_a_silent_number(real_market: Market) -> None:
    wrong = real_market.period_return("XLU", "2025-10-01", "2025-12-31")
    assert wrong.value == pytest.approx(-51.05, abs=0.05)
    assert len(wrong.caveats) == 1 and "2:1 split" in wrong.caveats[0]
    assert "2025-11-17" in wrong.caveats[0]
    fine = real_market.period_return("XLU", "2025-12-01", "2025-12-31")
    assert fine.caveats == []


def test_the_health_check_over_both_folders(shared_prices: Path) -> None:
    parts: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    from tools.prices.csv_import import read_price_csv

    for path in csv_files([shared_prices / OLD, shared_prices / NEW]):
        prices = read_price_csv(path)
        parts.setdefault(prices.symbol, []).append((prices.file, prices.frame))
    report = check_many(parts, TODAY)
    assert json.loads(json.dumps(report)) == report
    kinds = {s: {f["kind"] for f in fs} for s, fs in report.items()}
    assert all("coverage" in k for k in kinds.values())
    seams = {
        s: [f for f in fs if f["kind"] == "seam" and not f.get("within_overlap")]
        for s, fs in report.items()
    }
    for symbol in SPLIT_AT_SEAM:
        [seam] = seams[symbol]
        assert (seam["dates"], seam["split"]) == (["2025-09-05", "2025-09-08"], "2:1")
    for symbol in DIVIDEND_SEAM:
        [seam] = seams[symbol]
        assert (seam["dates"][-1], seam["step"]) == ("2025-09-08", "dividend")
        assert "split" not in seam
        assert "split" not in kinds[symbol]
    for symbol in SPLIT_IN_FILE:
        [split] = [f for f in report[symbol] if f["kind"] == "split"]
        assert (split["dates"], split["split"], split["ratio"]) == (
            ["2025-11-14", "2025-11-17"],
            "2:1",
            0.5,
        )
    assert "stale_end" in kinds["SPY"] and "stale_end" not in kinds["XLK"]
    assert "intraday_row" in kinds["^RUT"]
    assert any(f["kind"] == "reconciliation" for f in report["^VIX"])
    for finding in (f for fs in report.values() for f in fs):
        assert {"symbol", "kind", "dates", "detail", "action"} <= set(finding)


def test_stored_prices_served_as_stale_keep_their_adjustments(store: PriceStore) -> None:
    from tools.prices.cached import CachedSource

    source = CachedSource(store, mode="local", now=lambda: dt.datetime(2026, 3, 9, 18, 0))
    history = source.history("XLU", D(2025, 10, 1), D(2026, 3, 6))
    assert history.stale
    assert [a.date for a in history.adjustments] == [D(2025, 11, 17)]


def test_the_stored_series_reports_the_same_steps_as_the_files(
    shared_prices: Path, store: PriceStore
) -> None:
    from tools.prices.csv_import import read_price_csv
    from tools.prices.health import check_stored

    parts: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    for path in csv_files([shared_prices / OLD, shared_prices / NEW]):
        prices = read_price_csv(path)
        parts.setdefault(prices.symbol, []).append((prices.file, prices.frame))
    from_files = check_many(parts, TODAY)

    def steps(findings: list[dict[str, object]]) -> list[tuple[object, ...]]:
        kept = [f for f in findings if f["kind"] in ("split", "seam") and "within_overlap" not in f]
        return sorted(
            (f["kind"], tuple(f["dates"]), f.get("split"), round(float(f["ratio"]), 4))  # type: ignore[arg-type]
            for f in kept
        )

    for symbol in store.symbols():
        stored = [
            f.to_json()
            for f in check_stored(symbol, store.load(symbol), store.adjustments(symbol), TODAY)
        ]
        assert steps(stored) == steps(from_files[symbol]), symbol
        for kind in ("coverage", "gap", "stale_end", "intraday_row", "ohlc"):
            assert [f for f in stored if f["kind"] == kind] == [
                f for f in from_files[symbol] if f["kind"] == kind
            ], (symbol, kind)
