"""Why a model's turn ended without its answer, said in the asker's language.

These phrases fill "{reason}" in the offline composer's notice ("The chat model did not answer
({reason}) ...") and the one-paragraph errors of the CLI and the app; they never carry a raw
library message such as "Model call limits exceeded: run limit (6/6)".
"""

from __future__ import annotations

from assistant.grounding.language import Lang

REASONS: dict[str, dict[Lang, str]] = {
    "rate_limited": {
        "en": "the model server is rate limiting requests, HTTP 429{retry}",
        "zh": "模型服务器限流，HTTP 429{retry}",
    },
    "retry_after": {"en": ", it asks to retry after {s} s", "zh": "，建议{s}秒后重试"},
    "server_error": {
        "en": "the model server returned an error, HTTP {status}",
        "zh": "模型服务器返回错误 HTTP {status}",
    },
    "timed_out": {
        "en": "the model server timed out",
        "zh": "模型服务器响应超时",
    },
    "no_connection": {
        "en": "the model server could not be reached",
        "zh": "无法连接模型服务器",
    },
    "unusable": {
        "en": "the model server's reply could not be used",
        "zh": "模型服务器的回复无法使用",
    },
    "deadline": {
        "en": "the time limit of {s} s for one answer was reached",
        "zh": "已达到单次回答的时间上限{s}秒",
    },
    "step_deadline": {
        "en": "the time limit of {s} s for one research step was reached",
        "zh": "已达到单个研究步骤的时间上限{s}秒",
    },
    "tokens": {
        "en": "the token budget of {n} for one answer was used up",
        "zh": "已用完单次回答的令牌预算{n}",
    },
    "calls": {
        "en": "the model made {n} calls without a final answer, a tool-call loop",
        "zh": "模型调用了{n}次仍未给出最终回答，疑似工具调用循环",
    },
    "withheld": {
        "en": "its answer was withheld because it carried {what}, which the question did not ask for",
        "zh": "其回答含有问题并未要求的{what}，已被拦截",
    },
    "trade_call": {"en": "a buy or sell call", "zh": "买卖指令"},
    "canary": {"en": "a planted marker token", "zh": "疑似植入的标记"},
    "foreign_link": {"en": "a link that is not among the sources", "zh": "不在来源中的链接"},
    "not_configured": {
        "en": "no chat model is configured",
        "zh": "未配置聊天模型",
    },
}


def reason(key: str, lang: Lang, **values: object) -> str:
    """The phrase for `key` in `lang`, filled with `values`."""
    return REASONS[key][lang].format(**values)


def seconds(value: float) -> str:
    """Seconds as a person reads them: 90, 2.5."""
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
