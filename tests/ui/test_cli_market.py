"""`footnote prices` and `footnote metrics` end to end on a temporary FOOTNOTE_HOME."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.tools.test_figure import KEYS  # the Figure JSON contract, spelled once
from ui.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "220"}


def _import_rut(shared_prices: Path) -> None:
    for folder in ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03"):
        done = runner.invoke(
            app, ["prices", "import", str(shared_prices / folder / "^RUT.csv")], env=WIDE
        )
        assert done.exit_code == 0, done.output


def test_import_then_metrics_json_gives_the_known_answers(
    shared_prices: Path, isolated_settings: Path
) -> None:
    _import_rut(shared_prices)
    assert (isolated_settings / "prices" / "^RUT.parquet").is_file()
    done = runner.invoke(
        app,
        [
            "metrics",
            "^RUT",
            "--start",
            "2025-12-01",
            "--end",
            "2026-01-23",
            "--convention",
            "open",
            "--json",
        ],
    )
    assert done.exit_code == 0, done.output
    figures = json.loads(done.stdout)
    assert all(set(f) == KEYS for f in figures)
    by = {f["metric"]: f for f in figures}
    assert round(by["return"]["value"], 2) == 7.53
    assert round(by["change_points"]["value"], 2) == 186.93
    assert round(by["sma"]["value"], 3) == 2601.576
    assert (round(by["low_52w"]["value"], 2), by["low_52w"]["params"]["session"]) == (
        1732.99,
        "2025-04-09",
    )


def test_metrics_table_shows_values_and_receipts(shared_prices: Path) -> None:
    _import_rut(shared_prices)
    done = runner.invoke(
        app, ["metrics", "罗素2000", "--start", "2025-11-29", "--end", "2026-01-25"], env=WIDE
    )
    assert done.exit_code == 0, done.output
    assert "Close[2026-01-23] / Close[2025-11-28] - 1" in done.stdout
    assert "2,601.58" in done.stdout
    assert "Calendar: start 2025-11-29 (Saturday, weekend)" in done.stdout


def test_bad_input_is_a_message_and_exit_2_not_a_traceback(isolated_settings: Path) -> None:
    cases = [
        (
            ["metrics", "AAPL; rm -rf /", "--start", "2026-01-05", "--end", "2026-01-09"],
            "Not a symbol",
        ),
        (["metrics", "SPY", "--start", "2026-01-09", "--end", "2026-01-05"], "swap the dates"),
        (["metrics", "SPY", "--start", "2026-01-05", "--end", "2099-01-05"], "future"),
        (
            ["metrics", "SPY", "--start", "2026-01-05", "--end", "2026-01-09"],
            "footnote prices import",
        ),
        (["prices", "import", "/nonexistent/file.csv"], "No such file"),
    ]
    for args, words in cases:
        done = runner.invoke(app, args, env=WIDE)
        assert done.exit_code == 2, (args, done.output)
        assert words in done.output.replace("\n", " ")
        assert done.exception is None or isinstance(done.exception, SystemExit)
    assert not (isolated_settings / "prices").exists()


def test_import_reports_a_broken_file_and_writes_nothing(
    tmp_path: Path, isolated_settings: Path
) -> None:
    bad = tmp_path / "SPY.csv"
    bad.write_text("Date,Open,High,Low,Close\n2026-01-05,1,2,1,2\n2026-01-05,1,2,1,2\n")
    done = runner.invoke(app, ["prices", "import", str(bad)], env=WIDE)
    assert done.exit_code == 1
    assert "duplicate dates: 2026-01-05" in done.output
    assert not (isolated_settings / "prices").exists()


def test_update_refuses_in_local_mode() -> None:
    done = runner.invoke(app, ["prices", "update", "SPY"], env=WIDE)
    assert done.exit_code == 2
    assert "Price mode is local" in done.output


def test_import_reports_the_splits_and_seams_it_found(
    shared_prices: Path, isolated_settings: Path
) -> None:
    """XLU halves on 2025-11-17 inside the older file; XLK's two downloads meet at a 2:1 seam."""
    files = [
        shared_prices / "yahoo-2024_2026-02" / "XLU.csv",
        shared_prices / "yahoo-2024_2026-02" / "XLK.csv",
        shared_prices / "yahoo-2025-09_2026-03" / "XLK.csv",
    ]
    outputs = []
    for path in files:
        done = runner.invoke(app, ["prices", "import", str(path)], env=WIDE)
        assert done.exit_code == 0, done.output
        outputs.append(" ".join(done.output.split()))
    xlu, _, xlk_newer = outputs
    assert "split 2025-11-14, 2025-11-17" in xlu and "2:1" in xlu
    assert "seam 2025-09-05, 2025-09-08" in xlk_newer and "a 2:1 split" in xlk_newer
