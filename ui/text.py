"""The app's own words in Chinese and English; `t(key)` picks the session's language."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import VERDICTS, WORDS

LANG_KEY = "ui_lang"
LANGS = {"zh": "中文", "en": "English"}

_TEXT: dict[str, dict[str, str]] = {
    "app.tagline": {
        "en": "Every number computed with a receipt or quoted from a cited source.",
        "zh": "每个数字都有出处：要么由行情数据计算并附凭据，要么引自注明来源的资料。",
    },
    "nav.feed": {"en": "Feed", "zh": "首页"},
    "nav.news": {"en": "News item", "zh": "新闻详情"},
    "nav.chat": {"en": "Chat", "zh": "对话"},
    "nav.research": {"en": "Deep research", "zh": "深度研究"},
    "nav.settings": {"en": "Settings", "zh": "设置"},
    "nav.library": {"en": "Library", "zh": "文档库"},
    # library
    "library.title": {"en": "Library", "zh": "文档库"},
    "library.upload": {
        "en": "Add your own documents (Markdown, text, HTML, PDF)",
        "zh": "添加您自己的文档（Markdown、文本、HTML、PDF）",
    },
    "library.upload_help": {
        "en": "Each file is kept in your data folder and added to the library; uploading a file "
        "with the same name again updates it.",
        "zh": "每个文件都会保存在数据文件夹中并加入文档库；再次上传同名文件会更新它。",
    },
    "library.ingest": {"en": "Add to the library", "zh": "加入文档库"},
    "library.ingesting": {"en": "Adding {n} file(s)…", "zh": "正在加入 {n} 个文件…"},
    "library.progress": {
        "en": "Read {done} of {total} file(s)…",
        "zh": "已读取 {done}/{total} 个文件…",
    },
    "library.ingested": {
        "en": "{ok} of {total} file(s) in the library",
        "zh": "{total} 个文件中 {ok} 个已在文档库中",
    },
    "library.failed": {"en": "Could not add the files: {error}", "zh": "无法加入文件：{error}"},
    "library.search": {"en": "Search titles and text", "zh": "搜索标题与正文"},
    "library.kind": {"en": "Show", "zh": "显示"},
    "library.count": {"en": "{n} of {total} documents", "zh": "共 {total} 篇，显示 {n} 篇"},
    "library.empty": {
        "en": "No documents are stored yet: add some above or with `footnote ingest PATH`.",
        "zh": "还没有文档：可在上方添加，或用 `footnote ingest PATH` 导入。",
    },
    "library.check": {"en": "Fact-check", "zh": "核查"},
    "library.checking": {
        "en": "Checking its market figures against the stored prices…",
        "zh": "正在用已存价格核对其中的行情数字…",
    },
    "library.checked": {"en": "{n} numbers checked", "zh": "已核对 {n} 个数字"},
    "library.close": {"en": "Close the fact-check", "zh": "关闭核查"},
    "kind.news": {"en": "News", "zh": "新闻"},
    "kind.analysis": {"en": "Analysis", "zh": "分析"},
    "kind.source": {"en": "Source", "zh": "来源"},
    "origin.footnote": {"en": "AI-generated", "zh": "AI 生成"},
    "origin.imported": {"en": "Imported", "zh": "导入"},
    "ingest.added": {"en": "added", "zh": "已加入"},
    "ingest.updated": {"en": "updated", "zh": "已更新"},
    "ingest.unchanged": {"en": "already in the library, unchanged", "zh": "已在库中，无变化"},
    "ingest.skipped": {"en": "skipped", "zh": "已跳过"},
    "ingest.failed": {"en": "not added", "zh": "未加入"},
    "lang.label": {"en": "Language", "zh": "界面语言"},
    "mode.offline": {
        "en": "Offline mode: answers come from market data and the stored documents, no chat model.",
        "zh": "离线模式：答案来自行情数据与已存文档，不调用大模型。",
    },
    "mode.llm": {"en": "Chat model: {model}", "zh": "大模型：{model}"},
    "auth.title": {"en": "Sign in", "zh": "登录"},
    "auth.why": {
        "en": "This Footnote is shared by a team: sign in to see your own threads and reports.",
        "zh": "这个 Footnote 由团队共用：登录后只看到你自己的对话和研究报告。",
    },
    "auth.login": {"en": "Sign in", "zh": "登录"},
    "auth.login_with": {"en": "Sign in with {provider}", "zh": "用 {provider} 登录"},
    "auth.logout": {"en": "Sign out", "zh": "退出登录"},
    "auth.as": {"en": "Signed in as {who}", "zh": "已登录：{who}"},
    "settings.users": {"en": "Users", "zh": "用户"},
    "settings.users.signed_in": {
        "en": "Signed in as {who}. Your threads and research reports are yours alone: other "
        "users of this app do not see them. Documents, prices and fact-checks are shared.",
        "zh": "已登录：{who}。你的对话和研究报告只属于你，本应用的其他用户看不到；"
        "文档、行情和事实核查结果由大家共用。",
    },
    "settings.users.single": {
        "en": "Single-user: no sign-in is configured, so everyone who opens this app shares "
        "one set of threads and reports. To give each person their own, configure Streamlit's "
        "authentication ([auth] in .streamlit/secrets.toml, an OpenID Connect provider).",
        "zh": "单用户模式：未配置登录，打开本应用的每个人共用同一套对话和报告。"
        "如需每人各自一套，请配置 Streamlit 的登录（.streamlit/secrets.toml 中的 [auth]，"
        "OpenID Connect 身份提供方）。",
    },
    "settings.users.server": {
        "en": "Threads and reports are kept on {where}.",
        "zh": "对话和报告保存在 {where}。",
    },
    # feed
    "feed.title": {"en": "Footnote", "zh": "Footnote 研究助手"},
    "feed.ask": {
        "en": "Ask about markets, e.g. how did the Russell 2000 do in January 2026?",
        "zh": "提问市场问题，例如：罗素2000在2026年1月表现如何？",
    },
    "feed.news": {"en": "News", "zh": "新闻"},
    "feed.empty": {
        "en": "No news items are stored yet. Ingest some with `footnote ingest PATH`.",
        "zh": "还没有新闻。可用 `footnote ingest PATH` 导入。",
    },
    "feed.open": {"en": "Open", "zh": "查看"},
    "feed.loading": {
        "en": "Opening the news library and the price store…",
        "zh": "正在打开新闻库和行情数据…",
    },
    "card.symbol": {"en": "Ticker", "zh": "代码"},
    "card.close": {"en": "Last close", "zh": "最新收盘"},
    "card.change": {"en": "Day change", "zh": "日涨跌"},
    "card.as_of": {"en": "As of", "zh": "截至"},
    "card.trend": {"en": "30 sessions", "zh": "近30个交易日"},
    # news item
    "news.missing": {
        "en": "That news item is no longer stored; here is the latest one.",
        "zh": "该新闻已不在库中；下面显示最新的一条。",
    },
    "news.back": {"en": "Back to the feed", "zh": "返回首页"},
    "news.pick": {"en": "News item", "zh": "选择新闻"},
    "news.quotes": {"en": "Quotes", "zh": "行情"},
    "news.stale": {"en": "stale", "zh": "非最新"},
    "news.stale_help": {
        "en": "Newer prices could not be had; this is the latest stored session.",
        "zh": "无法取得更新的价格，显示的是本地最新交易日。",
    },
    "news.analysis": {"en": "Analysis", "zh": "分析"},
    "news.next": {"en": "What happened next", "zh": "此后走势"},
    "news.next_line": {
        "en": "{name}: {ret} [{n}] ({pts} [{m}]) from {start} to {end}",
        "zh": "{name}：{start}至{end}涨跌幅{ret}[{n}]（{pts}[{m}]）",
    },
    "news.next_help": {
        "en": "From the close of the session before the publication date to the latest stored close.",
        "zh": "自发布日前一交易日收盘至最新存储的收盘价。",
    },
    "news.sources": {"en": "Sources", "zh": "来源"},
    "news.charts": {"en": "Charts", "zh": "图表"},
    "news.signals": {"en": "Signals to monitor", "zh": "需关注的信号"},
    "news.experts": {"en": "Expert views", "zh": "专家观点"},
    "experts.columns": {
        "en": "Person|Organisation|Stance|Claim|Figure|Target vs close|Source",
        "zh": "人物|机构|立场|观点|数字|目标与收盘差距|来源",
    },
    "experts.stance": {"en": "bull|bear|neutral", "zh": "看多|看空|中性"},
    "experts.distance": {
        "en": "{distance} from the {close} close of {day}",
        "zh": "相对{day}收盘{close}为{distance}",
    },
    "experts.at_horizon": {"en": " (at its horizon)", "zh": "（到期时）"},
    "news.related": {"en": "Related items", "zh": "相关内容"},
    "news.no_related": {
        "en": "No other stored item shares its tickers or tags.",
        "zh": "没有与其代码或标签相同的其他内容。",
    },
    "news.ask": {"en": "Ask about this item", "zh": "就这条新闻提问"},
    "news.research": {"en": "Deep research on this item", "zh": "就此开展深度研究"},
    "news.chat_link": {"en": "Chat about this item", "zh": "就这条新闻对话"},
    "news.link_hidden": {
        "en": "link not shown: {host} is not on the allowed list",
        "zh": "未显示链接：{host} 不在允许列表中",
    },
    "news.price_chart": {"en": "Price", "zh": "价格"},
    "news.relative_chart": {"en": "Relative performance", "zh": "相对表现"},
    "news.factcheck": {"en": "Fact-check", "zh": "核查"},
    "news.factcheck_badge": {
        "en": "{ok}/{total} market figures hold",
        "zh": "{ok}/{total} 个行情数字成立",
    },
    "news.factcheck_unchecked": {
        "en": "{n} quoted or not checkable",
        "zh": "{n} 个为引用或无法核对",
    },
    "news.factcheck_none": {
        "en": "Fact-check results are not available for this item yet.",
        "zh": "本条内容暂无核查结果。",
    },
    "verdict.attribution": {
        "en": "attribution not supported by the cited source",
        "zh": "出处与所引来源不符",
    },
    "news.attribution_badge": {
        "en": "{n} attribution(s) not supported by the cited sources",
        "zh": "{n} 处出处与所引来源不符",
    },
    "signal.triggered": {"en": "triggered", "zh": "已触发"},
    "signal.not_triggered": {"en": "not triggered", "zh": "未触发"},
    "signal.untracked": {
        "en": "not tracked by market data: follow source [{n}]",
        "zh": "行情数据无法跟踪：请关注来源 [{n}]",
    },
    "signal.no_data": {"en": "no market data", "zh": "缺少行情数据"},
    "data.import": {
        "en": "Import prices (CSV) on the Settings page",
        "zh": "在“设置”页导入价格（CSV）",
    },
    # chat
    "chat.title": {"en": "Chat", "zh": "对话"},
    "chat.general": {"en": "General questions", "zh": "一般问题"},
    "chat.about": {"en": "About: {title}", "zh": "关于：{title}"},
    "chat.placeholder": {"en": "Ask a question", "zh": "输入问题"},
    "chat.new": {"en": "New thread", "zh": "新对话"},
    "chat.threads": {"en": "Threads", "zh": "历史对话"},
    "chat.thinking": {"en": "Working…", "zh": "处理中…"},
    "chat.done": {"en": "Done", "zh": "完成"},
    "chat.tool": {"en": "Using {name}", "zh": "调用 {name}"},
    "chat.too_long": {
        "en": "That question is {size:,} characters long; the limit is {limit:,}. Please shorten it.",
        "zh": "问题长度为 {size:,} 个字符，超过上限 {limit:,}，请缩短后再问。",
    },
    "chat.empty": {
        "en": "Ask a question below; every number in the answer comes with its receipt.",
        "zh": "在下方输入问题；答案中的每个数字都附有凭据。",
    },
    "chat.error": {
        "en": "The answer could not be completed: {error}",
        "zh": "未能完成回答：{error}",
    },
    "chat.follow_ups": {"en": "Follow-up questions", "zh": "可继续追问"},
    "badge.coverage": {
        "en": "answers {ok} of {total} asked {noun}",
        "zh": "回答了所问 {total} 项中的 {ok} 项",
    },
    "citations": {"en": "Citations", "zh": "引用"},
    "receipt.value": {"en": "Value", "zh": "数值"},
    "receipt.metric": {"en": "Metric", "zh": "指标"},
    "receipt.symbol": {"en": "Symbol", "zh": "代码"},
    "receipt.window": {"en": "Window", "zh": "区间"},
    "receipt.convention": {"en": "Convention", "zh": "口径"},
    "receipt.as_of": {"en": "As of session", "zh": "数据截至"},
    "receipt.provider": {"en": "Provider", "zh": "数据来源"},
    "receipt.fetched_at": {"en": "Fetched", "zh": "获取时间"},
    "receipt.formula": {"en": "Formula", "zh": "公式"},
    "receipt.stale": {"en": "Stale", "zh": "非最新"},
    "receipt.notes": {"en": "Notes", "zh": "备注"},
    "receipt.document": {"en": "Document", "zh": "文档"},
    "receipt.published": {"en": "Published", "zh": "发布日期"},
    "receipt.section": {"en": "Section", "zh": "章节"},
    "receipt.source": {"en": "Source", "zh": "出处"},
    "receipt.open": {"en": "Open source", "zh": "打开来源"},
    # research
    "research.title": {"en": "Deep research", "zh": "深度研究"},
    "research.topic": {"en": "Topic", "zh": "研究主题"},
    "research.plan": {"en": "Plan", "zh": "生成研究计划"},
    "research.auto": {"en": "Auto-accept plan", "zh": "自动接受计划"},
    "research.auto_help": {
        "en": "Run the research plan as soon as it is made, without stopping for approval; "
        "remembered for this browser session.",
        "zh": "生成研究计划后立即执行，不再等待确认；在本次浏览器会话中保持。",
    },
    "research.accept": {"en": "Accept and run", "zh": "接受并执行"},
    "research.edit": {"en": "Edit plan", "zh": "修改计划"},
    "research.window": {
        "en": "Every question runs over {start} – {end}{label} · {symbols}",
        "zh": "每个问题都按区间 {start} – {end}{label} 计算 · {symbols}",
    },
    "research.reject": {"en": "Reject", "zh": "放弃"},
    "research.save_edit": {"en": "Save the plan", "zh": "保存计划"},
    "research.questions": {"en": "Questions (one a line)", "zh": "问题（每行一个）"},
    "research.estimate": {
        "en": "Estimate: {calls} model calls, about {tokens:,} tokens, ${cost:.2f}, about {seconds:.0f} s",
        "zh": "预估：{calls} 次模型调用，约 {tokens:,} 个令牌，${cost:.2f}，约 {seconds:.0f} 秒",
    },
    "research.running": {"en": "Researching…", "zh": "研究进行中…"},
    "research.done": {"en": "Report ready", "zh": "报告已完成"},
    "research.failed": {"en": "Research failed: {error}", "zh": "研究失败：{error}"},
    "research.history": {"en": "Report history", "zh": "历史报告"},
    "research.no_history": {"en": "No reports yet.", "zh": "还没有报告。"},
    "research.download": {"en": "Download {fmt}", "zh": "下载 {fmt}"},
    "research.export_failed": {
        "en": "{fmt} export is not available: {error}",
        "zh": "无法导出 {fmt}：{error}",
    },
    "research.rejected": {"en": "Plan rejected.", "zh": "已放弃该计划。"},
    # settings
    "settings.title": {"en": "Settings", "zh": "设置"},
    "settings.mode": {"en": "Answer mode", "zh": "回答模式"},
    "settings.mode.offline": {"en": "Offline (no chat model)", "zh": "离线（不使用大模型）"},
    "settings.mode.openai": {"en": "OpenAI", "zh": "OpenAI"},
    "settings.mode.compatible": {
        "en": "OpenAI-compatible server",
        "zh": "兼容 OpenAI 的服务",
    },
    "settings.base_url": {"en": "Base URL", "zh": "服务地址（Base URL）"},
    "settings.model": {"en": "Model", "zh": "模型"},
    "settings.key": {"en": "API key", "zh": "API 密钥"},
    "settings.key_help": {
        "en": "Kept in this browser session only: never written to disk or to logs.",
        "zh": "仅保存在本次浏览器会话中，不会写入磁盘或日志。",
    },
    "settings.apply": {"en": "Apply", "zh": "应用"},
    "settings.applied": {"en": "Applied: {mode}.", "zh": "已应用：{mode}。"},
    "settings.need_model": {
        "en": "Name a model to use a chat model.",
        "zh": "使用大模型时需填写模型名称。",
    },
    "settings.need_key": {
        "en": "OpenAI needs an API key (or choose a compatible server with a base URL).",
        "zh": "OpenAI 需要 API 密钥（或选择兼容服务并填写地址）。",
    },
    "settings.need_url": {
        "en": "A compatible server needs its base URL (https://… or http://127.0.0.1:…).",
        "zh": "兼容服务需要填写地址（https://… 或 http://127.0.0.1:…）。",
    },
    "settings.data": {"en": "Market data", "zh": "行情数据"},
    "settings.data_mode": {"en": "Data mode", "zh": "数据模式"},
    "settings.data.auto": {
        "en": "auto: stored prices first, live when stale",
        "zh": "自动：优先本地，过期时联网",
    },
    "settings.data.live": {"en": "live: always ask Yahoo", "zh": "联网：总是查询 Yahoo"},
    "settings.data.local": {"en": "local: stored prices only", "zh": "本地：只用已存价格"},
    "settings.upload": {"en": "Import prices (CSV)", "zh": "导入价格（CSV）"},
    "settings.upload_help": {
        "en": "Columns Date, Open, High, Low, Close, Volume; the file name is the symbol (SPY.csv).",
        "zh": "列为 Date, Open, High, Low, Close, Volume；文件名即代码（如 SPY.csv）。",
    },
    "settings.symbol": {
        "en": "Symbol (leave empty to use the file name)",
        "zh": "代码（留空则用文件名）",
    },
    "settings.import": {"en": "Import", "zh": "导入"},
    "settings.imported": {
        "en": "{file}: {symbol}, {rows} rows, {first} to {last}.",
        "zh": "{file}：{symbol}，{rows} 行，{first} 至 {last}。",
    },
    "settings.import_failed": {"en": "{file}: {error}", "zh": "{file}：{error}"},
    "settings.stored": {"en": "Stored prices", "zh": "已存价格"},
    "health.title": {"en": "Price data health", "zh": "行情数据体检"},
    "health.intro": {
        "en": "What the checks found in the stored prices, and what was done about it. "
        "Findings are information: figures that span an unresolved step carry a caveat.",
        "zh": "对已存价格的检查结果及相应处理。这些只是提示：跨越未解决断点的数字会附带警示。",
    },
    "health.clean": {"en": "{symbol}: no findings.", "zh": "{symbol}：未发现问题。"},
    "health.summary": {"en": "{symbol}: {summary}", "zh": "{symbol}：{summary}"},
    "health.none": {
        "en": "No stored prices to check yet.",
        "zh": "还没有可检查的已存价格。",
    },
    "health.join": {"en": ", ", "zh": "，"},
    "health.col.symbol": {"en": "Symbol", "zh": "代码"},
    "health.col.kind": {"en": "Finding", "zh": "类型"},
    "health.col.dates": {"en": "Dates", "zh": "日期"},
    "health.col.detail": {"en": "Detail", "zh": "详情"},
    "health.col.action": {"en": "What was done", "zh": "处理方式"},
    "health.kind.coverage": {"en": "coverage", "zh": "覆盖"},
    "health.kind.gap": {"en": "missing sessions", "zh": "缺失交易日"},
    "health.kind.split": {"en": "split", "zh": "拆股"},
    "health.kind.seam": {"en": "seam between files", "zh": "文件衔接断点"},
    "health.kind.reconciliation": {"en": "sources disagree", "zh": "来源不一致"},
    "health.kind.spike": {"en": "one-day spike", "zh": "单日尖峰"},
    "health.kind.stale_end": {"en": "stale end", "zh": "数据未更新"},
    "health.kind.intraday_row": {"en": "intraday rows", "zh": "盘中快照行"},
    "health.kind.ohlc": {"en": "OHLC inconsistency", "zh": "开高低收不一致"},
    "receipt.label": {"en": "Basis", "zh": "口径说明"},
    "answer.csv": {"en": "Download figures (CSV)", "zh": "下载数字（CSV）"},
}


# the words the app shares with the CLI, reports and fact-check live in one table
# (`assistant.grounding.labels`): the numbers badge, receipts' rows, verdicts, first-start steps
_SHARED = {**WORDS, **{f"verdict.{key}": names for key, names in VERDICTS.items()}}
assert not _SHARED.keys() & _TEXT.keys(), "a key is in both tables"
_TEXT.update(_SHARED)


def lang() -> str:
    """Return the session's interface language ("zh" or "en")."""
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGS else "en"


def t(key: str, **values: Any) -> str:
    """Return the text for `key` in the session's language, filled with `values`."""
    entry = _TEXT[key]
    text = entry.get(lang()) or entry["en"]
    return text.format(**values) if values else text


def keys() -> set[str]:
    """Return every text key (for tests)."""
    return set(_TEXT)


def entries() -> dict[str, dict[str, str]]:
    """Return every entry (for tests that check both languages are present)."""
    return _TEXT
