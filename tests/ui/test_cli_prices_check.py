"""`footnote prices check` and the data-health table of `footnote doctor`, on the shared prices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "240"}
FOLDERS = ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03")


@pytest.fixture
def stored(shared_prices: Path) -> None:
    """XLB (split inside one file), XLK (2:1 seam between the files), ^RUT (intraday rows)."""
    for folder in FOLDERS:
        for symbol in ("XLB", "XLK", "^RUT"):
            path = shared_prices / folder / f"{symbol}.csv"
            if path.is_file():
                done = runner.invoke(app, ["prices", "import", str(path)], env=WIDE)
                assert done.exit_code == 0, done.output


def test_check_json_lists_each_finding_with_dates_and_what_was_done(stored: None) -> None:
    done = runner.invoke(app, ["prices", "check", "--json"])
    assert done.exit_code == 0, done.output
    findings = json.loads(done.stdout)
    assert {f["symbol"] for f in findings} == {"XLB", "XLK", "^RUT"}
    for f in findings:
        assert {"symbol", "kind", "dates", "detail", "action"} <= set(f)
    [split] = [f for f in findings if f["symbol"] == "XLB" and f["kind"] == "split"]
    assert (split["dates"], split["split"], split["ratio"]) == (
        ["2025-11-14", "2025-11-17"],
        "2:1",
        0.5,
    )
    assert "multiplied by 0.5" in split["action"]
    [seam] = [f for f in findings if f["symbol"] == "XLK" and f["kind"] == "seam"]
    assert (seam["dates"], seam["split"]) == (["2025-09-05", "2025-09-08"], "2:1")
    assert any(f["kind"] == "intraday_row" for f in findings if f["symbol"] == "^RUT")
    assert any(f["kind"] == "stale_end" for f in findings)  # today is long after 2026-03-06
    coverage = {f["symbol"]: f for f in findings if f["kind"] == "coverage"}
    assert coverage["XLK"]["dates"] == ["2024-01-02", "2026-03-06"]


def test_check_named_symbols_only_and_exit_zero_with_findings(stored: None) -> None:
    done = runner.invoke(app, ["prices", "check", "XLB"], env=WIDE)
    assert done.exit_code == 0, done.output
    assert "XLB" in done.stdout and "XLK" not in done.stdout
    assert "split" in done.stdout and "2025-11-17" in done.stdout
    assert "1 symbol(s) checked" in done.stdout


def test_check_a_symbol_not_stored_says_so(isolated_settings: Path) -> None:
    done = runner.invoke(app, ["prices", "check", "SPY", "--json"])
    assert done.exit_code == 0, done.output
    [finding] = json.loads(done.stdout)
    assert (finding["symbol"], finding["kind"], finding["detail"]) == (
        "SPY",
        "coverage",
        "no rows stored",
    )


def test_check_rejects_what_is_not_a_symbol(isolated_settings: Path) -> None:
    done = runner.invoke(app, ["prices", "check", "../etc"])
    assert done.exit_code == 2


def test_doctor_summarises_the_price_health(stored: None) -> None:
    done = runner.invoke(app, ["doctor"], env=WIDE)
    assert done.exit_code == 0, done.output
    assert "Price data health" in done.stdout
    lines = {line.split()[1]: line for line in done.stdout.splitlines() if line.startswith("│ X")}
    assert "1 split (2:1 on 2025-11-17)" in lines["XLB"]
    assert "seam (2:1 on 2025-09-08)" in lines["XLK"]


def test_doctor_with_an_empty_store_says_there_is_nothing_to_check(isolated_settings: Path) -> None:
    done = runner.invoke(app, ["doctor"], env=WIDE)
    assert done.exit_code == 0, done.output
    assert "no stored prices to check" in done.stdout
