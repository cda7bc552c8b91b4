"""The first `footnote ask` in a fresh data folder says what it is doing, step by step."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app


def test_first_ask_reports_each_set_up_step_then_answers(isolated_settings: Path) -> None:
    result = CliRunner().invoke(app, ["ask", "What are the main risks?"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    steps = [line for line in result.output.splitlines() if line.startswith("✓ ")]
    assert any(line.startswith("✓ Data folder:") for line in steps)
    assert any(line.startswith("✓ Prices:") for line in steps)
    assert any("Demo news corpus ingested" in line for line in steps)
    # the second ask has nothing to set up
    again = CliRunner().invoke(app, ["ask", "What are the main risks?"])
    assert again.exit_code == 0 and "✓ " not in again.output
