"""Coverage of the asked items (`assistant.grounding.coverage`, wired by `assistant.chat.coverage`):
symbol, metric, parameters and window must all agree, and the answer must state the figure
verified; the banner names the main item in the asker's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from assistant.chat.coverage import ChatAnswer, read_coverage
from assistant.chat.service import Assistant
from assistant.grounding import coverage as pure
from assistant.grounding.coverage import banner
from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import verify
from assistant.reading import read_claims, read_request
from assistant.reading.metrics import named_at
from tools.figure import Figure

REF = date(2026, 3, 6)
DEC1, JAN16, JAN23 = date(2025, 12, 1), date(2026, 1, 16), date(2026, 1, 23)


def _figure(
    metric: str,
    value: float,
    symbol: str = "^RUT",
    start: date = DEC1,
    end: date = JAN23,
    unit: str = "%",
    **params: object,
) -> Figure:
    return Figure(
        metric=metric,  # type: ignore[arg-type]
        symbol=symbol,
        value=value,
        unit=unit,  # type: ignore[arg-type]
        start=start,
        end=end,
        params=dict(params),
        as_of=JAN23,
        provider="test",
        formula="test",
    )


def _ledger(*figures: Figure) -> Ledger:
    ledger = Ledger()
    for f in figures:
        ledger.add_figure(f)
    return ledger


def _coverage(question: str, answer: str, ledger: Ledger) -> tuple[int, int, str]:
    request = read_request(question, REF)
    found = read_coverage(request, ledger, verify(answer, ledger, given=[question]))
    assert found is not None
    lang = request.language
    return found.answered, found.total, banner(found, lang)


RUT_RETURN = _figure("return", 7.5312)
SPX_RETURN = _figure("return", 1.5234, symbol="^GSPC")
Q = "How much did the S&P 500 rise from Dec 1 to Jan 23?"


def test_the_asked_figure_stated_and_verified_answers_the_item() -> None:
    ledger = _ledger(RUT_RETURN, SPX_RETURN)
    assert _coverage(Q, "The S&P 500 rose 1.52% [2].", ledger) == (1, 1, "")


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ("The S&P 500 rose 7.53% [1].", "the Russell's figure under the S&P's name"),
        ("The S&P 500 rose 2.10% [2].", "the figure is cited but the number is not its value"),
        ("Small caps led the market [1].", "the S&P's figure is never stated"),
    ],
)
def test_an_item_is_not_answered_by_another_figure_or_by_an_unstated_one(
    answer: str, why: str
) -> None:
    answered, total, shown = _coverage(Q, answer, _ledger(RUT_RETURN, SPX_RETURN))
    assert (answered, total) == (0, 1), why
    assert shown.startswith("Warning:") and "S&P 500 return, 2025-12-01 to 2026-01-23" in shown


def test_the_window_must_be_the_asked_one() -> None:
    early = _figure("return", 4.1, symbol="^GSPC", end=JAN16)
    answered, _, shown = _coverage(Q, "The S&P 500 rose 4.10% [1].", _ledger(early))
    assert answered == 0 and shown


def test_parameters_count_a_50_day_average_is_not_a_20_day_one() -> None:
    q = "Where was the Russell 2000's 50-day moving average on January 23, 2026?"
    sma20 = _figure("sma", 2601.58, start=date(2025, 12, 23), unit="points", window=20)
    sma50 = _figure("sma", 2524.37, start=date(2025, 11, 11), unit="points", window=50)
    assert _coverage(q, "Its 20-day average was 2,601.58 [1].", _ledger(sma20))[0] == 0
    assert _coverage(q, "Its 50-day average was 2,524.37 [1].", _ledger(sma50))[0] == 1


def test_two_items_the_main_one_is_the_one_asked_first() -> None:
    q = "罗素2000从12月1日到1月23日的年化波动率和最大回撤是多少？"
    vol = _figure("volatility_annual", 15.47, convention="ddof=1")
    dd = _figure("max_drawdown", -4.2)
    ledger = _ledger(vol, dd)
    assert _coverage(q, "年化波动率为15.47%[1]，最大回撤为4.20%[2]。", ledger) == (2, 2, "")
    answered, total, shown = _coverage(q, "最大回撤为4.20%[2]。", ledger)
    assert (answered, total) == (1, 2)
    assert shown.startswith("注意") and "年化波动率" in shown


def test_a_question_asking_for_no_figure_has_no_coverage() -> None:
    for question in ("What do the bulls and bears say?", "明年纳斯达克会涨多少？"):
        request = read_request(question, REF)
        assert read_coverage(request, Ledger(), verify("", Ledger())) is None
    assert read_coverage(None, Ledger(), verify("", Ledger())) is None


def test_the_answer_json_carries_coverage_and_banner() -> None:
    ledger = _ledger(RUT_RETURN, SPX_RETURN)
    text = "The S&P 500 rose 7.53% [1]."
    verification = verify(text, ledger, given=[Q])
    coverage = read_coverage(read_request(Q, REF), ledger, verification)
    answer = ChatAnswer(
        text=text,
        ledger=ledger,
        verification=verification,
        language="en",
        mode="llm",
        coverage=coverage,
        banner=banner(coverage, "en"),
    )
    data = answer.to_json()
    assert data["coverage"]["label"] == "answers 0 of 1 asked item"
    assert data["coverage"]["items"][0]["symbol"] == "^GSPC"
    assert data["banner"] == answer.banner and data["banner"]
    assert data["verification"]["unsupported"] == []  # the numbers badge alone says all is well


def test_offline_answers_carry_coverage_too(make_assistant: Callable[..., Assistant]) -> None:
    assistant = make_assistant()
    events = list(assistant.stream("罗素2000在12月1日至1月23日涨了多少？"))
    answer = events[-1]["answer"]
    assert answer.mode == "offline" and isinstance(answer, ChatAnswer)
    assert answer.coverage is not None and answer.coverage.complete and answer.banner == ""
    assert answer.to_json()["coverage"]["label"] == "回答了所问 1 项中的 1 项"
    covered = [e for e in events if e["type"] == "coverage"]
    assert len(covered) == 1 and covered[0]["coverage"] is answer.coverage


def test_the_pure_reading_names_each_missing_item_in_both_languages() -> None:
    ledger = _ledger(
        _figure("volatility_annual", 18.16, end=REF),
        _figure("volatility_annual", 12.3, symbol="^GSPC", end=REF),
    )
    q = (
        "What was the annualised volatility of the Russell 2000, the S&P 500 and the Nasdaq "
        "since December?"
    )
    request = read_request(q, REF)
    text = "Annualised volatility: Russell 2000 18.16% [1], S&P 500 12.30% [2]."
    verification = verify(text, ledger, given=[q], reader=read_claims)
    found = pure.read_coverage(request, ledger, verification, named_at=named_at)
    assert found is not None and (found.total, found.answered) == (3, 2)
    assert found.label("en") == "answers 2 of 3 asked items"
    assert found.label("zh") == "回答了所问 3 项中的 2 项"
    assert [i.symbol for i in found.missing()] == ["^IXIC"]
    assert "Nasdaq" in found.to_json("en")["missing"][0]
    assert "纳斯达克" in found.to_json("zh")["missing"][0]
    assert found.main_answered and banner(found, "en") == ""
    # a figure the answer does not state does not answer
    one = verify(
        "The Russell 2000's annualised volatility was 18.16% [1].",
        ledger,
        given=[q],
        reader=read_claims,
    )
    assert pure.read_coverage(request, ledger, one, named_at=named_at).answered == 1  # type: ignore[union-attr]


def test_without_the_readers_order_the_main_item_is_the_first_listed() -> None:
    q = "罗素2000从12月1日到1月23日的年化波动率和最大回撤是多少？"
    request = read_request(q, REF)
    ordered = [i.metric for i in pure.asked_items(request, named_at)]
    assert ordered[0] == "volatility"  # asked first
    listed = [i.metric for i in pure.asked_items(request)]
    assert sorted(listed) == sorted(ordered)
