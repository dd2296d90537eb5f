"""The persistent store of restricted-party lists (SQLite by default, PostgreSQL too).

A load never edits the lists screening is using: it writes a complete new version of each source
beside the old one and flips the ``active`` flags in the same transaction. Readers therefore see
either the old lists or the new ones, never a mix, and a load that fails anywhere (bad snapshot,
database error, interrupted process) leaves the previous lists active and intact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Row, Table, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from chipexport.config import database_url
from chipexport.errors import ChipexportError
from chipexport.model import ListEntry, ListSnapshot
from chipexport.store.codec import content_digest, entry_from_row, entry_row
from chipexport.store.engine import LOAD_LOCK, lock_for_writing, make_engine, upgrade, writer
from chipexport.store.schema import Base

Progress = Callable[[int, int], None]
# Called inside a load's transaction, after the swap: (connection, active before, results).
# Whatever it writes (the list_change audit record, the re-screen owed) commits with the swap.
InSwap = Callable[[Connection, "list[ListVersion]", "list[ListVersion]"], None]
_VERSIONS: Table = Base.metadata.tables["list_versions"]
_ENTRIES: Table = Base.metadata.tables["list_entries"]
_ENTRY_COLUMNS = (
    _ENTRIES.c.source,
    _ENTRIES.c.entry_id,
    _ENTRIES.c.name,
    _ENTRIES.c.fields,
    _ENTRIES.c.raw,
)
# Rows per executemany: large enough to amortise round trips, small enough for steady progress.
BATCH_ROWS = 2000


class StoreError(ChipexportError, ValueError):
    """A snapshot the store refuses to load; ``str()`` is a one-line message for users."""


class StoreUnavailable(StoreError):
    """The database cannot be opened or upgraded (bad URL, server down, unwritable file)."""

    status = 503


@dataclass(frozen=True, slots=True)
class ListVersion:
    """One stored version of one list source.

    ``unchanged`` is only ever True in the result of :meth:`Store.replace_lists`: it says the
    snapshot equalled the active version, so nothing was written for that source.
    """

    id: int
    source: str
    title: str | None
    version: str
    checksum: str
    content_digest: str
    origin: str
    loaded_at: datetime
    entry_count: int
    active: bool
    superseded_at: datetime | None = None
    unchanged: bool = False

    def as_json(self) -> dict[str, Any]:
        """The list-status object ``lists status --json`` and ``GET /v1/lists`` both print."""
        return {
            "source": self.source,
            "title": self.title,
            "version": self.version,
            "entries": self.entry_count,
            "loaded_at": self.loaded_at.isoformat(),
            "checksum": self.checksum,
            "content_digest": self.content_digest,
            "origin": self.origin,
        }


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # ValueError: a malformed port
        return "(unparseable URL)"


def _first_line(exc: BaseException) -> str:
    """Driver errors span several lines (SQL, hints); users get the first."""
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip().splitlines()
    return text[0] if text else type(inner).__name__


def _utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything the store writes is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _version(row: Row[Any]) -> ListVersion:
    loaded_at = _utc(row.loaded_at)
    assert loaded_at is not None
    return ListVersion(
        id=row.id,
        source=row.source,
        title=row.title,
        version=row.version,
        checksum=row.checksum,
        content_digest=row.content_digest,
        origin=row.origin,
        loaded_at=loaded_at,
        entry_count=row.entry_count,
        active=bool(row.active),
        superseded_at=_utc(row.superseded_at),
    )


def _prepare(snapshots: Sequence[ListSnapshot]) -> list[tuple[ListSnapshot, list[dict[str, Any]]]]:
    """Check every snapshot and build its rows before the database is touched."""
    seen: set[str] = set()
    prepared = []
    for snap in snapshots:
        if snap.source in seen:
            raise StoreError(f"{snap.origin}: source {snap.source!r} given twice in one load")
        seen.add(snap.source)
        if not snap.entries:
            raise StoreError(f"{snap.origin}: source {snap.source!r} has no entries")
        ids: set[str] = set()
        rows = []
        for ordinal, entry in enumerate(snap.entries):
            if entry.source != snap.source:
                raise StoreError(
                    f"{snap.origin}: entry {entry.entry_id!r} has source {entry.source!r}, "
                    f"expected {snap.source!r}"
                )
            if entry.entry_id in ids:
                raise StoreError(f"{snap.origin}: duplicate entry id {entry.entry_id!r}")
            ids.add(entry.entry_id)
            rows.append(entry_row(entry, 0, ordinal))
        prepared.append((snap, rows))
    return prepared


class Store:
    """Restricted-party lists in a database: load atomically, query the active versions.

    ``url`` is any SQLAlchemy URL (``sqlite:///...``, ``postgresql+psycopg://...``); None means
    :func:`chipexport.config.database_url`. Opening brings the schema up to date.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        try:
            self.engine = make_engine(self.url)
            upgrade(self.engine)
        except (SQLAlchemyError, OSError, ValueError, ImportError) as exc:
            # ValueError: a malformed URL or another backend; ImportError: a driver we do not ship
            raise StoreUnavailable(
                f"cannot open database {_safe(self.url)}: {_first_line(exc)}"
            ) from exc

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------

    def replace_lists(
        self,
        snapshots: Sequence[ListSnapshot],
        progress: Progress | None = None,
        in_swap: InSwap | None = None,
    ) -> list[ListVersion]:
        """Make each snapshot the active version of its source, all or nothing.

        Sources not among ``snapshots`` keep their active version. A snapshot whose entries equal
        the active version's (same version string and content digest) writes nothing and comes
        back with ``unchanged=True``. ``progress(done, total)`` counts entries. ``in_swap`` runs
        in the same transaction after the swap (see :data:`InSwap`).
        """
        prepared = _prepare(snapshots)
        total = sum(len(rows) for _, rows in prepared)
        done = 0
        if progress:
            progress(done, total)
        results: list[ListVersion] = []
        now = datetime.now(UTC)
        with writer(self.engine) as conn, conn.begin():
            lock_for_writing(conn, LOAD_LOCK)
            active = {v.source: v for v in self._active(conn)}
            for snap, rows in prepared:
                digest = content_digest(rows)
                current = active.get(snap.source)
                if current and current.content_digest == digest and current.version == snap.version:
                    results.append(replace(current, unchanged=True))
                else:
                    results.append(
                        self._insert_version(conn, snap, rows, digest, now, progress, done, total)
                    )
                done += len(rows)
                if progress:
                    progress(done, total)
            if in_swap is not None:
                in_swap(conn, list(active.values()), results)
        return results

    def _insert_version(
        self,
        conn: Connection,
        snap: ListSnapshot,
        rows: list[dict[str, Any]],
        digest: str,
        now: datetime,
        progress: Progress | None,
        done: int,
        total: int,
    ) -> ListVersion:
        values: dict[str, Any] = {
            "source": snap.source,
            "title": snap.title,
            "version": snap.version,
            "checksum": snap.checksum,
            "content_digest": digest,
            "origin": snap.origin,
            "loaded_at": now,
            "entry_count": len(rows),
            "active": False,
        }
        version_id = conn.execute(insert(_VERSIONS).returning(_VERSIONS.c.id), values).scalar_one()
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            for row in batch:
                row["version_id"] = version_id
            conn.execute(insert(_ENTRIES), batch)
            if progress:
                progress(done + start + len(batch), total)
        # Deactivate before activating: the partial unique index allows one active per source.
        conn.execute(
            update(_VERSIONS)
            .where(_VERSIONS.c.source == snap.source, _VERSIONS.c.active)
            .values(active=False, superseded_at=now)
        )
        conn.execute(update(_VERSIONS).where(_VERSIONS.c.id == version_id).values(active=True))
        return ListVersion(id=version_id, **{**values, "active": True})

    # -- reading -------------------------------------------------------------------------------

    @staticmethod
    def _active(conn: Connection) -> list[ListVersion]:
        query = select(_VERSIONS).where(_VERSIONS.c.active).order_by(_VERSIONS.c.source)
        return [_version(row) for row in conn.execute(query)]

    def list_status(self) -> list[ListVersion]:
        """The active version of every source, by source code."""
        with self.engine.connect() as conn:
            return self._active(conn)

    def versions(self, source: str) -> list[ListVersion]:
        """Every stored version of ``source``, oldest first."""
        query = select(_VERSIONS).where(_VERSIONS.c.source == source).order_by(_VERSIONS.c.id)
        with self.engine.connect() as conn:
            return [_version(row) for row in conn.execute(query)]

    def active_entries(self, sources: Collection[str] | None = None) -> list[ListEntry]:
        """The entries of the active versions (of ``sources`` only, if given), in list order."""
        with self.engine.connect() as conn:
            active = self._active(conn)
            wanted = [v.id for v in active if sources is None or v.source in sources]
            if not wanted:
                return []
            # Filtering on version ids (not a join on source) lets SQLite use the version index.
            query = (
                select(*_ENTRY_COLUMNS)
                .where(_ENTRIES.c.version_id.in_(wanted))
                .order_by(_ENTRIES.c.source, _ENTRIES.c.ordinal)
            )
            return [entry_from_row(*row) for row in conn.execute(query)]

    def entries(self, version_id: int) -> list[ListEntry]:
        """The entries of one stored version (active or not), in list order."""
        query = (
            select(*_ENTRY_COLUMNS)
            .where(_ENTRIES.c.version_id == version_id)
            .order_by(_ENTRIES.c.ordinal)
        )
        with self.engine.connect() as conn:
            return [entry_from_row(*row) for row in conn.execute(query)]

    def active_fingerprint(self) -> str:
        """A digest of which versions are active: any load that changes a list changes it.

        Screening uses it as a cache key for its name index, so it must be cheap (one query).
        """
        digest = hashlib.sha256()
        for version in self.list_status():
            digest.update(
                f"{version.source}\x1f{version.id}\x1f{version.content_digest}\x1e".encode()
            )
        return digest.hexdigest()
