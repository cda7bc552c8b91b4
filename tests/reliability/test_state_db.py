"""A damaged state database is found at open, reported with the fix, and set aside by repair."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.data.integrity import check_state, repair_state
from assistant.settings import Settings
from assistant.store import StateDamaged, Store


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(0, len(data), 4096):
        data[offset + 20 : offset + 84] = b"\xee" * 64
    path.write_bytes(bytes(data))


def test_damaged_database_is_detected_reported_and_set_aside(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, price_mode="local", chat_model="")
    store = Store(settings.state_db)
    thread = store.threads.create("a thread")
    store.threads.append(thread.id, "user", "How did SPY do?")
    store.close()
    corrupt(settings.state_db)

    with pytest.raises(StateDamaged) as caught:
        Store(settings.state_db)
    assert "footnote.sqlite is damaged" in caught.value.message
    assert "footnote doctor --repair" in caught.value.hint

    (check,) = [c for c in check_state(settings) if c.name == "footnote.sqlite"]
    assert not check.ok and "threads" in check.detail and "--repair" in check.fix

    lines = list(repair_state(settings))
    assert any("moved to" in line for line in lines)
    assert list(tmp_path.glob("footnote.sqlite.damaged-*"))
    fresh = Store(settings.state_db)
    assert fresh.threads.recent() == []
    fresh.close()


def test_whole_database_passes(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, price_mode="local", chat_model="")
    Store(settings.state_db).close()
    (check,) = [c for c in check_state(settings) if c.name == "footnote.sqlite"]
    assert check.ok
