"""Persistent store for restricted-party lists (SQLAlchemy 2 + Alembic; SQLite or PostgreSQL).

Adapter-side: the CLI and the service use it, the core never imports it.
"""

from chipexport.store.store import ListVersion, Store, StoreError, StoreUnavailable

__all__ = ["ListVersion", "Store", "StoreError", "StoreUnavailable"]
