"""One contract per port: the real adapter and its fake run through the same cases.

- Market: `tools.Market` over the Parquet store (the adapter users run) and over the in-memory
  `FakeSource`, on the same shared prices, give the same figures.
- Library: the Chroma-backed `knowledge.Library` and `assistant.testing.fakes.FakeLibrary`, both
  holding the demo corpus, answer gets, listings, counts and filtered searches alike.
- Store: the SQLite store on a file and in memory keep threads, checks and reports alike.
- ChatModel: `ChatOpenAI` against a local OpenAI-compatible stub and `ScriptedChatModel` both
  answer plainly, call a bound tool and count tokens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import StructuredTool

from assistant.ports import Library, Market, Store
from assistant.settings import Settings
from assistant.store import ReportRow
from assistant.store import Store as SqliteStore
from assistant.testing import ScriptedChatModel, tool_call
from assistant.testing.fakes import FakeLibrary, demo_documents
from assistant.toolbox import WindowArgs
from knowledge.library import Library as ChromaLibrary
from tests.assistant.conftest import TODAY
from tests.assistant.openai_stub import openai_stub
from tools.market import Market as ToolsMarket
from tools.prices.cached import CachedSource
from tools.prices.fake import FakeSource
from tools.prices.store import PriceStore

START, END = dt.date(2025, 12, 1), dt.date(2026, 1, 23)
SYMBOLS = ("^RUT", "^GSPC", "IWM")

# ---- Market -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def markets(
    shared_frames: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Market]:
    frames = {s: shared_frames[s] for s in SYMBOLS}
    store = PriceStore(tmp_path_factory.mktemp("prices"))
    for symbol, frame in frames.items():
        store.save(symbol, frame, "test", dt.datetime(2026, 3, 9, tzinfo=dt.UTC))
    provider = "test"
    return {
        "store": ToolsMarket(CachedSource(store, None, mode="local"), today=lambda: TODAY),
        "fake": ToolsMarket(FakeSource(frames, provider=provider), today=lambda: TODAY),
    }


def _market_cases(m: Market) -> list[tuple[str, float, Any, Any]]:
    figures = [
        m.period_return("^RUT", START, END),
        m.period_return("^RUT", START, END, "open"),
        m.change_points("^GSPC", START, END),
        *m.volatility("^RUT", START, END),
        *m.sma("^RUT", END, 50),
        *m.range_52w("^RUT", END, basis="close"),
        m.max_drawdown("^GSPC", START, END),
        *m.beta("IWM", "^GSPC", START, END),
        *m.relative_performance(["^RUT", "^GSPC"], START, END),
        *m.quote("^RUT", on=END),
        m.close_on("^RUT", dt.date(2026, 1, 25)),  # a Sunday: the Friday's close
    ]
    return [(f.metric, round(f.value, 6), f.start, f.end) for f in figures]


def test_market_adapters_meet_the_port_and_agree(markets: dict[str, Market]) -> None:
    assert all(isinstance(m, Market) for m in markets.values())
    store, fake = (_market_cases(markets[k]) for k in ("store", "fake"))
    assert store == fake
    assert len(store) > 15


# ---- Library ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def libraries(library: ChromaLibrary) -> dict[str, Library]:
    fake = FakeLibrary([])
    assert fake.ensure_demo() is True
    return {"chroma": library, "fake": fake}


@pytest.mark.parametrize("name", ["chroma", "fake"])
def test_library_contract(libraries: dict[str, Library], name: str) -> None:
    lib = libraries[name]
    assert isinstance(lib, Library)
    demo = {d.id for d in demo_documents()}
    assert {d.id for d in lib.documents()} == demo
    assert {d.id for d in lib.documents("news")} == {
        d.id for d in demo_documents() if d.kind == "news"
    }
    doc_id = sorted(demo)[0]
    doc = lib.get(doc_id)
    assert doc is not None and doc.id == doc_id
    assert lib.get("no-such-document") is None
    assert lib.count()[0] == len(demo)
    assert lib.ensure_demo() is False  # already there
    hits = lib.search("January effect small caps", 3, doc_id=doc_id)
    assert 1 <= len(hits) <= 3
    assert {h.doc_id for h in hits} == {doc_id}
    zh = lib.search("一月效应", 2, language="zh")
    assert zh and all(h.language == "zh" for h in zh)


# ---- Store --------------------------------------------------------------------------------


@pytest.fixture(params=["file", "memory", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    where: Path | str = tmp_path / "state.sqlite" if request.param == "file" else Path(":memory:")
    if request.param == "postgres":
        from tests.servers import fresh_schema_url

        where = fresh_schema_url(request.getfixturevalue("postgres_url"))
    made = SqliteStore(where, runs_path=tmp_path / "runs.sqlite")
    yield made
    made.close()


def test_store_contract(store: Store) -> None:
    assert isinstance(store, Store)
    thread = store.threads.create("Russell question", "news-1")
    store.threads.append(thread.id, "user", "How far did it rise?")
    store.threads.append(
        thread.id, "assistant", "6.75% [1]", {"answer": "x"}, {"symbols": ["^RUT"]}
    )
    assert [m.role for m in store.threads.messages(thread.id)] == ["user", "assistant"]
    assert store.threads.last_context(thread.id) == {"symbols": ["^RUT"]}
    assert [t.id for t in store.threads.recent("news-1")] == [thread.id]
    assert store.threads.recent("other") == []
    store.factchecks.save("doc", "hash", [{"verdict": "holds"}])
    assert store.factchecks.load("doc") == ("hash", [{"verdict": "holds"}])
    assert store.factchecks.checked_at("doc") is not None
    store.factchecks.delete("doc")
    assert store.factchecks.load("doc") is None
    row = ReportRow("r1", "Title", "en", "topic", None, "2026-11-24T10:00:00+00:00")
    store.reports.save(row, '{"id": "r1"}')
    assert store.reports.recent() == [row]
    assert store.reports.get("r1") == '{"id": "r1"}'
    assert store.checkpointer() is store.checkpointer()  # one saver per process


# ---- ChatModel ----------------------------------------------------------------------------


def _stub_reply(messages: list[dict[str, Any]]) -> dict[str, Any]:
    if any(m.get("role") == "tool" for m in messages) or not any(
        "volatility" in str(m.get("content")) for m in messages
    ):
        return {"content": "plain answer"}
    return {
        "tool_calls": [
            {
                "name": "volatility",
                "arguments": {"symbol": "^RUT", "start": "2025-12-01", "end": "2026-01-23"},
            }
        ]
    }


@pytest.fixture(params=["scripted", "openai"])
def chat_model(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if request.param == "scripted":
        yield ScriptedChatModel(
            script=[
                AIMessage("plain answer"),
                tool_call(
                    "volatility", {"symbol": "^RUT", "start": "2025-12-01", "end": "2026-01-23"}
                ),
            ]
        )
        return
    from assistant.chat.llm.models import build_chat_model

    with openai_stub(_stub_reply) as (url, _state):
        settings = Settings(chat_model="openai:stub", openai_api_key="sk-test", openai_base_url=url)
        yield build_chat_model(settings)


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_chat_model_contract(chat_model: Any) -> None:
    plain = chat_model.invoke([HumanMessage("Say something")])
    assert plain.content == "plain answer"
    assert plain.usage_metadata and plain.usage_metadata["input_tokens"] > 0
    tool = StructuredTool.from_function(
        func=lambda symbol, start, end: "ok",
        name="volatility",
        description="vol",
        args_schema=WindowArgs,
    )
    bound = chat_model.bind_tools([tool])
    call = bound.invoke([HumanMessage("What is the volatility of the Russell 2000?")])
    assert [c["name"] for c in call.tool_calls] == ["volatility"]
    assert call.tool_calls[0]["args"]["symbol"] == "^RUT"
