"""Engines for SQLite and PostgreSQL, and the schema upgrade run on every :class:`Store` open.

Two details make concurrent use safe:

* SQLite: pysqlite's own transaction handling issues ``BEGIN`` lazily and never for DDL, so two
  processes could interleave a migration or a list swap. We switch it off and emit ``BEGIN``
  ourselves; writers ask for ``BEGIN IMMEDIATE`` (execution option ``sqlite_begin``), which takes
  the write lock up front so a second writer waits (``busy_timeout``) instead of failing half-way.
  WAL mode lets readers (screening) keep reading the old lists while a load is in progress.
* PostgreSQL: writers take a transaction-scoped advisory lock; DDL is transactional there.

The upgrade runs Alembic inside that locked transaction, so two processes opening a fresh
database at once both end up at ``head`` and neither fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from chipexport.store.codec import dumps

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Arbitrary but fixed keys for pg_advisory_xact_lock: one for schema upgrades, one for loads.
MIGRATION_LOCK = 0x63680001
LOAD_LOCK = 0x63680002
SQLITE_BUSY_TIMEOUT_S = 60.0


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for a SQLite file, its parent directory is created first."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, json_serializer=dumps)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, json_serializer=dumps
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module doc)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def lock_for_writing(conn: Connection, key: int) -> None:
    """Serialise writers: a no-op on SQLite (``BEGIN IMMEDIATE`` already did it)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def writer(engine: Engine) -> Connection:
    """A connection whose next ``begin()`` takes the SQLite write lock immediately."""
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
    return conn


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to Alembic ``head``: cheap when it already is, safe when racing."""
    cfg = _alembic_config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
    if current == head:
        return
    with writer(engine) as conn, conn.begin():
        lock_for_writing(conn, MIGRATION_LOCK)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
