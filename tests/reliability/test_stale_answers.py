"""An answer that falls back from live to stored prices says so first, with the date of the data,
in the asker's language: offline and LLM mode, `--json`, the CLI and the app."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from assistant.chat.service import Assistant
from assistant.settings import get_settings
from assistant.store import ThreadStore
from assistant.testing import ScriptedChatModel, tool_call
from knowledge.library import Library
from tools.market import Market
from tools.prices.base import PriceHistory, SourceUnavailable
from tools.prices.cached import CachedSource
from tools.prices.store import PriceStore

# The shared data end on 2026-02-23 for SPY; the question is asked on 2026-11-30.
NOW = dt.datetime(2026, 11, 30, 15, tzinfo=dt.UTC)
LAST_SPY = dt.date(2026, 2, 23)
SYMBOLS = ("SPY", "^GSPC", "^RUT")


class DeadSource:
    """A live source whose network is down: every call fails at once."""

    provider = "dead"

    def __init__(self) -> None:
        self.calls = 0

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        self.calls += 1
        raise SourceUnavailable("The live price source could not be reached (network down).")


class HangingSource:
    """A live source on a network that accepts and never answers."""

    provider = "hanging"

    def __init__(self) -> None:
        self.calls = 0
        self.release = threading.Event()

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        self.calls += 1
        self.release.wait(60)
        raise SourceUnavailable("released")


def stored_prices(folder: Path, frames: dict[str, pd.DataFrame]) -> PriceStore:
    store = PriceStore(folder)
    for symbol in SYMBOLS:
        store.save(symbol, frames[symbol], "Yahoo", dt.datetime(2026, 3, 7, tzinfo=dt.UTC))
    return store


def failing_market(tmp_path: Path, frames: dict[str, pd.DataFrame], live: object) -> Market:
    source = CachedSource(
        stored_prices(tmp_path / "prices", frames),
        live,  # type: ignore[arg-type]
        mode="auto",
        deadline_s=8,
        now=lambda: NOW,
    )
    return Market(source, today=lambda: NOW.date())


@pytest.fixture(scope="module")
def shared_frames(shared_prices: Path) -> dict[str, pd.DataFrame]:
    from tests.assistant.conftest import load_shared_frames

    return load_shared_frames(shared_prices)


@pytest.fixture
def assistant_on_dead_network(
    tmp_path: Path, shared_frames: dict[str, pd.DataFrame]
) -> Callable[..., Assistant]:
    def make(**kwargs: object) -> Assistant:
        return Assistant(
            get_settings(),
            market=kwargs.pop("market", None)
            or failing_market(tmp_path, shared_frames, DeadSource()),  # type: ignore[arg-type]
            library=Library(tmp_path / "library"),
            threads=ThreadStore(tmp_path / "threads.sqlite"),
            **kwargs,  # type: ignore[arg-type]
        )

    return make


def test_last_week_on_stored_data_says_so_in_english(
    assistant_on_dead_network: Callable[..., Assistant],
) -> None:
    answer = assistant_on_dead_network().ask("How did SPY do last week?")
    first = answer.text.split("\n\n")[0]
    assert first.startswith(f"Live data unavailable; latest stored session {LAST_SPY}.")
    assert "'last week'" in first  # the week before the stored session, and it says so
    assert answer.stale is not None and answer.stale.as_of == LAST_SPY  # type: ignore[attr-defined]
    shown = answer.to_json()["stale"]
    assert shown["latest_stored_session"] == "2026-02-23" and shown["why"] == "live_failed"
    assert answer.verification.ok, answer.verification.summary()
    assert all(f.end and f.end <= LAST_SPY for f in answer.ledger.figures)


def test_the_same_in_chinese(assistant_on_dead_network: Callable[..., Assistant]) -> None:
    answer = assistant_on_dead_network().ask("SPY上周表现如何？")
    assert answer.text.startswith(f"实时数据不可用；最新存储交易日为{LAST_SPY}。")
    assert "上周" in answer.text.split("\n\n")[0]
    assert "Live data" not in answer.text
    assert answer.verification.ok


RELATIVE_EN = "Relative dates such as 'last week'"
RELATIVE_ZH = "相对日期"


def local_market(tmp_path: Path, frames: dict[str, pd.DataFrame]) -> Market:
    """Price mode local: the stored data answer, however far behind the question's day."""
    source = CachedSource(stored_prices(tmp_path / "prices", frames), None, now=lambda: NOW)
    return Market(source, today=lambda: NOW.date())


@pytest.mark.parametrize(
    ("question", "opening", "clause"),
    [
        ("How did SPY do in January 2026?", "Live data off (price mode is local)", False),
        ("What was SPY's return in Q4 2025?", "Live data off (price mode is local)", False),
        ("SPY在2025年11月涨了多少？", "未启用实时数据（价格模式为local）", False),
        ("How did SPY do last week?", "Live data off (price mode is local)", True),
        ("How did SPY do over the past 5 days?", "Live data off (price mode is local)", True),
        ("SPY上周表现如何？", "未启用实时数据（价格模式为local）", True),
    ],
)
def test_the_relative_dates_clause_only_when_the_question_s_dates_are_relative(
    tmp_path: Path,
    shared_frames: dict[str, pd.DataFrame],
    assistant_on_dead_network: Callable[..., Assistant],
    question: str,
    opening: str,
    clause: bool,
) -> None:
    """In local mode every answer opens with the notice; only "last week", "上周" or "the past
    5 days" need to be told that they count from the latest stored session."""
    answer = assistant_on_dead_network(market=local_market(tmp_path, shared_frames)).ask(question)
    first = answer.text.split("\n\n")[0]
    assert first.startswith(f"{opening}"), first
    assert str(LAST_SPY) in first
    said = RELATIVE_EN in first or RELATIVE_ZH in first
    assert said is clause, first
    notice = answer.to_json()["stale"]["notice"]
    assert notice == first and answer.stale.reference  # type: ignore[attr-defined]
    assert answer.verification.ok, answer.verification.summary()


def test_live_data_that_answer_need_no_notice(
    tmp_path: Path, shared_frames: dict[str, pd.DataFrame]
) -> None:
    # the same store with data up to the question's day: nothing fell back, nothing said
    from tools.prices.fake import FakeSource

    market = Market(FakeSource(shared_frames), today=lambda: dt.date(2026, 3, 9))
    answer = Assistant(
        get_settings(),
        market=market,
        library=Library(tmp_path / "library"),
        threads=ThreadStore(tmp_path / "threads.sqlite"),
    ).ask("How did the S&P 500 do last week?")
    assert answer.stale is None  # type: ignore[attr-defined]
    assert answer.to_json()["stale"] is None
    assert "stored session" not in answer.text


def test_llm_mode_says_it_whatever_the_model_wrote(
    assistant_on_dead_network: Callable[..., Assistant],
) -> None:
    def reply(messages: list[BaseMessage]) -> AIMessage:
        tools = "\n".join(str(m.content) for m in messages if isinstance(m, ToolMessage))
        marker = next(
            line.split("]")[0] + "]" for line in tools.splitlines() if " return = " in line
        )
        assert "STALE" in tools or "2026-02-2" in tools
        return AIMessage(f"SPY returned +1.13% from 2026-02-17 to 2026-02-20 {marker}.")

    week = {"symbol": "SPY", "start": "2026-02-17", "end": "2026-02-20"}
    model = ScriptedChatModel(script=[tool_call("period_return", week), reply])
    answer = assistant_on_dead_network(chat_model=model).ask("How did SPY do last week?")
    assert answer.mode == "llm"
    assert answer.text.startswith(f"Live data unavailable; latest stored session {LAST_SPY}.")
    assert answer.verification.ok, answer.verification.summary()


def test_one_answer_waits_for_one_deadline_against_a_hanging_network(
    tmp_path: Path,
    shared_frames: dict[str, pd.DataFrame],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twenty unknown tickers used to cost 20 x 8 s. Now the question is refused past the symbol
    cap, and under it the answer's live calls share one deadline."""
    from tests.reliability.conftest import record

    live = HangingSource()
    market = failing_market(tmp_path, shared_frames, live)
    monkeypatch.setenv("FOOTNOTE_LIVE_ANSWER_DEADLINE_S", "1.5")
    get_settings.cache_clear()
    tickers = " ".join(f"Z{chr(65 + i)}Q" for i in range(20))
    ask = Assistant(
        get_settings(),
        market=market,
        library=Library(tmp_path / "library"),
        threads=ThreadStore(tmp_path / "threads.sqlite"),
    )
    started = time.monotonic()
    refused = ask.ask(f"How did {tickers} do last week?")
    refused_s = time.monotonic() - started
    assert "20 symbols" in refused.text and "FOOTNOTE_MAX_SYMBOLS" in refused.text
    assert live.calls == 0 and refused_s < 2

    monkeypatch.setenv("FOOTNOTE_MAX_SYMBOLS", "20")
    get_settings.cache_clear()
    ask.settings = get_settings()
    started = time.monotonic()
    answer = ask.ask(f"How did {tickers} do last week?")
    elapsed = time.monotonic() - started
    live.release.set()
    record(
        "20 unknown tickers in one question, network hanging",
        refused_seconds=round(refused_s, 2),
        answered_seconds=round(elapsed, 2),
        live_calls=live.calls,
    )
    # one answer deadline (1.5 s) bounds all of it, not 20 x 8 s
    assert elapsed < 6, elapsed
    assert live.calls <= ask.settings.max_live_calls
    assert answer.text


def test_the_live_call_allowance_is_said_when_spent(
    tmp_path: Path, shared_frames: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    live = DeadSource()
    market = failing_market(tmp_path, shared_frames, live)
    monkeypatch.setenv("FOOTNOTE_MAX_LIVE_CALLS", "0")
    get_settings.cache_clear()
    answer = Assistant(
        get_settings(),
        market=market,
        library=Library(tmp_path / "library"),
        threads=ThreadStore(tmp_path / "threads.sqlite"),
    ).ask("What did SPY close at?")
    assert live.calls == 0
    assert answer.text.startswith("Live data unavailable: this answer used its 0 live calls")
    assert "FOOTNOTE_MAX_LIVE_CALLS" in answer.text.split("\n\n")[0]


def test_the_cli_prints_it_and_json_carries_it(
    tmp_path: Path,
    shared_frames: dict[str, pd.DataFrame],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`footnote ask` and `ask --json`, with the configured live source failing."""
    from typer.testing import CliRunner

    import assistant.data.market as wiring
    from ui.cli import app

    def dead_source(settings: object) -> CachedSource:
        store = stored_prices(tmp_path / "prices", shared_frames)
        return CachedSource(store, DeadSource(), mode="auto", now=lambda: NOW)  # type: ignore[arg-type]

    monkeypatch.setattr(wiring, "price_source", dead_source)
    monkeypatch.setattr(Library, "ensure_demo", lambda self: 0)  # no corpus: prices are the point
    runner = CliRunner()
    done = runner.invoke(app, ["ask", "--json", "SPY上周表现如何？"])
    assert done.exit_code == 0, done.output
    shown = json.loads(done.stdout[done.stdout.index("{") :])
    assert shown["stale"]["latest_stored_session"] == str(LAST_SPY)
    assert shown["answer"].startswith(f"实时数据不可用；最新存储交易日为{LAST_SPY}。")
    assert RELATIVE_ZH in shown["stale"]["notice"]  # 上周 counts from the stored session
    done = runner.invoke(app, ["ask", "--json", "SPY在2025年11月涨了多少？"])
    assert done.exit_code == 0, done.output
    named = json.loads(done.stdout[done.stdout.index("{") :])["stale"]
    assert named["latest_stored_session"] == str(LAST_SPY) and RELATIVE_ZH not in named["notice"]
    printed = runner.invoke(app, ["ask", "How did SPY do last week?"])
    assert printed.exit_code == 0, printed.output
    assert f"Live data unavailable; latest stored session {LAST_SPY}." in " ".join(
        printed.stdout.split()
    )


def test_the_app_shows_it_above_the_answer(
    tmp_path: Path,
    shared_frames: dict[str, pd.DataFrame],
) -> None:
    from streamlit.testing.v1 import AppTest

    from assistant.app import Footnote
    from assistant.store import Store
    from ui.state import FOOTNOTE_KEY

    app = Path(__file__).resolve().parents[2] / "ui" / "app.py"

    market = failing_market(tmp_path, shared_frames, DeadSource())
    store = Store(tmp_path / "state.sqlite")
    library = Library(tmp_path / "library")
    chat = Assistant(get_settings(), market=market, library=library, threads=store.threads)
    services = Footnote(get_settings(), market=market, library=library, store=store, chat=chat)
    at = AppTest.from_file(str(app), default_timeout=60)
    at.session_state[FOOTNOTE_KEY] = services
    at.run()
    at.switch_page("pages/chat.py")
    at.run()
    at.chat_input[0].set_value("How did SPY do last week?")
    at.run()
    assert not at.exception
    shown = "\n".join([m.value for m in at.markdown] + [str(e.value) for e in at.warning])
    assert f"Live data unavailable; latest stored session {LAST_SPY}." in shown
    assert shown.index("Live data unavailable") < shown.index("+1.13%")
