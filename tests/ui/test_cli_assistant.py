"""`footnote ask` and `footnote research` as a user runs them, on a home filled with the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.settings import get_settings
from tests.tools.test_figure import KEYS as FIGURE_KEYS  # the Figure JSON contract, spelled once
from ui.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory, shared_prices: Path) -> Path:
    """One home per module with the demo prices and corpus (the same path `footnote ui` takes)."""
    import os

    from assistant.app import Footnote

    home = tmp_path_factory.mktemp("cli-home")
    old = os.environ.get("FOOTNOTE_HOME")
    os.environ["FOOTNOTE_HOME"] = str(home)
    get_settings.cache_clear()
    lines = list(Footnote(get_settings()).ensure_demo())
    assert any("imported" in line for line in lines)
    if old is None:
        os.environ.pop("FOOTNOTE_HOME")
    else:
        os.environ["FOOTNOTE_HOME"] = old
    get_settings.cache_clear()
    return home


@pytest.fixture
def home(demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOOTNOTE_HOME", str(demo_home))
    get_settings.cache_clear()
    return demo_home


def test_ask_json_has_the_documented_keys(home: Path) -> None:
    result = runner.invoke(
        app, ["ask", "How much did the Russell 2000 rise from 2025-12-01 to 2026-01-23?", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {
        "answer",
        "language",
        "mode",
        "citations",
        "figures",
        "verification",
        "suggestions",
        "usage",
    } <= set(data)
    assert data["mode"] == "offline" and data["language"] == "en"
    assert {c["kind"] for c in data["citations"]} == {"figure"}
    assert all({"n", "kind"} <= set(c) for c in data["citations"])
    assert all(set(f) == FIGURE_KEYS for f in data["figures"])
    assert set(data["verification"]) >= {"numbers_total", "numbers_verified", "unsupported"}
    assert data["verification"]["numbers_verified"] == data["verification"]["numbers_total"] > 0
    assert set(data["usage"]) >= {"llm_calls", "input_tokens", "output_tokens"}
    assert len(data["suggestions"]) == 3
    assert "+7.53%" in data["answer"]


def test_ask_continues_a_thread_and_refuses_bad_language(home: Path) -> None:
    first = json.loads(runner.invoke(app, ["ask", "罗素2000自12月以来涨了多少？", "--json"]).stdout)
    second = runner.invoke(app, ["ask", "那标普呢？", "--thread", first["thread_id"], "--json"])
    assert {f["symbol"] for f in json.loads(second.stdout)["figures"]} == {"^GSPC"}
    bad = runner.invoke(app, ["ask", "hi", "--lang", "fr"])
    assert bad.exit_code == 2


def test_research_plan_edit_and_run(home: Path, tmp_path: Path) -> None:
    planned = runner.invoke(
        app, ["research", "--news", "russell-2000-rally-2026-01-26-en", "--plan-only", "--json"]
    )
    assert planned.exit_code == 0, planned.output
    plan = json.loads(planned.stdout)
    assert 4 <= len(plan["sections"]) <= 8
    plan["sections"] = plan["sections"][:2]
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    out = tmp_path / "report.md"
    ran = runner.invoke(app, ["research", "--plan", str(plan_file), "--json", "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    report = json.loads(ran.stdout)
    assert {
        "title",
        "language",
        "sections",
        "citations",
        "figures",
        "verification",
        "usage",
        "files",
    } <= set(report)
    assert [s["heading"] for s in report["sections"]] == [s["heading"] for s in plan["sections"]]
    assert report["verification"]["numbers_verified"] == report["verification"]["numbers_total"]
    assert Path(report["files"]["md"]) == out and out.read_text(encoding="utf-8").startswith("# ")
    listed = runner.invoke(app, ["reports"], env={"COLUMNS": "200"})
    assert report["title"][:20] in listed.stdout


def test_research_unknown_news_item_is_a_clear_error(home: Path) -> None:
    result = runner.invoke(app, ["research", "--news", "no-such-item", "--plan-only"])
    assert result.exit_code == 2
    assert "no-such-item" in result.output


def test_ask_with_an_unknown_news_id_lists_the_known_ones(home: Path) -> None:
    result = runner.invoke(app, ["ask", "How did it do?", "--news", "no-such-item"])
    assert result.exit_code == 2
    assert "no-such-item" in result.output and "russell-2000-rally-2026-01-26-en" in result.output


def test_research_plan_questions_are_shown_whole_at_80_columns(home: Path) -> None:
    planned = runner.invoke(
        app, ["research", "Small-cap rally durability", "--plan-only", "--json"]
    )
    plan = json.loads(planned.stdout)
    shown = runner.invoke(
        app, ["research", "Small-cap rally durability"], input="n\n", env={"COLUMNS": "80"}
    )
    assert shown.exit_code == 1  # rejected: nothing run
    before = shown.output.split("Run this plan?")[0]
    flat = " ".join(before.split())
    questions = [q for s in plan["sections"] for q in s["questions"]]
    assert questions and all(" ".join(q.split()) in flat for q in questions)
    assert "…" not in before and max(len(line) for line in before.splitlines()) <= 80
