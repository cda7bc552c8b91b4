"""News items are checked on ingest; the app reads the results back with each number's span."""

from __future__ import annotations

from pathlib import Path

from assistant.data.library import ingest, open_library
from assistant.data.market import import_price_files
from assistant.factcheck import results_for
from assistant.factcheck.store import FactcheckStore
from assistant.settings import get_settings
from tests.assistant.factcheck.conftest import DOCUMENTS, LABELS


def _import(shared_prices: Path, *symbols: str) -> None:
    for folder in ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03"):
        paths = [shared_prices / folder / f"{s}.csv" for s in symbols]
        present = [p for p in paths if p.is_file()]
        assert all(o.error is None for o in import_price_files(present))


def test_ingesting_a_news_item_stores_its_checked_claims(
    shared_prices: Path, tmp_path: Path
) -> None:
    _import(shared_prices, "^RUT")
    outcomes = ingest([DOCUMENTS / "wrong-date-en.md"])
    assert [o.status for o in outcomes] == ["added"]
    stored = FactcheckStore(get_settings().state_db).load("fc-wrong-date-en")
    assert stored is not None
    assert [c.verdict for c in stored[1]] == [x["verdict"] for x in LABELS["wrong-date-en.md"]]

    results = results_for("fc-wrong-date-en", check_missing=False)
    text = open_library(demo=False).get("fc-wrong-date-en").text()  # type: ignore[union-attr]
    assert [text[slice(*c.span)] for c in results] == ["2,669.16", "2,718.77", "1.82%"]
    assert results[0].receipt == "Close[2026-01-23]"


def test_documents_not_yet_checked_are_checked_on_first_read(
    shared_prices: Path, tmp_path: Path
) -> None:
    _import(shared_prices, "^RUT", "^GSPC")
    analysis = tmp_path / "analysis.md"
    analysis.write_text(
        (DOCUMENTS / "wrong-en.md")
        .read_text(encoding="utf-8")
        .replace("kind: news", "kind: analysis"),
        encoding="utf-8",
    )
    ingest([analysis])
    assert results_for("fc-wrong-en", check_missing=False) == []  # only news is checked on ingest
    checked = results_for("fc-wrong-en")
    assert [c.verdict for c in checked] == ["differs"] * 3
    assert results_for("fc-wrong-en", check_missing=False) == checked
    assert results_for("no-such-document") == []


def test_the_demo_corpus_is_fact_checked_when_first_ingested(shared_prices: Path) -> None:
    """The feed's fact-check badge needs stored results before any item is opened."""
    from assistant.data.library import ensure_demo_corpus
    from assistant.data.market import import_demo_prices

    list(import_demo_prices(get_settings()))
    line = ensure_demo_corpus()
    news = open_library(demo=False).documents("news")
    assert news
    assert f"{len(news)} news items fact-checked" in line
    for doc in news:
        checked = results_for(doc.id, check_missing=False)  # stored, not checked on this read
        assert checked, doc.id
        verdicts = {c.verdict for c in checked}
        assert "holds" in verdicts, doc.id  # the demo's market figures match the demo prices
        assert not verdicts & {"differs", "wrong_date"}, doc.id
    assert ensure_demo_corpus() == "Demo news corpus: already present."


def test_demo_opened_before_prices_is_checked_once_prices_arrive(shared_prices: Path) -> None:
    """`footnote ingest` on a fresh home opens the demo before any prices exist: nothing is
    stored then (it would all read "unverifiable"); the first start with prices checks it."""
    from assistant.data.library import ensure_demo_corpus
    from assistant.data.market import import_demo_prices

    news = open_library().documents("news")  # ingests the demo, no prices yet
    assert news
    assert all(FactcheckStore(get_settings().state_db).load(d.id) is None for d in news)
    list(import_demo_prices(get_settings()))
    assert ensure_demo_corpus() == (
        f"Demo news corpus: already present; {len(news)} news items fact-checked."
    )
    for doc in news:
        assert "holds" in {c.verdict for c in results_for(doc.id, check_missing=False)}
    assert ensure_demo_corpus() == "Demo news corpus: already present."


def test_claims_without_data_are_checked_again_once_prices_arrive(shared_prices: Path) -> None:
    ingest([DOCUMENTS / "wrong-date-en.md"])  # no prices yet: nothing can be computed
    before = results_for("fc-wrong-date-en")
    assert before and all(c.verdict == "unverifiable" for c in before)
    assert results_for("fc-wrong-date-en") == before  # no new prices: the stored results stand
    _import(shared_prices, "^RUT")
    after = results_for("fc-wrong-date-en")
    assert [c.verdict for c in after] == [x["verdict"] for x in LABELS["wrong-date-en.md"]]
    assert results_for("fc-wrong-date-en", check_missing=False) == after  # stored
