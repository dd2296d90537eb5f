"""The screening index of the store's active lists, cached on disk between processes.

Building the index over ~27,000 entries takes seconds; loading a built one takes a tenth of a
second. So the built index is written under ``chipexport.config.home()/cache``, keyed by the
store's active-list fingerprint and the engine version, and every adapter (CLI, service) loads
it through :func:`load_screening_index`. A list load or update changes the fingerprint, so the
next call rebuilds; :func:`warm` lets ``lists load`` pay that cost up front.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from chipexport.config import home
from chipexport.screening import ENGINE_VERSION, ScreeningIndex, build_index
from chipexport.store.store import Store, StoreError


class NoListsLoaded(StoreError):
    """Screening was asked for before any list was loaded."""

    status = 503


def _cache_path(fingerprint: str) -> Path:
    return home() / "cache" / f"screening-v{ENGINE_VERSION}-{fingerprint[:24]}.idx"


def load_screening_index(store: Store | None = None) -> ScreeningIndex:
    """The screening index of the active lists, from the cache when it is current."""
    own = store is None
    store = store or Store()
    try:
        path = _cache_path(store.active_fingerprint())
        if path.exists():
            try:
                return ScreeningIndex.loads(path.read_bytes())
            except (ValueError, EOFError, TypeError):
                pass  # a cache from another Python version or cut short: rebuild it
        entries = store.active_entries()
    finally:
        if own:
            store.close()
    if not entries:
        raise NoListsLoaded(
            "no restricted-party lists are loaded: run 'chipexport lists load' first"
        )
    data = build_index(entries).dumps()
    del entries
    _write_cache(path, data)
    # Reloaded rather than kept: the process then holds exactly what a cached run holds, in
    # compact freshly allocated memory, which forked workers share with fewer page copies.
    gc.collect()
    return ScreeningIndex.loads(data)


def warm(store: Store) -> None:
    """Build and cache the index now if it is stale (after a list load); quiet on no lists."""
    if not _cache_path(store.active_fingerprint()).exists() and store.list_status():
        load_screening_index(store)


def _write_cache(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        tmp.replace(path)
        for old in path.parent.glob("screening-*.idx"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home still screens, just without the cache
