"""Two tiny CSVs with splits (a real unadjusted one and a synthetic provider-listed one) round-trip.

Import -> adjusted rows, adjustment log and figures as CSV, each compared with a golden file;
the adjusted rows written out and imported again need no further adjustment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from tools.figure import figures_to_csv
from tools.market import Market
from tools.prices.csv_import import import_csv, read_price_csv
from tools.prices.store import PriceStore

DATA = Path(__file__).parent / "data" / "splits"
GOLDEN = DATA / "golden"
RECORD = os.environ.get("FOOTNOTE_RECORD_GOLDEN") == "1"
CASES = {
    # symbol: (today, window of the return figure)
    "AAPL": (dt.date(2020, 9, 8), ("2020-08-27", "2020-09-04")),
    "SYN": (dt.date(2024, 3, 12), ("2024-03-04", "2024-03-11")),
}


def matches_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if RECORD or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not RECORD:
            pytest.fail(f"no golden file yet: wrote {name}; review it and run again")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed"


def rows_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(float_format="%.6f", date_format="%Y-%m-%d", lineterminator="\n")


@pytest.mark.parametrize("symbol", sorted(CASES))
def test_a_split_file_round_trips(symbol: str, tmp_path: Path) -> None:
    today, (start, end) = CASES[symbol]
    store = PriceStore(tmp_path / "store")
    saved = import_csv(store, DATA / f"{symbol}.csv").saved
    history = store.history(symbol, dt.date(2000, 1, 3), today)
    log = [a.to_json() for a in store.adjustments(symbol)]
    assert [a.to_json() for a in saved.adjustments] == log
    matches_golden(f"{symbol}.adjusted.csv", rows_csv(history.frame))
    matches_golden(f"{symbol}.adjustments.json", json.dumps(log, indent=1) + "\n")

    market = Market(store, today=lambda: today)
    figures = [
        market.period_return(symbol, start, end, "start_close"),
        *market.quote(symbol),
        market.max_drawdown(symbol, start, end),
    ]
    matches_golden(f"{symbol}.figures.csv", figures_to_csv(figures))
    assert all(f.caveats == [] for f in figures)
    assert figures[0].adjustments == [a.text() for a in store.adjustments(symbol)]

    again = tmp_path / f"{symbol}.csv"
    again.write_text(rows_csv(history.frame), encoding="utf-8")
    other = PriceStore(tmp_path / "again")
    assert import_csv(other, again).saved.adjustments == ()
    back = read_price_csv(again).frame
    back.index = back.index.astype("datetime64[ns]")
    pd.testing.assert_frame_equal(back, history.frame, check_freq=False, rtol=1e-6)
    written = read_price_csv(DATA / f"{symbol}.csv").frame
    written.index = written.index.astype("datetime64[ns]")
    pd.testing.assert_frame_equal(store.raw(symbol), written, check_freq=False)


def test_the_real_split_is_inferred_and_the_listed_one_comes_from_the_provider(
    tmp_path: Path,
) -> None:
    store = PriceStore(tmp_path)
    for symbol in CASES:
        import_csv(store, DATA / f"{symbol}.csv")
    [aapl] = store.adjustments("AAPL")
    assert (aapl.date, aapl.split, aapl.ratio, aapl.source) == (
        dt.date(2020, 8, 31),
        "4:1",
        0.25,
        "inferred",
    )
    assert aapl.file == "splits/AAPL.csv"
    [syn] = store.adjustments("SYN")
    assert (syn.date, syn.split, syn.ratio, syn.source) == (
        dt.date(2024, 3, 7),
        "1:10",
        10,
        "provider",
    )
    assert syn.text() == "split-adjusted, 1:10 on 2024-03-07, provider"


def test_a_listed_split_already_in_the_prices_is_not_applied_twice(tmp_path: Path) -> None:
    text = (DATA / "SYN.csv").read_text(encoding="utf-8").splitlines()
    adjusted = [text[0]]
    for line in text[1:]:
        date, *prices, volume, split = line.split(",")
        if date < "2024-03-07":
            prices = [f"{float(p) * 10:.2f}" for p in prices]
        adjusted.append(",".join([date, *prices, volume, split]))
    path = tmp_path / "SYN.csv"
    path.write_text("\n".join(adjusted) + "\n", encoding="utf-8")
    store = PriceStore(tmp_path / "store")
    result = import_csv(store, path)
    [split] = result.saved.adjustments  # recorded for receipts, applied by nobody here
    assert (split.source, split.split, split.date.isoformat()) == ("provider", "1:10", "2024-03-07")
    assert "already adjusted" in split.detail
    first = adjusted[1].split(",")
    stored = store.load("SYN")
    assert stored["Close"].iloc[0] == pytest.approx(float(first[4]))  # not multiplied again
    [finding] = result.saved.findings
    assert (finding.kind, finding.action) == ("split", "none: the prices already reflect it")
