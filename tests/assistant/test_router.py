"""The offline router on questions in both languages, follow-ups included."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.chat.offline.router import METRIC_INTENTS, Router
from assistant.grounding.language import detect_language
from assistant.reading.people import people_index
from assistant.testing.fakes import demo_documents

# the experts the demo corpus cites, read from its sources as the app does
PEOPLE = people_index(s for d in demo_documents() for s in d.sources)
REF = date(2026, 1, 23)

CASES: list[tuple[str, str, list[str]]] = [
    # metric intents, English
    ("How much did the Russell 2000 rise from Dec 1 to Jan 23?", "return", ["^RUT"]),
    ("What was RUT's return since December?", "return", ["^RUT"]),
    ("How did small caps perform last month?", "return", ["^RUT"]),
    ("YTD performance of the S&P 500", "return", ["^GSPC"]),
    ("Compare the Russell 2000 with the S&P 500 since December", "compare", ["^RUT", "^GSPC"]),
    ("Russell 2000 vs Nasdaq vs Dow over the past 2 months", "compare", ["^RUT", "^IXIC", "^DJI"]),
    ("Did small caps outperform large caps this month?", "compare", ["^RUT", "^GSPC"]),
    ("How volatile has the Russell 2000 been since December?", "volatility", ["^RUT"]),
    ("What is the daily volatility of SPX over the past 3 months?", "volatility", ["^GSPC"]),
    ("Where is the 20-day moving average for RUT?", "sma", ["^RUT"]),
    ("Is the Russell above its support level?", "sma", ["^RUT"]),
    ("What's the 52-week range of the Russell 2000?", "range_52w", ["^RUT"]),
    ("52 week high for QQQ", "range_52w", ["QQQ"]),
    ("What was the max drawdown of the Nasdaq since December?", "drawdown", ["^IXIC"]),
    ("What is the beta of IWM against the S&P 500?", "beta", ["IWM"]),
    ("Which sectors led on Jan 23?", "sectors", []),
    ("How did the financial sector do?", "return", ["XLF"]),  # one ETF: a symbol, not a ranking
    ("What's the latest price of the Dow?", "quote", ["^DJI"]),
    ("Where is SPY trading?", "quote", ["SPY"]),
    ("What was the Russell 2000's close on Jan 25?", "close_on", ["^RUT"]),
    ("What did the S&P 500 close at on 2026-01-19?", "close_on", ["^GSPC"]),
    ("If I make 2% a month, how much is that in a year compounded?", "compound", []),
    ("Why did the Russell 2000 fall 40% yesterday?", "drivers", ["^RUT"]),
    # metric intents, Chinese
    ("罗素2000在12月1日至1月23日涨了多少？", "return", ["^RUT"]),
    ("小盘股指数本月表现如何？", "return", ["^RUT"]),
    ("标普500今年以来的收益是多少？", "return", ["^GSPC"]),
    ("罗素2000和标普500相比表现如何？", "compare", ["^RUT", "^GSPC"]),
    ("纳斯达克和道琼斯对比，12月以来谁跑赢？", "compare", ["^IXIC", "^DJI"]),
    ("罗素2000的日波动率是多少？", "volatility", ["^RUT"]),
    ("罗素2000的20日均线在哪里？", "sma", ["^RUT"]),
    ("罗素2000是否跌破支撑位？", "sma", ["^RUT"]),
    ("罗素2000的52周区间是多少？", "range_52w", ["^RUT"]),
    ("纳斯达克12月以来最大回撤是多少？", "drawdown", ["^IXIC"]),
    ("IWM相对标普500的贝塔是多少？", "beta", ["IWM"]),
    ("1月23日哪些板块领涨？", "sectors", []),
    ("金融板块表现如何？", "return", ["XLF"]),
    ("道琼斯现在的点位是多少？", "quote", ["^DJI"]),
    ("罗素2000在1月25日的收盘价是多少？", "close_on", ["^RUT"]),
    ("每月2%的收益，复利一年是多少？", "compound", []),
    # knowledge intents, English
    ("What drove the small-cap rally?", "drivers", []),
    ("Why are small caps outperforming?", "drivers", []),
    ("What do the bulls and bears say?", "views", []),
    ("What did Jeffrey Hirsch say about the January effect?", "experts", []),
    ("What is Jefferies' target for the Russell 2000?", "experts", ["^RUT"]),
    ("What does Lazard's Oren Shiran mean by AI gravity?", "experts", []),
    ("What are the main risks?", "risks", []),
    ("What opportunities does the analysis see?", "opportunities", []),
    ("What signals should I monitor?", "signals", []),
    ("Are small caps cheap on valuation?", "valuation", []),
    ("Summarize the analysis", "summary", []),
    ("Is the rally sustainable?", "sustainability", []),
    # knowledge intents, Chinese
    ("这轮小盘股反弹的驱动因素是什么？", "drivers", []),
    ("为什么小盘股跑赢大盘？", "drivers", []),
    ("多空双方的观点是什么？", "views", []),
    ("赫希对一月效应怎么看？", "experts", []),
    ("摩根大通对美联储利率的预期是什么？", "experts", []),
    ("主要风险有哪些？", "risks", []),
    ("有哪些投资机会？", "opportunities", []),
    ("需要关注哪些预警信号？", "signals", []),
    ("小盘股的估值便宜吗？", "valuation", []),
    ("请总结一下这篇分析", "summary", []),
    ("这轮反弹可持续吗？", "sustainability", []),
]


@pytest.mark.parametrize(("question", "intent", "symbols"), CASES)
def test_routes(question: str, intent: str, symbols: list[str]) -> None:
    route = Router(people=PEOPLE).route(question, detect_language(question), REF)
    assert route.intent == intent
    if intent in METRIC_INTENTS:
        assert route.symbols == symbols


def test_at_least_sixty_questions_in_both_languages() -> None:
    langs = [detect_language(q) for q, _, _ in CASES]
    assert len(CASES) >= 60
    assert langs.count("zh") >= 25
    assert langs.count("en") >= 25


@pytest.mark.parametrize(
    ("first", "followup", "intent", "symbols"),
    [
        ("How much did the Russell 2000 rise since December?", "and the Dow?", "return", ["^DJI"]),
        ("罗素2000自12月以来涨了多少？", "那标普呢？", "return", ["^GSPC"]),
        (
            "What is the Russell 2000's daily volatility since December?",
            "What about the Nasdaq?",
            "volatility",
            ["^IXIC"],
        ),
        ("罗素2000的20日均线在哪里？", "纳斯达克呢？", "sma", ["^IXIC"]),
        ("How did RUT do last month?", "and this month?", "return", ["^RUT"]),
        ("What's the 52-week range of the Russell 2000?", "And for QQQ?", "range_52w", ["QQQ"]),
    ],
)
def test_followups_inherit_the_thread(
    first: str, followup: str, intent: str, symbols: list[str]
) -> None:
    router = Router(people=PEOPLE)
    lang = detect_language(first)
    previous = router.route(first, lang, REF).context()
    route = router.route(followup, detect_language(followup, lang), REF, previous)
    assert route.followup
    assert route.intent == intent
    assert route.symbols == symbols


def test_followup_keeps_the_window() -> None:
    router = Router(people=PEOPLE)
    previous = router.route("罗素2000在12月1日至1月23日涨了多少？", "zh", REF).context()
    route = router.route("那道琼斯呢？", "zh", REF, previous)
    assert route.window is not None
    assert (route.window.start, route.window.end) == (date(2025, 12, 1), date(2026, 1, 23))


def test_compound_rate_and_periods() -> None:
    route = Router().route("2% a month compounded over a year?", "en", REF)
    assert (route.intent, route.rate, route.periods) == ("compound", 2.0, 12)


def test_false_premise_is_captured() -> None:
    route = Router().route("Why did the Russell 2000 fall 40% yesterday?", "en", REF)
    assert route.premise == -40.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("罗素2000在12月1日至1月23日涨了多少", "zh"),
        ("How did the Russell 2000 do?", "en"),
        ("What did analysts say about 罗素2000?", "en"),
        ("RUT 的表现如何", "zh"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("What do I need to watch next week?", "signals"),
        ("这篇文章说了啥", "summary"),
        ("What's the weather in Paris?", "unknown"),
        ("今天天气怎么样", "unknown"),
        ("Write me a poem about cats", "unknown"),
    ],
)
def test_embedding_fallback_when_no_rule_fires(question: str, intent: str) -> None:
    from assistant.chat.offline.intents import EmbeddingIntentClassifier

    plain = Router().route(question, detect_language(question), REF)
    assert plain.intent == "unknown"  # no keyword rule knows these phrasings
    route = Router(classifier=EmbeddingIntentClassifier()).route(
        question, detect_language(question), REF
    )
    assert route.intent == intent
