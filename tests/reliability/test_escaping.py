"""Names and titles that look like Rich markup are printed as text, never parsed."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app


def test_markup_like_file_names_and_titles_print_as_text(
    tmp_path: Path, hashed_embeddings: None
) -> None:
    runner = CliRunner()
    odd = tmp_path / "a[/].md"  # a file `].md` in a folder `a[`, as the probe made it
    odd.parent.mkdir()
    odd.write_text("# Title with [/] and [bold]\n\nSmall caps rallied [1].\n", encoding="utf-8")
    broken = tmp_path / "[bold]b.md"
    broken.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(odd), str(broken)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    squeezed = "".join(result.stdout.replace("│", "").split())
    assert "a[/].md" in squeezed
    assert "[bold]b.md" in squeezed

    docs = runner.invoke(app, ["docs"])
    assert docs.exit_code == 0, docs.exception
    assert "[/]" in docs.stdout

    found = runner.invoke(app, ["search", "small caps rallied", "-k", "3"])
    assert found.exit_code == 0, found.exception
    assert "Title with [/] and [bold]" in found.stdout


def test_doctor_prints_paths_with_brackets(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    home = tmp_path / "home [/]"
    monkeypatch.setenv("FOOTNOTE_HOME", str(home))
    from assistant.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 0, result.exception
    assert "Stored state" in result.stdout
