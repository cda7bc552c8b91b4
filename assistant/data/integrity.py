"""Checks and repairs of the state under FOOTNOTE_HOME: the SQLite databases, the knowledge
store and the price files. Each finding says what is lost and the command that restores it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from assistant.settings import Settings


@dataclass(frozen=True)
class StateCheck:
    """One part of the stored state: whole or not, what was found, and how to put it right."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


REPAIR = "footnote doctor --repair"


def check_state(settings: Settings) -> list[StateCheck]:
    """Check every kind of stored state; never raises for damage, it reports it."""
    return [*_databases(settings), _knowledge(settings), *_prices(settings)]


def _databases(settings: Settings) -> Iterator[StateCheck]:
    from assistant.store import check_database

    for path in (settings.state_db, settings.home / "research-runs.sqlite"):
        if not path.exists():
            continue
        reason = check_database(path)
        if reason is None:
            yield StateCheck(path.name, True, "quick_check ok")
        else:
            yield StateCheck(
                path.name,
                False,
                f"damaged ({reason}): threads, fact-checks and reports in it are unreadable",
                f"{REPAIR} (moves it aside and starts a fresh one)",
            )


def _knowledge(settings: Settings) -> StateCheck:
    from assistant.data.library import open_library
    from knowledge.errors import StoreError

    name = "knowledge store"
    if not settings.chroma_dir.exists():
        return StateCheck(name, True, "not created yet")
    try:
        found = open_library(settings).check()
    except StoreError as exc:
        return StateCheck(name, False, exc.message, REPAIR)
    if found.ok:
        return StateCheck(name, True, f"{found.documents} documents, {found.chunks} records, whole")
    return StateCheck(name, False, "; ".join(found.lines()), REPAIR)


def _prices(settings: Settings) -> Iterator[StateCheck]:
    from assistant.data.market import price_store

    store = price_store(settings)
    damaged = [(s, reason) for s in store.symbols() if (reason := store.verify(s)) is not None]
    if not damaged and store.symbols():
        yield StateCheck("price files", True, f"{len(store.symbols())} files match their checksums")
    for symbol, reason in damaged:
        yield StateCheck(
            f"prices {symbol}",
            False,
            reason,
            f"footnote prices import <the CSV of {symbol}>  (or: footnote prices update {symbol})",
        )


def repair_state(settings: Settings) -> Iterator[str]:
    """Repair what can be repaired without the user's files; one line per thing done."""
    from assistant.data.library import forget_library, open_library
    from assistant.data.market import price_store
    from assistant.store import check_database, set_aside_database
    from knowledge.errors import StoreError
    from knowledge.library import set_aside

    for path in (settings.state_db, settings.home / "research-runs.sqlite"):
        if path.exists() and check_database(path) is not None:
            aside = set_aside_database(path)
            yield f"{path.name}: damaged; moved to {aside} and a fresh one will be created"
    if settings.chroma_dir.exists():
        try:
            library = open_library(settings)
        except StoreError as exc:
            if settings.chroma_url:  # a server down is not a damaged store: set nothing aside
                yield f"knowledge store: {exc.message} ({exc.hint})"
                library = None
            else:
                forget_library(settings)
                aside = set_aside(settings.chroma_dir)
                yield f"knowledge store: could not be opened; moved to {aside}"
                library = open_library(settings)
        outcomes = library.repair() if library is not None else None
        for outcome in outcomes or []:
            yield f"knowledge store: {outcome.path}: {outcome.status} ({outcome.message})"
        if outcomes == []:
            yield "knowledge store: whole, nothing to repair"
    store = price_store(settings)
    for symbol in store.symbols():
        reason = store.verify(symbol)
        if reason is not None:
            aside = store.set_aside(symbol)
            yield (
                f"prices {symbol}: damaged, moved to {aside}; import its CSV again "
                f"(`footnote prices import <file>`) or `footnote prices update {symbol}`"
            )
