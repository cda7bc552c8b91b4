"""The reader's names for every metric and return convention, in English and Chinese.

One table, used wherever a figure or a fact-check is shown (app, CLI, reports, fact-check notes),
so the internal names (`change_points`, `prev_close`) never reach a reader and one convention
has one name everywhere.
"""

from __future__ import annotations

import re

METRICS: dict[str, dict[str, str]] = {
    "return": {"en": "return", "zh": "涨跌幅"},
    "change_points": {"en": "change in points", "zh": "点数变动"},
    "day_change": {"en": "day change", "zh": "日涨跌幅"},
    "last_close": {"en": "close", "zh": "收盘价"},
    "open": {"en": "open", "zh": "开盘价"},
    "volatility_daily": {"en": "daily volatility", "zh": "日波动率"},
    "volatility_annual": {"en": "annualised volatility", "zh": "年化波动率"},
    "sma": {"en": "moving average", "zh": "移动均线"},
    "sma_distance": {"en": "distance from its moving average", "zh": "相对均线的偏离"},
    "high_52w": {"en": "52-week high", "zh": "52周最高"},
    "low_52w": {"en": "52-week low", "zh": "52周最低"},
    "period_high": {"en": "highest in the period", "zh": "区间最高"},
    "period_low": {"en": "lowest in the period", "zh": "区间最低"},
    "target_distance": {"en": "distance to a forecast target", "zh": "距预测目标"},
    "high_distance": {"en": "distance from the 52-week high", "zh": "距52周最高"},
    "low_distance": {"en": "distance from the 52-week low", "zh": "距52周最低"},
    "level_gap": {"en": "gap between two levels", "zh": "两个点位之差"},
    "max_drawdown": {"en": "maximum drawdown", "zh": "最大回撤"},
    "beta": {"en": "beta", "zh": "贝塔"},
    "correlation": {"en": "correlation", "zh": "相关系数"},
    "sector_change": {"en": "sector day change", "zh": "板块日涨跌幅"},
    "spread": {"en": "performance gap", "zh": "表现差"},
    "compound_growth": {"en": "compound growth", "zh": "复合增长"},
    "simple_growth": {"en": "simple growth", "zh": "简单增长"},
    "other": {"en": "other figure", "zh": "其他数字"},
}

# A return's starting price; "from ..." reads after a figure in both languages.
CONVENTIONS: dict[str, dict[str, str]] = {
    "prev_close": {"en": "from the previous close", "zh": "自前一交易日收盘起算"},
    "open": {"en": "from the open", "zh": "自首日开盘起算"},
    "start_close": {"en": "from the first day's close", "zh": "自首日收盘起算"},
    "close": {"en": "at the close", "zh": "按收盘价"},
    "ddof=1": {"en": "sample standard deviation", "zh": "样本标准差"},
    "ddof=0": {"en": "population standard deviation", "zh": "总体标准差"},
}


def _pick(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    entry = table.get(key)
    if entry is None:
        return key.replace("_", " ")
    return entry["zh" if lang.startswith("zh") else "en"]


def metric_label(metric: str, lang: str = "en") -> str:
    """The reader's name of a metric ("change in points", "点数变动")."""
    return _pick(METRICS, metric, lang)


def convention_label(convention: str, lang: str = "en") -> str:
    """The reader's name of a convention ("from the previous close", "自前一交易日收盘起算")."""
    return _pick(CONVENTIONS, convention, lang)


# A document's `market` field as the reader's language says it.
MARKETS: dict[str, dict[str, str]] = {
    "US equities": {"en": "US equities", "zh": "美股"},
    "China A-shares": {"en": "China A-shares", "zh": "A股"},
    "Hong Kong equities": {"en": "Hong Kong equities", "zh": "港股"},
    "US Treasuries": {"en": "US Treasuries", "zh": "美国国债"},
    "Commodities": {"en": "Commodities", "zh": "大宗商品"},
}
_MARKETS_BY_NAME = {name.casefold(): names for names in MARKETS.values() for name in names.values()}


def market_label(market: str, lang: str = "en") -> str:
    """A document's market in the reader's language ("US equities" -> "美股"); others as given."""
    names = _MARKETS_BY_NAME.get(market.strip().casefold())
    return names["zh" if lang.startswith("zh") else "en"] if names else market


def lang_of(lang: str) -> str:
    """ "zh" for any Chinese language code, else "en"."""
    return "zh" if lang.startswith("zh") else "en"


# What each tool does, as a reader of a research plan or a chat's progress reads it.
TOOLS: dict[str, dict[str, str]] = {
    "period_return": {"en": "period return", "zh": "区间涨跌幅"},
    "compare_performance": {"en": "performance comparison", "zh": "表现对比"},
    "volatility": {"en": "volatility", "zh": "波动率"},
    "moving_average": {"en": "moving average", "zh": "移动均线"},
    "range_52w": {"en": "52-week range", "zh": "52周区间"},
    "period_range": {"en": "high and low of the period", "zh": "区间高低点"},
    "sector_returns": {"en": "sector returns", "zh": "板块涨跌幅"},
    "max_drawdown": {"en": "maximum drawdown", "zh": "最大回撤"},
    "beta": {"en": "beta", "zh": "贝塔"},
    "sector_performance": {"en": "sector day changes", "zh": "板块日涨跌"},
    "quote": {"en": "latest quote", "zh": "最新行情"},
    "close_on": {"en": "close on a day", "zh": "某日收盘价"},
    "compound_growth": {"en": "compound growth", "zh": "复合增长"},
    "search_knowledge": {"en": "document search", "zh": "检索资料"},
    "news_item": {"en": "the news item", "zh": "新闻原文"},
    "resolve_symbol": {"en": "symbol lookup", "zh": "代码查询"},
    "trading_calendar": {"en": "trading calendar", "zh": "交易日历"},
}


def tool_label(tool: str, lang: str = "en") -> str:
    """The reader's name of a tool ("period return", "区间涨跌幅")."""
    return _pick(TOOLS, tool, lang)


# A fact-check's verdict as readers see it (the app's marks, `footnote check`, reports).
VERDICTS: dict[str, dict[str, str]] = {
    "holds": {"en": "holds", "zh": "成立"},
    "holds_with_caveat": {"en": "holds, with a caveat", "zh": "基本成立（有附注）"},
    "wrong_date": {"en": "wrong date", "zh": "日期有误"},
    "differs": {"en": "differs from the data", "zh": "与数据不符"},
    "unverifiable": {"en": "cannot be checked", "zh": "无法核实"},
}


def verdict_label(verdict: str, lang: str = "en") -> str:
    """The reader's name of a fact-check verdict ("differs from the data", "与数据不符")."""
    return _pick(VERDICTS, verdict, lang)


# The words every surface shares (the app's `ui/text.py` reads these keys from here, the CLI
# prints them): the numbers badge, receipts' rows, first-start steps, the check's headings.
WORDS: dict[str, dict[str, str]] = {
    "badge.verified": {"en": "{ok}/{total} numbers verified", "zh": "{ok}/{total} 个数字已核验"},
    "badge.none": {"en": "no numbers to verify", "zh": "无需核验的数字"},
    "badge.missing": {"en": "Not answered: {items}", "zh": "未回答：{items}"},
    "badge.unsupported": {"en": "Unsupported: {items}", "zh": "无依据：{items}"},
    "receipt.inputs": {"en": "Inputs", "zh": "输入价格"},
    "receipt.adjustments": {"en": "Adjustments", "zh": "调整"},
    "receipt.caveat": {"en": "Caveat: {text}", "zh": "警示：{text}"},
    "answer.caveat": {"en": "[{n}] caveat: {text}", "zh": "[{n}] 警示：{text}"},
    "cli.inputs": {"en": "inputs", "zh": "输入价格"},
    "cli.adjusted": {"en": "adjusted", "zh": "调整"},
    "cli.warning": {"en": "warning", "zh": "警示"},
    "cli.unsupported": {"en": "unsupported", "zh": "无依据"},
    "cli.not_answered": {"en": "not answered", "zh": "未回答"},
    "answer.try": {"en": "Try: {items}", "zh": "可继续追问：{items}"},
    # `footnote metrics`: the table of standard figures
    "metrics.title": {
        "en": "Metrics {start} → {end} (returns {convention})",
        "zh": "指标 {start} → {end}（涨跌幅口径：{convention}）",
    },
    "metrics.columns": {
        "en": "symbol|metric|value|window|receipt",
        "zh": "代码|指标|数值|区间|计算依据",
    },
    "metrics.stale": {"en": "stale, as of {date}", "zh": "数据未更新，截至 {date}"},
    "metrics.sessions": {"en": "{rows}/{sessions} sessions", "zh": "{rows}/{sessions} 个交易日"},
    "metrics.caveat": {"en": "caveat: {text}", "zh": "警示：{text}"},
    "metrics.calendar": {"en": "Calendar: {text}", "zh": "交易日历：{text}"},
    "metrics.source": {
        "en": "Source: {providers}; as of {date}",
        "zh": "来源：{providers}；截至 {date}",
    },
    "answer.thread": {"en": "thread: {id}  mode: {mode}", "zh": "对话：{id}  模式：{mode}"},
    "mode.name.offline": {"en": "offline", "zh": "离线"},
    "mode.name.llm": {"en": "chat model", "zh": "大模型"},
    "work.answering": {"en": "Answering", "zh": "正在回答"},
    "chat.welcome": {
        "en": "({mode} mode). /new starts a new thread, /quit leaves.",
        "zh": "（{mode}模式）。输入 /new 开始新对话，/quit 退出。",
    },
    "chat.new_thread": {"en": "new thread", "zh": "新对话"},
    # first start: the steps named while they run, and the lines left when they are done
    "setup.title": {
        "en": "First start: preparing the demo prices and news",
        "zh": "首次启动：正在准备示例行情与新闻",
    },
    "setup.ready": {"en": "Demo content ready", "zh": "示例内容已就绪"},
    "setup.folder": {"en": "Data folder: {path}", "zh": "数据文件夹：{path}"},
    "setup.notice": {"en": "Notice: {text}", "zh": "提示：{text}"},
    "setup.offline": {
        "en": "Offline mode: no chat model configured; answers come from the offline composer.",
        "zh": "离线模式：未配置大模型，答案由离线撰写器根据行情与文档生成。",
    },
    "setup.no_key": {
        "en": "FOOTNOTE_CHAT_MODEL is {model} but OPENAI_API_KEY is not set "
        "(and no OPENAI_BASE_URL for a local server): running offline.",
        "zh": "已设置 FOOTNOTE_CHAT_MODEL 为 {model}，但未设置 OPENAI_API_KEY"
        "（也没有本地服务器的 OPENAI_BASE_URL）：以离线模式运行。",
    },
    "setup.prices": {"en": "Importing the demo prices", "zh": "正在导入示例行情"},
    "setup.library": {
        "en": "Opening the library and reading the demo news (loads the embedding model)",
        "zh": "正在打开文档库并读取示例新闻（加载向量模型）",
    },
    "setup.factcheck": {
        "en": "Fact-checking the demo news against the prices",
        "zh": "正在用行情数据核查示例新闻",
    },
    "setup.imported": {
        "en": "Prices: imported {n} demo CSV files from {path}{unread}.",
        "zh": "行情：已从 {path} 导入 {n} 个示例 CSV 文件{unread}。",
    },
    "setup.no_demo": {
        "en": "Prices: store empty and no demo CSVs found; import some with "
        "`footnote prices import`.",
        "zh": "行情：价格库为空，也未找到示例 CSV；可用 `footnote prices import` 导入。",
    },
    "setup.stored": {"en": "Prices: {n} symbols already stored.", "zh": "行情：已存 {n} 个代码。"},
    "setup.unread": {"en": " ({n} could not be read)", "zh": "（{n} 个无法读取）"},
    "setup.checked": {"en": "; {n} news items fact-checked", "zh": "；已核查 {n} 条新闻"},
    "setup.ingested": {
        "en": "Demo news corpus ingested: {docs} documents, {chunks} records{checked}.",
        "zh": "示例新闻已入库：{docs} 篇文档，{chunks} 条记录{checked}。",
    },
    "setup.present": {
        "en": "Demo news corpus: already present{checked}.",
        "zh": "示例新闻：已在库中{checked}。",
    },
    "news.unknown": {"en": "No news item has the id {id}.", "zh": "没有编号为 {id} 的新闻。"},
    "news.known": {"en": "Stored news items: {ids}.", "zh": "已存新闻：{ids}。"},
    "news.none_stored": {
        "en": "none yet (add some with `footnote ingest PATH`)",
        "zh": "暂无（可用 `footnote ingest PATH` 添加）",
    },
    "lang.name.zh": {"en": "Chinese", "zh": "中文"},
    "lang.name.en": {"en": "English", "zh": "英文"},
    # `footnote research`
    "plan.title": {"en": "Plan: {title}", "zh": "研究计划：{title}"},
    "plan.window": {
        "en": "Window: {start} – {end}{label} (every question runs over it) · symbols: {symbols}",
        "zh": "区间：{start} – {end}{label}（每个问题都按此区间计算）· 代码：{symbols}",
    },
    "plan.note": {"en": "Note: {text}", "zh": "说明：{text}"},
    "plan.estimate": {
        "en": "Estimate: {calls} model calls, {tokens:,} tokens, ${cost:.4f}, about {seconds:.0f} s",
        "zh": "预估：{calls} 次模型调用，{tokens:,} 个令牌，${cost:.4f}，约 {seconds:.0f} 秒",
    },
    "plan.confirm": {"en": "Run this plan?", "zh": "执行此计划？"},
    "plan.rejected": {
        "en": "Plan rejected; nothing was run. Edit it with --plan-only --json and --plan FILE.",
        "zh": "已放弃该计划，未执行任何步骤。可用 --plan-only --json 导出、修改后用 --plan FILE 执行。",
    },
    "plan.resume": {
        "en": "Finished sections are kept. Resume with: footnote research --resume {run}",
        "zh": "已完成的部分已保存。继续执行：footnote research --resume {run}",
    },
    "research.phase.start": {"en": "start", "zh": "正在研究"},
    "research.phase.done": {"en": "done", "zh": "已完成"},
    "research.phase.skipped": {"en": "skipped", "zh": "已跳过"},
    "research.verified": {
        "en": "{ok}/{total} numbers verified; files: {files}",
        "zh": "{ok}/{total} 个数字已核验；文件：{files}",
    },
    "research.stopped": {"en": "Stopped early: {why}", "zh": "提前停止：{why}"},
    # `footnote check`
    "check.numbers": {"en": "{n} numbers", "zh": "{n} 个数字"},
    "check.none": {"en": "No numbers.", "zh": "没有数字。"},
    "check.columns": {
        "en": "sentence|claim|verdict|computed|measured|receipt / note",
        "zh": "句子|说法|结论|计算值|口径|凭据 / 说明",
    },
    "check.computed": {"en": "computed {value}", "zh": "计算值 {value}"},
    "check.receipt": {"en": "receipt: {text}", "zh": "凭据：{text}"},
    "check.note_receipt": {"en": "Receipt: {text}", "zh": "凭据：{text}"},
    "check.join": {"en": ", ", "zh": "，"},
}


def word(key: str, lang: str = "en", **values: object) -> str:
    """The shared text `key` in `lang`, filled with `values`."""
    text = WORDS[key][lang_of(lang)]
    return text.format(**values) if values else text


# What a price provider's name says about the data, in the reader's language.
_PROVIDER_ZH = {"third-party snapshot": "第三方快照", "local store": "本地价格库"}


def provider_label(provider: str, lang: str = "en") -> str:
    """A provider as a reader of `lang` reads it: "Yahoo Finance (third-party snapshot)" is
    "Yahoo Finance（第三方快照）" in Chinese; the provider's own name stays as it is."""
    if lang_of(lang) == "en":
        return provider
    if provider in _PROVIDER_ZH:
        return _PROVIDER_ZH[provider]
    found = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", provider)
    if found and found.group(2) in _PROVIDER_ZH:
        return f"{found.group(1)}（{_PROVIDER_ZH[found.group(2)]}）"
    return provider


# A formula's field names as a Chinese reader says them; the math (mean, max, stdev, sqrt, cov,
# corr, ddof) stays notation. English formulas are shown as computed.
_FORMULA_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bClose\["), "收盘["),
    (re.compile(r"\bOpen\["), "开盘["),
    (re.compile(r"\bHigh\["), "最高["),
    (re.compile(r"\bLow\["), "最低["),
    (re.compile(r"\bSMA(\d+)\b"), r"\1日均线"),
    (re.compile(r"\bvolatility_daily\b"), "日波动率"),
    (re.compile(r"\breturn\("), "涨跌幅("),
    (re.compile(r" over (\d+) daily returns "), r"，\1个日收益率，"),
    (re.compile(r", (\d+) sessions\b"), r"，\1个交易日"),
    (re.compile(r" \(peak before trough\)"), "（先峰后谷）"),
    (re.compile(r"(\d) x (\d)"), r"\1 × \2"),
)


def formula_label(formula: str, lang: str = "en") -> str:
    """A figure's formula for a reader of `lang` ("Close[d]" reads "收盘[d]" in Chinese)."""
    if lang_of(lang) == "en":
        return formula
    for pattern, replacement in _FORMULA_ZH:
        formula = pattern.sub(replacement, formula)
    return formula
