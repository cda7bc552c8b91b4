"""Receipts carry a figure's inputs, adjustments and caveats; an answer's figures export as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from assistant.grounding.ledger import Ledger
from assistant.research.render import receipt as report_receipt
from assistant.research.render import to_markdown
from assistant.research.schemas import Report
from assistant.views.receipts import caveats, figures_csv, input_prices, receipt
from tools.figure import CSV_COLUMNS, Figure
from tools.market import Market

# The shared data's older file holds XLU unadjusted across its 2:1 split on 2025-11-17, and the
# frames the test market reads are not run through the store: the figure spans an unresolved step.
ACROSS = ("XLU", "2025-10-01", "2025-12-31")


@pytest.fixture(scope="module")
def across(market: Market) -> Figure:
    figure = market.period_return(*ACROSS)
    assert figure.caveats, "the test needs a figure computed across an unresolved step"
    return figure


@pytest.fixture(scope="module")
def clean(market: Market) -> Figure:
    return market.period_return("^RUT", "2025-12-01", "2026-01-23")


def answer_json(*figures: Figure) -> dict[str, object]:
    ledger = Ledger()
    for f in figures:
        ledger.add_figure(f)
    return {"citations": ledger.to_json(), "figures": [f.to_json() for f in ledger.figures]}


def test_a_figure_receipt_shows_its_input_prices(clean: Figure) -> None:
    [entry] = answer_json(clean)["citations"]  # type: ignore[misc]
    rows = dict(receipt(entry).rows)
    assert rows["inputs"] == "Close[2025-11-28] = 2,500.43; Close[2026-01-23] = 2,669.16"
    assert "adjustments" not in rows and receipt(entry).caveats == []


def test_a_figure_across_an_unresolved_step_keeps_its_caveat(across: Figure) -> None:
    answer = answer_json(across)
    [entry] = answer["citations"]  # type: ignore[misc]
    shown = receipt(entry)
    assert shown.caveats == across.caveats and "2:1 split" in shown.caveats[0]
    assert caveats(answer) == [(1, across.caveats[0])]


def test_adjustments_are_a_receipt_row(clean: Figure) -> None:
    adjusted = clean.model_copy(
        update={"adjustments": ["split-adjusted, 2:1 on 2025-11-17, inferred"]}
    )
    [entry] = answer_json(adjusted)["citations"]  # type: ignore[misc]
    assert dict(receipt(entry).rows)["adjustments"] == "split-adjusted, 2:1 on 2025-11-17, inferred"


def test_long_input_lists_can_be_shortened() -> None:
    closes = {f"Close[2026-01-{d:02d}]": 100.0 + d for d in range(5, 25)}
    assert input_prices(closes, limit=3) == (
        "Close[2026-01-05] = 105.00; Close[2026-01-06] = 106.00; … (20 prices); "
        "Close[2026-01-24] = 124.00"
    )
    assert input_prices(closes).count(";") == 19


def test_an_answers_figures_export_as_csv(across: Figure, clean: Figure) -> None:
    rows = list(csv.DictReader(io.StringIO(figures_csv(answer_json(clean, across)))))
    assert [r["symbol"] for r in rows] == ["^RUT", "XLU"]
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["inputs"] == "Close[2025-11-28] = 2,500.43; Close[2026-01-23] = 2,669.16"
    assert rows[1]["caveats"] == across.caveats[0]
    assert float(rows[0]["value"]) == pytest.approx(clean.value, abs=1e-6)


def test_an_older_answer_without_figures_exports_its_cited_figures(clean: Figure) -> None:
    answer = answer_json(clean)
    del answer["figures"]
    assert figures_csv(answer).splitlines()[1].startswith("return,^RUT,")


def test_report_receipts_and_a_caveat_block(across: Figure, clean: Figure) -> None:
    ledger = Ledger()
    ledger.add_figure(clean)
    ledger.add_figure(across)
    report = Report(
        id="r1",
        title="Utilities",
        topic="XLU",
        language="en",
        created_at=dt.datetime(2026, 3, 9, 12, 0),
        summary="XLU fell [2].",
        ledger=ledger,
    )
    first, second = (report_receipt(c) for c in report.citations)
    assert "inputs Close[2025-11-28] = 2,500.43; Close[2026-01-23] = 2,669.16" in first
    assert "caveat" not in first
    assert f"**⚠ caveat: {across.caveats[0]}**" in second
    text = to_markdown(report)
    assert text.index("Caveats on figures in this report") < text.index("Executive summary")
    assert f"> - [2] XLU return: {across.caveats[0]}" in text
