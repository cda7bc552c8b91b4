"""The ledger is one pydantic shape: it round-trips by itself, numbers and dedup included, and a
report stored in the older flat form reads back into the same ledger."""

from __future__ import annotations

import datetime as dt

from assistant.grounding.ledger import FigureCitation, Ledger, PassageCitation
from assistant.research.schemas import Report
from knowledge.passage import Passage
from tools.figure import Figure


def _figure(value: float = 6.75) -> Figure:
    return Figure(
        metric="return",
        symbol="^RUT",
        value=value,
        unit="%",
        start=dt.date(2025, 12, 1),
        end=dt.date(2026, 1, 23),
        convention="prev_close",
        as_of=dt.date(2026, 1, 23),
        provider="test",
        formula="Close[end] / Close[start-1] - 1",
    )


def _passage() -> Passage:
    return Passage(chunk_id="doc#0", doc_id="doc", title="T", section="S", text="Small caps led.")


def test_a_ledger_round_trips_with_its_numbers_and_its_dedup() -> None:
    ledger = Ledger()
    assert ledger.add_figure(_figure()) == 1
    assert ledger.add_passage(_passage()) == 2
    assert ledger.add_figure(_figure(1.0)) == 3
    back = Ledger.model_validate_json(ledger.model_dump_json())
    assert back == ledger
    assert isinstance(back.entries[0], FigureCitation)
    assert isinstance(back.entries[1], PassageCitation)
    assert back.add_figure(_figure()) == 1  # the same evidence keeps its number after loading
    assert back.add_passage(_passage()) == 2
    assert back.add_figure(_figure(2.0)) == 4
    assert back.to_json()[0]["value"] == 6.75 and back.to_json()[1]["chunk_id"] == "doc#0"


def test_a_report_in_the_older_flat_form_reads_into_a_ledger() -> None:
    ledger = Ledger()
    ledger.add_figure(_figure())
    ledger.add_passage(_passage())
    raw = [c.model_dump(mode="json") for c in ledger.entries]
    stored = {
        "id": "r1",
        "title": "t",
        "topic": "t",
        "language": "en",
        "created_at": "2026-11-24T10:00:00+00:00",
        "citations": [{**c.to_json(), "raw": r} for c, r in zip(ledger.entries, raw, strict=True)],
        "verification": {"numbers_total": 1, "numbers_verified": 1, "findings": []},
    }
    report = Report.model_validate(stored)
    assert report.ledger == ledger
    assert report.citations == ledger.to_json()
    assert report.verification.ok
