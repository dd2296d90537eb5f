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
    Float,
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
# The largest id or sequence number either database stores (a signed 64-bit integer). A larger
# one given by a caller names no row; passing it to the driver fails (SQLite: OverflowError),
# so lookups answer "not found" and "after" filters are clamped to it instead.
MAX_ROW_ID = 2**63 - 1


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


# -- service tables (revision 0002): API keys, the audit chain, screened parties, review cases ----


class ApiKeyRow(Base):
    """An API key: only the sha256 of the token is kept, so a database leak reveals no key."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, to recognise a key
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("uq_api_keys_token_hash", "token_hash", unique=True),
        Index("uq_api_keys_name", "name", unique=True),
    )


class AuditRow(Base):
    """One append-only audit record, chained to the one before by ``hash``.

    ``body`` is the canonical JSON of the record's payload as hashed; it is stored as text (not
    JSON/JSONB) so that verification hashes exactly the bytes that were hashed at insertion.
    """

    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC, as hashed
    subject: Mapped[str | None] = mapped_column(String(255))
    ref: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_records_kind", "kind", "seq"),
        Index("ix_audit_records_subject", "subject", "seq"),
        Index("ix_audit_records_ref", "ref", "seq"),
    )


class PartyRow(Base):
    """A party (name + country) screened at least once: re-screened when lists change."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    party_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    first_screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("uq_parties_party_key", "party_key", unique=True),)


class CaseRow(Base):
    """A possible match of a party to a list entry, and the analyst's current decision on it.

    ``content_hash`` is the entry's hash when the case was last opened: a false-positive
    decision only clears matches against that exact entry content, before ``expires_at``.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    party_id: Mapped[int] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), nullable=False
    )
    source: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str] = mapped_column(String(255))
    entry_name: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[Any] | None] = mapped_column(JSON())
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("uq_cases_party_entry", "party_id", "source", "entry_id", unique=True),
        Index("ix_cases_status", "status", "id"),
    )


class OwnershipRow(Base):
    """One ownership link loaded with ``chipexport ownership load`` (see store/ownership.py).

    ``dataset`` names the load it came from: loading the same dataset again replaces its links,
    other datasets stay.
    """

    __tablename__ = "ownership_links"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(255))
    owner: Mapped[str] = mapped_column(Text)
    asset: Mapped[str] = mapped_column(Text)
    percent: Mapped[float | None] = mapped_column(Float)
    start: Mapped[str | None] = mapped_column(String(10))  # ISO dates, open ends as NULL
    end: Mapped[str | None] = mapped_column(String(10))
    owner_id: Mapped[str | None] = mapped_column(String(255))
    asset_id: Mapped[str | None] = mapped_column(String(255))
    owner_country: Mapped[str | None] = mapped_column(String(2))
    source: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_ownership_links_dataset", "dataset"),)


class PendingRescreenRow(Base):
    """Re-screening owed after a list change, committed with the change and its audit record.

    A load that changes lists commits the new versions, the ``list_change`` record and this
    row together; the re-screen itself runs afterwards, party by party, moving
    ``next_party_id`` on. A process killed half-way leaves the row unfinished and the next
    ``serve`` or CLI command that opens the store finishes it. ``wanted`` holds the
    ``[source, entry_id]`` pairs that were added or modified: only matches to those are new.
    """

    __tablename__ = "pending_rescreens"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    list_change_seq: Mapped[int] = mapped_column(ROW_ID)
    actor: Mapped[str] = mapped_column(String(128))
    wanted: Mapped[list[Any]] = mapped_column(JSON())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_party_id: Mapped[int] = mapped_column(ROW_ID, default=0)  # parties after it are owed
    parties_done: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON())
    claimed_by: Mapped[str | None] = mapped_column(String(128))  # "host:pid" of the worker
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_pending_rescreens_finished", "finished_at", "id"),)
