"""The assistant: warm offline latency, cold `footnote ask`, and model calls for one metric."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from benchmarks.demo_home import demo_home
from benchmarks.runner import Measure, check, percentile

NAME = "assistant"
DESCRIPTION = (
    "Offline answer latency in a warm process (p50 <= 150 ms), cold `footnote ask` (<= 4 s), "
    "model calls and tokens for a one-metric question with a counting scripted model (<= 2 calls)"
)

QUESTIONS = [
    "How much did the Russell 2000 rise from Dec 1 to Jan 23?",
    "罗素2000在12月1日至1月23日涨了多少？",
    "Compare the Russell 2000 with the S&P 500 since December",
    "罗素2000和纳斯达克相比，12月以来表现如何？",
    "How volatile has the Russell 2000 been since December?",
    "罗素2000的20日均线在哪里？",
    "What's the 52-week range of the Russell 2000?",
    "纳斯达克12月以来最大回撤是多少？",
    "What is the beta of IWM against the S&P 500 since December?",
    "1月23日哪些板块领涨？",
    "What's the latest close of the Dow?",
    "What was the Russell 2000's close on 2026-01-25?",
    "What drove the small-cap rally?",
    "多空双方的观点是什么？",
    "What are the main risks?",
    "需要关注哪些预警信号？",
    "Is the rally sustainable?",
    "小盘股的估值便宜吗？",
    "If I earn 2% a month, what is that over a year, compounded?",
    "Why did the Russell 2000 fall 40% yesterday?",
]
NEWS = "russell-2000-rally-2026-01-26-en"


def _warm() -> list[Measure]:
    from assistant import Footnote

    assistant = Footnote()
    for q in QUESTIONS[:4]:  # warm the caches: calendar, embeddings, store
        assistant.ask(q)
    times = []
    verified = 0
    for q in QUESTIONS * 2:
        start = time.perf_counter()
        answer = assistant.ask(q, news_id=NEWS if "drove" in q else None)
        times.append((time.perf_counter() - start) * 1000)
        verified += answer.verification.ok
    return [
        check(
            "offline answer latency p50 (warm)", round(percentile(times, 50), 1), "ms", "<=", 150
        ),
        Measure("offline answer latency p95 (warm)", round(percentile(times, 95), 1), "ms"),
        Measure("answers verified clean", round(100 * verified / len(times), 1), "%"),
    ]


def _cold() -> Measure:
    exe = shutil.which("footnote")
    command = [exe] if exe else [sys.executable, "-c", "from ui.cli import main; main()"]
    walls = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [*command, "ask", QUESTIONS[0], "--json"],
            check=True,
            capture_output=True,
            env=dict(os.environ),
            timeout=120,
        )
        walls.append(time.perf_counter() - start)
    return check(
        "cold `footnote ask` wall time (median of 3)", round(sorted(walls)[1], 2), "s", "<=", 4
    )


def _scripted() -> list[Measure]:
    from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

    from assistant import Footnote
    from assistant.testing import ScriptedChatModel, tool_call

    def answer(messages: list[BaseMessage]) -> AIMessage:
        result = next(str(m.content) for m in reversed(messages) if isinstance(m, ToolMessage))
        marker = result.split("]")[0] + "]"
        value = result.split(" = ")[1].split(" (")[0]
        return AIMessage(f"The Russell 2000 returned {value} {marker}.")

    model = ScriptedChatModel(
        script=[
            tool_call(
                "period_return",
                {
                    "symbol": "^RUT",
                    "start": "2025-12-01",
                    "end": "2026-01-23",
                    "convention": "open",
                },
            ),
            answer,
        ]
    )
    result = Footnote(chat_model=model).ask(
        "How much did the Russell 2000 rise from Dec 1 to Jan 23?"
    )
    return [
        check("model calls for a one-metric question", result.usage.llm_calls, "calls", "<=", 2),
        Measure(
            "tokens for a one-metric question",
            result.usage.input_tokens + result.usage.output_tokens,
            "tokens",
        ),
        Measure("one-metric answer verified", 100.0 if result.verification.ok else 0.0, "%"),
    ]


def _state_writes() -> list[Measure]:
    """What the thread store costs one answer (open, read the context, two appends), on disk."""
    import statistics
    import tempfile
    from pathlib import Path

    from assistant.store import Store

    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        store = Store(Path(folder) / "state.sqlite")
        times = []
        for _ in range(200):
            start = time.perf_counter()
            thread = store.threads.create("q", None)
            store.threads.last_context(thread.id)
            store.threads.append(thread.id, "user", "question")
            store.threads.append(thread.id, "assistant", "answer", {"a": "x" * 2000}, {"s": 1})
            times.append((time.perf_counter() - start) * 1000)
        store.close()
    return [
        Measure("state writes per answer p50", round(statistics.median(times), 3), "ms"),
        Measure("state writes per answer p95", round(percentile(times, 95), 3), "ms"),
    ]


def run() -> list[Measure]:
    demo_home()
    return [*_warm(), *_state_writes(), _cold(), *_scripted()]
