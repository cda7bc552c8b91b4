"""Bombs and extremes, each in a fresh process with its time and peak memory, and kill -9 at many
seeded points of ingest, price import and research, each followed by a consistency check.

`footnote bench reliability` runs it; FOOTNOTE_BENCH_KILLS sets the kill points per kind (5).
Every case is also written, with held/failed, to bench-results/reliability-cases.json, which
`python -m benchmarks.reliability_table` turns into the case table."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.runner import SHARED_DATA, Measure

NAME = "reliability"
DESCRIPTION = (
    "Hostile inputs bounded in time and peak RSS (fresh process each), 20 unknown tickers "
    "against a hanging network, and kill -9 at seeded points of ingest, import and research "
    "with the store checked after each"
)
ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "bench-results" / "reliability-cases.json"

# Seconds and MB each bomb must stay under (on two busy cores; a quiet machine is far below).
BOUND_S = 30.0
BOUND_MB = 800.0

WRAP = (
    "import json, time, sys\n"
    "start = time.monotonic()\n"
    "result = {}\n"
    "exec(compile(CODE, '<case>', 'exec'))\n"
    "result['seconds'] = round(time.monotonic() - start, 2)\n"
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
    "result['peak_rss_mb'] = round(int(hwm.split()[1]) / 1024, 1)\n"
    "print(json.dumps(result))\n"
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def fresh(code: str, timeout: float = 300) -> dict[str, Any]:
    """Run `code` (which fills `result`) in a new interpreter; its result, seconds and peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", f"CODE = {code!r}\n" + WRAP],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        return {"outcome": f"crashed: {done.stderr.strip()[-300:]}", "seconds": None}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _bombs(folder: Path) -> list[dict[str, Any]]:
    # the same inputs and loading snippet the fault suite runs in a fresh process
    from tests.reliability.test_bombs import BILLION_LAUGHS, LOAD, pdf_with_pages

    cases: list[tuple[str, str, str]] = []  # (case, code, the setting its message must name)
    laughs = folder / "laughs.md"
    laughs.write_text(BILLION_LAUGHS, encoding="utf-8")
    cases.append(
        (
            "YAML billion laughs (427 bytes)",
            f"PATH = {str(laughs)!r}\n" + LOAD,
            "FOOTNOTE_MAX_YAML_ALIASES",
        )
    )
    deep = folder / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    cases.append(
        ("JSON nested 100k deep", f"PATH = {str(deep)!r}\n" + LOAD, "FOOTNOTE_MAX_JSON_DEPTH")
    )
    page = b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n" + b" " * 60_000_000
    bomb = folder / "bomb.pdf"
    bomb.write_bytes(pdf_with_pages([page, page, page], flate=True))
    cases.append(
        (
            "PDF bomb (180 KB inflating to 180 MB)",
            f"PATH = {str(bomb)!r}\n" + LOAD,
            "FOOTNOTE_MAX_PDF_MB",
        )
    )
    many = folder / "many.pdf"
    many.write_bytes(pdf_with_pages([b"BT /F1 12 Tf 72 720 Td (p) Tj ET"] * 1_200, flate=False))
    cases.append(("PDF of 1,200 pages", f"PATH = {str(many)!r}\n" + LOAD, "FOOTNOTE_MAX_PDF_PAGES"))
    huge = folder / "huge.md"
    line = "Small caps rallied while bond yields eased and the dollar slipped.\n"
    huge.write_text("# Huge\n\n" + line * (19_500_000 // len(line)), encoding="utf-8")
    cases.append(
        (
            "19.5 MB Markdown under the size cap",
            f"PATH = {str(huge)!r}\n" + LOAD,
            "FOOTNOTE_MAX_DOC_CHARS",
        )
    )
    sparse = folder / "SPY.csv"
    with sparse.open("wb") as out:
        out.write(b"Date,Open,High,Low,Close,Volume\n2026-01-02,1,1,1,1,1\n")
        out.truncate(2_000_000_000)
    csv_code = (
        "from pathlib import Path\nfrom tools.prices.csv_import import read_price_csv, CsvError\n"
        f"try:\n    read_price_csv(Path({str(sparse)!r}))\n    result['outcome'] = 'read'\n"
        "except CsvError as exc:\n    result['outcome'] = exc.message\n"
    )
    cases.append(("2 GB sparse CSV", csv_code, "FOOTNOTE_MAX_CSV_MB"))
    rows = folder / "rows" / "QQQ.csv"
    rows.parent.mkdir()
    with rows.open("w", encoding="utf-8") as out:
        out.write("Date,Open,High,Low,Close,Volume\n")
        out.writelines(f"2000-01-03,1,1,1,1,{i}\n" for i in range(300_000))
    rows_code = csv_code.replace(str(sparse), str(rows))
    cases.append(("CSV of 300,000 rows", rows_code, "FOOTNOTE_MAX_CSV_ROWS"))
    found = []
    for case, code, setting in cases:
        result = fresh(code)
        seconds, mb = result.get("seconds"), result.get("peak_rss_mb")
        held = (
            setting in str(result.get("outcome"))
            and seconds is not None
            and seconds < BOUND_S
            and mb is not None
            and mb < BOUND_MB
        )
        found.append(
            {
                "case": case,
                "kind": "bomb",
                "held": held,
                "seconds": seconds,
                "peak_rss_mb": mb,
                "detail": str(result.get("outcome"))[:160],
            }
        )
    return found


TICKERS = (
    "import datetime as dt, threading, os\n"
    "from pathlib import Path\n"
    "os.environ['FOOTNOTE_HOME'] = HOME\n"
    "os.environ['FOOTNOTE_MAX_SYMBOLS'] = MAX\n"
    "from tests.reliability.test_stale_answers import HangingSource, failing_market\n"
    "from tests.assistant.conftest import load_shared_frames\n"
    "from assistant.chat.service import Assistant\n"
    "from assistant.settings import get_settings, SHARED_DIR\n"
    "from assistant.store import ThreadStore\n"
    "from knowledge.library import Library\n"
    "frames = load_shared_frames(SHARED_DIR / 'data' / 'prices')\n"
    "live = HangingSource()\n"
    "market = failing_market(Path(HOME), frames, live)\n"
    "ask = Assistant(get_settings(), market=market, library=Library(Path(HOME) / 'lib'),\n"
    "                threads=ThreadStore(Path(HOME) / 't.sqlite'))\n"
    "tickers = ' '.join(f'Z{chr(65 + i)}Q' for i in range(20))\n"
    "t0 = time.monotonic()\n"
    "answer = ask.ask(f'How did {tickers} do last week?')\n"
    "result['answer_seconds'] = round(time.monotonic() - t0, 2)\n"
    "result['live_calls'] = live.calls\n"
    "result['outcome'] = answer.text.split(chr(10))[0][:160]\n"
    "live.release.set()\n"
)


def _tickers(folder: Path) -> list[dict[str, Any]]:
    found = []
    for label, limit in (("default symbol cap (12)", "12"), ("cap raised to 20", "20")):
        home = folder / f"tickers-{limit}"
        home.mkdir()
        result = fresh(f"HOME = {str(home)!r}\nMAX = {limit!r}\n" + TICKERS)
        seconds = result.get("answer_seconds")
        # the default deadline for all of an answer's live calls is 20 s; 179 s before
        held = seconds is not None and seconds < 25 and int(result.get("live_calls", 99)) <= 8
        found.append(
            {
                "case": f"20 unknown tickers in one question, network hanging, {label}",
                "kind": "bound",
                "held": held,
                "seconds": seconds,
                "peak_rss_mb": result.get("peak_rss_mb"),
                "detail": f"{result.get('live_calls')} live calls; {result.get('outcome')}",
            }
        )
    return found


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=ROOT,
    )


def _python(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
        cwd=ROOT,
        check=False,
    )


def _kill_ingest(folder: Path, seed: int) -> dict[str, Any]:
    from tests.reliability.worker import wait_ready, write_corpus

    rng = random.Random(seed)
    store = folder / f"ingest-{seed}" / "store"
    base = write_corpus(store.parent / "base", "base", 5)
    done = _python(
        "-m", "tests.reliability.worker", "ingest", str(store), str(store.parent / "base")
    )
    assert done.returncode == 0, done.stderr[-500:]
    more = write_corpus(store.parent / "more", f"more{seed}", 25)
    wait = rng.uniform(0.0, 6.0)
    writer = _spawn(
        "-m", "tests.reliability.worker", "ingest", str(store), str(store.parent / "more")
    )
    wait_ready(writer)  # a kill from then on lands in the ingest, not in its imports
    time.sleep(wait)
    writer.kill()
    writer.wait()
    checked = _python(
        "-m", "tests.reliability.worker", "check", str(store), str(store.parent / "more")
    )
    if checked.returncode != 0:
        return {"held": False, "detail": checked.stderr.strip()[-200:], "wait_s": round(wait, 2)}
    found = json.loads(checked.stdout.strip().splitlines()[-1])
    held = (
        found["lost"] == 0
        and found["check_ok"]
        and found["after"] == len(base) + len(more)
        and set(found["reingest"]) <= {"added", "unchanged", "repaired"}
    )
    return {"held": held, "wait_s": round(wait, 2), **found}


def _kill_import(folder: Path, seed: int) -> dict[str, Any]:
    from tests.reliability.test_price_integrity import write_csv
    from tools.prices.store import PriceStore

    work = folder / f"import-{seed}"
    work.mkdir()
    prices = work / "prices"
    csvs = [write_csv(work / f"{s}.csv", start=50.0 + i) for i, s in enumerate("ABCDEFGH")]
    code = (
        "from pathlib import Path\nfrom tools.prices.store import PriceStore\n"
        "from tools.prices.csv_import import import_csv\n"
        f"store = PriceStore(Path({str(prices)!r}))\n"
        "for round in range(50):\n"
        f"    for csv in {[str(c) for c in csvs]!r}:\n"
        "        import_csv(store, Path(csv))\n"
        "        print('imported', flush=True)\n"
    )
    worker = _spawn("-c", code)
    assert worker.stdout is not None
    worker.stdout.readline()
    wait = random.Random(seed).uniform(0.05, 3.0)
    time.sleep(wait)
    worker.kill()
    worker.wait()
    store = PriceStore(prices)
    symbols = store.symbols()
    damaged = [s for s in symbols if store.verify(s) is not None]
    short = [s for s in symbols if s not in damaged and len(store.load(s)) != 81]
    return {
        "held": not damaged and not short,
        "wait_s": round(wait, 2),
        "files": len(symbols),
        "damaged": len(damaged),
        "partial": len(short),
    }


def _kill_research(folder: Path, seed: int) -> dict[str, Any]:
    home = folder / f"research-{seed}"
    worker = _spawn("-m", "tests.reliability.research_worker", str(home), str(seed))
    assert worker.stdout is not None
    line = worker.stdout.readline().split()
    if not line or line[0] != "run":
        worker.wait()
        return {"held": False, "detail": "the run did not start"}
    wait = random.Random(seed).uniform(0.2, 6.0)
    time.sleep(wait)
    finished = worker.poll() is not None
    worker.kill()
    worker.wait()
    checked = _python(
        "-m", "tests.reliability.research_worker", str(home), str(seed), "check", line[1]
    )
    if checked.returncode != 0:
        return {"held": False, "detail": checked.stderr.strip()[-200:], "wait_s": round(wait, 2)}
    found = json.loads(checked.stdout.strip().splitlines()[-1])
    if found["resumed"]:
        added = 0 if found["stored_before"] else 1
        held = (
            found["whole"] == found["listed"]
            and found["whole_after"] == found["listed_after"] == found["listed"] + added
        )
    else:
        held = found["whole"] == found["listed"] and bool(found["refused"])
    return {"held": held, "wait_s": round(wait, 2), "finished_before_kill": finished, **found}


def _kills(folder: Path, n: int) -> list[dict[str, Any]]:
    found = []
    kinds = [("ingest", _kill_ingest), ("price import", _kill_import)]
    if (SHARED_DATA / "prices").is_dir():
        kinds.append(("research", _kill_research))
    for kind, run in kinds:
        points = []
        started = time.monotonic()
        for seed in range(1, n + 1):
            try:
                points.append(run(folder, seed))
            except Exception as exc:  # a harness failure counts as not held, with its reason
                points.append({"held": False, "detail": f"{type(exc).__name__}: {exc}"[:200]})
        held = sum(1 for p in points if p["held"])
        found.append(
            {
                "case": f"kill -9 at {n} seeded points of {kind}",
                "kind": "kill",
                "held": held == n,
                "seconds": round(time.monotonic() - started, 1),
                "peak_rss_mb": None,
                "detail": f"{held} of {n} consistent after the kill",
                "points": points,
            }
        )
    return found


def run() -> list[Measure]:
    n = int(os.environ.get("FOOTNOTE_BENCH_KILLS", "5"))
    with tempfile.TemporaryDirectory(prefix="footnote-reliability-") as tmp:
        folder = Path(tmp)
        cases = _bombs(folder)
        if (SHARED_DATA / "prices").is_dir():
            cases += _tickers(folder)
        cases += _kills(folder, n)
    CASES.parent.mkdir(parents=True, exist_ok=True)
    CASES.write_text(json.dumps(cases, indent=1), encoding="utf-8")
    measures = []
    for case in cases:
        note = ("held" if case["held"] else "FAILED") + f"; {case['detail']}"
        if case.get("peak_rss_mb") is not None:
            note += f"; peak RSS {case['peak_rss_mb']} MB"
        measures.append(
            Measure(case["case"], case["seconds"] or -1.0, "s", None, bool(case["held"]), note)
        )
    return measures
