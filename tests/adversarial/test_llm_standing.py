"""LLM mode with a hostile model: one rewrite with the findings, then marks; a warning banner in
the asker's language when the main asked item has no verified figure; a coverage badge apart
from the numbers badge; all of it in `footnote ask` and its `--json`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.app import Footnote
from assistant.chat.service import Assistant
from assistant.store import Store
from knowledge.library import Library
from tests.adversarial.hostile import (
    HostileModel,
    Turn,
    llm_settings,
    marks_in,
    strip_marks,
    verdict,
)
from tests.adversarial.planted_cases import (
    DD,
    Q_RUT_EN,
    Q_SPX_EN,
    Q_SPX_ZH,
    RUT,
    RUT_EN,
    SPX,
    VOL,
    Case,
)
from tests.assistant.openai_stub import openai_stub

loopback = pytest.mark.allow_hosts(["127.0.0.1"])

FELL = Case(
    "rewrite-fixes-the-sign",
    "wrong sign (figure)",
    "en",
    Q_RUT_EN,
    (RUT,),
    "The Russell 2000 fell {rut.return~} from the December 1 open to the January 23 close {rut.return}.",
    fixed=RUT_EN + " {rut.return}.",
)
WRONG_SYMBOL_EN = Case(
    "banner-en",
    "wrong symbol",
    "en",
    Q_SPX_EN,
    (RUT, SPX),
    "The S&P 500 rose {rut.return~} from the December 1 open to the January 23 close {rut.return}.",
)
WRONG_SYMBOL_ZH = Case(
    "banner-zh",
    "wrong symbol",
    "zh",
    Q_SPX_ZH,
    (RUT, SPX),
    "标普500指数从12月1日开盘到1月23日收盘上涨了{rut.return~}{rut.return}。",
)
RISK_Q = "What were the Russell 2000's volatility and max drawdown from Dec 1 to Jan 23?"


@loopback
def test_a_failing_answer_is_rewritten_once_with_the_findings(
    hostile_turn: Callable[[Case], Turn],
) -> None:
    turn = hostile_turn(FELL)
    answer, model = turn.answer, turn.model
    assert len(model.rewrite_requests) == 1
    sent = model.rewrite_requests[0]
    fell = model.answers[0]
    wrong = fell.split("fell ", 1)[1].split(" ", 1)[0]
    assert wrong in sent, "the findings name the number that failed"
    assert answer.text == model.answers[1], "the rewrite is what the user sees"
    assert "fell" not in answer.text and marks_in(answer.text) == 0
    assert answer.verification.ok and answer.banner == ""
    assert answer.coverage is not None and answer.coverage.complete
    # one turn: tools, the first answer, the rewrite; the tools were not run again
    assert len(turn.state.requests) == 3
    assert len([e for e in turn.events if e["type"] == "tool_start"]) == 1


@loopback
def test_a_model_that_repeats_its_mistake_is_asked_once_then_marked(
    hostile_turn: Callable[[Case], Turn],
) -> None:
    stubborn = replace(FELL, fixed=None)
    turn = hostile_turn(stubborn)
    assert len(turn.model.rewrite_requests) == 1
    assert len(turn.state.requests) == 3
    assert turn.model.answers[0] == turn.model.answers[1]
    assert marks_in(turn.answer.text) == 1
    assert "fell" in turn.answer.text and "(unverified)" in turn.answer.text
    assert not turn.answer.verification.ok


@loopback
@pytest.mark.parametrize(
    ("case", "words"),
    [(WRONG_SYMBOL_EN, ("Warning", "S&P 500 return")), (WRONG_SYMBOL_ZH, ("注意", "标普500"))],
    ids=["en", "zh"],
)
def test_an_answer_that_misses_the_main_item_gets_a_banner_in_the_askers_language(
    case: Case, words: tuple[str, ...], hostile_turn: Callable[[Case], Turn]
) -> None:
    turn = hostile_turn(case)
    answer = turn.answer
    # the number is the Russell's return cited under the S&P's name: the claim-level check marks
    # it, and apart from the numbers the coverage says the asked item has no verified figure
    assert marks_in(answer.text) == 1
    assert not answer.verification.ok
    assert answer.coverage is not None
    assert (answer.coverage.answered, answer.coverage.total) == (0, 1)
    assert all(w in answer.banner for w in words), answer.banner
    label = "answers 0 of 1 asked item" if case.lang == "en" else "回答了所问 1 项中的 0 项"
    data = answer.to_json()
    assert data["banner"] == answer.banner
    assert data["coverage"]["label"] == label
    coverage_events = [e for e in turn.events if e["type"] == "coverage"]
    assert len(coverage_events) == 1 and coverage_events[0]["banner"] == answer.banner


@loopback
def test_coverage_counts_the_items_asked_and_names_the_missing_one(
    hostile_turn: Callable[[Case], Turn],
) -> None:
    only_vol = Case(
        "vol-only",
        "control",
        "en",
        RISK_Q,
        (VOL, DD),
        "The Russell 2000's annualised volatility from December 1 to January 23 was "
        "{vol.volatility_annual~} {vol.volatility_annual}.",
    )
    answer = hostile_turn(only_vol).answer
    assert answer.coverage is not None
    shown = answer.coverage.to_json("en")
    assert (shown["answered"], shown["asked"]) == (1, 2)
    assert shown["label"] == "answers 1 of 2 asked items"
    assert shown["missing"] == ["Russell 2000 maximum drawdown, 2025-12-01 to 2026-01-23"]
    assert answer.banner == "", "the main item (volatility, asked first) is answered"

    only_dd = Case(
        "dd-only",
        "control",
        "en",
        RISK_Q,
        (VOL, DD),
        "The Russell 2000's maximum drawdown from December 1 to January 23 was "
        "{dd.max_drawdown~} {dd.max_drawdown}.",
    )
    answer = hostile_turn(only_dd).answer
    assert answer.coverage is not None and answer.coverage.answered == 1
    assert "volatility" in answer.banner, "volatility was asked first: the main item is missing"


@loopback
def test_footnote_ask_prints_the_banner_and_both_badges(
    monkeypatch: pytest.MonkeyPatch,
    make_assistant: Callable[..., Assistant],
    clean_library: Library,
    tmp_path: Path,
) -> None:
    import assistant as api
    from ui.cli import app

    model = HostileModel(WRONG_SYMBOL_EN)
    runner = CliRunner()
    with openai_stub(model) as (url, _state):
        settings = llm_settings(monkeypatch, url)

        def footnote() -> Footnote:
            store = Store(tmp_path / "state.sqlite")
            chat = make_assistant(library=clean_library, threads=store.threads)
            return Footnote(settings, library=clean_library, store=store, chat=chat)

        monkeypatch.setattr(api, "Footnote", footnote)
        shown = runner.invoke(app, ["ask", Q_SPX_EN])
        as_json = runner.invoke(app, ["ask", Q_SPX_EN, "--json"])
    assert shown.exit_code == 0, shown.output
    out = " ".join(shown.stdout.split())
    assert "Warning: this answer does not give a verified figure" in out
    assert out.index("Warning") < out.index("The S&P 500 rose"), "the banner comes first"
    assert "numbers verified" in out and "answers 0 of 1 asked item" in out
    assert "not answered: S&P 500 return, 2025-12-01 to 2026-01-23" in out
    data = json.loads(as_json.stdout)
    assert data["mode"] == "llm"
    assert data["banner"].startswith("Warning:")
    assert data["coverage"]["asked"] == 1 and data["coverage"]["answered"] == 0


def test_marks_are_found_where_they_stand() -> None:
    """The suite's own reader of marks: positions are in the text without them."""
    clean, where = strip_marks(
        "A rose 7.53% (unverified) [1]. B 停在2（未核实）。 C [9] (no such source)."
    )
    assert clean == "A rose 7.53% [1]. B 停在2。 C [9]."
    assert [clean[p - 1] for p in where] == ["%", "2", "]"]
    assert verdict("涨了９．６％（未核实）。", "涨了", "９．６％") == "marked"
    assert verdict("Small caps led... it rose 9.6%.", "it rose ", "９．６％") == "missed"
    assert verdict("Small caps led.", "it rose ", "9.6%") == "removed"


@loopback
def test_an_empty_rewrite_keeps_the_first_answer_marked(
    hostile_turn: Callable[[Case], Turn],
) -> None:
    turn = hostile_turn(replace(FELL, fixed=""))
    assert len(turn.model.rewrite_requests) == 1 and turn.model.answers[1] == ""
    assert turn.answer.mode == "llm"
    assert strip_marks(turn.answer.text)[0] == turn.model.answers[0]
    assert marks_in(turn.answer.text) == 1
