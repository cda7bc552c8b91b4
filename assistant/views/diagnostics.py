"""What `footnote doctor` reports: configuration, data folder, mode and reachability."""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.data.integrity import StateCheck, check_state
from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    from tools.prices.records import Finding

PROBE_DEADLINE_S = 3.0


@dataclass(frozen=True)
class DataItem:
    label: str
    path: Path
    summary: str


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool | None  # None: not attempted
    detail: str


# The kinds a summary counts, in the order a reader wants them.
HEALTH_KINDS = (
    "damaged",
    "gap",
    "split",
    "seam",
    "reconciliation",
    "spike",
    "stale_end",
    "intraday_row",
    "ohlc",
)


@dataclass(frozen=True)
class PriceHealth:
    """One stored symbol's data health: its coverage line, counts by kind, and every finding."""

    symbol: str
    coverage: str
    counts: dict[str, int]
    findings: list[Finding]

    @property
    def clean(self) -> bool:
        """Tell whether nothing but the coverage line was found."""
        return not self.counts

    def summary(self) -> str:
        """Say in one line what was found, e.g. "2 gap, 1 seam (2:1 on 2025-09-08)"."""
        if self.clean:
            return "no findings"
        parts = []
        for kind in HEALTH_KINDS:
            if kind not in self.counts:
                continue
            part = f"{self.counts[kind]} {kind}"
            steps = [f for f in self.findings if f.kind == kind and kind in ("split", "seam")]
            dated = [
                f"{f.extra.get('split') or f.extra.get('step') or ''} on {f.dates[-1]}".strip()
                for f in steps
                if f.dates
            ]
            if dated:
                part += f" ({', '.join(dated)})"
            parts.append(part)
        return ", ".join(parts)


def price_health(findings: Sequence[Finding]) -> list[PriceHealth]:
    """Group findings by symbol into one summary line each, symbols in the order they came."""
    by: dict[str, list[Finding]] = {}
    for f in findings:
        by.setdefault(f.symbol, []).append(f)
    out = []
    for symbol, found in by.items():
        coverage = next((f.detail for f in found if f.kind == "coverage"), "")
        counts = Counter(str(f.kind) for f in found)
        ordered = {k: counts[k] for k in HEALTH_KINDS if counts[k]}
        out.append(PriceHealth(symbol, coverage, ordered, found))
    return out


@dataclass
class Diagnosis:
    home: Path
    config: dict[str, str]
    mode: str
    mode_line: str
    notice: str | None
    data: list[DataItem] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    prices: list[PriceHealth] = field(default_factory=list)
    state: list[StateCheck] = field(default_factory=list)
    model_features: list[Probe] = field(default_factory=list)  # what the model server supports


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def describe_data(settings: Settings) -> list[DataItem]:
    """One line per kind of state kept under FOOTNOTE_HOME."""
    items = []
    prices = settings.prices_dir
    if prices.is_dir():
        files = settings.price_files()
        names = ", ".join(p.stem for p in files[:8]) + (" ..." if len(files) > 8 else "")
        items.append(
            DataItem("prices", prices, f"{len(files)} symbols ({names})" if files else "empty")
        )
    else:
        items.append(DataItem("prices", prices, "not created yet"))
    for label, path in (
        ("knowledge (Chroma)", settings.chroma_dir),
        ("threads and reports (SQLite)", settings.state_db),
        ("exported reports", settings.reports_dir),
    ):
        if label.endswith("(SQLite)") and settings.database_url:
            where = settings.masked()["FOOTNOTE_DATABASE_URL"]
            label = "threads, reports, fact-checks, research runs (PostgreSQL)"
            items.append(DataItem(label, Path("(server)"), where))
            continue
        items.append(
            DataItem(label, path, _human(_size(path)) if path.exists() else "not created yet")
        )
    shared = settings.shared_prices
    items.append(
        DataItem(
            "demo price CSVs",
            shared or (settings.demo_prices or Path("../shared/data/prices")),
            f"{sum(1 for _ in shared.rglob('*.csv'))} CSV files" if shared else "absent",
        )
    )
    return items


def _bounded(name: str, call: Callable[[], tuple[bool, str]], deadline_s: float) -> Probe:
    """Run `call` on a daemon thread; give up after `deadline_s` whatever it is doing."""
    answers: queue.Queue[tuple[bool, str]] = queue.Queue(maxsize=1)

    def target() -> None:
        try:
            answers.put(call())
        except Exception as exc:  # a probe reports, it never crashes the doctor
            from assistant.grounding.guard import redact_secrets

            answers.put((False, redact_secrets(f"{type(exc).__name__}: {exc}")[:160]))

    threading.Thread(target=target, name=f"probe-{name}", daemon=True).start()
    try:
        ok, detail = answers.get(timeout=deadline_s)
    except queue.Empty:
        return Probe(name, False, f"no answer within {deadline_s:g} s")
    return Probe(name, ok, detail)


def run_probes(settings: Settings, deadline_s: float = PROBE_DEADLINE_S) -> list[Probe]:
    """Probe the live data source and the chat model concurrently, each bounded."""
    from assistant.chat.llm.models import probe_chat_model
    from tools.prices.yahoo import probe as probe_yahoo

    results: dict[str, Probe] = {}
    threads = []
    if settings.price_mode == "local":
        results["live data (Yahoo)"] = Probe("live data (Yahoo)", None, "price mode is local")
    else:
        threads.append(("live data (Yahoo)", lambda: probe_yahoo(deadline_s)))
    if settings.mode == "llm":
        import openai  # noqa: F401  (loaded before the clock starts: a cold import is not the server)

        threads.append(("chat model", lambda: probe_chat_model(settings, deadline_s)))
    else:
        results["chat model"] = Probe("chat model", None, "offline mode: none configured")

    def run(name: str, call: Callable[[], tuple[bool, str]]) -> None:
        results[name] = _bounded(name, call, deadline_s)

    workers = [threading.Thread(target=run, args=item, daemon=True) for item in threads]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(deadline_s + 0.5)
    order = ["live data (Yahoo)", "chat model"]
    return [results.get(n, Probe(n, False, f"no answer within {deadline_s:g} s")) for n in order]


def diagnose(
    settings: Settings | None = None, findings: Sequence[Finding] | None = None
) -> Diagnosis:
    """Everything `footnote doctor` prints; `findings` are the stored prices' health checks."""
    settings = settings or get_settings()
    if settings.mode == "llm":
        where = settings.openai_base_url or "OpenAI"
        mode_line = f"LLM mode: {settings.model_name} via {where}"
    else:
        mode_line = "offline mode (no chat model): answers come from the offline composer"
    probes = run_probes(settings)
    return Diagnosis(
        home=settings.home,
        config=settings.masked(),
        mode=settings.mode,
        mode_line=mode_line,
        notice=settings.offline_reason if settings.chat_model else None,
        data=describe_data(settings),
        probes=probes,
        prices=price_health(findings or ()),
        state=check_state(settings),
        model_features=model_features(settings, probes),
    )


def model_features(settings: Settings, probes: Sequence[Probe]) -> list[Probe]:
    """The compatibility checks of a chat-model server that answered its probe (else none)."""
    if not any(p.name == "chat model" and p.ok for p in probes):
        return []
    from assistant.chat.llm.models import probe_model_features

    try:
        checks = probe_model_features(settings, PROBE_DEADLINE_S)
    except Exception as exc:  # a probe reports, it never crashes the doctor
        from assistant.grounding.guard import redact_secrets

        return [
            Probe("model features", False, redact_secrets(f"{type(exc).__name__}: {exc}")[:160])
        ]
    return [Probe(name, ok, detail) for name, ok, detail in checks]
