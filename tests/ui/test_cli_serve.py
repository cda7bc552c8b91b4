"""`footnote ui` follows Streamlit's own configuration unless --port or --host are given.

Each start runs in its own interpreter: Streamlit reads its configuration once per process, as
a real `footnote ui` does. The server itself is replaced by a line that prints its flags."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, offline_subprocess_env

START = """
import sys
from streamlit.web import bootstrap
from assistant.app import Footnote
bootstrap.run = lambda path, dev, args, flags: print("FLAGS", sorted(flags))
Footnote.ensure_demo = lambda self, on_step=None, lang="en": iter(["ready"])
sys.argv = ["footnote", "ui", *sys.argv[1:]]
from ui.cli import main
main()
"""


def _start(cwd: Path, home: Path, *args: str, **env: str) -> tuple[str, str]:
    environ = offline_subprocess_env(home)
    for name in ("STREAMLIT_SERVER_PORT", "STREAMLIT_SERVER_ADDRESS"):
        environ.pop(name, None)
    environ.update(env, PYTHONPATH=str(REPO) + os.pathsep + environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, "-c", START, *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    url = done.stdout.split("starting on ", 1)[1].split()[0]
    flags = next(line for line in done.stdout.splitlines() if line.startswith("FLAGS"))
    # Streamlit's "please restart streamlit" advice is wrong before the server runs
    assert "restart" not in done.stdout + done.stderr, done.stderr
    return url, flags


def test_defaults_then_streamlits_environment_and_config_file_then_flags(
    tmp_path: Path, isolated_settings: Path
) -> None:
    home = isolated_settings
    url, flags = _start(tmp_path, home)
    assert url == "http://127.0.0.1:8501" and "server_port" not in flags
    url, _ = _start(tmp_path, home, STREAMLIT_SERVER_PORT="8765")
    assert url == "http://127.0.0.1:8765"
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text(
        '[server]\nport = 8777\naddress = "0.0.0.0"\n', encoding="utf-8"
    )
    url, _ = _start(tmp_path, home)
    assert url == "http://0.0.0.0:8777"
    url, flags = _start(tmp_path, home, "--port", "9001", "--host", "127.0.0.2")
    assert url == "http://127.0.0.2:9001" and "server_port" in flags


def test_uv_run_is_quiet_no_bytecode_compiled_on_every_run() -> None:
    """`compile-bytecode` makes every `uv run` recompile the environment and say so."""
    import tomllib

    uv = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["uv"]
    assert not uv.get("compile-bytecode", False)
