"""Documents we wrote, in both languages, checked against ../shared/data/prices."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.factcheck import check_document
from knowledge import Document
from tests.assistant.factcheck.conftest import DOCUMENTS, LABELS, load
from tools.market import Market


@pytest.mark.parametrize("name", sorted(LABELS))
def test_each_number_is_read_and_judged_as_labelled(name: str, market: Market) -> None:
    doc = load(DOCUMENTS / name)
    results = check_document(doc, market)
    got = [
        {
            "raw": c.claim.raw,
            "symbol": c.claim.symbol,
            "metric": c.claim.metric,
            "verdict": c.verdict,
        }
        for c in results
    ]
    assert got == LABELS[name]


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_span_points_at_its_number(name: str, market: Market) -> None:
    doc = load(DOCUMENTS / name)
    text = doc.text()
    for c in check_document(doc, market):
        start, end = c.span
        assert text[start:end] == c.claim.raw


def test_a_weekend_close_is_the_previous_sessions(market: Market) -> None:
    """The seed analysis put the 2026-01-23 close on Sunday 2026-01-25."""
    first = check_document(load(DOCUMENTS / "wrong-date-en.md"), market)[0]
    assert first.verdict == "wrong_date"
    assert first.computed == pytest.approx(2669.16, abs=0.005)
    assert "2026-01-23" in first.note and "Sunday" in first.note
    assert first.receipt == "Close[2026-01-23]"


def test_a_caveat_names_the_convention_that_matches_and_the_default(market: Market) -> None:
    rose = check_document(load(DOCUMENTS / "convention-en.md"), market)[0]
    assert rose.convention == "open"
    assert "measured from the previous close, the default, it is +6.75%" in rose.note
    assert "Holds only measured from the open" in rose.note
    assert "prev_close" not in rose.note and "start_close" not in rose.note  # readers' names
    assert rose.receipt == "Close[2026-01-23] / Open[2025-12-01] - 1"


def test_truncation_is_told_apart_from_rounding(market: Market) -> None:
    close = check_document(load(DOCUMENTS / "convention-zh.md"), market)[-1]
    assert close.verdict == "holds_with_caveat"
    assert "截断" in close.note and "6,915.61" in close.note  # a Chinese document's note


def test_wrong_numbers_carry_the_computed_value(market: Market) -> None:
    results = check_document(load(DOCUMENTS / "wrong-en.md"), market)
    assert [round(c.computed or 0, 2) for c in results] == [7.53, 6915.61, -1.82]
    assert "+1.82%" in results[-1].note  # "rose" made the claim positive; the data fell


def test_symbols_without_data_are_unverifiable_never_guessed(market: Market) -> None:
    for name in ("unverifiable-en.md", "unverifiable-zh.md"):
        results = check_document(load(DOCUMENTS / name), market)
        assert {c.verdict for c in results} == {"unverifiable"}
        assert all(c.computed is None for c in results)
        assert "[2] " in results[1].note  # a forecast points to its cited source


def test_the_demo_item_checks_clean(demo: Document, market: Market) -> None:
    results = check_document(demo, market)
    market_claims = [c for c in results if c.claim.metric != "other"]
    assert len(market_claims) == 41
    assert {c.verdict for c in market_claims} == {"holds"}
    others = [c for c in results if c.claim.metric == "other"]
    cited = "所引来源 [" if demo.language == "zh" else "cited source ["
    assert others and all(c.verdict == "unverifiable" and cited in c.note for c in others)
    closes = [c for c in market_claims if c.claim.metric == "last_close"]
    assert {c.claim.date.isoformat() for c in closes if c.claim.date} == {
        "2026-01-23",
        "2026-01-22",
        "2025-12-09",
    }


@pytest.mark.parametrize("name", ["context-en.md", "context-zh.md"])
def test_context_windows_carry_and_no_data_assets_stay_unverifiable(
    name: str, market: Market
) -> None:
    results = check_document(load(DOCUMENTS / name), market)
    november = (dt.date(2025, 11, 3), dt.date(2025, 11, 28))
    same_period = results[:5]  # "in November", then "same period"/"同期"/"在此期间"
    assert all((c.claim.start, c.claim.end) == november for c in same_period)
    nasdaq = results[2]
    assert nasdaq.verdict == "differs"
    assert nasdaq.computed == pytest.approx(
        market.period_return("^IXIC", *november, "prev_close").value
    )
    bitcoin = results[4]
    assert (bitcoin.claim.symbol, bitcoin.verdict, bitcoin.computed) == (
        "BTC-USD",
        "unverifiable",
        None,
    )
    month = results[6]  # "over the month" / "当月": February, the month just named
    assert (month.claim.start, month.claim.end) == (dt.date(2026, 2, 2), dt.date(2026, 2, 27))
    wrapped = results[7]  # the points claim sits on a line after its date: lines are joined
    assert (wrapped.claim.metric, wrapped.claim.start) == ("change_points", dt.date(2026, 1, 20))
    assert wrapped.claim.claimed < 0 and wrapped.verdict == "holds"
    for forecast in results[-2:]:
        assert forecast.verdict == "unverifiable" and "[2] " in forecast.note


@pytest.mark.parametrize("name", ["dateline-en.txt", "dateline-zh.txt"])
def test_a_plain_text_page_is_read_against_its_dateline(name: str, market: Market) -> None:
    doc = load(DOCUMENTS / name)
    assert doc.published is None  # a saved page: the date is a line of the text
    results = check_document(doc, market)
    year_to_date = results[3]  # "so far this year" / "今年以来" as of the dateline, not today
    assert (year_to_date.claim.start, year_to_date.claim.end) == (
        dt.date(2026, 1, 2),
        dt.date(2026, 1, 23),
    )
    assert year_to_date.verdict == "holds"
    carried = results[1]  # "over that stretch" / "在此期间": the window the sentence before named
    assert (carried.claim.start, carried.claim.end) == (dt.date(2025, 12, 1), dt.date(2026, 1, 23))
    assert carried.verdict == "holds_with_caveat" and carried.convention == "open"
    assert not [c for c in results if c.verdict == "differs"]
