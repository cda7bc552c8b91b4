"""The offline answer is for the question asked: its period, its metric and parameters, its
symbols, in both languages, on the shared prices (TODAY = 2026-03-09, last session 2026-03-06).

Each case names the figure the answer must carry (metric, symbol), the window on its receipt
(first and last session) and the parameters the question set (SMA length, close or intraday
basis, benchmark). A figure for another window or metric, however well verified, fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from assistant.chat.service import Assistant
from tools import calendar
from tools.metrics import MetricError, period_high_low
from tools.symbols import SECTOR_SYMBOLS

D = dt.date
NEWS_EN = "russell-2000-rally-2026-01-26-en"
NEWS_ZH = "russell-2000-rally-2026-01-26-zh"

# (question, metric, symbol, first session, last session, parameters the figure must carry)
Case = tuple[str, str, str, D | None, D, dict[str, Any]]
CASES: list[Case] = [
    # return over named periods
    ("How did the Dow do in the second half of 2025?", "return", "^DJI", D(2025, 7, 1), D(2025, 12, 31), {}),
    ("道琼斯2025年下半年表现如何？", "return", "^DJI", D(2025, 7, 1), D(2025, 12, 31), {}),
    ("How did the Russell 2000 do in calendar year 2025?", "return", "^RUT", D(2025, 1, 2), D(2025, 12, 31), {}),
    ("罗素2000在2025年全年涨了多少？", "return", "^RUT", D(2025, 1, 2), D(2025, 12, 31), {}),
    ("How did XLE do in Q4 2025?", "return", "XLE", D(2025, 10, 1), D(2025, 12, 31), {}),
    ("XLE在2025年第四季度表现如何？", "return", "XLE", D(2025, 10, 1), D(2025, 12, 31), {}),
    # since a date, between two dates, to date, trailing
    ("How has the Dow done since December 15, 2025?", "return", "^DJI", D(2025, 12, 15), D(2026, 3, 6), {}),
    ("道琼斯自2025年12月15日以来涨了多少？", "return", "^DJI", D(2025, 12, 15), D(2026, 3, 6), {}),
    ("How did XLE do from 2025-09-02 to 2025-11-14?", "return", "XLE", D(2025, 9, 2), D(2025, 11, 14), {}),
    ("XLE在2025年9月2日至11月14日期间涨了多少？", "return", "XLE", D(2025, 9, 2), D(2025, 11, 14), {}),
    ("How did the S&P 500 do month to date?", "return", "^GSPC", D(2026, 3, 2), D(2026, 3, 6), {}),
    ("标普500本月以来表现如何？", "return", "^GSPC", D(2026, 3, 2), D(2026, 3, 6), {}),
    ("How did the Dow do year to date?", "return", "^DJI", D(2026, 1, 2), D(2026, 3, 6), {}),
    ("道琼斯今年以来涨了多少？", "return", "^DJI", D(2026, 1, 2), D(2026, 3, 6), {}),
    ("How did the Russell 2000 do over the past two weeks?", "return", "^RUT", D(2026, 2, 23), D(2026, 3, 6), {}),
    ("罗素2000近两周表现如何？", "return", "^RUT", D(2026, 2, 23), D(2026, 3, 6), {}),
    # points
    ("How many points did the Dow gain in Q4 2025?", "change_points", "^DJI", D(2025, 10, 1), D(2025, 12, 31), {}),
    ("道琼斯2025年第四季度涨了多少点？", "change_points", "^DJI", D(2025, 10, 1), D(2025, 12, 31), {}),
    # close on a day, day change
    ("What was the Dow's close on January 23, 2026?", "last_close", "^DJI", D(2026, 1, 23), D(2026, 1, 23), {}),
    ("道琼斯2026年1月23日的收盘价是多少？", "last_close", "^DJI", D(2026, 1, 23), D(2026, 1, 23), {}),
    ("What was the Dow's day change on January 23, 2026?", "day_change", "^DJI", D(2026, 1, 22), D(2026, 1, 23), {}),
    ("道琼斯1月23日涨跌幅是多少？", "day_change", "^DJI", D(2026, 1, 22), D(2026, 1, 23), {}),
    # volatility over the period, daily and annualised
    ("What is the annualised volatility of the Russell 2000 in 2025?", "volatility_annual", "^RUT", D(2025, 1, 2), D(2025, 12, 31), {}),
    ("罗素2000在2025年的年化波动率是多少？", "volatility_annual", "^RUT", D(2025, 1, 2), D(2025, 12, 31), {}),
    ("What was the daily volatility of the Dow in November 2025?", "volatility_daily", "^DJI", D(2025, 11, 3), D(2025, 11, 28), {}),
    ("道琼斯2025年11月的日波动率是多少？", "volatility_daily", "^DJI", D(2025, 11, 3), D(2025, 11, 28), {}),
    # SMA of the length asked, at the day asked, and the distance to it
    ("What was the Russell 2000's 50-day moving average as of January 23, 2026?", "sma", "^RUT", D(2025, 11, 11), D(2026, 1, 23), {"window": 50}),
    ("截至2026年1月23日，罗素2000的50日均线是多少？", "sma", "^RUT", D(2025, 11, 11), D(2026, 1, 23), {"window": 50}),
    ("How far is the Dow from its 100-day moving average?", "sma_distance", "^DJI", None, D(2026, 3, 6), {"window": 100}),
    ("道琼斯距离100日均线有多远？", "sma_distance", "^DJI", None, D(2026, 3, 6), {"window": 100}),
    # 52-week high/low on closes or intraday
    ("What's the 52-week high of the Russell 2000 on closing prices?", "high_52w", "^RUT", None, D(2026, 3, 6), {"basis": "close"}),
    ("罗素2000的52周收盘高点是多少？", "high_52w", "^RUT", None, D(2026, 3, 6), {"basis": "close"}),
    ("What's the 52-week intraday low of the Dow?", "low_52w", "^DJI", None, D(2026, 3, 6), {"basis": "intraday"}),
    ("道琼斯52周盘中低点是多少？", "low_52w", "^DJI", None, D(2026, 3, 6), {"basis": "intraday"}),
    # period high/low
    ("What was the lowest close of the Russell 2000 in April 2025?", "period_low", "^RUT", D(2025, 4, 1), D(2025, 4, 30), {"basis": "close"}),
    ("罗素2000在2025年4月的最低收盘价是多少？", "period_low", "^RUT", D(2025, 4, 1), D(2025, 4, 30), {"basis": "close"}),
    ("What was the Dow's highest close in 2025?", "period_high", "^DJI", D(2025, 1, 2), D(2025, 12, 31), {"basis": "close"}),
    ("道琼斯2025年最高收盘价是多少？", "period_high", "^DJI", D(2025, 1, 2), D(2025, 12, 31), {"basis": "close"}),
    ("What was the Russell 2000's intraday low in April 2025?", "period_low", "^RUT", D(2025, 4, 1), D(2025, 4, 30), {"basis": "intraday"}),
    ("罗素2000在2025年4月的盘中最低点是多少？", "period_low", "^RUT", D(2025, 4, 1), D(2025, 4, 30), {"basis": "intraday"}),
    # max drawdown over the period
    ("What was the Dow's max drawdown in October 2025?", "max_drawdown", "^DJI", D(2025, 10, 1), D(2025, 10, 31), {}),
    ("道琼斯2025年10月的最大回撤是多少？", "max_drawdown", "^DJI", D(2025, 10, 1), D(2025, 10, 31), {}),
    # beta and correlation against the benchmark named, over the period
    ("What is the beta of IWM vs the Dow over 2025?", "beta", "IWM", D(2025, 1, 2), D(2025, 12, 31), {"benchmark": "^DJI"}),
    ("IWM在2025年相对道琼斯的贝塔是多少？", "beta", "IWM", D(2025, 1, 2), D(2025, 12, 31), {"benchmark": "^DJI"}),
    ("What is the correlation of IWM with the Dow in 2025?", "correlation", "IWM", D(2025, 1, 2), D(2025, 12, 31), {"benchmark": "^DJI"}),
    ("IWM与道琼斯在2025年的相关系数是多少？", "correlation", "IWM", D(2025, 1, 2), D(2025, 12, 31), {"benchmark": "^DJI"}),
    # relative performance
    ("How did the Russell 2000 perform relative to the Dow in Q4 2025?", "spread", "^RUT - ^DJI", D(2025, 10, 1), D(2025, 12, 31), {}),
    ("2025年第四季度罗素2000相对道琼斯表现如何？", "spread", "^RUT - ^DJI", D(2025, 10, 1), D(2025, 12, 31), {}),
    # a sector ETF named alone is a symbol question, not a ranking
    ("How did the energy sector ETF XLE do in Q4 2025?", "return", "XLE", D(2025, 10, 1), D(2025, 12, 31), {}),
    ("XLF vs XLK year to date", "spread", "XLF - XLK", D(2026, 1, 2), D(2026, 3, 6), {}),
    ("金融板块XLF和科技板块XLK今年以来谁表现更好？", "spread", "XLF - XLK", D(2026, 1, 2), D(2026, 3, 6), {}),
]  # fmt: skip


def _figures(answer: Any, metric: str, symbol: str) -> list[Any]:
    return [f for f in answer.ledger.figures if f.metric == metric and f.symbol == symbol]


@pytest.mark.parametrize(("question", "metric", "symbol", "start", "end", "params"), CASES)
def test_the_figures_carry_the_window_metric_and_parameters_asked(
    make_assistant: Callable[..., Assistant],
    question: str,
    metric: str,
    symbol: str,
    start: D | None,
    end: D,
    params: dict[str, Any],
) -> None:
    answer = make_assistant().ask(question)
    found = _figures(answer, metric, symbol)
    assert found, f"no {metric} of {symbol} in: {answer.text}"
    for figure in found:
        if start is not None:
            assert figure.start == start, answer.text
        assert figure.end == end, answer.text
        for key, value in params.items():
            assert figure.params.get(key) == value, (key, figure.params)
    assert answer.verification.ok, answer.text
    # no figure of the asked kind for another window slipped in
    windows = {(f.start, f.end) for f in answer.ledger.figures if f.metric == metric}
    assert len(windows) == 1, windows


def test_both_languages_are_covered() -> None:
    from assistant.grounding.language import detect_language

    langs = [detect_language(q) for q, *_ in CASES]
    assert langs.count("zh") >= 20 and langs.count("en") >= 20
    assert {m for _, m, *_ in CASES} >= {
        "return",
        "change_points",
        "last_close",
        "day_change",
        "volatility_daily",
        "volatility_annual",
        "sma",
        "sma_distance",
        "high_52w",
        "low_52w",
        "period_high",
        "period_low",
        "max_drawdown",
        "beta",
        "correlation",
        "spread",
    }


def test_the_lowest_close_is_the_lowest_close_of_the_period(
    make_assistant: Callable[..., Assistant], shared_frames: dict[str, pd.DataFrame]
) -> None:
    """The value, not only the window: checked against the shared CSV rows of April 2025."""
    answer = make_assistant().ask("What was the lowest close of the Russell 2000 in April 2025?")
    low = _figures(answer, "period_low", "^RUT")[0]
    april = shared_frames["^RUT"].loc["2025-04-01":"2025-04-30", "Close"]
    assert low.value == pytest.approx(float(april.min()))
    assert low.params["session"] == april.idxmin().date().isoformat()
    assert low.display("en") in answer.text
    assert low.params["session"] in answer.text
    # the highest close of the same month is not what was asked
    assert not _figures(answer, "period_high", "^RUT")


def test_period_high_low_metric() -> None:
    index = pd.to_datetime(["2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04"])
    frame = pd.DataFrame(
        {
            "Open": [10.0, 11, 9, 12],
            "High": [12.0, 13, 10, 14],
            "Low": [9.0, 10, 7, 11],
            "Close": [11.0, 12, 8, 13],
        },
        index=index,
    )
    closes = period_high_low(frame, D(2025, 4, 2), D(2025, 4, 3), "close")
    assert (closes.high, closes.high_session, closes.low, closes.low_session) == (
        12.0,
        D(2025, 4, 2),
        8.0,
        D(2025, 4, 3),
    )
    intraday = period_high_low(frame, D(2025, 4, 1), D(2025, 4, 4), "intraday")
    assert (intraday.high, intraday.low) == (14.0, 7.0)
    with pytest.raises(MetricError):
        period_high_low(frame, D(2025, 5, 1), D(2025, 5, 2))
    with pytest.raises(MetricError):
        period_high_low(frame, D(2025, 4, 3), D(2025, 4, 1))


def test_annualised_volatility_is_given_first_when_asked(
    make_assistant: Callable[..., Assistant],
) -> None:
    answer = make_assistant().ask("What is the annualised volatility of the Russell 2000 in 2025?")
    annual = _figures(answer, "volatility_annual", "^RUT")[0]
    daily = _figures(answer, "volatility_daily", "^RUT")[0]
    assert answer.text.index(annual.display("en")) < answer.text.index(daily.display("en"))


def test_a_basis_asked_is_the_only_basis_answered(
    make_assistant: Callable[..., Assistant],
) -> None:
    answer = make_assistant().ask("罗素2000的52周收盘高点是多少？")
    assert {f.params["basis"] for f in answer.ledger.figures} == {"close"}


# ---- sectors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "start", "end", "worst_first"),
    [
        ("Which sector did best since December?", D(2025, 12, 1), D(2026, 3, 6), False),
        ("哪个板块今年以来表现最好？", D(2026, 1, 2), D(2026, 3, 6), False),
        ("Which sector did worst in Q4 2025?", D(2025, 10, 1), D(2025, 12, 31), True),
        ("2025年第四季度哪个板块表现最差？", D(2025, 10, 1), D(2025, 12, 31), True),
    ],
)
def test_a_sector_ranking_covers_the_window_and_all_eleven(
    make_assistant: Callable[..., Assistant], question: str, start: D, end: D, worst_first: bool
) -> None:
    answer = make_assistant().ask(question)
    figures = answer.ledger.figures
    assert {f.symbol for f in figures} == set(SECTOR_SYMBOLS)  # all eleven
    assert all(f.metric == "return" and f.start == start for f in figures)
    ranked = [f for f in figures if f.end == end]
    short = [f for f in figures if f.end != end]
    values = [f.value for f in ranked]
    assert values == sorted(values, reverse=not worst_first)
    for f in short:  # a sector whose data end earlier is named with its own last session
        assert f.end is not None and f.end < end
        assert f.end.isoformat() in answer.text
    assert answer.verification.ok


def test_the_ranking_names_the_sectors_whose_data_end_earlier(
    make_assistant: Callable[..., Assistant],
) -> None:
    answer = make_assistant().ask("Which sector did best since December?")
    assert "data end before 2026-03-06" in answer.text
    # XLB, XLC, XLRE and XLU end on 2026-02-23 in the shared data
    short = {f.symbol for f in answer.ledger.figures if f.end == D(2026, 2, 23)}
    assert short == {"XLB", "XLC", "XLRE", "XLU"}
    zh = make_assistant().ask("12月以来哪个板块表现最好？")
    assert "2026-03-06之前结束" in zh.text


@pytest.mark.parametrize(
    ("question", "metric", "start", "end"),
    [
        ("Which sector was the most volatile since December?", "volatility_annual", D(2025, 12, 1), D(2026, 3, 6)),
        ("哪个板块今年以来波动最大？", "volatility_annual", D(2026, 1, 2), D(2026, 3, 6)),
        ("Which sector had the biggest drawdown since December?", "max_drawdown", D(2025, 12, 1), D(2026, 3, 6)),
        ("2025年第四季度哪个板块最大回撤最大？", "max_drawdown", D(2025, 10, 1), D(2025, 12, 31)),
    ],
)  # fmt: skip
def test_a_sector_ranking_by_risk_ranks_by_the_metric_asked(
    make_assistant: Callable[..., Assistant], question: str, metric: str, start: D, end: D
) -> None:
    answer = make_assistant().ask(question)
    figures = answer.ledger.figures
    assert {f.metric for f in figures} == {metric}  # not a return ranking in its place
    assert {f.symbol for f in figures} == set(SECTOR_SYMBOLS)
    assert all(f.start == start for f in figures)
    ranked = [f.value for f in figures if f.end == end]
    # most volatile first; deepest (most negative) drawdown first
    assert ranked == sorted(ranked, reverse=metric == "volatility_annual")


# ---- declined and substituted -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Where will the S&P 500 be at the end of next quarter?", "en"),
        ("How much will the Dow gain next year?", "en"),
        ("纳斯达克下个月会跌吗？", "zh"),
        ("道琼斯明年会涨多少？", "zh"),
    ],
)
def test_forecasts_are_declined(
    make_assistant: Callable[..., Assistant], question: str, lang: str
) -> None:
    answer = make_assistant().ask(question)
    assert answer.ledger.figures == []
    assert ("无法预测" if lang == "zh" else "can't tell how a market will move") in answer.text


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("What is the 50-day exponential moving average of the Dow?", "as a substitute"),
        ("道琼斯的50日指数移动平均线是多少？", "仅作替代"),
    ],
)
def test_an_unsupported_average_is_said_and_the_sma_labelled_a_substitute(
    make_assistant: Callable[..., Assistant], question: str, label: str
) -> None:
    answer = make_assistant().ask(question)
    assert label in answer.text
    assert ("does not compute" in answer.text) or ("不计算" in answer.text)
    smas = [f for f in answer.ledger.figures if f.metric == "sma"]
    assert [f.params["window"] for f in smas] == [50]
    # the substitute label comes before the figure it labels
    assert answer.text.index(label) < answer.text.index(smas[0].display("en"))


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("What is the RSI of the Russell 2000?", "does not compute"),
        ("罗素2000的RSI是多少？", "不计算"),
    ],
)
def test_an_unsupported_indicator_is_said_not_swapped(
    make_assistant: Callable[..., Assistant], question: str, words: str
) -> None:
    answer = make_assistant().ask(question)
    assert words in answer.text
    assert answer.ledger.figures == []


@pytest.mark.parametrize(
    ("question", "metric", "label", "says"),
    [
        ("What was the S&P 500's highest close in 2025?", "period_high", "as a substitute", "begin on 2025-09-08"),
        ("纳斯达克2025年的日波动率是多少？", "volatility_daily", "仅作替代", "从2025-09-08才开始"),
        ("What is the beta of IWM vs the Nasdaq over 2025?", "beta", "as a substitute", "begin on 2025-09-08"),
    ],
)  # fmt: skip
def test_data_not_covering_the_period_is_said_and_the_rest_labelled(
    make_assistant: Callable[..., Assistant], question: str, metric: str, label: str, says: str
) -> None:
    """^GSPC and ^IXIC start on 2025-09-08 in the shared data: a 2025 figure would be another
    period; the answer says so and gives the covered part, labelled as a substitute."""
    answer = make_assistant().ask(question)
    assert says in answer.text and label in answer.text
    figures = [f for f in answer.ledger.figures if f.metric == metric]
    assert figures and all(f.start == D(2025, 9, 8) for f in figures)
    assert all(f.end == D(2025, 12, 31) for f in figures)
    assert answer.text.index(label) < answer.text.index(figures[0].display(answer.language))


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("How did XLB do in March 2026?", "end on 2026-02-23, before the period asked"),
        ("XLB在2026年3月表现如何？", "截至2026-02-23，早于所问期间"),
    ],
)
def test_a_period_after_the_data_end_is_said_not_answered_with_another(
    make_assistant: Callable[..., Assistant], question: str, words: str
) -> None:
    """XLB's shared data end on 2026-02-23: March 2026 has no figure, and none is made up."""
    answer = make_assistant().ask(question)
    assert words in answer.text
    assert answer.ledger.figures == []


# ---- follow-ups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "followup", "metric", "symbol", "start", "end", "params"),
    [
        (
            "罗素2000在2025年4月的最低收盘价是多少？",
            "那道琼斯呢？",
            "period_low",
            "^DJI",
            D(2025, 4, 1),
            D(2025, 4, 30),
            {"basis": "close"},
        ),
        (
            "What is the beta of IWM vs the Dow over 2025?",
            "And SPY?",
            "beta",
            "SPY",
            D(2025, 1, 2),
            D(2025, 12, 31),
            {"benchmark": "^DJI"},
        ),
        (
            "What was the Dow's max drawdown in October 2025?",
            "What about the Russell 2000?",
            "max_drawdown",
            "^RUT",
            D(2025, 10, 1),
            D(2025, 10, 31),
            {},
        ),
    ],
)
def test_a_followup_inherits_period_metric_and_parameters(
    make_assistant: Callable[..., Assistant],
    first: str,
    followup: str,
    metric: str,
    symbol: str,
    start: D,
    end: D,
    params: dict[str, Any],
) -> None:
    assistant = make_assistant()
    one = assistant.ask(first)
    assert "request" in one.context  # the reading is kept in the thread
    two = assistant.ask(followup, thread_id=one.thread_id)
    found = _figures(two, metric, symbol)
    assert found, two.text
    assert all((f.start, f.end) == (start, end) for f in found)
    for key, value in params.items():
        assert all(f.params.get(key) == value for f in found)


@pytest.mark.parametrize(
    ("first", "followup"),
    [
        ("How did the Russell 2000 do in January?", "How does that compare with the S&P 500?"),
        ("罗素2000在2026年1月涨了多少？", "和标普500相比呢？"),
    ],
)
def test_a_comparison_followup_compares_the_thread_symbol_over_the_thread_period(
    make_assistant: Callable[..., Assistant], first: str, followup: str
) -> None:
    assistant = make_assistant()
    one = assistant.ask(first)
    two = assistant.ask(followup, thread_id=one.thread_id)
    returns = [f for f in two.ledger.figures if f.metric == "return"]
    assert {f.symbol for f in returns} == {"^RUT", "^GSPC"}
    assert {(f.start, f.end) for f in returns} == {(D(2026, 1, 2), D(2026, 1, 30))}
    assert _figures(two, "spread", "^RUT - ^GSPC")


# ---- what happened next -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "news"),
    [
        ("What happened next?", NEWS_EN),
        ("How much has the Russell 2000 moved since the article was published?", NEWS_EN),
        ("之后走势如何？", NEWS_ZH),
        ("文章发布以来罗素2000涨了多少？", NEWS_ZH),
    ],
)
def test_the_move_since_publication_runs_to_the_latest_session(
    make_assistant: Callable[..., Assistant], question: str, news: str
) -> None:
    answer = make_assistant().ask(question, news_id=news)
    returns = [f for f in answer.ledger.figures if f.metric == "return"]
    assert returns, answer.text
    assert {f.start for f in returns} == {D(2026, 1, 26)}  # published on 2026-01-26
    assert {f.end for f in returns} == {D(2026, 3, 6)}  # the latest session
    assert "^RUT" in {f.symbol for f in returns}
    assert answer.verification.ok


def test_the_news_page_shows_each_ticker_since_publication(market: Any, library: Any) -> None:
    from assistant.views.feed import moves_since

    doc = library.get(NEWS_EN)
    moves = moves_since(market, doc, "en")
    assert [m.symbol for m in moves] == list(doc.tickers[: len(moves)])
    for move in moves:
        assert move.change is not None and move.points is not None, move.error
        assert move.change.start == calendar.session_on_or_after(doc.published)
        assert move.change.end == market.last_session(move.symbol)
        assert move.change.convention == "prev_close"
        entries = move.receipt_entries(3)
        assert [e["n"] for e in entries] == [3, 4]
        assert entries[0]["metric"] == "return"
