"""Askers in one process against a shared state database (the team test and its benchmark).

    python -m tests.reliability.askers SECONDS TAG THREAD_ID [THREAD_ID ...]

Environment: FOOTNOTE_DATABASE_URL (empty: SQLite), FOOTNOTE_PRICES_DIR (a folder made by
`write_prices`), FOOTNOTE_HOME (this process's own), FOOTNOTE_PRICE_MODE=local, and
FOOTNOTE_TEAM_BARRIER, a folder where each process says it is done and waits for the others
before it reads every thread back. One asker thread per thread id continues that thread with
market questions until SECONDS have passed. Prints one JSON line: asks per thread, each ask's
milliseconds, the errors, and a digest of every thread's history as this process reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

SYMBOLS = ("SPY", "QQQ", "IWM")
QUESTIONS = (
    "How much did SPY rise from 2025-02-03 to 2025-03-14?",
    "QQQ和SPY在2025年3月以来的表现相比如何？",
    "How volatile has IWM been since 2025-03-03?",
    "What was the latest close of QQQ?",
    "SPY在2025-04-01至2025-05-30涨了多少？",
    "What was the maximum drawdown of IWM from 2025-01-02 to 2025-06-27?",
)


def write_prices(folder: Path) -> None:
    """Synthetic prices for the askers' symbols, first half of 2025."""
    from tools import calendar
    from tools.prices.fake import synthetic_ohlcv
    from tools.prices.store import PriceStore

    sessions = calendar.sessions_between(dt.date(2025, 1, 2), dt.date(2025, 6, 30))
    store = PriceStore(folder)
    for symbol, frame in synthetic_ohlcv(SYMBOLS, sessions).items():
        store.save(symbol, frame, "synthetic", dt.datetime(2025, 7, 1, tzinfo=dt.UTC))


def today() -> dt.date:
    return dt.date(2025, 7, 1)


def open_footnote(settings: object = None) -> Any:
    """A Footnote as `footnote ask` opens one, on the configured database and prices."""
    from assistant.app import Footnote
    from assistant.data.market import price_source
    from assistant.settings import Settings, get_settings
    from tools.market import Market

    chosen = settings if isinstance(settings, Settings) else get_settings()
    return Footnote(chosen, market=Market(price_source(chosen), today=today), demo=False)


def run_team(
    database_url: str, folder: Path, seconds: float, processes: int = 2, per_process: int = 4
) -> dict[str, Any]:
    """Start `processes` asker processes of `per_process` askers each on one database and one
    price folder; every thread is begun here, in this process, and continued there. Returns
    the workers' reports and this process's own reading of every thread."""
    import subprocess

    from assistant.settings import Settings

    root = Path(__file__).resolve().parents[2]
    prices = folder / "prices"
    write_prices(prices)
    settings = Settings(
        home=folder / "parent", price_mode="local", database_url=database_url, prices_root=prices
    )
    parent = open_footnote(settings)
    ids = []
    for i in range(processes * per_process):  # each thread begun here, with a context
        ids.append(parent.ask(QUESTIONS[i % len(QUESTIONS)]).thread_id)
    barrier = folder / "barrier"
    barrier.mkdir()
    procs = []
    for p in range(processes):
        env = {
            **os.environ,
            "PYTHONPATH": str(root),
            "FOOTNOTE_HOME": str(folder / f"home-{p}"),
            "FOOTNOTE_DATABASE_URL": database_url,
            "FOOTNOTE_PRICES_DIR": str(prices),
            "FOOTNOTE_PRICE_MODE": "local",
            "FOOTNOTE_TEAM_BARRIER": str(barrier),
            "FOOTNOTE_TEAM_PROCESSES": str(processes),
            "FOOTNOTE_TEAM_THREADS": ",".join(ids),
        }
        mine = ids[p * per_process : (p + 1) * per_process]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.askers", str(seconds), f"p{p}", *mine],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=root,
            )
        )
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=seconds + 600)
        if proc.returncode != 0:
            raise RuntimeError(err[-3000:])
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return {"threads": ids, "reports": reports, "parent": digest(parent, ids)}


def digest(fn: Any, thread_ids: list[str]) -> dict[str, object]:
    """Per thread: how many messages and a hash of their roles and texts, in order."""
    out: dict[str, object] = {}
    for tid in thread_ids:
        messages = fn.threads.messages(tid)
        text = "\n".join(f"{m.role}\t{m.content}" for m in messages)
        out[tid] = [len(messages), hashlib.sha256(text.encode()).hexdigest()[:16]]
    return out


def main(seconds: float, tag: str, thread_ids: list[str], every: list[str]) -> dict[str, object]:
    fn = open_footnote()
    fn.ask(QUESTIONS[0])  # warm: calendar, prices, pool
    asks = dict.fromkeys(thread_ids, 0)
    millis: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def asker(index: int, tid: str) -> None:
        turn = index
        while time.monotonic() < deadline:
            question = QUESTIONS[turn % len(QUESTIONS)]
            turn += 1
            start = time.perf_counter()
            try:
                fn.ask(question, thread_id=tid)
            except Exception as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            with lock:
                millis.append((time.perf_counter() - start) * 1000)
                asks[tid] += 1

    workers = [
        threading.Thread(target=asker, args=(i, tid), daemon=True)
        for i, tid in enumerate(thread_ids)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    barrier = os.environ.get("FOOTNOTE_TEAM_BARRIER")
    if barrier:  # read back only when every process has stopped writing
        folder = Path(barrier)
        (folder / f"done-{tag}").touch()
        wanted = int(os.environ.get("FOOTNOTE_TEAM_PROCESSES", "2"))
        until = time.monotonic() + 300
        while len(list(folder.glob("done-*"))) < wanted and time.monotonic() < until:
            time.sleep(0.1)
    return {
        "tag": tag,
        "asks": asks,
        "millis": millis,
        "errors": errors,
        "histories": digest(fn, every),
    }


if __name__ == "__main__":
    seconds, tag, *ids = sys.argv[1:]
    every = os.environ.get("FOOTNOTE_TEAM_THREADS", ",".join(ids)).split(",")
    print(json.dumps(main(float(seconds), tag, ids, every)))
