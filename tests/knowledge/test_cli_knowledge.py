"""`footnote ingest`, `footnote docs` and `footnote search` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app


def test_ingest_docs_search(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "note.md"
    good.write_text(
        "---\nid: cli-note\ntitle: Freight note\n---\n\nContainer freight rates doubled in January.\n"
    )
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(good), str(empty), "--json"])
    assert result.exit_code == 1  # one file failed
    lines = [json.loads(line) for line in result.stdout.replace("}\n{", "}\x00{").split("\x00")]
    assert [(o["status"], o["doc_ids"]) for o in lines] == [("added", ["cli-note"]), ("failed", [])]
    assert "empty file" in lines[1]["message"]

    docs = runner.invoke(app, ["docs", "--json"])
    assert docs.exit_code == 0
    ids = {d["id"] for d in json.loads(docs.stdout)}
    assert ids == {
        "cli-note",
        "russell-2000-rally-2026-01-26-en",
        "russell-2000-rally-2026-01-26-zh",
    }

    found = runner.invoke(app, ["search", "container freight", "-k", "2", "--json"])
    assert found.exit_code == 0
    hits = json.loads(found.stdout)
    assert set(hits[0]) == {"chunk_id", "doc_id", "title", "section", "text", "score", "source"}
    assert hits[0]["doc_id"] == "cli-note"

    plain = runner.invoke(app, ["search", "杰富瑞 目标点位", "-k", "1"])
    assert plain.exit_code == 0 and "2,825" in plain.stdout
