"""The offline composer's sentences, in Chinese and English. Numbers are filled from Figures only."""

from __future__ import annotations

from assistant.grounding.language import Lang

CONVENTIONS = {
    "prev_close": {
        "en": "from the close of the session before the start to the close at the end",
        "zh": "口径：起始日前一交易日收盘至结束日收盘",
    },
    "open": {
        "en": "from the open of the first session to the close at the end",
        "zh": "口径：起始日开盘至结束日收盘",
    },
    "start_close": {
        "en": "from the close of the first session to the close at the end",
        "zh": "口径：起始日收盘至结束日收盘",
    },
}

T: dict[str, dict[Lang, str]] = {
    "return": {
        "en": "{name} returned {ret} from {start} to {end} [{n}], {convention}; that is {pts} [{m}].",
        "zh": "{name}在{start}至{end}期间涨跌幅为{ret}[{n}]（{convention}），变动{pts}[{m}]。",
    },
    "return_alt": {
        "en": "Measured {convention}, the move was {ret} [{n}].",
        "zh": "若按{convention}计算，涨跌幅为{ret}[{n}]。",
    },
    "spread": {
        "en": "The gap between {a} and {b} was {spread} [{n}].",
        "zh": "{a}与{b}之间相差{spread}[{n}]。",
    },
    "leader": {
        "en": "{name} did best over the window.",
        "zh": "这一期间{name}表现最好。",
    },
    "vol": {
        "en": "{name}'s daily volatility from {start} to {end} was {daily} [{n}] (standard deviation of daily close-to-close returns, ddof=1), or {annual} annualised with √252 [{m}].",
        "zh": "{name}在{start}至{end}期间的日波动率为{daily}[{n}]（日收盘收益率标准差，ddof=1），按√252年化为{annual}[{m}]。",
    },
    "points": {
        "en": "{name} moved {pts} from {start} to {end} [{n}], {convention}; that is {ret} [{m}].",
        "zh": "{name}在{start}至{end}期间变动{pts}[{n}]（{convention}），涨跌幅为{ret}[{m}]。",
    },
    "vol_annual": {
        "en": "{name}'s annualised volatility from {start} to {end} was {annual} [{n}] (daily volatility {daily} [{m}], the standard deviation of daily close-to-close returns, ddof=1, times √252).",
        "zh": "{name}在{start}至{end}期间的年化波动率为{annual}[{n}]（日波动率{daily}[{m}]，即日收盘收益率标准差，ddof=1，乘以√252）。",
    },
    "short_data": {
        "en": "Note: {name}'s data end on {last}, before the end of the period asked ({label}, to {asked}); the figure covers the period only up to {last}.",
        "zh": "注意：{name}的数据截至{last}，早于所问期间（{label}，至{asked}）的结束；该数字只覆盖到{last}。",
    },
    "default_bench": {
        "en": "No benchmark was named, so {bench} is used as the benchmark.",
        "zh": "问题未指定基准，以下以{bench}为基准。",
    },
    "period_high_close": {
        "en": "{name}'s highest close from {start} to {end} was {value} on {day} [{n}].",
        "zh": "{name}在{start}至{end}期间的最高收盘价为{value}（{day}）[{n}]。",
    },
    "period_low_close": {
        "en": "{name}'s lowest close from {start} to {end} was {value} on {day} [{n}].",
        "zh": "{name}在{start}至{end}期间的最低收盘价为{value}（{day}）[{n}]。",
    },
    "period_high_intraday": {
        "en": "{name}'s intraday high from {start} to {end} was {value} on {day} [{n}].",
        "zh": "{name}在{start}至{end}期间的盘中最高价为{value}（{day}）[{n}]。",
    },
    "period_low_intraday": {
        "en": "{name}'s intraday low from {start} to {end} was {value} on {day} [{n}].",
        "zh": "{name}在{start}至{end}期间的盘中最低价为{value}（{day}）[{n}]。",
    },
    "unsupported": {
        "en": "Footnote does not compute {metric}: its tools cover returns, points, closes, day changes, volatility, simple moving averages, 52-week and period highs and lows, drawdowns, beta, correlation and sector rankings.",
        "zh": "Footnote 不计算{metric}：现有工具可计算涨跌幅、点数、收盘价、当日涨跌、波动率、简单移动均线、52周及区间高低点、最大回撤、贝塔、相关系数和板块排名。",
    },
    "substitute": {
        "en": "The nearest figure it can compute, as a substitute and not the figure asked for: {what}.",
        "zh": "可以计算的最接近的指标（仅作替代，并非所问指标）：{what}。",
    },
    "no_cover": {
        "en": "{name}'s stored prices begin on {first}, after the start of the period asked ({label}, from {start}), so I can't give the figure for the whole period.",
        "zh": "{name}的已存储行情从{first}才开始，晚于所问期间（{label}，自{start}起）的起点，因此无法给出整个期间的数字。",
    },
    "ends_before": {
        "en": "{name}'s stored prices end on {last}, before the period asked ({label}) begins on {start}: there is no figure for it. Update the prices (`footnote prices update`) or ask about an earlier period.",
        "zh": "{name}的已存储行情截至{last}，早于所问期间（{label}）的起点{start}，因此没有该期间的数字。请更新行情（`footnote prices update`）或询问更早的期间。",
    },
    "sub_window": {
        "en": "the same figure from {start} to {end}, the part of the period the data cover",
        "zh": "数据覆盖的部分期间（{start}至{end}）的同一指标",
    },
    "sub_sma": {
        "en": "the {window}-session simple moving average",
        "zh": "{window}日简单移动均线",
    },
    "sub_vol": {
        "en": "the volatility of daily returns over the same window",
        "zh": "同一区间的日收益率波动率",
    },
    "sma": {
        "en": "On {at}, {name}'s {window}-session simple moving average was {sma} [{n}]; the close was {dist} from it [{m}], {side} the average.",
        "zh": "截至{at}，{name}的{window}日简单移动均线为{sma}[{n}]；收盘价相对均线{dist}[{m}]，位于均线{side}。",
    },
    "sma_support": {
        "en": "Analysts read the {window}-session average as a support level: a close below it would be a warning sign.",
        "zh": "分析人士常把{window}日均线视为支撑位：收盘跌破均线是一个警示信号。",
    },
    "range": {
        "en": "Over the 52 weeks to {at}, {name}'s intraday range ran from {low} on {low_day} [{n}] to {high} on {high_day} [{m}].",
        "zh": "截至{at}的52周内，{name}盘中最低{low}（{low_day}）[{n}]，最高{high}（{high_day}）[{m}]。",
    },
    "range_close": {
        "en": "On closing prices the range was {low} [{n}] to {high} [{m}].",
        "zh": "按收盘价计，区间为{low}[{n}]至{high}[{m}]。",
    },
    "range_close_only": {
        "en": "Over the 52 weeks to {at}, {name}'s closes ran from {low} on {low_day} [{n}] to {high} on {high_day} [{m}].",
        "zh": "截至{at}的52周内，{name}收盘价最低{low}（{low_day}）[{n}]，最高{high}（{high_day}）[{m}]。",
    },
    "drawdown": {
        "en": "{name}'s largest peak-to-trough fall from {start} to {end} was {dd} [{n}], from the {peak} peak to the {trough} trough.",
        "zh": "{name}在{start}至{end}期间的最大回撤为{dd}[{n}]，从{peak}的高点跌至{trough}的低点。",
    },
    "beta": {
        "en": "Against {bench}, {name}'s beta from {start} to {end} was {beta} [{n}] with a correlation of {corr} [{m}], on daily returns of their common sessions.",
        "zh": "以{bench}为基准，{name}在{start}至{end}期间的贝塔为{beta}[{n}]，相关系数为{corr}[{m}]（基于共同交易日的日收益率）。",
    },
    "sector_head": {
        "en": "Sector ETFs on {day}, ranked by day change:",
        "zh": "{day}各板块ETF按当日涨跌幅排序：",
    },
    "sector_window_head": {
        "en": "The eleven SPDR sector ETFs from {start} to {end}, ranked by return ({convention}):",
        "zh": "{start}至{end}期间十一个SPDR板块ETF按涨跌幅排序（{convention}）：",
    },
    "sector_window_head_bottom": {
        "en": "The eleven SPDR sector ETFs from {start} to {end}, weakest first, by return ({convention}):",
        "zh": "{start}至{end}期间十一个SPDR板块ETF按涨跌幅由弱到强排序（{convention}）：",
    },
    "sector_vol_head": {
        "en": "The eleven SPDR sector ETFs from {start} to {end}, ranked by annualised volatility of daily close-to-close returns (ddof=1, √252):",
        "zh": "{start}至{end}期间十一个SPDR板块ETF按年化波动率排序（日收盘收益率标准差，ddof=1，乘以√252）：",
    },
    "sector_dd_head": {
        "en": "The eleven SPDR sector ETFs from {start} to {end}, ranked by largest peak-to-trough fall of closes:",
        "zh": "{start}至{end}期间十一个SPDR板块ETF按最大回撤（收盘价从高点到低点）排序：",
    },
    "sector_short_head": {
        "en": "Not ranked, because their data end before {end} (each shown to its own last session):",
        "zh": "以下板块的数据在{end}之前结束，未参与排序（各自计算至其最后交易日）：",
    },
    "sector_short_line": {
        "en": "- {name}: {chg} to {last} [{n}]",
        "zh": "- {name}：截至{last}为{chg}[{n}]",
    },
    "sector_absent": {
        "en": "No data in the window for: {items}.",
        "zh": "以下板块在该区间内没有数据：{items}。",
    },
    "sector_line": {"en": "- {name}: {chg} [{n}]", "zh": "- {name}：{chg}[{n}]"},
    "sector_missing": {
        "en": "Not ranked, because their data end before {day}: {items}.",
        "zh": "以下板块的数据截至{day}之前，未参与排序：{items}。",
    },
    "last_session": {"en": "{name} (last session {day})", "zh": "{name}（最后交易日{day}）"},
    "no_recent": {"en": "{name} (no recent data)", "zh": "{name}（无近期数据）"},
    "list_sep": {"en": "; ", "zh": "；"},
    "common_end": {
        "en": "Not every symbol has data to {latest}: {items}. So all of them are compared up to their common last session, {common}.",
        "zh": "并非所有标的都有截至{latest}的数据：{items}。因此统一比较至共同的最后交易日{common}。",
    },
    "quote": {
        "en": "{name} closed at {close} on {day} [{n}], a day change of {chg} [{m}].",
        "zh": "{name}在{day}收于{close}[{n}]，当日涨跌幅{chg}[{m}]。",
    },
    "conflict": {
        "en": "A stored document gives {claimed} for this close [{p}], but the market data say {close} [{n}]; the computed value is the one used here.",
        "zh": "已存储的某份文档给出的收盘价为{claimed}[{p}]，但行情数据为{close}[{n}]；此处以计算值为准。",
    },
    "closed_day": {
        "en": "The market was closed on {day} ({why}); the previous session was {prev}.",
        "zh": "{day}美股休市（{why}），上一个交易日是{prev}。",
    },
    "close_on": {
        "en": "{name} closed at {close} on {day} [{n}].",
        "zh": "{name}在{day}收于{close}[{n}]。",
    },
    "caveat": {
        "en": "Caution: {name}'s prices jump inside this window in a way the data do not adjust for (likely a split), so its figure [{n}] is likely wrong; its receipt says where.",
        "zh": "注意：{name}的价格在该区间内出现数据未调整的跳变（可能是拆股），其数字[{n}]很可能有误；详见该数字的出处说明。",
    },
    "partial": {
        "en": "Note: data cover {have} of {want} sessions in this window ({pct}) [{n}], so the figures may be incomplete.",
        "zh": "注意：该区间数据仅覆盖{want}个交易日中的{have}个（{pct}）[{n}]，数字可能不完整。",
    },
    "stopped_calls": {
        "en": "it stopped after {n} model calls without a final answer",
        "zh": "调用模型{n}次后仍未给出最终回答",
    },
    "stopped_budget": {
        "en": "the turn's budget was reached ({what})",
        "zh": "已达到本轮预算上限（{what}）",
    },
    "wrong_language": {
        "en": "Note: the chat model answered in Chinese, and again in Chinese when asked to "
        "answer in English; its answer is shown as written, its numbers checked as usual.",
        "zh": "注意：聊天模型用英文作答，要求其改用中文后仍用英文；以下为模型原文，其中的数字已照常核对。",
    },
    "forecast": {
        "en": "That is in the future, and I can't tell how a market will move: Footnote reports "
        "what the data show and what "
        "its cited sources say, not predictions. Ask how it did over a past period, or what the "
        "analysts in the stored documents expect (quoted with their sources).",
        "zh": "这是未来的事，我无法预测市场未来的涨跌：Footnote 只报告数据显示的情况和所引来源的观点，不做预测。"
        "您可以问某段过去时期的表现，或已收录文档中分析师的预期（附出处）。",
    },
    "model_failed": {
        "en": "The chat model did not answer ({reason}); this answer comes from the offline composer.",
        "zh": "聊天模型未能作答（{reason}），以下回答由离线模式生成。",
    },
    "after_news": {
        "en": "These figures use data after the news date ({news}), as you asked.",
        "zh": "应您的要求，以上数字使用了新闻日期（{news}）之后的数据。",
    },
    "compound": {
        "en": "Compounding {rate} a {period} for {n} {period}s gives {total} in total [{k}], because each {period}'s gain earns gains of its own. Simply adding would give {simple} [{s}], which understates it.",
        "zh": "每{period_zh}{rate}、连续复利{n}{period_count}，累计为{total}[{k}]，因为每{period_zh}的收益还会继续产生收益。简单相加则为{simple}[{s}]，会低估复利效果。",
    },
    "premise_false": {
        "en": "The data do not support the premise: on {day}, {name} changed {chg} [{n}], not {claimed}.",
        "zh": "数据并不支持这个前提：{day}{name}的涨跌幅为{chg}[{n}]，而不是{claimed}。",
    },
    "premise_window_false": {
        "en": "The data do not support the premise: from {start} to {end}, {name} returned {chg} [{n}], not {claimed}.",
        "zh": "数据并不支持这个前提：{start}至{end}期间{name}的涨跌幅为{chg}[{n}]，而不是{claimed}。",
    },
    "premise_window_true": {
        "en": "The data confirm a move of about that size: from {start} to {end}, {name} returned {chg} [{n}].",
        "zh": "数据确认了大致这一幅度：{start}至{end}期间{name}的涨跌幅为{chg}[{n}]。",
    },
    "premise_true": {
        "en": "The data confirm a move of that size: on {day}, {name} changed {chg} [{n}].",
        "zh": "数据确认了这一幅度：{day}{name}的涨跌幅为{chg}[{n}]。",
    },
    "live_status": {
        "en": "Live status on {day}: {name}'s close is {dist} versus its {window}-session average [{n}] ({side}).",
        "zh": "当前状态（{day}）：{name}收盘价相对{window}日均线{dist}[{n}]（{side}）。",
    },
    "k_more": {"en": "Supporting evidence:", "zh": "依据："},
    "view_line": {
        "en": "{person} ({org}{stance}): {claim} {n}.",
        "zh": "{person}（{org}{stance}）：{claim}{n}。",
    },
    "stance_bull": {"en": "bullish", "zh": "看多"},
    "stance_bear": {"en": "bearish", "zh": "看空"},
    "stance_neutral": {"en": "neutral", "zh": "中性"},
    "views_both": {
        "en": "The bullish views come from {bulls}; the bearish view from {bears}.",
        "zh": "看多的是{bulls}；看空的是{bears}。",
    },
    "views_bulls_only": {
        "en": "The cited experts are bullish: {bulls}; none of them is bearish.",
        "zh": "所引专家均看多：{bulls}；没有看空的观点。",
    },
    "views_bears_only": {
        "en": "The cited experts are bearish: {bears}; none of them is bullish.",
        "zh": "所引专家均看空：{bears}；没有看多的观点。",
    },
    "no_passages": {
        "en": "I found nothing in the stored documents that answers this.",
        "zh": "在已存储的文档中没有找到能回答这个问题的内容。",
    },
    "unknown": {
        "en": "I can't answer that from the market data and documents I have. I can compute returns, comparisons, volatility, moving averages, 52-week ranges, drawdowns, beta and sector moves for US indices, ETFs and sectors, and tell you what the stored analyses and their cited sources say about drivers, expert views, risks, opportunities and signals to monitor.",
        "zh": "我无法根据现有的行情数据和文档回答这个问题。我可以计算美股指数、ETF和板块的涨跌幅、对比、波动率、移动均线、52周区间、最大回撤、贝塔和板块表现，也可以说明已存储的分析及其引用来源对驱动因素、专家观点、风险、机会和需关注信号的论述。",
    },
    "need_symbol": {
        "en": "Which symbol do you mean? For example: Russell 2000 (^RUT), S&P 500 (^GSPC), Nasdaq (^IXIC), Dow (^DJI), or a ticker such as IWM.",
        "zh": "请问您指的是哪个标的？例如：罗素2000（^RUT）、标普500（^GSPC）、纳斯达克（^IXIC）、道琼斯（^DJI），或IWM等代码。",
    },
    "data_error": {
        "en": "I could not get the market data for this: {message}",
        "zh": "无法获取这项行情数据：{message}",
    },
    "too_many_symbols": {
        "en": "That question names {n} symbols; one question may name at most {limit} (setting FOOTNOTE_MAX_SYMBOLS). Please ask about fewer at a time.",
        "zh": "该问题提到了{n}个标的，每个问题最多{limit}个（设置项 FOOTNOTE_MAX_SYMBOLS）。请分几次提问。",
    },
    "too_long": {
        "en": "That message is too long ({size:,} characters; the limit is {limit:,}). Please shorten it or ask one question at a time.",
        "zh": "消息过长（{size:,} 个字符，上限 {limit:,}）。请缩短内容，或一次只问一个问题。",
    },
    "empty": {"en": "Please type a question.", "zh": "请输入问题。"},
    "manipulation": {
        "en": "I can't help with that: coordinating trades or spreading claims to move a price is market manipulation, which is illegal. I can explain how prices and volumes behaved, or what the rules on market abuse cover.",
        "zh": "我不能提供这方面的帮助：通过协同交易或散布消息来影响价格属于操纵市场，是违法行为。我可以说明价格和成交量的表现，或介绍关于市场操纵的监管规定。",
    },
    "allocation": {
        "en": "I can't tell you how to allocate your own money: that depends on your goals, horizon and risk tolerance, and needs a licensed adviser who knows them. What I can do is explain the trade-offs with data: for example how volatile small caps have been compared with large caps, or what the analysts cited here argue for and against.",
        "zh": "我无法告诉您个人资金应如何配置：这取决于您的目标、投资期限和风险承受能力，需要了解您情况的持牌顾问。我可以用数据说明其中的取舍，例如小盘股相对大盘股的波动情况，或本文引用的分析师的多空论据。",
    },
    "system_prompt": {
        "en": "I don't share my internal instructions. In short: every number I give is computed from market data or quoted from a cited source, and checked before you see it.",
        "zh": "我不公开内部指令。简单来说：我给出的每个数字都来自行情数据计算或有出处的引用，并在展示前经过核验。",
    },
    "secrets": {
        "en": "I don't reveal keys, credentials or environment settings. `footnote doctor` shows the configuration with secrets masked.",
        "zh": "我不会透露密钥、凭证或环境变量。`footnote doctor` 可以查看已遮蔽敏感信息的配置。",
    },
    "no_such_tool": {
        "en": "I can't do that from the chat: I have no tool that deletes data, fetches web pages or runs commands. To add documents use `footnote ingest PATH`; to manage prices use `footnote prices`.",
        "zh": "我无法在对话中执行这个操作：我没有删除数据、抓取网页或执行命令的工具。添加文档请使用 `footnote ingest PATH`，管理行情数据请使用 `footnote prices`。",
    },
    "premise_caveat": {
        "en": "This is educational information, not a recommendation.",
        "zh": "以上为教育性信息，不构成投资建议。",
    },
}

UNSUPPORTED_NAMES: dict[str, dict[Lang, str]] = {
    "ema": {"en": "exponential moving averages", "zh": "指数移动平均线（EMA）"},
    "rsi": {"en": "the RSI", "zh": "相对强弱指数（RSI）"},
    "macd": {"en": "the MACD", "zh": "MACD指标"},
    "bollinger": {"en": "Bollinger Bands", "zh": "布林带"},
    "sharpe": {"en": "the Sharpe ratio", "zh": "夏普比率"},
    "atr": {"en": "the average true range", "zh": "平均真实波幅（ATR）"},
    "volume": {"en": "trading volume", "zh": "成交量"},
    "dividend_yield": {"en": "dividend yields", "zh": "股息率"},
}

SUGGESTIONS: dict[str, dict[Lang, list[str]]] = {
    "metric": {
        "en": [
            "How does that compare with the S&P 500?",
            "What drove the move?",
            "Is it above its 20-day moving average?",
        ],
        "zh": ["和标普500相比如何？", "推动这轮行情的因素是什么？", "目前是否在20日均线上方？"],
    },
    "knowledge": {
        "en": [
            "What are the main risks?",
            "What signals should I monitor?",
            "How much did the Russell 2000 rise from Dec 1 to Jan 23?",
        ],
        "zh": ["主要风险有哪些？", "需要关注哪些信号？", "罗素2000在12月1日至1月23日涨了多少？"],
    },
    "other": {
        "en": [
            "How did the Russell 2000 perform since December?",
            "What do the bulls and bears say?",
            "Which sectors led on the latest session?",
        ],
        "zh": ["罗素2000自12月以来表现如何？", "多空双方怎么看？", "最近一个交易日哪些板块领涨？"],
    },
}


def text(key: str, lang: Lang, **values: object) -> str:
    """One template filled in."""
    return T[key][lang].format(**values)
