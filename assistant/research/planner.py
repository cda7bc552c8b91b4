"""Research plans: offline templates that fit the topic, or a chat model's structured proposal."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from assistant.chat.llm.models import estimate_cost
from assistant.grounding.language import Lang
from assistant.reading import read_request
from assistant.research.schemas import Estimate, Plan, PlanDraft, PlanSection, Template
from tools.symbols import SECTOR_SYMBOLS, symbol_name

if TYPE_CHECKING:
    from assistant.ports import StructuredModel
    from assistant.reading import Request

_INDICES = {"^RUT", "^GSPC", "^IXIC", "^DJI", "^VIX", "IWM", "SPY", "QQQ", "DIA"}
# The reader reads symbols, metrics and periods; what it does not read is a report's theme:
# a rotation across sectors, or the economy rather than a market.
_ROTATION_WORDS = re.compile(r"sector|rotation|板块|行业|轮动", re.IGNORECASE)
_MACRO_WORDS = re.compile(
    r"\bfed\b|rate|inflation|yield|recession|gdp|cpi|美联储|利率|通胀|降息|加息|衰退", re.IGNORECASE
)

# Rough per-call sizes for the LLM estimate (measured on the scripted benchmark, rounded up).
PLAN_TOKENS = (1_800, 500)
SECTION_TOKENS = (3_500, 450)
SUMMARY_TOKENS = (3_000, 300)
OFFLINE_SECONDS_PER_SECTION = 0.6
LLM_SECONDS_PER_CALL = 6.0


def classify(topic: str, symbols: list[str], request: Request | None = None) -> Template:
    """Pick the template that fits a topic (and the reader's `request` of it, when given)."""
    ranking = request is not None and request.kind == "ranking"
    if ranking or _ROTATION_WORDS.search(topic) or any(s in SECTOR_SYMBOLS for s in symbols):
        return "sector_rotation"
    if symbols and symbols[0] not in _INDICES:
        return "single_stock"
    if _MACRO_WORDS.search(topic) and not symbols:
        return "macro"
    return "market_move"


def read_topic(topic: str, ref: date) -> Request | None:
    """The reader's view of a research topic, or None when it cannot place it."""
    try:
        return read_request(topic, ref)
    except (ValueError, OverflowError):
        return None


def topic_window(request: Request | None, ref: date) -> tuple[date, date, str]:
    """The window a topic names (start, end, label), capped at `ref`; else the default one.

    A period wholly after `ref` (a forecast's "next quarter") cannot be measured: the report
    covers the data up to `ref` and its notes say so.
    """
    period = request.period if request is not None else None
    if period is not None and not period.future and period.start is not None:
        start = period.start
        end = min(period.end or ref, ref)
        if start <= end:
            return start, end, period.label
    start = default_window(ref)
    return start, ref, ""


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
    # The questions name no dates: every section runs over the plan's window (start..end), so an
    # edited window is the one every figure uses.
    w = {"name": name, "others": other_names}
    perf = PlanSection(
        heading=_q(lang, "Performance and relative moves", "市场表现与相对走势"),
        questions=[
            _q(
                lang,
                "How much did {name} move over the report window?",
                "{name}在报告区间内涨跌多少？",
                **w,
            ),
            _q(
                lang,
                "Compare {name} with {others} over the report window",
                "{name}与{others}在报告区间内相比表现如何？",
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
                "How volatile was {name} over the report window?",
                "{name}在报告区间内的日波动率是多少？",
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
        questions=[
            _q(lang, "Which sectors led at the end of the window?", "区间末哪些板块领涨？", **w)
        ],
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
    """A plan for `topic`: from the chat model when one is given, else from a template.

    The bilingual reader reads the topic: its symbols come first (a benchmark it names next),
    its period sets the window (capped at `end`, the latest session the report may use), and a
    forecast or an opinion is noted as such (the report measures the past and reports views).
    """
    request = read_topic(topic, end)
    read_symbols = list(request.symbols) if request is not None else []
    benchmarks = [
        m.benchmark
        for m in (request.metrics if request is not None else [])
        if m.benchmark and m.benchmark not in read_symbols
    ]
    symbols = list(dict.fromkeys([*read_symbols, *benchmarks, *(tickers or [])])) or ["^GSPC"]
    template = classify(topic, symbols, request)
    start, end, label = topic_window(request, end)
    notes = plan_notes(request, lang, end)
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
        window_label=label,
        notes=notes,
        sections=sections,
        estimate=estimate(len(sections), model is not None, model_name),
    )


def plan_notes(request: Request | None, lang: Lang, end: date) -> list[str]:
    """What the plan tells its reader before it runs: a forecast or advice is not given."""
    if request is None or request.kind not in ("forecast", "opinion"):
        return []
    if request.kind == "forecast":
        return [
            _q(
                lang,
                "The topic asks about the future: the report measures the data up to {end} and "
                "reports the forecasts of cited experts; it makes no forecast of its own.",
                "该主题涉及未来走势：报告只计算截至{end}的数据，并转述所引专家的预测，不做自己的预测。",
                end=end.isoformat(),
            )
        ]
    return [
        _q(
            lang,
            "The topic asks for advice: the report sets out data and cited views, not a "
            "recommendation.",
            "该主题涉及投资建议：报告只列出数据与所引观点，不构成建议。",
        )
    ]


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
