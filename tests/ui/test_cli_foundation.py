from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import offline_subprocess_env
from ui.cli import app

runner = CliRunner()


def test_version_prints_the_package_version() -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"footnote {version('footnote')}"


def test_doctor_offline_reports_mode_and_masks_nothing_it_lacks(isolated_settings: Path) -> None:
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "offline mode" in result.stdout
    assert str(isolated_settings) in result.stdout
    assert "(not set)" in result.stdout  # the key row
    assert "price mode is local" in result.stdout


def test_doctor_masks_the_key_and_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-live-THISISSECRET-0042"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "")
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert secret not in result.output
    assert "0042" in result.output


def test_doctor_with_model_but_no_key_explains_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOOTNOTE_CHAT_MODEL", "openai:gpt-4o-mini")
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert result.output.count("OPENAI_API_KEY is not set") == 1
    assert "offline mode" in result.output


def test_doctor_probe_reports_unreachable_live_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOOTNOTE_PRICE_MODE", "auto")
    start = time.perf_counter()
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert time.perf_counter() - start < 5  # the probe is bounded
    assert result.exit_code == 0
    assert "unreachable" in result.output


@pytest.mark.slow
def test_doctor_as_a_real_process_is_offline(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from ui.cli import main; main()", "doctor"],
        env={**offline_subprocess_env(tmp_path), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "offline mode" in done.stdout


def test_bench_lists_and_rejects_unknown(tmp_path: Path) -> None:
    listed = runner.invoke(app, ["bench", "--list"])
    assert listed.exit_code == 0
    assert "startup" in listed.stdout
    unknown = runner.invoke(app, ["bench", "no-such-bench", "--out", str(tmp_path / "x.json")])
    assert unknown.exit_code == 2
    assert not (tmp_path / "x.json").exists()


def test_bench_json_records_figures_units_and_machine(tmp_path: Path) -> None:
    from benchmarks import runner as bench_runner

    results = [
        bench_runner.BenchResult(
            "demo", "d", [bench_runner.check("latency p50", 12.5, "ms", "<=", 50)]
        )
    ]
    path = bench_runner.write_json(results, tmp_path / "out.json")
    payload = json.loads(path.read_text())
    assert payload["machine"]["cpu_count"] >= 1
    measure = payload["benchmarks"][0]["measures"][0]
    assert measure == {
        "name": "latency p50",
        "value": 12.5,
        "unit": "ms",
        "target": "<= 50",
        "passed": True,
        "note": "",
    }
    assert bench_runner.check("x", 60, "ms", "<=", 50).passed is False
    assert bench_runner.percentile([1, 2, 3, 4], 50) == 2.5


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    """`footnote <command>` loads only COMMANDS[command]: a missing or wrong entry breaks it."""
    import typer.main

    from ui.cli import COMMANDS

    group = typer.main.get_command(app)
    assert set(group.commands) == set(COMMANDS)  # type: ignore[attr-defined]
    for module in sorted(set(COMMANDS.values())):
        code = (
            "import sys, typer.main; from ui.cli import load; "
            f"cmds = typer.main.get_command(load([{module!r}])).commands; "
            "loaded = sorted(m for m in sys.modules if m.startswith('ui.cli.')); "
            "print(','.join(sorted(cmds)), ','.join(loaded))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        expected = sorted(name for name, owner in COMMANDS.items() if owner == module)
        assert out[0].split(",") == expected, f"ui.cli.{module} registers {out[0]}"
        assert set(out[1].split(",")) == {f"ui.cli.{module}", "ui.cli.base"}


def test_a_command_runs_without_loading_the_others(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv = ['footnote', 'doctor', '--help']; from ui.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('ui.cli.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=offline_subprocess_env(tmp_path),
    )
    assert "configuration" in result.stdout.lower()
    assert "['ui.cli.base', 'ui.cli.doctor']" in result.stdout


def test_bench_outside_a_checkout_says_where_the_benchmarks_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An installed wheel has no `benchmarks` package: the command explains instead of crashing."""
    import builtins

    real_import = builtins.__import__

    def no_benchmarks(name: str, *args: object, **kwargs: object) -> object:
        if name == "benchmarks" or name.startswith("benchmarks."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_benchmarks)
    done = runner.invoke(app, ["bench", "--list"])
    assert done.exit_code == 2
    assert "source checkout" in " ".join(done.output.split())
