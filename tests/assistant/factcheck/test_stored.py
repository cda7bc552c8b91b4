"""News items are checked on ingest; the app reads the results back with each number's span."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app import Footnote
from assistant.data.market import import_demo_prices
from assistant.factcheck import stored_results
from tests.assistant.factcheck.conftest import DOCUMENTS, LABELS


@pytest.fixture
def fn() -> Footnote:
    """A `Footnote` on the test's empty home that does not fill it with demo prices."""
    return Footnote(demo=False)


def _import(fn: Footnote, shared_prices: Path, *symbols: str) -> None:
    for folder in ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03"):
        paths = [shared_prices / folder / f"{s}.csv" for s in symbols]
        present = [p for p in paths if p.is_file()]
        assert all(o.error is None for o in fn.import_prices(present))


def test_ingesting_a_news_item_stores_its_checked_claims(
    fn: Footnote, shared_prices: Path, tmp_path: Path
) -> None:
    _import(fn, shared_prices, "^RUT")
    outcomes = fn.ingest([DOCUMENTS / "wrong-date-en.md"])
    assert [o.status for o in outcomes] == ["added"]
    stored = stored_results(fn.store.factchecks, "fc-wrong-date-en")
    assert stored is not None
    assert [c.verdict for c in stored[1]] == [x["verdict"] for x in LABELS["wrong-date-en.md"]]

    results = fn.results_for("fc-wrong-date-en", check_missing=False)
    text = fn.library.get("fc-wrong-date-en").text()  # type: ignore[union-attr]
    assert [text[slice(*c.span)] for c in results] == ["2,669.16", "2,718.77", "1.82%"]
    assert results[0].receipt == "Close[2026-01-23]"


def test_documents_not_yet_checked_are_checked_on_first_read(
    fn: Footnote, shared_prices: Path, tmp_path: Path
) -> None:
    _import(fn, shared_prices, "^RUT", "^GSPC")
    analysis = tmp_path / "analysis.md"
    analysis.write_text(
        (DOCUMENTS / "wrong-en.md")
        .read_text(encoding="utf-8")
        .replace("kind: news", "kind: analysis"),
        encoding="utf-8",
    )
    fn.ingest([analysis])
    assert (
        fn.results_for("fc-wrong-en", check_missing=False) == []
    )  # only news is checked on ingest
    checked = fn.results_for("fc-wrong-en")
    assert [c.verdict for c in checked] == ["differs"] * 3
    assert fn.results_for("fc-wrong-en", check_missing=False) == checked
    assert fn.results_for("no-such-document") == []


def test_the_demo_corpus_is_fact_checked_when_first_ingested(
    fn: Footnote, shared_prices: Path
) -> None:
    """The feed's fact-check badge needs stored results before any item is opened."""
    list(import_demo_prices(fn.settings))
    line = fn.ensure_demo_corpus()
    news = fn.library.documents("news")
    assert news
    assert f"{len(news)} news items fact-checked" in line
    for doc in news:
        checked = fn.results_for(doc.id, check_missing=False)  # stored, not checked on this read
        assert checked, doc.id
        verdicts = {c.verdict for c in checked}
        assert "holds" in verdicts, doc.id  # the demo's market figures match the demo prices
        assert not verdicts & {"differs", "wrong_date"}, doc.id
    assert fn.ensure_demo_corpus() == "Demo news corpus: already present."


def test_demo_opened_before_prices_is_checked_once_prices_arrive(
    fn: Footnote, shared_prices: Path
) -> None:
    """`footnote ingest` on a fresh home opens the demo before any prices exist: nothing is
    stored then (it would all read "unverifiable"); the first start with prices checks it."""
    fn.ensure_demo_corpus()  # ingests the demo, no prices yet
    news = fn.library.documents("news")
    assert news
    assert all(fn.store.factchecks.load(d.id) is None for d in news)
    list(import_demo_prices(fn.settings))
    assert fn.ensure_demo_corpus() == (
        f"Demo news corpus: already present; {len(news)} news items fact-checked."
    )
    for doc in news:
        assert "holds" in {c.verdict for c in fn.results_for(doc.id, check_missing=False)}
    assert fn.ensure_demo_corpus() == "Demo news corpus: already present."


def test_claims_without_data_are_checked_again_once_prices_arrive(
    fn: Footnote, shared_prices: Path
) -> None:
    fn.ingest([DOCUMENTS / "wrong-date-en.md"])  # no prices yet: nothing can be computed
    before = fn.results_for("fc-wrong-date-en")
    assert before and all(c.verdict == "unverifiable" for c in before)
    assert fn.results_for("fc-wrong-date-en") == before  # no new prices: the stored results stand
    _import(fn, shared_prices, "^RUT")
    after = fn.results_for("fc-wrong-date-en")
    assert [c.verdict for c in after] == [x["verdict"] for x in LABELS["wrong-date-en.md"]]
    assert fn.results_for("fc-wrong-date-en", check_missing=False) == after  # stored
