"""`Footnote`: the one object the app and the CLI hold.

It is built from `Settings` and owns the market, the library, the state store and the chat model;
everything a page or a command does goes through one of its methods. Parts are opened on first
use, so `footnote metrics` never loads the knowledge store and `footnote reports` opens only the
state store. Tests pass their own parts (fakes or real ones on test data).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.errors import translated_errors
from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from assistant.budget import Budget
    from assistant.chat.events import Event
    from assistant.chat.service import Assistant
    from assistant.data.market import FileOutcome, StoredSymbol, UpdateOutcome
    from assistant.factcheck.claims import CheckedClaim
    from assistant.grounding.answer import Answer
    from assistant.ports import ChatModel, Library, Market, Store
    from assistant.research.schemas import ReportSummary
    from assistant.research.service import ResearchService
    from assistant.store import ThreadStore
    from assistant.views.diagnostics import Diagnosis, PriceHealth
    from assistant.views.feed import ExpertRow, FactSummary, Move, Quote, Related, Signal
    from knowledge import Document, IngestOutcome, Passage
    from tools.figure import Figure
    from tools.prices.records import Finding

Lang = Literal["auto", "zh", "en"]
PEOPLE_FILE = "people.json"
UPLOADS = "uploads"


def _upload_name(name: str) -> str:
    """A browser's file name made safe as one file in the uploads folder."""
    import re

    base = Path(name.replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    stem = re.sub(r"[^\w.-]+", "-", stem if dot else base).strip(".-") or "upload"
    return f"{stem[:100]}.{suffix.lower()}" if dot and suffix else stem[:100]


@dataclass
class _Parts:
    """The data a Footnote works on, opened on first use; objects made by `with_settings` share
    one of these, so a session with its own chat model uses the same store and market."""

    market: Market | None = None
    library: Library | None = None
    store: Store | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    changes: int = 0  # ingests and imports made through this object


class Footnote:
    """Grounded answers, research, fact-checks and page data over one set of parts."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        market: Market | None = None,
        library: Library | None = None,
        store: Store | None = None,
        chat_model: ChatModel | None = None,
        chat: Assistant | None = None,
        research: ResearchService | None = None,
        research_budget: Budget | None = None,
        demo: bool = True,
        parts: _Parts | None = None,
        owner: str = "",
    ) -> None:
        self.settings = settings or get_settings()
        from assistant.views.failure import redact_logs

        redact_logs(self.settings)  # no log line of this process carries a key
        self._parts = parts or _Parts(market, library, store)
        self._chat_model = chat_model
        self._chat = chat
        self._research = research
        self._research_budget = research_budget
        self._demo = demo
        self._lock = self._parts.lock
        # whose threads and reports this object reads and writes: "" when the app runs
        # single-user, a signed-in identity under Streamlit's authentication (`for_user`)
        self.owner = owner
        self._views: dict[str, Footnote] = {}

    @property
    def key(self) -> str:
        """Tells caches apart: one key per set of parts (shared by `with_settings` copies)."""
        return self._parts.key

    def data_version(self) -> str:
        """A token that changes whenever the stored documents, fact-checks or prices change,
        in this process or another (`footnote ingest` beside a running app). Pages key their
        caches on it, so a change shows on the next rerun; reading it opens nothing."""
        home = self.settings
        stamps = [self.key, str(self._parts.changes)]
        try:
            stamps.append((home.chroma_dir / "revision").read_text(encoding="utf-8"))
        except OSError:
            stamps.append("")
        files = [
            *home.price_files(),
            home.state_db,
            home.state_db.with_name(home.state_db.name + "-wal"),
        ]
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append(f"{path.name}:{stat.st_mtime_ns}:{stat.st_size}")
        store = self._parts.store
        if self.settings.database_url and store is not None:  # on a server: no file to stat
            stamps.append(store.factchecks.version())
        return "|".join(stamps)

    def with_settings(self, settings: Settings) -> Footnote:
        """The same market, library and store, opened or not yet, under other settings (a
        session's own chat model)."""
        return Footnote(
            settings,
            research_budget=self._research_budget,
            demo=self._demo,
            parts=self._parts,
            owner=self.owner,
        )

    def for_user(self, identity: str) -> Footnote:
        """The same parts and settings, holding only `identity`'s threads and reports (the
        documents, prices and fact-checks stay shared). An empty identity is the single user."""
        if identity == self.owner:
            return self
        with self._lock:  # one per user and object: its chat and research are built once
            view = self._views.get(identity)
            if view is None:
                view = Footnote(
                    self.settings,
                    chat_model=self._chat_model,
                    research_budget=self._research_budget,
                    demo=self._demo,
                    parts=self._parts,
                    owner=identity,
                )
                self._views[identity] = view
            return view

    # ---- parts ---------------------------------------------------------------------------

    @property
    def market(self) -> Market:
        """The market over the configured prices; an empty store gets the demo prices first."""
        with self._lock:
            if self._parts.market is None:
                from assistant.data.market import import_demo_prices, open_market

                if self._demo:
                    for _ in import_demo_prices(self.settings):
                        pass
                self._parts.market = open_market(self.settings)
            return self._parts.market

    @property
    def library(self) -> Library:
        """The knowledge store; the demo corpus is ingested (and fact-checked) on first use."""
        with self._lock:
            if self._parts.library is None:
                from assistant.data.library import open_library

                with translated_errors():  # a store that cannot be opened says so, in words
                    self._parts.library = open_library(self.settings)
                if self._demo:
                    self._demo_corpus(self._parts.library)
            return self._parts.library

    @property
    def store(self) -> Store:
        with self._lock:
            if self._parts.store is None:
                from assistant.store import Store as StateStore

                url = self.settings.database_url
                with translated_errors():  # an unreachable server says so, with the fix
                    self._parts.store = StateStore(url or self.settings.state_db)
                if not url:
                    self._parts.store.reports.adopt(self.settings.home / "research.sqlite")
            return self._parts.store.for_owner(self.owner)

    @property
    def mode(self) -> Literal["llm", "offline"]:
        return "llm" if self._chat_model is not None or self.settings.mode == "llm" else "offline"

    def chat_model(self, max_tokens: int = 1500) -> ChatModel | None:
        """The chat model (built from settings on first use), or None in offline mode."""
        if self._chat_model is None and self.settings.mode == "llm":
            from assistant.chat.llm.models import build_chat_model

            return build_chat_model(self.settings, max_tokens=max_tokens)
        return self._chat_model

    @property
    def chat(self) -> Assistant:
        with self._lock:
            if self._chat is None:
                from assistant.chat.service import Assistant
                from assistant.data.library import LibraryProxy

                self._chat = Assistant(
                    self.settings,
                    market=self.market,
                    # opened by the first question that needs a document: a market question
                    # never loads the vector store
                    library=LibraryProxy(lambda: self.library),
                    threads=self.store.threads,
                    # built by the first answer, inside its deadline (a cold client import
                    # took 3 s before the answer's clock started)
                    chat_model=self._chat_model,
                    people=self.people,
                )
            return self._chat

    @property
    def research(self) -> ResearchService:
        with self._lock:
            if self._research is None:
                from assistant.research.service import ResearchService

                self._research = ResearchService(
                    self.settings,
                    market=self.market,
                    library=self.library,
                    store=self.store,
                    chat_model=self.chat_model(max_tokens=1200),
                    budget=self._research_budget,
                )
            return self._research

    def reports(self, limit: int = 50) -> list[ReportSummary]:
        """The stored research reports, newest first (only the state store is opened)."""
        from assistant.research.service import summaries

        return summaries(self.store.reports.recent(limit))

    def people(self) -> dict[str, str]:
        """The experts the stored documents cite (names, surnames, firms -> name), kept in
        FOOTNOTE_HOME/people.json so a market question need not open the knowledge store; the
        file is written again after every ingest."""
        import json

        path = self.settings.home / PEOPLE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
                return {str(k): v for k, v in data.items()}
        except (OSError, ValueError):
            pass
        return self._write_people(self.library)

    def _write_people(self, library: Library) -> dict[str, str]:
        import json

        from assistant.reading.people import people_index

        index = people_index(s for doc in library.documents() for s in doc.sources)
        path = self.settings.home / PEOPLE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(index, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
        return index

    # ---- chat ----------------------------------------------------------------------------

    @property
    def threads(self) -> ThreadStore:
        """The conversation threads."""
        return self.store.threads

    def ask(
        self,
        question: str,
        thread_id: str | None = None,
        news_id: str | None = None,
        language: Lang = "auto",
    ) -> Answer:
        """One verified, cited answer, saved in its thread."""
        return self.chat.ask(question, thread_id=thread_id, news_id=news_id, language=language)

    def stream(
        self,
        question: str,
        thread_id: str | None = None,
        news_id: str | None = None,
        language: Lang = "auto",
    ) -> Iterator[Event]:
        """The same answer as events (tool calls, figures, passages, text, the Answer)."""
        return self.chat.stream(question, thread_id=thread_id, news_id=news_id, language=language)

    # ---- fact-check ----------------------------------------------------------------------

    def load_documents(self, path: Path) -> list[Document]:
        """Read a file into documents (raises `UnreadableFile` with the reason)."""
        from assistant.factcheck.service import load_documents

        return load_documents(path, self.settings.max_file_mb)

    def check_file(
        self, path: Path, use_model: bool = True
    ) -> list[tuple[Document, list[CheckedClaim]]]:
        """Check every market claim of a file; the chat model proposes claims when configured."""
        from assistant.factcheck.service import check_file

        model = self.chat_model() if use_model else None
        with translated_errors():
            return check_file(path, self.market, self.settings.max_file_mb, model)

    def check_text(self, text: str, published: dt.date | None = None) -> list[CheckedClaim]:
        """Check the market claims of a text (rules only)."""
        from assistant.factcheck.service import check_text

        return check_text(text, self.market, published)

    def results_for(self, doc_id: str, check_missing: bool = True) -> list[CheckedClaim]:
        """A stored document's checked claims (checked now when missing or stale)."""
        from assistant.factcheck.stored import results_for, stored_results

        if not check_missing:  # the feed reads many items: the store only, nothing opened
            stored = stored_results(self.store.factchecks, doc_id)
            return stored[1] if stored else []
        return results_for(
            doc_id,
            self.library,
            self.market,
            self.store.factchecks,
            self.settings.price_files,
            check_missing=check_missing,
        )

    def fact_checks(self, doc_id: str, check_missing: bool = True) -> FactSummary:
        """The marks the news page shows on a document's numbers."""
        from assistant.views.feed import summarize_checks

        return summarize_checks(self.results_for(doc_id, check_missing))

    # ---- page data -----------------------------------------------------------------------

    def news_items(self, lang: str) -> list[Document]:
        from assistant.views.feed import news_items

        return news_items(self.library, lang)

    def news_item(self, doc_id: str, lang: str) -> Document | None:
        from assistant.views.feed import news_item

        return news_item(self.library, doc_id, lang)

    def quotes(self, symbols: Sequence[str], lang: str) -> list[Quote]:
        from assistant.views.feed import quotes

        return quotes(self.market, symbols, lang)

    def moves_since(self, doc: Document, lang: str) -> list[Move]:
        """What happened next: each of the item's tickers from its publication to the latest
        stored session, with receipts."""
        from assistant.views.feed import moves_since

        return moves_since(self.market, doc, lang)

    def signals(self, doc: Document) -> list[Signal]:
        from assistant.views.feed import signals

        return signals(doc, self.market)

    def expert_views(self, doc: Document) -> list[ExpertRow]:
        """The item's expert views; a forecast's distance from the latest close, with receipts."""
        from assistant.views.feed import expert_views

        return expert_views(doc, self.market)

    def related(self, doc: Document, lang: str) -> list[Related]:
        from assistant.views.feed import related

        return related(self.library, doc, lang)

    def price_chart(self, symbol: str, lang: str) -> go.Figure:
        """The price chart of one symbol up to its latest stored session."""
        from assistant.views.charts import price_chart

        with translated_errors():
            return price_chart(symbol, lang=lang, market=self.market)

    def relative_chart(
        self, symbols: Sequence[str], start: dt.date, end: dt.date, lang: str
    ) -> go.Figure:
        """Several symbols' relative performance over one window."""
        from assistant.views.charts import relative_chart

        with translated_errors():
            return relative_chart(symbols, start, end, lang=lang, market=self.market)

    def sector_chart(self, on: dt.date | None, lang: str) -> go.Figure:
        """The sector ETFs' day changes on one session."""
        from assistant.views.charts import sector_chart

        with translated_errors():
            return sector_chart(on, lang=lang, market=self.market)

    def report_figures(
        self, symbols: Sequence[str], start: dt.date | None, end: dt.date | None, lang: str
    ) -> list[go.Figure]:
        """The charts of a report's symbols and window (those with data)."""
        from assistant.views.charts import figures_for

        return figures_for(symbols, start, end, lang=lang, market=self.market)

    # ---- knowledge -----------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[Path | str],
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> list[IngestOutcome]:
        """Add files and folders to the knowledge store; news items added or changed are
        fact-checked and their results stored. One outcome per file."""
        from assistant.factcheck.stored import check_ingested

        library = self.library
        with translated_errors():  # another writer for too long, or a damaged store
            outcomes = library.ingest(paths, on_progress)
        fresh = [i for o in outcomes if o.status in ("added", "updated") for i in o.doc_ids]
        if fresh:
            check_ingested(fresh, library, self.market, self.store.factchecks)
            self._write_people(library)
            self._parts.changes += 1
        return outcomes

    def ingest_uploads(
        self,
        files: Sequence[tuple[str, bytes]],
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> list[IngestOutcome]:
        """Keep uploaded files in FOOTNOTE_HOME/uploads (the same name replaces the earlier
        copy, so uploading a file again updates its document) and ingest them; one outcome per
        file, named by the file's own name."""
        folder = self.settings.home / UPLOADS
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in files:
            path = folder / _upload_name(name)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(path)
            paths.append(path)
        outcomes = self.ingest(paths, on_progress)
        for outcome, (name, _) in zip(outcomes, files, strict=False):
            outcome.path = name
        return outcomes

    def documents(self) -> list[Document]:
        """Every stored document, newest first (the demo corpus included)."""
        return self.library.documents()

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        doc_id: str | None = None,
        kind: Literal["news", "analysis", "source"] | None = None,
        language: str | None = None,
        ticker: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Passage]:
        """Hybrid search over the knowledge store; each passage as a reader may see it (orders
        to the reader, invisible characters and outside links removed)."""
        from assistant.grounding.ledger import shown_passage

        hits = self.library.search(
            query,
            k,
            doc_id=doc_id,
            kind=kind,
            language=language,
            ticker=ticker,
            since=since,
            until=until,
        )
        return [shown_passage(h) for h in hits]

    def needs_setup(self) -> bool:
        """True on a first start: no prices stored or no knowledge store yet (nothing opened).
        A Footnote given its market and library (tests, sessions sharing parts) has none."""
        if not self._demo or (self._parts.market is not None and self._parts.library is not None):
            return False
        chroma = self.settings.chroma_dir
        library_ready = chroma.is_dir() and any(chroma.iterdir())
        # with no demo CSVs there are no prices to prepare: not a first start on every run
        demo = self.settings.shared_prices
        prices_pending = not self.settings.price_files() and bool(demo and any(demo.rglob("*.csv")))
        return not library_ready or prices_pending

    def ensure_demo(
        self, on_step: Callable[[str], None] | None = None, lang: str = "en"
    ) -> Iterator[str]:
        """Make the demo content ready on first start; one progress line per thing done.
        `on_step` hears of each long step before it starts (for a spinner's text); every step
        and line is in `lang`."""
        from assistant.data.market import import_demo_prices
        from assistant.grounding.labels import word

        step = on_step or (lambda _: None)
        settings = self.settings
        settings.home.mkdir(parents=True, exist_ok=True)
        yield word("setup.folder", lang, path=settings.home)
        if settings.offline_reason and settings.chat_model:
            reason = (
                word("setup.no_key", lang, model=repr(settings.chat_model))
                if lang.startswith("zh")
                else settings.offline_reason
            )
            yield word("setup.notice", lang, text=reason)
        elif settings.mode == "offline":
            yield word("setup.offline", lang)
        step(word("setup.prices", lang))
        yield from import_demo_prices(settings, lang)
        yield self.ensure_demo_corpus(step, lang)

    def _demo_corpus(
        self,
        library: Library,
        *,
        always: bool = False,
        on_step: Callable[[str], None] | None = None,
        lang: str = "en",
    ) -> int:
        """Ingest the demo corpus into an empty store; fact-check the news items never checked
        (once there are prices: without them every check would be stored "unverifiable").
        Unless `always`, the check runs only when the corpus was ingested now (a warm start
        reads no fact-check state)."""
        ingested = library.ensure_demo()
        if ingested:
            self._write_people(library)
        if not (ingested or always):
            return 0
        if self._demo:
            self.market  # noqa: B018  # an empty price store gets the demo prices first
        if not self.settings.price_files():
            return 0
        from assistant.factcheck.stored import check_unchecked
        from assistant.grounding.labels import word

        news = [doc.id for doc in library.documents("news")]
        if on_step is not None:
            on_step(word("setup.factcheck", lang))
        return check_unchecked(news, library, self.market, self.store.factchecks)

    def ensure_demo_corpus(
        self, on_step: Callable[[str], None] | None = None, lang: str = "en"
    ) -> str:
        """Ingest the demo corpus when missing and fact-check news never checked; one line
        in `lang`."""
        from assistant.data.library import open_library
        from assistant.grounding.labels import word

        if on_step is not None:
            on_step(word("setup.library", lang))
        with self._lock:
            library = self._parts.library or open_library(self.settings)
            ingested = library.ensure_demo()
            self._parts.library = library
        checked = self._demo_corpus(library, always=True, on_step=on_step, lang=lang)
        done = word("setup.checked", lang, n=checked) if checked else ""
        if ingested:
            docs, chunks = library.count()
            return word("setup.ingested", lang, docs=docs, chunks=chunks, checked=done)
        return word("setup.present", lang, checked=done)

    # ---- prices --------------------------------------------------------------------------

    def metrics(
        self,
        symbols: Sequence[str],
        start: dt.date | str,
        end: dt.date | str,
        convention: str = "prev_close",
        benchmark: str | None = None,
    ) -> list[Figure]:
        """The standard set of figures for each symbol over one window."""
        figures: list[Figure] = []
        with translated_errors():
            for symbol in symbols:
                figures.extend(self.market.standard_set(symbol, start, end, convention, benchmark))
        return figures

    def count_price_files(self, paths: Sequence[Path]) -> int:
        """How many CSV files `paths` name (folders expand)."""
        from assistant.data.market import count_price_files

        with translated_errors():
            return count_price_files(paths)

    def import_prices(
        self, paths: Sequence[Path], symbol: str | None = None, provider: str | None = None
    ) -> Iterator[FileOutcome]:
        """Import CSV files (folders expand) into the price store, one outcome per file."""
        from assistant.data.market import import_price_files

        return import_price_files(self.settings, paths, symbol, provider)

    def update_prices(self, symbols: Sequence[str]) -> Iterator[UpdateOutcome]:
        """Fetch each symbol from the live provider into the price store."""
        from assistant.data.market import update_prices

        return update_prices(symbols, self.settings)

    def stored_prices(self) -> list[StoredSymbol]:
        """One line per stored symbol: rows, first and last session, providers."""
        from assistant.data.market import stored_prices

        return stored_prices(self.settings)

    def check_prices(
        self, symbols: Sequence[str] = (), today: dt.date | None = None
    ) -> list[Finding]:
        """Data-health findings of the stored prices (every stored symbol when none is named).

        Coverage, NYSE gaps, splits and seams with their ratios, stale ends, intraday rows and
        OHLC problems, each with what was done about it. `today` defaults to the market's day
        when a market was given, else New York's date.
        """
        from assistant.data.market import check_prices

        if today is None and self._parts.market is not None:
            today = self._parts.market.today()
        with translated_errors():
            return check_prices(self.settings, symbols, today)

    def price_health(self, symbols: Sequence[str] = ()) -> list[PriceHealth]:
        """The same findings grouped per symbol: a coverage line, counts and the findings."""
        from assistant.views.diagnostics import price_health

        return price_health(self.check_prices(symbols))

    def diagnose(self, check_prices: bool = True) -> Diagnosis:
        """What `footnote doctor` prints: settings, data folders, probes of outside services,
        and the data-health summary of the stored prices."""
        from assistant.views.diagnostics import diagnose

        findings = self.check_prices() if check_prices else None
        return diagnose(self.settings, findings)

    def repair(self) -> list[str]:
        """Repair the stored state: damaged databases set aside, knowledge documents whose
        records or vectors are missing embedded again, lost ones ingested again from their
        files, damaged price files set aside; one line per thing done."""
        from assistant.data.integrity import repair_state

        with self._lock:
            lines = list(repair_state(self.settings))
            self._parts.library = None  # reopened on next use, on the repaired folder
            self._parts.store = None
        return lines
