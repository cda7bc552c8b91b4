"""The page-data facade: translations, windows, signals, related items, quotes, fact-check marks."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from assistant.app import Footnote
from assistant.views import feed as views
from knowledge import Document, Section
from tests.ui.fakes import FakeLibrary, demo_documents
from tools.market import Market
from tools.prices.fake import FakeSource

EN_ID = "russell-2000-rally-2026-01-26-en"
ZH_ID = "russell-2000-rally-2026-01-26-zh"


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return demo_documents()


def doc_like(doc_id: str, **fields: object) -> Document:
    base: dict[str, object] = {
        "id": doc_id,
        "kind": "news",
        "title": doc_id,
        "published": dt.date(2026, 1, 20),
        "sections": [Section(text="Nothing dated here.")],
    }
    return Document.model_validate({**base, **fields})


def test_one_translation_per_item_in_the_asked_language(docs: list[Document]) -> None:
    assert [d.id for d in views.pick_translations(docs, "zh")] == [ZH_ID]
    assert [d.id for d in views.pick_translations(docs, "en")] == [EN_ID]
    library = FakeLibrary(docs)
    assert views.news_item(library, EN_ID, "zh").id == ZH_ID
    assert views.news_item(library, "russell-2000-rally-2026-01-26", "en").id == EN_ID
    assert views.news_item(library, "missing", "en") is None


def test_analysis_window_is_the_first_dated_span_up_to_the_session_before(
    docs: list[Document],
) -> None:
    doc = next(d for d in docs if d.id == EN_ID)
    assert views.analysis_window(doc) == (dt.date(2025, 12, 1), dt.date(2026, 1, 23))
    undated = doc_like("x")
    start, end = views.analysis_window(undated)  # type: ignore[misc]
    assert end == dt.date(2026, 1, 16) and (end - start).days > 50


def test_signal_items_split_on_their_citations(docs: list[Document]) -> None:
    en = views.signal_texts(next(d for d in docs if d.id == EN_ID))
    assert en[0].startswith("A close below the 20-session moving average")
    assert [views.markers(s) for s in en] == [[1], [6], [7], [5]]
    zh = views.signal_texts(next(d for d in docs if d.id == ZH_ID))
    assert len(zh) == 4 and zh[0].startswith("收盘跌破20日均线")


def test_moving_average_signal_gets_a_live_status(docs: list[Document], market: Market) -> None:
    signals = views.signals(next(d for d in docs if d.id == EN_ID), market)
    first = signals[0]
    assert first.state == "triggered"  # the stored data end in March, below the average
    close, sma, _ = first.figures
    assert close.value < sma.value and sma.end == close.as_of
    assert [s.state for s in signals[1:]] == ["untracked"] * 3


def test_signals_without_prices_say_so(docs: list[Document]) -> None:
    signals = views.signals(next(d for d in docs if d.id == EN_ID), Market(FakeSource({})))
    assert signals[0].state == "no_data" and signals[0].error


def test_quotes_carry_receipts_and_sparklines_or_a_hint(market: Market) -> None:
    rut, nope = views.quotes(market, ["^RUT", "XYZQ"], "zh")
    assert rut.name == "罗素2000指数" and rut.close is not None and rut.change is not None
    assert rut.as_of == dt.date(2026, 3, 6) and len(rut.spark) == views.SPARK_SESSIONS
    assert rut.spark[-1] == pytest.approx(rut.close.value, abs=1e-3)
    assert nope.close is None and nope.error and nope.hint


def test_related_items_share_tickers_or_tags(docs: list[Document]) -> None:
    other = doc_like("other", tickers=["^RUT"], tags=["valuation"], title="Another item")
    unrelated = doc_like("unrelated", tickers=["XLE"], title="Oil")
    library = FakeLibrary([*docs, other, unrelated])
    doc = next(d for d in docs if d.id == EN_ID)
    found = views.related(library, doc, "en")
    assert [r.doc.id for r in found] == ["other"]
    assert found[0].shared_tickers == ["^RUT"] and found[0].shared_tags == ["valuation"]


def test_links_only_to_allowed_hosts() -> None:
    assert views.safe_link("https://www.jpmorgan.com/insights") is not None
    assert views.safe_link("https://thefinancememories.com/?p=1") is None
    assert views.safe_link("http://www.jpmorgan.com/") is None
    assert views.link_host("https://thefinancememories.com/?p=1") == "thefinancememories.com"


def test_fact_check_results_map_onto_sections(docs: list[Document]) -> None:
    doc = next(d for d in docs if d.id == EN_ID)
    text = doc.text()
    at = text.index("2,735.10")
    checked = SimpleNamespace(
        claim=SimpleNamespace(span=(at, at + 8), raw="2,735.10"),
        verdict="wrong_date",
        note="The high was on another day.",
        receipt="max(High[...])",
    )
    summary = views.FactSummary([views._mark(checked)])
    assert summary.marks[0].claim == "2,735.10"
    assert summary.marks[0].detail == "The high was on another day. max(High[...])"
    marks = views.section_marks(doc, summary)
    ((index, [mark]),) = marks.items()
    section = doc.sections[index].text
    assert section[mark.start : mark.end] == "2,735.10"
    assert summary.counts == {"wrong_date": 1} and summary.holding == 0


def test_fact_checks_read_the_store_without_checking_when_told(docs: list[Document]) -> None:
    fn = Footnote(demo=False)
    assert fn.fact_checks(EN_ID, check_missing=False) == views.FactSummary([])
