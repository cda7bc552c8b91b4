"""Threads persist (SQLite, then PostgreSQL), survive a restart, and concurrent threads do not
disturb each other; each owner sees only their own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.chat.service import Assistant
from assistant.store import ThreadStore, UnknownThread


def test_thread_survives_a_restart(
    make_assistant: Callable[..., Assistant], state_where: Path | str
) -> None:
    store_path = state_where
    first = make_assistant(threads=ThreadStore(store_path)).ask(
        "罗素2000在12月1日至1月23日涨了多少？"
    )
    assert first.thread_id is not None
    # a new process opens the same file and sees the conversation
    code = (
        "import json, sys; from assistant.store import ThreadStore; "
        f"s = ThreadStore({str(store_path)!r}); "
        f"m = s.messages({first.thread_id!r}); "
        "print(json.dumps([[x.role, x.content[:40], bool(x.answer)] for x in m], ensure_ascii=False))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert '"user", "罗素2000在12月1日至1月23日涨了多少？", false' in out
    assert '"assistant"' in out and "true" in out
    # a restarted assistant continues the thread with its context
    again = make_assistant(threads=ThreadStore(store_path)).ask(
        "那标普呢？", thread_id=first.thread_id
    )
    assert {f.symbol for f in again.ledger.figures} == {"^GSPC"}
    messages = ThreadStore(store_path).messages(first.thread_id)
    assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]
    stored = messages[1].answer
    assert stored is not None and stored["citations"][0]["kind"] == "figure"
    assert stored["verification"]["numbers_total"] == first.verification.numbers_total


def test_concurrent_threads_do_not_corrupt_each_other(state_where: Path | str) -> None:
    store = ThreadStore(state_where)
    threads = [store.create(f"thread {i}") for i in range(8)]

    def talk(index: int) -> None:
        own = ThreadStore(state_where)  # each worker with its own connections
        for turn in range(25):
            own.append(threads[index].id, "user", f"q{index}-{turn}")
            own.append(
                threads[index].id, "assistant", f"a{index}-{turn}", {"n": turn}, {"turn": turn}
            )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(talk, range(8)))
    for i, thread in enumerate(threads):
        messages = store.messages(thread.id)
        assert len(messages) == 50
        assert all(m.content.endswith(f"{i}-{k // 2}") for k, m in enumerate(messages))
        assert store.last_context(thread.id) == {"turn": 24}
    assert len(store.recent()) == 8


def test_threads_of_a_news_item(state_where: Path | str) -> None:
    store = ThreadStore(state_where)
    a = store.create("a", news_id="item-1")
    store.create("b", news_id="item-2")
    assert [t.id for t in store.recent(news_id="item-1")] == [a.id]
    assert store.get("missing") is None


def test_each_owner_sees_only_their_own_threads(state_where: Path | str) -> None:
    ada = ThreadStore(state_where, owner="ada@example.com")
    bob = ada.for_owner("bob@example.com")
    mine = ada.create("Ada's question", news_id="item-1")
    ada.append(mine.id, "user", "How did SPY do?")
    ada.append(mine.id, "assistant", "It rose [1].", {"n": 1}, {"symbols": ["SPY"]})
    theirs = bob.create("Bob's question", news_id="item-1")

    assert [t.id for t in ada.recent()] == [mine.id]
    assert [t.id for t in bob.recent(news_id="item-1")] == [theirs.id]
    assert bob.get(mine.id) is None and bob.messages(mine.id) == []
    assert bob.last_context(mine.id) == {}
    with pytest.raises(UnknownThread):  # no writing into another's thread
        bob.append(mine.id, "user", "let me in")
    assert len(ada.messages(mine.id)) == 2
    assert ada.get(mine.id) is not None and ada.get(mine.id).owner == "ada@example.com"  # type: ignore[union-attr]
    single = ada.for_owner("")  # the single-user app sees neither
    assert single.recent() == []
