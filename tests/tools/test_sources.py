"""The cached source and the Yahoo adapter under faults: outage, hang, rate limit, empty answers."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pandas as pd
import pytest

from tools.prices.base import NoData, PriceSource, RateLimited, SourceUnavailable, UnknownSymbol
from tools.prices.cached import CachedSource
from tools.prices.fake import FailingSource, FakeSource, HangingSource, synthetic_ohlcv
from tools.prices.store import PriceStore
from tools.prices.yahoo import RateLimiter, YahooSource

D = dt.date
SESSIONS = pd.bdate_range("2026-01-05", "2026-01-30").drop(pd.Timestamp("2026-01-19"))  # MLK day
FULL = synthetic_ohlcv(["SPY"], SESSIONS, seed=11)["SPY"]
NOW = dt.datetime(2026, 2, 2, 18, 0)  # Monday evening in New York
AT = dt.datetime(2026, 1, 20, tzinfo=dt.UTC)


def cached(
    tmp_path: Path,
    live: PriceSource | None,
    stored: pd.DataFrame | None = None,
    mode: str = "auto",
    deadline: float = 2.0,
) -> CachedSource:
    store = PriceStore(tmp_path)
    if stored is not None:
        store.save("SPY", stored, "earlier fetch", AT)
    return CachedSource(store, live, mode=mode, deadline_s=deadline, now=lambda: NOW)  # type: ignore[arg-type]


def test_the_fakes_meet_the_interface() -> None:
    for source in (
        FakeSource({}),
        FailingSource(NoData("x")),
        HangingSource(),
        YahooSource(),
        PriceStore(Path(".")),
    ):
        assert isinstance(source, PriceSource)


def test_complete_store_is_served_without_calling_live(tmp_path: Path) -> None:
    live = FakeSource({"SPY": FULL})
    history = cached(tmp_path, live, FULL).history("spy", D(2026, 1, 5), D(2026, 1, 30))
    assert live.calls == []
    assert not history.stale
    assert history.provider == "earlier fetch"


def test_missing_rows_are_fetched_live_and_stored(tmp_path: Path) -> None:
    live = FakeSource({"SPY": FULL}, provider="live")
    source = cached(tmp_path, live, FULL.iloc[:5])
    history = source.history("SPY", D(2026, 1, 5), D(2026, 1, 30))
    assert len(live.calls) == 1
    assert len(history.frame) == len(FULL)
    assert not history.stale
    assert source.store.load("SPY")["provider"].iloc[-1] == "live"


@pytest.mark.parametrize(
    "live",
    [
        FailingSource(SourceUnavailable("Yahoo Finance could not be reached (ConnectError).")),
        FailingSource(RateLimited("Yahoo Finance is rate limiting requests.")),
    ],
    ids=["outage", "rate-limit"],
)
def test_when_live_fails_stored_data_is_served_marked_stale(
    tmp_path: Path, live: FailingSource
) -> None:
    history = cached(tmp_path, live, FULL.iloc[:10]).history("SPY", D(2026, 1, 5), D(2026, 1, 30))
    assert history.stale
    assert history.as_of == FULL.index[9].date()
    assert live.calls == 1
    assert f"as of {history.as_of}" in history.notes[-1]
    assert live.error.message in history.notes[-1]


def test_a_hanging_live_source_is_cut_off_at_the_deadline(tmp_path: Path) -> None:
    live = HangingSource()
    source = cached(tmp_path, live, FULL.iloc[:10], deadline=0.3)
    began = time.perf_counter()
    history = source.history("SPY", D(2026, 1, 5), D(2026, 1, 30))
    elapsed = time.perf_counter() - began
    live.release.set()
    assert elapsed < 1.5
    assert history.stale
    assert "no answer within 0.3 s" in history.notes[-1]


def test_neither_store_nor_live_has_data_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match=r"none stored.*footnote prices import"):
        cached(tmp_path, FailingSource(SourceUnavailable("offline"))).history(
            "SPY", D(2026, 1, 5), D(2026, 1, 9)
        )
    with pytest.raises(UnknownSymbol):
        cached(tmp_path, FakeSource({})).history("ZZZZ", D(2026, 1, 5), D(2026, 1, 9))
    with pytest.raises(NoData, match="footnote prices update SPY"):
        cached(tmp_path, None).history("SPY", D(2026, 1, 5), D(2026, 1, 9))


def test_local_mode_never_calls_live_and_marks_old_data_stale(tmp_path: Path) -> None:
    live = FakeSource({"SPY": FULL})
    history = cached(tmp_path, live, FULL.iloc[:10], mode="local").history(
        "SPY", D(2026, 1, 5), D(2026, 1, 30)
    )
    assert live.calls == []
    assert history.stale
    assert "price mode is local" in history.notes[-1]


# -- the Yahoo adapter, with its yfinance call replaced -------------------------------------


def yahoo(fetch: object, deadline: float = 2.0) -> YahooSource:
    return YahooSource(deadline_s=deadline, backoff_s=0.05, limiter=RateLimiter(1000), fetch=fetch)  # type: ignore[arg-type]


def test_yahoo_normalises_a_timezone_aware_frame() -> None:
    raw = FULL.copy()
    raw.index = raw.index.tz_localize("America/New_York")
    raw["Dividends"] = 0.0
    history = yahoo(lambda *a: raw).history("SPY", D(2026, 1, 5), D(2026, 1, 30))
    assert history.frame.index.tz is None
    assert list(history.frame.columns) == [
        "Open",
        "High",
        "Low",
        "Close",
        "Volume",
    ]
    assert history.provider == "Yahoo Finance"
    assert history.as_of == D(2026, 1, 30)


def test_yahoo_empty_frame_is_no_data() -> None:
    with pytest.raises(NoData, match="returned no prices"):
        yahoo(lambda *a: pd.DataFrame()).history("SPY", D(2026, 1, 5), D(2026, 1, 9))


def test_yahoo_hang_is_cut_off_at_the_deadline() -> None:
    def hang(*args: object) -> pd.DataFrame:
        time.sleep(5)
        return FULL

    began = time.perf_counter()
    with pytest.raises(SourceUnavailable, match="no answer within"):
        yahoo(hang, deadline=0.3).history("SPY", D(2026, 1, 5), D(2026, 1, 9))
    assert time.perf_counter() - began < 1.0


def test_yahoo_rate_limits_are_retried_then_reported() -> None:
    from yfinance.exceptions import YFRateLimitError

    attempts: list[int] = []

    def flaky(*args: object) -> pd.DataFrame:
        attempts.append(1)
        if len(attempts) < 3:
            raise YFRateLimitError()
        return FULL

    assert len(yahoo(flaky).history("SPY", D(2026, 1, 5), D(2026, 1, 30)).frame) == len(FULL)
    assert len(attempts) == 3

    def always(*args: object) -> pd.DataFrame:
        raise YFRateLimitError()

    with pytest.raises(RateLimited, match="Wait a minute"):
        yahoo(always).history("SPY", D(2026, 1, 5), D(2026, 1, 9))


def test_yahoo_network_errors_and_unknown_symbols_are_typed() -> None:
    from yfinance.exceptions import YFTzMissingError

    def network(*args: object) -> pd.DataFrame:
        raise ConnectionResetError("peer reset")

    def unknown(*args: object) -> pd.DataFrame:
        raise YFTzMissingError("ZZZZ")

    with pytest.raises(SourceUnavailable, match="ConnectionResetError"):
        yahoo(network).history("SPY", D(2026, 1, 5), D(2026, 1, 9))
    with pytest.raises(UnknownSymbol, match="does not know"):
        yahoo(unknown).history("ZZZZ", D(2026, 1, 5), D(2026, 1, 9))


def test_rate_limiter_refuses_rather_than_waiting_past_the_deadline() -> None:
    clock = [100.0]
    limiter = RateLimiter(per_minute=2, clock=lambda: clock[0])
    limiter.acquire(give_up_at=101)
    limiter.acquire(give_up_at=101)
    with pytest.raises(RateLimited, match="2 Yahoo requests a minute"):
        limiter.acquire(give_up_at=101)
    clock[0] = 161.0
    limiter.acquire(give_up_at=162)


def _yahoo_frame(split_on: str, ratio: float) -> pd.DataFrame:
    """What yfinance's `history(auto_adjust=False, actions=True)` returns: New York timestamps,
    prices Yahoo has already back-adjusted for the split, and the split in its own column."""
    raw = FULL.copy()
    raw.index = raw.index.tz_localize("America/New_York")
    raw["Adj Close"] = raw["Close"] * 0.99
    raw["Dividends"] = 0.0
    raw["Stock Splits"] = 0.0
    raw.loc[
        raw.index.normalize() == pd.Timestamp(split_on, tz="America/New_York"), "Stock Splits"
    ] = ratio
    return raw


def test_yahoo_reports_the_provider_split_and_the_store_records_it_once(tmp_path: Path) -> None:
    raw = _yahoo_frame("2026-01-20", 2.0)
    source = yahoo(lambda *a: raw)
    history = source.history("SPY", D(2026, 1, 5), D(2026, 1, 30))
    assert history.splits is not None
    assert history.splits[history.splits > 0].to_dict() == {pd.Timestamp("2026-01-20"): 2.0}
    assert list(history.frame.columns) == ["Open", "High", "Low", "Close", "Volume"]
    # Stored through the cached source: the split is logged from the provider, and the prices,
    # already back-adjusted by Yahoo, are not halved a second time.
    store = PriceStore(tmp_path)
    cached_source = CachedSource(store, source, mode="auto")
    served = cached_source.history("SPY", D(2026, 1, 5), D(2026, 1, 30))
    logged = [a for a in store.adjustments("SPY") if a.kind == "split"]
    assert [(a.date, a.source) for a in logged] == [(D(2026, 1, 20), "provider")]
    expected = FULL.loc["2026-01-05":"2026-01-30", "Close"].round(6).tolist()
    assert served.frame["Close"].round(6).tolist() == expected


def test_yahoo_without_splits_reports_none() -> None:
    history = yahoo(lambda *a: _yahoo_frame("2030-01-02", 0.0)).history(
        "SPY", D(2026, 1, 5), D(2026, 1, 30)
    )
    assert history.splits is None
