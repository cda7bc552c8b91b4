"""Fact-check: claims extracted and checked per second on the demo item, and extraction quality."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from benchmarks.runner import SHARED_DATA, Measure, Skip, check, median

NAME = "factcheck"
DESCRIPTION = (
    "Fact-checker on the demo news item (en + zh): claims extracted and checked per second, "
    "share of its market figures that hold; extraction precision and recall and verdict "
    "accuracy on the labelled test documents"
)
REPO = Path(__file__).resolve().parent.parent
LABELLED = REPO / "tests" / "assistant" / "factcheck" / "documents"
TODAY = dt.date(2026, 3, 9)


def _market() -> object:
    from tools.market import Market
    from tools.prices.csv_import import read_price_csv
    from tools.prices.fake import FakeSource

    prices = SHARED_DATA / "prices"
    if not prices.is_dir():
        raise Skip(f"shared price data absent: {prices}")
    frames: dict[str, pd.DataFrame] = {}
    for folder in ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03"):
        for path in sorted((prices / folder).glob("*.csv")):
            parsed = read_price_csv(path)
            old = frames.get(parsed.symbol)
            frame = parsed.frame
            if old is not None:
                frame = pd.concat([old[~old.index.isin(frame.index)], frame]).sort_index()
            frames[parsed.symbol] = frame
    return Market(FakeSource(frames), today=lambda: TODAY)


def _extraction_quality() -> tuple[float, float, float, int]:
    """Return precision, recall, verdict accuracy and the number of labelled claims."""
    from assistant.factcheck import check_document, load_documents

    labels = json.loads((LABELLED / "labels.json").read_text(encoding="utf-8"))
    market = _market()
    found = right = labelled = correct_verdicts = 0
    for name, expected in labels.items():
        results = check_document(load_documents(LABELLED / name, 20)[0], market)  # type: ignore[arg-type]
        got = [
            (c.claim.raw, c.claim.symbol, c.claim.metric)
            for c in results
            if c.claim.metric != "other"
        ]
        want = [(x["raw"], x["symbol"], x["metric"]) for x in expected if x["metric"] != "other"]
        found += len(got)
        labelled += len(want)
        right += sum(1 for item in got if item in want)
        judged = Counter((c.claim.raw, c.claim.metric, c.verdict) for c in results)
        wanted = Counter((x["raw"], x["metric"], x["verdict"]) for x in expected)
        correct_verdicts += sum((judged & wanted).values())
    total = sum(len(v) for v in labels.values())
    return right / max(found, 1), right / max(labelled, 1), correct_verdicts / total, labelled


def run() -> list[Measure]:
    from assistant.factcheck import check_document, extract_claims, load_documents
    from knowledge import DEMO_FOLDER

    market = _market()
    docs = [
        load_documents(DEMO_FOLDER / f"russell-2000-rally-2026-01-26-{lang}.md", 20)[0]
        for lang in ("en", "zh")
    ]
    check_document(docs[0], market)  # type: ignore[arg-type]  # warm the calendar and imports
    times, extract_times, claims, held, market_claims = [], [], 0, 0, 0
    for _ in range(3):
        start = time.perf_counter()
        extracted = [extract_claims(d.text(), d.published, d.tickers[0]) for d in docs]
        extract_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        results = [c for d in docs for c in check_document(d, market)]  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        claims = sum(len(e) for e in extracted)
        market_claims = sum(1 for c in results if c.claim.metric != "other")
        held = sum(1 for c in results if c.claim.metric != "other" and c.verdict == "holds")
    precision, recall, accuracy, labelled = _extraction_quality()
    return [
        Measure("numbers found in the demo item (en + zh)", claims, "claims"),
        Measure("extraction rate (rules)", round(claims / median(extract_times), 1), "claims/s"),
        check(
            "extract + check rate (FakeSource over shared CSVs)",
            round(claims / median(times), 1),
            "claims/s",
            ">=",
            20,
        ),
        check(
            "demo market figures that hold",
            round(held / max(market_claims, 1), 4),
            "share",
            ">=",
            1.0,
            note=f"{held} of {market_claims}",
        ),
        check("extraction precision, labelled documents", round(precision, 4), "share", ">=", 0.95),
        check(
            "extraction recall, labelled documents",
            round(recall, 4),
            "share",
            ">=",
            0.95,
            note=f"{labelled} labelled market claims",
        ),
        check("verdict accuracy, labelled documents", round(accuracy, 4), "share", ">=", 0.95),
    ]
