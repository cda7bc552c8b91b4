"""The import-direction contracts hold on the real tree, and a wrong arrow breaks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("ui", "assistant", "tools", "knowledge")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(lint), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": str(lint.parent)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_tree(dest: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", dest / "pyproject.toml")
    return dest


def test_the_real_tree_keeps_every_contract() -> None:
    done = _lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("package", "bad_import", "contract"),
    [
        ("tools", "from assistant import settings", "Layers"),
        ("tools", "import knowledge", "Layers"),
        ("knowledge", "import tools.prices", "Layers"),
        ("assistant", "import ui", "Layers"),
        ("ui", "import tools", "ui talks to assistant only"),
        ("ui", "from assistant.store import Store", "ui holds a Footnote"),
        ("ui", "from assistant.views import charts", "ui holds a Footnote"),
    ],
)
def test_a_wrong_direction_import_breaks_the_check(
    tmp_path: Path, package: str, bad_import: str, contract: str
) -> None:
    root = _copy_tree(tmp_path)
    (root / package / "_wrong_way.py").write_text(bad_import + "\n", encoding="utf-8")
    done = _lint_imports(root)
    assert done.returncode != 0
    assert f"{contract}" in done.stdout
    assert "BROKEN" in done.stdout


@pytest.mark.parametrize(
    ("path", "code", "contract"),
    [
        # a circle hidden in a function: grounding -> chat inside a function, chat -> grounding
        (
            "assistant/grounding/_circle.py",
            "def f() -> None:\n    from assistant.chat import service  # noqa\n",
            "No import circles",
        ),
        (
            "tools/prices/_circle.py",
            "def f() -> None:\n    import tools.market  # noqa\n",
            "No import circles",
        ),
        ("assistant/grounding/_io.py", "import sqlite3\n", "Reading and grounding are pure"),
        (
            "assistant/reading/_io.py",
            "def f() -> None:\n    import chromadb  # noqa\n",
            "Reading and grounding are pure",
        ),
        (
            "assistant/grounding/_io.py",
            "import assistant.store\n",
            "Reading and grounding are pure",
        ),
    ],
)
def test_a_circle_or_io_in_pure_code_breaks_the_check(
    tmp_path: Path, path: str, code: str, contract: str
) -> None:
    root = _copy_tree(tmp_path)
    (root / path).write_text(code, encoding="utf-8")
    done = _lint_imports(root)
    assert done.returncode != 0, done.stdout
    broken = done.stdout.split("Broken contracts")[-1]
    assert contract in broken, done.stdout
