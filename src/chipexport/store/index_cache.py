"""The screening index of the store's active lists, cached on disk between processes.

Building the index over ~27,000 entries takes seconds; opening a built one takes milliseconds:
the file is memory-mapped (:mod:`chipexport.screening.arrays`), so every process and batch
worker reads the same pages from the operating system's cache and nothing is unmarshalled. So
the built index is written under ``chipexport.config.home()/cache``, keyed by the store's
active-list fingerprint, the engine version and the file format, and every adapter (CLI,
service) loads it through :func:`load_screening_index`. A list load or update changes the
fingerprint, so the next call rebuilds; :func:`warm` lets ``lists load`` pay that cost up front.
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path

from chipexport.config import home
from chipexport.screening import ENGINE_VERSION, ScreeningIndex, build_index
from chipexport.screening.arrays import FORMAT, IndexFormatError
from chipexport.store.store import Store, StoreError


class NoListsLoaded(StoreError):
    """Screening was asked for before any list was loaded."""

    status = 503


def _cache_path(fingerprint: str) -> Path:
    name = f"screening-v{ENGINE_VERSION}-f{FORMAT}-{fingerprint[:24]}.idx"
    return home() / "cache" / name


def _open(path: Path) -> ScreeningIndex:
    with path.open("rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return ScreeningIndex.loads(mapped)


def load_screening_index(store: Store | None = None) -> ScreeningIndex:
    """The screening index of the active lists, from the cache when it is current."""
    own = store is None
    store = store or Store()
    try:
        path = _cache_path(store.active_fingerprint())
        if path.exists():
            try:
                return _open(path)
            except (IndexFormatError, OSError, ValueError):
                pass  # a cache cut short or unreadable: rebuild it
        entries = store.active_entries()
    finally:
        if own:
            store.close()
    if not entries:
        raise NoListsLoaded(
            "no restricted-party lists are loaded: run 'chipexport lists load' first"
        )
    index = build_index(entries)
    del entries
    if _write_cache(path, index.dumps()):
        # Mapped rather than kept: the process then holds what a cached run holds, pages the
        # operating system shares between processes instead of private memory.
        return _open(path)
    return index


def warm(store: Store) -> None:
    """Build and cache the index now if it is stale (after a list load); quiet on no lists."""
    if not _cache_path(store.active_fingerprint()).exists() and store.list_status():
        load_screening_index(store)


def _write_cache(path: Path, data: bytes) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        tmp.replace(path)
        for old in path.parent.glob("screening-*.idx"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return False  # a read-only home still screens, just without the cache
    return True
