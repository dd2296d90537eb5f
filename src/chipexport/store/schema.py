"""The tables behind :class:`chipexport.store.Store`, as typed SQLAlchemy 2 ORM models.

These models describe the *current* schema for queries; the schema itself is created and
evolved only by the Alembic migrations in ``store/migrations`` (never ``create_all``), so an
existing database and a fresh one always end up identical.

Every list load adds a new :class:`ListVersionRow` per source and keeps the old ones: a later
step diffs two versions of a list and re-screens the parties whose matches may have changed.
Exactly one version per source is ``active`` (enforced by a partial unique index).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Normalised fields are queried (by country, programme...) so PostgreSQL gets JSONB; the raw
# record stays plain JSON there, which keeps the list's own key order for auditors.
FIELDS_JSON = JSON().with_variant(JSONB(), "postgresql")
RAW_JSON = JSON()
# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
ROW_ID = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base for the store's tables."""


class ListVersionRow(Base):
    """One loaded version of one list source (e.g. the Entity List as of 2026-07-31)."""

    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(64))
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the file the source came from
    content_digest: Mapped[str] = mapped_column(String(64))  # sha256 over this source's entries
    origin: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    entry_count: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_list_versions_source", "source"),
        Index(
            "uq_list_versions_one_active",
            "source",
            unique=True,
            postgresql_where=active == true(),
            sqlite_where=active == true(),
        ),
    )


class EntryRow(Base):
    """One entry of one list version; ``fields`` holds the normalised ListEntry attributes."""

    __tablename__ = "list_entries"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("list_versions.id", ondelete="CASCADE"), nullable=False
    )
    ordinal: Mapped[int] = mapped_column(Integer)  # position in the list file
    source: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict[str, Any]] = mapped_column(FIELDS_JSON)
    raw: Mapped[dict[str, Any]] = mapped_column(RAW_JSON)

    __table_args__ = (
        # (version_id, ordinal) also serves every "entries of version V" query.
        Index("ix_list_entries_version", "version_id", "ordinal"),
        Index("uq_list_entries_version_entry", "version_id", "entry_id", unique=True),
        Index("ix_list_entries_source_entry", "source", "entry_id"),
    )
