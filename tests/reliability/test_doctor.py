"""`footnote doctor` names every damaged part with its fix; `--repair` leaves the state whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.settings import get_settings
from assistant.store import Store
from knowledge import Library
from tests.reliability.test_price_integrity import write_csv
from tests.reliability.worker import write_corpus
from tools.prices.csv_import import import_csv
from tools.prices.store import PriceStore
from ui.cli import app


def squeezed(text: str) -> str:
    return "".join(text.replace("│", "").split())


def test_doctor_reports_each_damage_and_repair_restores(
    tmp_path: Path, isolated_settings: Path, hashed_embeddings: None
) -> None:
    settings = get_settings()
    Store(settings.state_db).close()
    prices = PriceStore(settings.prices_dir)
    import_csv(prices, write_csv(tmp_path / "SPY.csv"))
    import_csv(prices, write_csv(tmp_path / "QQQ.csv", start=400.0))
    ids = write_corpus(tmp_path / "notes", "d", 4)
    library = Library(settings.chroma_dir)
    library.ingest([tmp_path / "notes"])
    from knowledge._chroma import forget

    forget(settings.chroma_dir)

    (settings.prices_dir / "SPY.parquet").write_bytes(b"")
    data = bytearray(settings.state_db.read_bytes())
    for offset in range(0, len(data), 4096):
        data[offset + 20 : offset + 84] = b"\xee" * 64
    settings.state_db.write_bytes(bytes(data))
    (settings.chroma_dir / "chroma.sqlite3").unlink()

    runner = CliRunner()
    before = runner.invoke(app, ["doctor"])
    assert before.exit_code == 0, before.exception
    text = squeezed(before.stdout)
    assert "footnote.sqlitedamaged" in text
    assert "knowledgestoredamaged" in text and "4of4committed" in text
    assert "pricesSPYdamaged" in text and "footnotepricesimport" in text
    assert "pricesQQQ" not in text  # the whole file is not accused

    repaired = runner.invoke(app, ["doctor", "--repair"])
    assert repaired.exit_code == 0, repaired.exception
    after = squeezed(repaired.stdout.split("Stored state")[-1])
    assert "damaged" not in after.split("Mode:")[0]
    assert "4documents" in after
    assert sorted(d.id for d in Library(settings.chroma_dir).documents()) == sorted(ids)
    Store(settings.state_db).close()  # a fresh database opens


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_repair_sets_nothing_aside_when_the_chroma_server_is_down(
    isolated_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.data.integrity import repair_state

    monkeypatch.setenv("FOOTNOTE_CHROMA_URL", "http://127.0.0.1:9")
    get_settings.cache_clear()
    settings = get_settings()
    settings.chroma_dir.mkdir(parents=True)
    (settings.chroma_dir / "documents.jsonl").write_text("", encoding="utf-8")
    lines = list(repair_state(settings))
    assert any("cannot be reached" in line and "FOOTNOTE_CHROMA_URL" in line for line in lines)
    assert (settings.chroma_dir / "documents.jsonl").exists()
    assert not list(settings.home.glob("chroma.damaged-*"))
