"""Reading cases and parties: the analysts' inbox, one case, live false-positive decisions.

The write side (opening, re-opening, deciding) is :mod:`chipexport.store.cases`.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Table, func, select

from chipexport.store.schema import MAX_ROW_ID, Base
from chipexport.store.vocabulary import STATUSES as STATUSES

PARTIES: Table = Base.metadata.tables["parties"]
CASES: Table = Base.metadata.tables["cases"]


def party_key(name: str, country: str | None) -> str:
    """Same party for the same words and country, whatever the case and spacing."""
    text = " ".join(name.casefold().split()) + "\x1f" + (country or "").upper()
    return hashlib.sha256(text.encode()).hexdigest()


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _case_json(row: Any) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        value = as_utc(value)
        return value.isoformat() if value else None

    return {
        "id": row.id,
        "status": row.status,
        "party": {"id": row.party_id, "name": row.party_name, "country": row.party_country},
        "entry": {"source": row.source, "entity_id": row.entry_id, "name": row.entry_name,
                  "content_hash": row.content_hash},
        "score": row.score,
        "opened_at": iso(row.opened_at),
        "updated_at": iso(row.updated_at),
        "reason": row.reason,
        "evidence": row.evidence,
        "decided_by": row.decided_by,
        "decided_at": iso(row.decided_at),
        "expires_at": iso(row.expires_at),
    }


def _case_query() -> Any:
    return select(
        CASES, PARTIES.c.name.label("party_name"), PARTIES.c.country.label("party_country")
    ).join(PARTIES, PARTIES.c.id == CASES.c.party_id)


def get_case(engine: Engine, case_id: int) -> dict[str, Any] | None:
    if not 0 < case_id <= MAX_ROW_ID:
        return None
    with engine.connect() as conn:
        row = conn.execute(_case_query().where(CASES.c.id == case_id)).first()
    return _case_json(row) if row else None


def list_cases(
    engine: Engine, status: str | None = None, after: int = 0, limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Cases by id, optionally of one status (``open`` is the analysts' inbox); ``after`` an
    id (the API's keyset paging) or ``offset`` a position (the web queue's page numbers)."""
    after = min(after, MAX_ROW_ID)
    query = (_case_query().where(CASES.c.id > after).order_by(CASES.c.id)
             .offset(offset).limit(limit))
    if status is not None:
        query = query.where(CASES.c.status == status)
    with engine.connect() as conn:
        return [_case_json(row) for row in conn.execute(query)]


def count_cases(engine: Engine, status: str | None = None) -> int:
    """How many cases there are (of one status), for "showing 1-100 of 584"."""
    query = select(func.count()).select_from(CASES)
    if status is not None:
        query = query.where(CASES.c.status == status)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def all_parties(engine: Engine) -> list[tuple[int, str, str | None]]:
    """Every party screened so far: ``(id, name, country)``."""
    with engine.connect() as conn:
        query = select(PARTIES.c.id, PARTIES.c.name, PARTIES.c.country).order_by(PARTIES.c.id)
        return [(int(r.id), r.name, r.country) for r in conn.execute(query)]


def unexpired(expires_at: datetime | None, now: datetime) -> bool:
    """A decision without an expiry, or whose expiry is still ahead."""
    expires = as_utc(expires_at)
    return expires is None or expires > now


def clears(status: str, expires_at: datetime | None, decided_hash: str, entry_hash: str,
           now: datetime) -> bool:
    """Whether a case's decision clears a match to an entry whose content hash is
    ``entry_hash``: a false positive, not expired, about exactly this entry content."""
    return status == "false_positive" and unexpired(expires_at, now) and decided_hash == entry_hash


def party_cases(engine: Engine, name: str, country: str | None) -> dict[tuple[str, str], Any]:
    """``(source, entry_id) -> case`` (as :func:`get_case` gives it) of one party, read only.

    For showing what a screen *would* report (the web page's preview as the user types)
    without recording the party or opening anything.
    """
    query = _case_query().where(PARTIES.c.party_key == party_key(name, country))
    with engine.connect() as conn:
        return {(r.source, r.entry_id): _case_json(r) for r in conn.execute(query)}


def cleared_entries(engine: Engine, name: str, country: str | None) -> dict[tuple[str, str], str]:
    """``(source, entry_id) -> content hash`` of this party's live false-positive decisions."""
    now = datetime.now(UTC)
    query = (
        select(CASES.c.source, CASES.c.entry_id, CASES.c.content_hash, CASES.c.expires_at)
        .join(PARTIES, PARTIES.c.id == CASES.c.party_id)
        .where(PARTIES.c.party_key == party_key(name, country))
        .where(CASES.c.status == "false_positive")
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return {
        (r.source, r.entry_id): r.content_hash
        for r in rows
        if unexpired(r.expires_at, now)
    }
