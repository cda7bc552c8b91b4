"""Caveats stay visible beside answers and metrics; figures download or print as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from assistant.app import Footnote
from assistant.chat.service import Assistant
from assistant.settings import get_settings
from tests.ui.conftest import texts
from tests.ui.fakes import FakeLibrary
from tests.ui.test_chat import open_chat
from tools.market import Market
from ui.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "240"}
# The test market reads the shared frames as they are: XLU's older file is unadjusted across its
# 2:1 split on 2025-11-17, so a return over Q4 2025 spans an unresolved step.
QUESTION = "How did XLU do from 2025-10-01 to 2025-12-31?"


@pytest.fixture
def offline(ui_market: Market, docs: list[Any], services: Footnote) -> Assistant:
    """The real offline assistant over the test market, writing into the page's threads."""
    return Assistant(
        get_settings(), market=ui_market, library=FakeLibrary(docs), threads=services.threads
    )


def test_the_page_shows_a_caveat_beside_the_answer_and_offers_the_csv(
    make_app: Callable[..., AppTest], offline: Assistant
) -> None:
    answer = offline.ask(QUESTION)
    caveat = answer.ledger.figures[0].caveats[0]
    at = open_chat(make_app(), thread=str(answer.thread_id))
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert f"[1] caveat: {caveat}" in warnings  # beside the answer
    assert f"Caveat: {caveat}" in warnings  # and inside the receipt
    body = texts(at)
    assert "**Inputs**: Close[2025-09-30] = " in body
    [button] = [b for b in at.get("download_button") if "csv" in str(b.proto.id)]
    assert button.proto.label == "Download figures (CSV)"


def test_ask_prints_inputs_and_a_warning_line(
    offline: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.cli import ask as ask_cli

    out = io.StringIO()
    monkeypatch.setattr(ask_cli, "console", Console(file=out, width=240, color_system=None))
    answer = offline.ask(QUESTION)
    ask_cli._print_answer(answer)  # type: ignore[arg-type]
    printed = out.getvalue()
    caveat = answer.ledger.figures[0].caveats[0]
    assert printed.count(f"warning: [1] XLU return: {caveat}") == 1
    assert f"warning: {caveat}" in printed  # under its receipt too
    assert "inputs: Close[2025-09-30] = " in printed


def test_metrics_prints_caveats_and_csv(
    ui_market: Market, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    figures = [ui_market.period_return("XLU", "2025-10-01", "2025-12-31")]
    caveat = figures[0].caveats[0]
    monkeypatch.setattr(Footnote, "metrics", lambda self, *args: figures)
    args = ["metrics", "XLU", "--start", "2025-10-01", "--end", "2025-12-31"]
    table = runner.invoke(app, args, env=WIDE)
    assert table.exit_code == 0, table.output
    assert "warning: XLU: " in table.stdout and "Close[2025-09-30] = " in table.stdout
    printed = runner.invoke(app, [*args, "--csv"])
    assert printed.exit_code == 0, printed.output
    [row] = list(csv.DictReader(io.StringIO(printed.stdout)))
    assert (row["symbol"], row["caveats"]) == ("XLU", caveat)
    target = tmp_path / "figures.csv"
    written = runner.invoke(app, [*args, "--csv", str(target)])
    assert written.exit_code == 0, written.output
    assert target.read_text(encoding="utf-8") == printed.stdout
    stray = runner.invoke(app, [*args, str(target)])
    assert stray.exit_code == 2 and "did you mean --csv" in stray.output


def test_metrics_csv_on_stored_prices(shared_prices: Path) -> None:
    path = shared_prices / "yahoo-2024_2026-02" / "^RUT.csv"
    assert runner.invoke(app, ["prices", "import", str(path)]).exit_code == 0
    done = runner.invoke(
        app, ["metrics", "^RUT", "--start", "2025-12-01", "--end", "2026-01-23", "--csv"]
    )
    assert done.exit_code == 0, done.output
    rows = {r["metric"]: r for r in csv.DictReader(io.StringIO(done.stdout))}
    assert rows["return"]["inputs"] == "Close[2025-11-28] = 2,500.43; Close[2026-01-23] = 2,669.16"
    assert rows["return"]["caveats"] == ""
