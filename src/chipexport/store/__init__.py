"""Persistent store for restricted-party lists (SQLAlchemy 2 + Alembic; SQLite or PostgreSQL).

Adapter-side: the CLI and the service use it, the core never imports it.

The names below are imported on first use (PEP 562), so that importing a light submodule such
as :mod:`chipexport.store.vocabulary` does not load SQLAlchemy: the CLI imports every command
module at start-up, and most commands never open the database.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chipexport.store.store import ListVersion, Store, StoreError, StoreUnavailable

__all__ = ["ListVersion", "Store", "StoreError", "StoreUnavailable"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("chipexport.store.store"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
