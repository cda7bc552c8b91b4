"""Research plans: offline templates that fit the topic, or a chat model's structured proposal."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from assistant.chat.llm.models import estimate_cost
from assistant.grounding.language import Lang
from assistant.research.schemas import Estimate, Plan, PlanDraft, PlanSection, Template
from tools.symbols import SECTOR_SYMBOLS, find_symbols, symbol_name

if TYPE_CHECKING:
    from assistant.ports import StructuredModel

_INDICES = {"^RUT", "^GSPC", "^IXIC", "^DJI", "^VIX", "IWM", "SPY", "QQQ", "DIA"}
_SECTOR_WORDS = re.compile(r"sector|rotation|板块|行业|轮动", re.IGNORECASE)
_MACRO_WORDS = re.compile(
    r"\bfed\b|rate|inflation|yield|recession|gdp|cpi|美联储|利率|通胀|降息|加息|衰退", re.IGNORECASE
)

# Rough per-call sizes for the LLM estimate (measured on the scripted benchmark, rounded up).
PLAN_TOKENS = (1_800, 500)
SECTION_TOKENS = (3_500, 450)
SUMMARY_TOKENS = (3_000, 300)
OFFLINE_SECONDS_PER_SECTION = 0.6
LLM_SECONDS_PER_CALL = 6.0


def classify(topic: str, symbols: list[str]) -> Template:
    """Pick the template that fits a topic."""
    if _SECTOR_WORDS.search(topic) or any(s in SECTOR_SYMBOLS for s in symbols):
        return "sector_rotation"
    if symbols and symbols[0] not in _INDICES:
        return "single_stock"
    if _MACRO_WORDS.search(topic) and not symbols:
        return "macro"
    return "market_move"


def default_window(end: date) -> date:
    """Start of the analysis window: the first day of the month before the end's month."""
    month = end.month - 1 or 12
    year = end.year if end.month > 1 else end.year - 1
    return date(year, month, 1)


def _q(lang: Lang, en: str, zh: str, **values: Any) -> str:
    return (zh if lang == "zh" else en).format(**values)


def template_sections(
    template: Template, lang: Lang, symbols: list[str], start: date, end: date
) -> list[PlanSection]:
    """The offline plan for a template, its questions written so the offline router answers them."""
    main = symbols[0] if symbols else "^GSPC"
    name = symbol_name(main, lang)
    others = list(symbols[1:4]) or [s for s in ("^GSPC", "^IXIC", "^DJI") if s != main]
    other_names = ("、" if lang == "zh" else ", ").join(symbol_name(s, lang) for s in others)
    w = {"name": name, "others": other_names, "start": start.isoformat(), "end": end.isoformat()}
    perf = PlanSection(
        heading=_q(lang, "Performance and relative moves", "市场表现与相对走势"),
        questions=[
            _q(
                lang,
                "How much did {name} move from {start} to {end}?",
                "{name}在{start}至{end}期间涨跌多少？",
                **w,
            ),
            _q(
                lang,
                "Compare {name} with {others} from {start} to {end}",
                "{name}与{others}在{start}至{end}期间相比表现如何？",
                **w,
            ),
        ],
        tools=["period_return", "compare_performance"],
    )
    technicals = PlanSection(
        heading=_q(lang, "Technicals and valuation", "技术面与估值"),
        questions=[
            _q(
                lang,
                "Where is {name} against its 20-day moving average?",
                "{name}相对20日均线的位置如何？",
                **w,
            ),
            _q(lang, "What is the 52-week range of {name}?", "{name}的52周区间是多少？", **w),
            _q(
                lang,
                "How volatile was {name} from {start} to {end}?",
                "{name}在{start}至{end}期间的日波动率是多少？",
                **w,
            ),
            _q(lang, "Is it cheap on valuation?", "估值是否便宜？"),
        ],
        tools=["moving_average", "range_52w", "volatility", "search_knowledge"],
    )
    drivers = PlanSection(
        heading=_q(lang, "Drivers", "驱动因素"),
        questions=[_q(lang, "What drove the move?", "推动这轮行情的因素是什么？")],
        tools=["search_knowledge", "news_item"],
    )
    views = PlanSection(
        heading=_q(lang, "Expert views for and against", "多空专家观点"),
        questions=[_q(lang, "What do the bulls and bears say?", "多空双方的观点是什么？")],
        tools=["search_knowledge", "news_item"],
    )
    risks = PlanSection(
        heading=_q(lang, "Risks and opportunities", "风险与机遇"),
        questions=[
            _q(lang, "What are the main risks?", "主要风险有哪些？"),
            _q(lang, "What opportunities does the analysis see?", "有哪些机会？"),
        ],
        tools=["search_knowledge"],
    )
    signals = PlanSection(
        heading=_q(lang, "Signals to monitor", "需要关注的信号"),
        questions=[
            _q(
                lang,
                "What signals should be monitored for {name}?",
                "{name}需要关注哪些预警信号？",
                **w,
            )
        ],
        tools=["search_knowledge", "moving_average"],
    )
    sectors = PlanSection(
        heading=_q(lang, "Sector moves", "板块表现"),
        questions=[_q(lang, "Which sectors led on {end}?", "{end}哪些板块领涨？", **w)],
        tools=["sector_performance"],
    )
    if template == "sector_rotation":
        return [sectors, perf, drivers, views, risks, signals]
    if template == "single_stock":
        return [perf, technicals, drivers, risks, signals]
    if template == "macro":
        return [drivers, views, perf, sectors, risks, signals]
    return [perf, drivers, views, technicals, risks, signals]


def estimate(plan_sections: int, llm: bool, model: str = "") -> Estimate:
    """Expected model calls, tokens, cost and seconds for a plan of `plan_sections` sections."""
    if not llm:
        return Estimate(seconds=round(OFFLINE_SECONDS_PER_SECTION * plan_sections + 1, 1))
    calls = 1 + plan_sections + 1
    tokens_in = PLAN_TOKENS[0] + SECTION_TOKENS[0] * plan_sections + SUMMARY_TOKENS[0]
    tokens_out = PLAN_TOKENS[1] + SECTION_TOKENS[1] * plan_sections + SUMMARY_TOKENS[1]
    return Estimate(
        model_calls=calls,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        cost_usd=round(estimate_cost(model, tokens_in, tokens_out), 4),
        seconds=round(LLM_SECONDS_PER_CALL * calls, 1),
    )


def offline_title(lang: Lang, symbols: list[str], template: Template, topic: str) -> str:
    if template == "macro" or not symbols:
        return topic[:120]
    name = symbol_name(symbols[0], lang)
    return f"{name}：深度研究" if lang == "zh" else f"{name}: deep research"


def make_plan(
    topic: str,
    lang: Lang,
    end: date,
    *,
    news_id: str | None = None,
    news_title: str | None = None,
    tickers: list[str] | None = None,
    model: StructuredModel | None = None,
    model_name: str = "",
) -> Plan:
    """A plan for `topic`: from the chat model when one is given, else from a template."""
    symbols = list(dict.fromkeys([*(find_symbols(topic)), *(tickers or [])])) or ["^GSPC"]
    template = classify(topic, symbols)
    start = default_window(end)
    sections = template_sections(template, lang, symbols, start, end)
    title = news_title or offline_title(lang, symbols, template, topic)
    if model is not None:
        draft = propose(model, topic, lang, sections, start, end)
        sections, title = draft.sections, draft.title
    return Plan(
        title=title,
        topic=topic,
        language=lang,
        template=template,
        news_id=news_id,
        symbols=symbols,
        start=start,
        end=end,
        sections=sections,
        estimate=estimate(len(sections), model is not None, model_name),
    )


def propose(
    model: StructuredModel,
    topic: str,
    lang: Lang,
    example: list[PlanSection],
    start: date,
    end: date,
) -> PlanDraft:
    """Ask the chat model for a plan in the typed schema; the template is its example."""
    from assistant.research.prompts import PLAN_PROMPT

    structured = model.with_structured_output(PlanDraft, method="function_calling")
    prompt = PLAN_PROMPT.format(
        topic=topic,
        language="Simplified Chinese" if lang == "zh" else "English",
        start=start.isoformat(),
        end=end.isoformat(),
        example="\n".join(f"- {s.heading}: {' | '.join(s.questions)}" for s in example),
    )
    draft = structured.invoke(prompt)
    return draft if isinstance(draft, PlanDraft) else PlanDraft.model_validate(draft)
