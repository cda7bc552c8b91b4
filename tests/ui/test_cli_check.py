"""`footnote check FILE`: the table and the exact JSON shape, on a temporary FOOTNOTE_HOME."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.app import Footnote
from tests.assistant.factcheck.conftest import DOCUMENTS, LABELS
from ui.cli import app

runner = CliRunner()
KEYS = [
    "sentence",
    "symbol",
    "metric",
    "claimed",
    "unit",
    "start",
    "end",
    "date",
    "verdict",
    "computed",
    "convention",
    "note",
]
WIDE = {"COLUMNS": "220"}


def _import_rut(shared_prices: Path) -> None:
    for folder in ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03"):
        assert all(
            o.error is None
            for o in Footnote(demo=False).import_prices([shared_prices / folder / "^RUT.csv"])
        )


def test_check_json_has_exactly_the_documented_keys(shared_prices: Path) -> None:
    _import_rut(shared_prices)
    done = runner.invoke(app, ["check", str(DOCUMENTS / "wrong-date-zh.md"), "--json"])
    assert done.exit_code == 0, done.output
    claims = json.loads(done.stdout)["claims"]
    assert all(list(c) == KEYS for c in claims)
    assert [c["verdict"] for c in claims] == [x["verdict"] for x in LABELS["wrong-date-zh.md"]]
    first = claims[0]
    assert (first["date"], first["claimed"], first["convention"]) == (
        "2026-01-25",
        2669.16,
        "close",
    )
    assert "凭据：收盘[2026-01-23]" in first["note"]  # a Chinese document: a Chinese note


def test_check_prints_a_table_with_verdicts_and_receipts(shared_prices: Path) -> None:
    _import_rut(shared_prices)
    done = runner.invoke(app, ["check", str(DOCUMENTS / "wrong-date-en.md")], env=WIDE)
    assert done.exit_code == 0, done.output
    assert "wrong date" in done.stdout and "Close[2026-01-23]" in done.stdout
    assert "3 wrong date" in done.stdout
    assert "wrong_date" not in done.stdout and "last_close" not in done.stdout


def test_check_at_80_columns_prints_one_readable_block_per_claim(shared_prices: Path) -> None:
    _import_rut(shared_prices)
    done = runner.invoke(app, ["check", str(DOCUMENTS / "wrong-date-en.md")], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not any(ch in done.stdout for ch in "┃│┏")  # no table squeezed into 80 columns
    blocks = [line for line in lines if line[:1].isdigit() and ". " in line[:4]]
    assert len(blocks) == 3 and all("wrong date" in b for b in blocks)
    assert "receipt: Close[2026-01-23]" in done.stdout


def test_check_explains_an_unreadable_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    done = runner.invoke(app, ["check", str(empty)])
    assert done.exit_code == 2
    assert "empty" in done.output
