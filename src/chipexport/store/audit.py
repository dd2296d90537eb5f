"""The append-only, hash-chained audit trail: every screen, check, case event and list change.

Each record's ``hash`` is ``sha256(prev_hash + "\\n" + header + "\\n" + body)``, where ``header``
is the canonical JSON of ``seq, kind, actor, at, subject, ref`` and ``body`` is the canonical JSON
of the payload, stored as text exactly as hashed. Changing, inserting or deleting any record
(other than cutting the chain's tail, which only the head hash kept elsewhere reveals) breaks
every later link, and :func:`verify` names the first record that no longer fits.

Appends are serialised so that concurrent requests cannot fork the chain: SQLite takes its
write lock up front (``BEGIN IMMEDIATE``), PostgreSQL a transaction-scoped advisory lock of its
own, so list loads (which hold a different lock) do not stall screening there. The record is
written in the caller's transaction: a screen's record and the cases it opens commit together
or not at all.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, select

from chipexport.store.codec import json_default
from chipexport.store.engine import lock_for_writing, writer
from chipexport.store.schema import MAX_ROW_ID, Base

AUDIT_LOCK = 0x63680003
GENESIS = "0" * 64
_AUDIT: Table = Base.metadata.tables["audit_records"]
_VERIFY_CHUNK = 1000


def canonical(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: the one serialisation that is hashed."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=json_default,
    )


def now_iso() -> str:
    """The current UTC time as the chain records it (microseconds, ``Z``; sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(
    prev_hash: str,
    seq: int,
    kind: str,
    actor: str,
    at: str,
    subject: str | None,
    ref: str | None,
    body: str,
) -> str:
    """The chain hash of one record (see the module doc)."""
    header = canonical(
        {"seq": seq, "kind": kind, "actor": actor, "at": at, "subject": subject, "ref": ref}
    )
    return hashlib.sha256(f"{prev_hash}\n{header}\n{body}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One stored record; ``body`` is the parsed payload."""

    seq: int
    kind: str
    actor: str
    at: str
    subject: str | None
    ref: str | None
    body: dict[str, Any]
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "actor": self.actor,
            "at": self.at,
            "subject": self.subject,
            "ref": self.ref,
            "body": self.body,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


class Chain:
    """Appends to the audit chain inside one locked write transaction (see :func:`chained`)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._head: tuple[int, str] | None = None

    def _current_head(self) -> tuple[int, str]:
        if self._head is None:
            row = self.conn.execute(
                select(_AUDIT.c.seq, _AUDIT.c.hash).order_by(_AUDIT.c.seq.desc()).limit(1)
            ).first()
            self._head = (row.seq, row.hash) if row else (0, GENESIS)
        return self._head

    def append(
        self,
        kind: str,
        actor: str,
        body: dict[str, Any],
        subject: str | None = None,
        ref: str | None = None,
    ) -> AuditRecord:
        """Add one record after the current head and return it (committed with the caller)."""
        last_seq, prev = self._current_head()
        seq, at, text = last_seq + 1, now_iso(), canonical(body)
        ref = ref[:255] if ref else ref
        digest = record_hash(prev, seq, kind, actor, at, subject, ref, text)
        values = {
            "seq": seq,
            "kind": kind,
            "actor": actor,
            "at": at,
            "subject": subject,
            "ref": ref,
            "body": text,
            "prev_hash": prev,
            "hash": digest,
        }
        self.conn.execute(insert(_AUDIT), values)
        self._head = (seq, digest)
        return AuditRecord(**{**values, "body": json.loads(text)})


_LOCAL_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_LOCAL_LOCKS_GUARD = threading.Lock()


def _local_lock(engine: Engine) -> threading.Lock:
    with _LOCAL_LOCKS_GUARD:
        return _LOCAL_LOCKS.setdefault(engine, threading.Lock())


@contextmanager
def chained(engine: Engine) -> Iterator[Chain]:
    """A write transaction holding the chain lock; commits on normal exit, else rolls back.

    On SQLite, threads of one process also queue on a Python lock first: SQLite's own busy
    handler sleeps in growing steps while it waits, which under 8 concurrent requests turned
    a 2 ms write into a 100+ ms tail. Other processes still wait on ``BEGIN IMMEDIATE``.
    """
    if engine.dialect.name != "sqlite":
        with writer(engine) as conn, conn.begin():
            lock_for_writing(conn, AUDIT_LOCK)
            yield Chain(conn)
        return
    with _local_lock(engine), writer(engine) as conn, conn.begin():
        yield Chain(conn)


def _record(row: Any) -> AuditRecord:
    return AuditRecord(
        seq=row.seq,
        kind=row.kind,
        actor=row.actor,
        at=row.at,
        subject=row.subject,
        ref=row.ref,
        body=json.loads(row.body),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def records(
    engine: Engine,
    *,
    kinds: tuple[str, ...] = (),
    subject: str | None = None,
    ref: str | None = None,
    after: int = 0,
    limit: int = 100,
) -> list[AuditRecord]:
    """Records after sequence number ``after``, oldest first, optionally filtered."""
    after = min(after, MAX_ROW_ID)
    query = select(_AUDIT).where(_AUDIT.c.seq > after).order_by(_AUDIT.c.seq).limit(limit)
    if kinds:
        query = query.where(_AUDIT.c.kind.in_(kinds))
    if subject is not None:
        query = query.where(_AUDIT.c.subject == subject)
    if ref is not None:
        query = query.where(_AUDIT.c.ref == ref)
    with engine.connect() as conn:
        return [_record(row) for row in conn.execute(query)]


def record(engine: Engine, seq: int) -> AuditRecord | None:
    """One record by sequence number."""
    if not 0 < seq <= MAX_ROW_ID:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(_AUDIT).where(_AUDIT.c.seq == seq)).first()
    return _record(row) if row else None


def find_hash(engine: Engine, digest: str) -> int | None:
    """The sequence number of the record with this hash, if any."""
    with engine.connect() as conn:
        seq = conn.execute(select(_AUDIT.c.seq).where(_AUDIT.c.hash == digest)).scalar()
    return int(seq) if seq is not None else None


@dataclass(frozen=True, slots=True)
class Verification:
    """The result of :func:`verify`: ``problem`` is None when the whole chain holds."""

    count: int
    head: str
    broken_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(engine: Engine) -> Verification:
    """Recompute every link, oldest first; stop at the first record that does not fit."""
    expected_seq, prev, count = 1, GENESIS, 0
    columns = [_AUDIT.c[name] for name in ("seq", "kind", "actor", "at", "subject", "ref")]
    query = select(*columns, _AUDIT.c.body, _AUDIT.c.prev_hash, _AUDIT.c.hash)
    with engine.connect() as conn:
        last = 0
        while True:
            chunk = conn.execute(
                query.where(_AUDIT.c.seq > last).order_by(_AUDIT.c.seq).limit(_VERIFY_CHUNK)
            ).all()
            if not chunk:
                break
            for row in chunk:
                problem = None
                if row.seq != expected_seq:
                    problem = f"expected record {expected_seq} next, found {row.seq} (deleted?)"
                elif row.prev_hash != prev:
                    problem = "prev_hash does not match the previous record's hash"
                else:
                    digest = record_hash(
                        prev, row.seq, row.kind, row.actor, row.at, row.subject, row.ref, row.body
                    )
                    if digest != row.hash:
                        problem = "content does not match its hash (altered)"
                if problem:
                    return Verification(count, prev, row.seq, problem)
                prev, expected_seq, count = row.hash, row.seq + 1, count + 1
            last = chunk[-1].seq
    return Verification(count, prev)
