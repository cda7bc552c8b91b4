"""The news page's expert-views table: people only, a forecast's live distance from the latest
close with receipts, recomputed here from the shared CSVs (both languages)."""

from __future__ import annotations

import pandas as pd
import pytest

from assistant.views.feed import expert_views
from knowledge.library import Library
from tools.market import Market

NEWS = {"en": "russell-2000-rally-2026-01-26-en", "zh": "russell-2000-rally-2026-01-26-zh"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_forecast_distance_from_the_latest_close(
    market: Market, library: Library, shared_frames: dict[str, pd.DataFrame], lang: str
) -> None:
    doc = library.get(NEWS[lang])
    assert doc is not None
    rows = expert_views(doc, market)
    assert [r.person for r in rows] == [v.person for v in doc.views]
    assert all("Yahoo" not in r.person for r in rows)
    tracked = [r for r in rows if r.distance is not None]
    assert [r.person for r in tracked] == ["Steven DeSanctis"]
    row = tracked[0]
    assert row.close is not None and row.distance is not None and not row.at_horizon
    frame = shared_frames["^RUT"]
    latest_day = frame.index[-1].date()
    close = float(frame["Close"].iloc[-1])
    assert row.close.end == latest_day and row.close.value == pytest.approx(close)
    assert row.distance.value == pytest.approx((2825 / close - 1) * 100, abs=1e-6)
    assert row.distance.inputs == {f"Close[{latest_day}]": pytest.approx(close)}
    assert row.horizon is not None and row.horizon.isoformat() == "2026-12-31"
