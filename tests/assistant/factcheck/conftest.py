"""Fixtures for the fact-checker: the documents we wrote, their labels, the demo item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.factcheck import load_documents
from knowledge import DEMO_FOLDER, Document

DOCUMENTS = Path(__file__).resolve().parent / "documents"
LABELS: dict[str, list[dict[str, str | None]]] = json.loads(
    (DOCUMENTS / "labels.json").read_text(encoding="utf-8")
)


def load(path: Path) -> Document:
    """Read one fixture document."""
    return load_documents(path, max_file_mb=20)[0]


@pytest.fixture(scope="session", params=["en", "zh"])
def demo(request: pytest.FixtureRequest) -> Document:
    """The demo news item in each language."""
    return load(DEMO_FOLDER / f"russell-2000-rally-2026-01-26-{request.param}.md")
