"""False alarms and catches of the attribution check on the demo answers.

Asks the golden turns and 28 qualitative questions (views, risks, opportunities, signals,
forecasts, firms; both languages, with and without the news item) offline, counts attribution
and stray-link findings (each one a false alarm: the demo answers are right), then swaps names
and stances in the answers that name people and counts how many swaps are caught.

Run: PYTHONPATH=. python -m benchmarks.attribution_alarms  (needs ../shared prices)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

EXTRA = [
    "What do the bulls and bears say?", "多空双方怎么看？", "What are the main risks?",
    "主要风险有哪些？", "What are the opportunities?", "有哪些机会？",
    "What signals should I monitor?", "需要关注哪些信号？", "What drove the move?",
    "推动这轮行情的因素是什么？", "What did Jefferies forecast for the Russell 2000?",
    "杰富瑞对罗素2000的预测是什么？", "What does J.P. Morgan think?", "摩根大通怎么看？",
    "What did Oren Shiran say?", "希兰怎么看？", "What did Michael Feroli say?",
    "What are the risks to the rally?", "总结一下专家观点", "Summarise the expert views",
    "Is the rally sustainable?", "这轮上涨可持续吗？", "Who is bearish?", "谁看空？",
    "What did Daniel Lysik say?", "赫希怎么看一月效应？", "Is small-cap valuation cheap?",
    "What are the key insights?",
]  # fmt: skip
SWAPS = [
    ("Jeffrey Hirsch", "Michael Feroli"),
    ("DeSanctis", "Shiran"),
    ("bearish view", "bullish view"),
    ("看空的是", "看多的是"),
    ("Michael Feroli", "Oren Shiran"),
]


def main() -> None:
    from assistant.chat.service import Assistant
    from assistant.grounding.attribution import check_attributions
    from assistant.settings import SHARED_DIR, get_settings
    from assistant.store import ThreadStore
    from knowledge.library import Library
    from tests.assistant.conftest import TODAY, load_shared_frames
    from tests.assistant.test_golden_answers import TURNS
    from tests.assistant.test_offline_answers import NEWS_EN, NEWS_ZH
    from tools.market import Market
    from tools.prices.fake import FakeSource

    frames = load_shared_frames(Path(SHARED_DIR) / "data" / "prices")
    source = FakeSource(frames, provider="Yahoo Finance (third-party snapshot)")
    market = Market(source, today=lambda: TODAY)
    tmp = Path(tempfile.mkdtemp())
    library = Library(tmp / "library")
    library.ensure_demo()
    threads = ThreadStore(tmp / "threads.sqlite")
    assistant = Assistant(get_settings(), market=market, library=library, threads=threads)

    def news(q: str) -> str:
        return NEWS_ZH if any("\u4e00" <= c <= "\u9fff" for c in q) else NEWS_EN

    turns = [*TURNS, *((q, None, None) for q in EXTRA), *((q, news(q), None) for q in EXTRA)]
    answers = []
    alarms = []
    started = time.perf_counter()
    for i, (question, item, follows) in enumerate(turns):
        thread = answers[i + follows].thread_id if follows is not None else None
        answer = assistant.ask(question, thread_id=thread, news_id=item)
        answers.append(answer)
        alarms += [
            (question, f.kind, f.text, f.detail)
            for f in answer.verification.findings
            if f.kind in ("attribution", "stray_link")
        ]
    seconds = time.perf_counter() - started
    print(f"answers: {len(answers)}, false alarms: {len(alarms)} ({seconds:.0f} s)")
    for alarm in alarms:
        print("  ", alarm)
    names, stances = assistant._names(), assistant._stances()
    planted = caught = 0
    for answer in answers:
        for old, new in SWAPS:
            if old in answer.text:
                planted += 1
                wrong = answer.text.replace(old, new, 1)
                caught += bool(check_attributions(wrong, answer.ledger, stances, names))
    print(f"planted swaps: {planted}, caught: {caught}")


if __name__ == "__main__":
    main()
