"""The Alembic migrations and the ORM models describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from chipexport.store import Store
from chipexport.store.engine import HEAD_REVISION, MIGRATIONS, upgrade
from chipexport.store.schema import Base


def test_migrated_schema_matches_models(store: Store) -> None:
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_open_leaves_database_at_head_and_reopening_is_harmless(store: Store) -> None:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    upgrade(store.engine)  # second run: a no-op, not an error
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
        tables = set(inspect(conn).get_table_names())
    assert {"alembic_version", "list_versions", "list_entries"} <= tables


def test_head_revision_constant_is_alembics_head() -> None:
    """The fast schema check at open compares against HEAD_REVISION: it must be the real head."""
    assert ScriptDirectory(str(MIGRATIONS)).get_current_head() == HEAD_REVISION
