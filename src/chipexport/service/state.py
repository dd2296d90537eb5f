"""The server's screening index: loaded once at start-up, reloaded when the lists change.

Building the index takes seconds, so requests share one copy. It is loaded through the same
on-disk cache as ``chipexport screen`` (keyed by the store's active-list fingerprint), which
makes a restart or a reload after another process's ``lists update`` cost a fraction of a
second. Requests check the fingerprint at most every ``list_recheck_s`` seconds; a list update
through the API reloads at once.
"""

from __future__ import annotations

import threading
import time

from chipexport.errors import ChipexportError
from chipexport.service.errors import ApiError
from chipexport.store import Store
from chipexport.store.screened import ScreenContext


def _load(store: Store) -> ScreenContext | None:
    """The index of the active lists with the versions it holds; None when none are loaded."""
    from chipexport.store.index_cache import load_screening_index

    for _attempt in range(3):
        fingerprint = store.active_fingerprint()
        versions = tuple(store.list_status())
        if not versions:
            return None
        try:
            index = load_screening_index(store)
        except ChipexportError:
            return None
        if store.active_fingerprint() == fingerprint:  # no load slipped in between
            index.warm_up()
            return ScreenContext(index, versions, fingerprint)
    raise ApiError(503, "the lists kept changing while the index was loading; retry")


class IndexHolder:
    """Thread-safe holder of the current :class:`ScreenContext`."""

    def __init__(self, store: Store, recheck_s: float) -> None:
        self.store, self.recheck_s = store, recheck_s
        self._lock = threading.Lock()
        self._ctx: ScreenContext | None = None
        self._checked = 0.0

    def reload(self) -> ScreenContext | None:
        """Load the index of the lists active now (start-up, and after a list change)."""
        with self._lock:
            ctx = self._ctx
            if ctx is not None and ctx.fingerprint == self.store.active_fingerprint():
                self._checked = time.monotonic()
                return ctx  # another thread reloaded while this one waited
            self._ctx = _load(self.store)
            self._checked = time.monotonic()
            return self._ctx

    def peek(self) -> ScreenContext | None:
        return self._ctx

    def current(self) -> ScreenContext:
        """The index to screen with; 503 when no lists are loaded."""
        ctx = self.maybe_current()
        if ctx is None:
            raise ApiError(503, "no restricted-party lists are loaded: run 'chipexport lists load'")
        return ctx

    def maybe_current(self) -> ScreenContext | None:
        """The index of the lists active now, reloading if another process changed them."""
        if time.monotonic() - self._checked > self.recheck_s:
            fingerprint = self.store.active_fingerprint()
            self._checked = time.monotonic()
            ctx = self._ctx
            if ctx is None or ctx.fingerprint != fingerprint:
                self.reload()
        return self._ctx
