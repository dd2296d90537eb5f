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
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from chipexport.store.codec import dumps

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision under migrations/versions. Every open compares the database against it
# with one query, so the common case (schema current) never imports Alembic, which costs a
# tenth of a second of every CLI start. tests/store/test_migrations.py checks it is Alembic's head.
HEAD_REVISION = "0004_hardening"
# Arbitrary but fixed keys for pg_advisory_xact_lock: one for schema upgrades, one for loads.
MIGRATION_LOCK = 0x63680001
LOAD_LOCK = 0x63680002
SQLITE_BUSY_TIMEOUT_S = 60.0


# The backends the schema, the locks and the tests cover (docs/interfaces.md "Configuration").
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for a SQLite file, its parent directory is created first.

    Raises ValueError for a URL of another database (its driver is not installed, and the
    schema and locking are only written for these two) and for a malformed one.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise ValueError(
            f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://USER@HOST/DB"
        )
    if backend != "sqlite":
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
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None (new database, no Alembic table yet)."""
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except DBAPIError:
            row = None
        conn.rollback()
    return str(row[0]) if row else None


def upgrade(engine: Engine) -> None:
    """Bring the schema to Alembic ``head``: cheap when it already is, safe when racing."""
    if _current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    cfg = _alembic_config()
    with writer(engine) as conn, conn.begin():
        lock_for_writing(conn, MIGRATION_LOCK)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
