"""Screened parties and review cases: a possible match opens a case, an analyst decides it.

A *false positive* decision is a "good-guy" rule for exactly one party–entry pair: while the
entry's content hash is the one the analyst saw and the decision has not expired, a screen of
that party moves the match to ``cleared_matches`` instead of reporting it. When the entry
changes (new alias, new address, new licence requirement) or the decision expires, the next
screen or re-screen re-opens the case, because the analyst's reasoning may no longer hold.
Every case event is an audit record in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from chipexport.errors import ChipexportError
from chipexport.store.audit import Chain, chained
from chipexport.store.case_views import (
    CASES,
    PARTIES,
    STATUSES,
    all_parties,
    as_utc,
    cleared_entries,
    clears,
    count_cases,
    get_case,
    list_cases,
    party_cases,
    party_key,
)
from chipexport.store.schema import MAX_ROW_ID
from chipexport.store.vocabulary import DECISIONS

__all__ = [
    "DECISIONS",
    "STATUSES",
    "CaseError",
    "Review",
    "all_parties",
    "cleared_entries",
    "count_cases",
    "dispose",
    "get_case",
    "list_cases",
    "party_cases",
    "party_key",
    "review_matches",
    "upsert_party",
]


class CaseError(ChipexportError):
    """A case that does not exist or a decision that cannot be recorded."""


def upsert_party(chain: Chain, name: str, country: str | None, now: datetime) -> int:
    """The id of the party, recording it on first sight and touching it on every screen."""
    key = party_key(name, country)
    conn = chain.conn
    row = conn.execute(select(PARTIES.c.id).where(PARTIES.c.party_key == key)).first()
    if row is not None:
        conn.execute(update(PARTIES).where(PARTIES.c.id == row.id).values(last_screened_at=now))
        return int(row.id)
    values = {
        "party_key": key,
        "name": name,
        "country": country,
        "first_screened_at": now,
        "last_screened_at": now,
    }
    return int(conn.execute(insert(PARTIES).returning(PARTIES.c.id), values).scalar_one())


@dataclass
class Review:
    """What the case check made of one screen's matches."""

    matches: list[dict[str, Any]] = field(default_factory=list)
    cleared: list[dict[str, Any]] = field(default_factory=list)
    opened: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)


def _event(chain: Chain, kind: str, actor: str, case_id: int, body: dict[str, Any]) -> None:
    chain.append(kind, actor, {"case": case_id, **body}, subject=f"case:{case_id}")


def _open_case(
    chain: Chain, party_id: int, match: dict[str, Any], content_hash: str, actor: str,
    now: datetime,
) -> int:
    values = {
        "party_id": party_id,
        "source": match["source"],
        "entry_id": match["entity_id"],
        "entry_name": match["name"],
        "content_hash": content_hash,
        "score": match["score"],
        "status": "open",
        "opened_at": now,
        "updated_at": now,
    }
    case_id = int(chain.conn.execute(insert(CASES).returning(CASES.c.id), values).scalar_one())
    _event(chain, "case_opened", actor, case_id, {"match": match, "entry_hash": content_hash})
    return case_id


def _cleared(row: Any, match: dict[str, Any]) -> dict[str, Any]:
    decided, expires = as_utc(row.decided_at), as_utc(row.expires_at)
    case = {
        "id": row.id,
        "status": row.status,
        "reason": row.reason,
        "decided_by": row.decided_by,
        "decided_at": decided.isoformat() if decided else None,
        "expires_at": expires.isoformat() if expires else None,
    }
    return {**match, "case": case}


def _revisit(
    chain: Chain, row: Any, match: dict[str, Any], content_hash: str, actor: str, now: datetime
) -> str:
    """A case whose entry changed, or whose false-positive decision lapsed: re-open or note it.

    Returns the case's status afterwards. A changed entry re-opens a false positive (the
    analyst judged other content); a true match or an escalation keeps its status, noted.
    """
    changed = row.content_hash != content_hash
    status = "open" if row.status == "false_positive" else row.status
    chain.conn.execute(
        update(CASES)
        .where(CASES.c.id == row.id)
        .values(status=status, content_hash=content_hash, score=match["score"], updated_at=now)
    )
    kind = "case_reopened" if status == "open" and row.status != "open" else "case_changed"
    body = {
        "why": "list entry changed since the decision" if changed else "decision expired",
        "was": row.status,
        "status": status,
        "match": match,
        "entry_hash": content_hash,
        "previous_entry_hash": row.content_hash,
    }
    _event(chain, kind, actor, row.id, body)
    return status


def review_matches(
    chain: Chain,
    party_id: int,
    found: list[tuple[dict[str, Any], str]],
    *,
    actor: str,
    now: datetime,
    open_at: float,
) -> Review:
    """Sort ``(match JSON, entry content hash)`` pairs into reported and cleared matches.

    Matches scoring ``open_at`` or more without a case open one; each reported match gets a
    ``case`` object (id and status) when there is a case for it.
    """
    review = Review()
    for match, content_hash in found:
        row = chain.conn.execute(
            select(CASES).where(
                CASES.c.party_id == party_id,
                CASES.c.source == match["source"],
                CASES.c.entry_id == match["entity_id"],
            )
        ).first()
        if row is None:
            if match["score"] < open_at:
                review.matches.append(match)
                continue
            case_id = _open_case(chain, party_id, match, content_hash, actor, now)
            review.opened.append(case_id)
            review.matches.append({**match, "case": {"id": case_id, "status": "open"}})
            continue
        if clears(row.status, row.expires_at, row.content_hash, content_hash, now):
            review.cleared.append(_cleared(row, match))
            continue
        status = row.status
        if row.content_hash != content_hash or row.status == "false_positive":
            status = _revisit(chain, row, match, content_hash, actor, now)
            if status == "open" and row.status != "open":
                review.reopened.append(row.id)
        review.matches.append({**match, "case": {"id": row.id, "status": status}})
    return review


def dispose(
    engine: Engine,
    case_id: int,
    decision: str,
    reason: str,
    evidence: list[str],
    expires_at: datetime | None,
    actor: str,
) -> dict[str, Any]:
    """Record an analyst's decision on a case; returns the case as :func:`get_case` does."""
    if decision not in DECISIONS:
        raise CaseError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
    if not 0 < case_id <= MAX_ROW_ID:
        raise CaseError(f"no case {case_id}")
    now = datetime.now(UTC)
    with chained(engine) as chain:
        row = chain.conn.execute(select(CASES).where(CASES.c.id == case_id)).first()
        if row is None:
            raise CaseError(f"no case {case_id}")
        status = DECISIONS[decision]
        values: dict[str, Any] = {
            "status": status,
            "reason": reason,
            "evidence": evidence,
            "decided_by": actor,
            "decided_at": now,
            "expires_at": expires_at if status == "false_positive" else None,
            "updated_at": now,
        }
        chain.conn.execute(update(CASES).where(CASES.c.id == case_id).values(**values))
        _event(
            chain,
            "disposition",
            actor,
            case_id,
            {
                "decision": decision,
                "was": row.status,
                "status": status,
                "reason": reason,
                "evidence": evidence,
                "expires_at": values["expires_at"].isoformat() if values["expires_at"] else None,
                "entry": {"source": row.source, "entity_id": row.entry_id},
                "entry_hash": row.content_hash,
            },
        )
    found = get_case(engine, case_id)
    assert found is not None
    return found
