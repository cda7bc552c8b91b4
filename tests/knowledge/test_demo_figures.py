"""Every market figure in the demo corpus, recomputed from ../shared/data/prices."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from knowledge import DEMO_FOLDER
from knowledge.loaders import load_file

START, END = "2025-12-01", "2026-01-23"


def _load(prices: Path, symbol: str) -> pd.DataFrame:
    recent = prices / "yahoo-2025-09_2026-03" / f"{symbol}.csv"
    if recent.exists():
        frame = pd.read_csv(recent, header=[0, 1], index_col=0, skiprows=[2])
        frame.columns = [c[0] for c in frame.columns]
    else:
        frame = pd.read_csv(prices / "yahoo-2024_2026-02" / f"{symbol}.csv", index_col=0)
    frame.index = pd.to_datetime(frame.index)
    return frame


def _texts() -> dict[str, str]:
    docs = [load_file(p, 10**7)[0] for p in sorted(DEMO_FOLDER.glob("*.md"))]
    return {d.language: d.text() for d in docs}


def _expect(value: float, fmt: str = "{:,.2f}") -> str:
    return fmt.format(value)


def test_demo_figures_match_the_price_data(shared_prices: Path) -> None:
    texts = _texts()
    expected: list[str] = []
    for symbol in ("^RUT", "^DJI", "^GSPC", "^IXIC"):
        frame = _load(shared_prices, symbol)
        window = frame.loc[START:END]
        assert len(window) == 37
        open_to_close = window.Close.iloc[-1] / window.Open.iloc[0] - 1
        before = frame.loc[:"2025-11-30"].Close.iloc[-1]
        close_to_close = window.Close.iloc[-1] / before - 1
        expected += [f"{open_to_close:.2%}", f"{close_to_close:.2%}"]
        if symbol in ("^RUT", "^GSPC"):
            daily = window.Close.pct_change().dropna()
            assert len(daily) == 36
            expected += [f"{daily.std(ddof=0):.2%}", f"{daily.std(ddof=1):.2%}"]
    rut = _load(shared_prices, "^RUT")
    window = rut.loc[START:END]
    expected += [
        _expect(window.Open.iloc[0]),
        _expect(window.Close.iloc[-1]),
        _expect(window.Close.iloc[-1] - window.Open.iloc[0]),
        f"{rut.Close.loc[END] / rut.Close.loc['2026-01-22'] - 1:.2%}".lstrip("-"),
        _expect(rut.Close.loc["2026-01-22"]),
    ]
    sma20 = rut.Close.loc[:END].tail(20)
    assert sma20.index[0] == pd.Timestamp("2025-12-24")
    expected += [_expect(sma20.mean()), f"{rut.Close.loc[END] / sma20.mean() - 1:.2%}"]
    # 52 weeks to the last session needs the longer history (the other folder starts 2025-09).
    long = pd.read_csv(shared_prices / "yahoo-2024_2026-02" / "^RUT.csv", index_col=0)
    long.index = pd.to_datetime(long.index)
    year = long.loc["2025-01-24":END]
    assert year.Low.idxmin() == pd.Timestamp("2025-04-09") and year.High.idxmax() == pd.Timestamp(
        "2026-01-22"
    )
    expected += [
        _expect(year.Low.min()),
        _expect(year.High.max()),
        f"{1 - rut.Close.loc[END] / year.High.max():.2%}",
    ]
    expected += [f"{2825 / rut.Close.loc[END] - 1:.2%}", _expect(rut.Close.loc["2025-12-09"])]
    for fund in ("XLB", "XLC", "XLP", "XLF", "XLV"):
        closes = _load(shared_prices, fund).Close
        change = closes.loc[END] / closes.loc[:"2026-01-22"].iloc[-1] - 1
        expected.append(f"{change:+.2%}")
    for language, text in texts.items():
        missing = [figure for figure in expected if figure not in text]
        assert not missing, f"{language} demo text lacks {missing}"


def test_no_figure_is_attached_to_a_weekend() -> None:
    for text in _texts().values():
        assert "January 25" not in text and "1月25日" not in text and "2026-01-25" not in text
