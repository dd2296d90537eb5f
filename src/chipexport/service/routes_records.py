"""Reading what was decided: screening and determination history, the audit chain, cases;
and the one write analysts make, a disposition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from chipexport.service.answers import (
    AuditRecordOut,
    CaseDetail,
    CaseOut,
    CasesAnswer,
    HeadAnswer,
    HistoryAnswer,
    VerifyAnswer,
)
from chipexport.service.auth import Analyst, Viewer
from chipexport.service.deps import SettingsDep, StoreDep
from chipexport.service.errors import ApiError, shorten
from chipexport.service.schemas import Disposition, error_responses
from chipexport.store import audit
from chipexport.store.cases import STATUSES, count_cases, dispose, get_case, list_cases
from chipexport.store.chain_head import HeadError, check_known_head, signed_head
from chipexport.store.keys import ApiKey
from chipexport.store.schema import MAX_ROW_ID
from chipexport.store.vocabulary import KINDS

router = APIRouter(responses=error_responses(401, 403, 404, 422))


def _row_id() -> Any:
    """A path id: larger ids name no row (and the databases cannot hold them). A fresh
    ``Path`` per parameter: FastAPI binds a shared one to the first parameter's name."""
    return Path(ge=1, le=MAX_ROW_ID)



@router.get("/v1/history", tags=["history"], summary="Audit records, oldest first",
            response_model=HistoryAnswer)
def history(
    store: StoreDep,
    key: ApiKey = Viewer,
    kind: list[str] = Query(default=[], description=f"Any of: {', '.join(KINDS)}."),  # noqa: B008
    ref: str | None = Query(None, max_length=255, description="Your id of a screened row."),
    subject: str | None = Query(None, max_length=255, description="e.g. party:3, case:7."),
    after: int = Query(0, ge=0, le=MAX_ROW_ID, description="Records after this sequence number."),
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    """Screenings, checks, case events and list changes, each with who, when and its hash."""
    kind = [k for k in kind if k]  # an empty ``kind=`` filters nothing, like no ``kind`` at all
    unknown = [k for k in kind if k not in KINDS]
    if unknown:
        raise ApiError(422, f"query:kind: unknown kind {shorten(unknown[0])!r}", "query:kind")
    found = audit.records(
        store.engine,
        kinds=tuple(kind), subject=subject, ref=ref, after=after, limit=limit,
    )
    return {
        "records": [r.to_json() for r in found],
        "next_after": found[-1].seq if len(found) == limit else None,
    }


@router.get("/v1/history/{seq}", tags=["history"], summary="One audit record",
            response_model=AuditRecordOut)
def history_record(store: StoreDep, seq: int = _row_id(), key: ApiKey = Viewer) -> Any:
    found = audit.record(store.engine, seq)
    if found is None:
        raise ApiError(404, f"no audit record {seq}", "seq")
    return found.to_json()


@router.get("/v1/audit/verify", tags=["history"], summary="Recompute the whole hash chain",
            response_model=VerifyAnswer)
async def verify(
    store: StoreDep,
    key: ApiKey = Viewer,
    known_head: str | None = Query(
        None, max_length=100,
        description="A head kept elsewhere, `SEQ:HASH` (from an earlier answer's `head_seq` "
        "and `head`, or `/v1/audit/head`): `ok` is false unless record SEQ still has that "
        "hash, which reveals records cut from the end or a chain rewritten and re-hashed."),
) -> dict[str, Any]:
    engine = store.engine
    try:
        kept = check_known_head(engine, known_head) if known_head else None
    except HeadError as exc:
        raise ApiError(422, f"query:known_head: {exc}", "query:known_head") from None
    result = await run_in_threadpool(audit.verify, engine)
    problem = result.problem or (kept.problem if kept else None)
    return {
        "ok": problem is None,
        "records": result.count,
        "head": result.head,
        "head_seq": result.count,
        "broken_seq": result.broken_seq,
        "problem": problem,
        "known_head": kept.to_json() if kept else None,
    }


@router.get("/v1/audit/head", tags=["history"], response_model=HeadAnswer,
            summary="The chain's head, signed: publish it for an outside witness")
def head(store: StoreDep, key: ApiKey = Viewer) -> dict[str, Any]:
    """``seq``, ``hash`` and ``at`` of the newest record with an HMAC-SHA256 ``signature``
    under a key kept beside the server (not in the database). Keep it elsewhere; later,
    ``/v1/audit/verify?known_head=SEQ:HASH`` (or ``chipexport audit verify --signed-head``)
    shows whether the chain still holds it."""
    return signed_head(store.engine)


@router.get("/v1/cases", tags=["cases"], summary="Review cases (the inbox: status=open)",
            response_model=CasesAnswer)
def cases(
    store: StoreDep,
    key: ApiKey = Viewer,
    status: str | None = Query(
        None, description=f"One of: {', '.join(STATUSES)} (empty: all)."),
    after: int = Query(0, ge=0, le=MAX_ROW_ID),
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    status = status or None  # an empty ``status=`` filters nothing, like no ``status`` at all
    if status is not None and status not in STATUSES:
        raise ApiError(422, f"query:status: unknown status {shorten(status)!r}", "query:status")
    engine = store.engine
    found = list_cases(engine, status, after, limit)
    return {"cases": found, "next_after": found[-1]["id"] if len(found) == limit else None,
            "total": count_cases(engine, status)}


@router.get("/v1/cases/{case_id}", tags=["cases"], summary="One case and its history",
            response_model=CaseDetail)
def case(store: StoreDep, case_id: int = _row_id(), key: ApiKey = Viewer) -> dict[str, Any]:
    engine = store.engine
    found = get_case(engine, case_id)
    if found is None:
        raise ApiError(404, f"no case {case_id}", "case_id")
    events = audit.records(engine, subject=f"case:{case_id}", limit=1000)
    return {**found, "events": [e.to_json() for e in events]}


@router.post(
    "/v1/cases/{case_id}/disposition",
    tags=["cases"],
    summary="Record an analyst's decision: true_match, false_positive or escalate",
    response_model=CaseOut,
)
def disposition(
    store: StoreDep, settings: SettingsDep, body: Disposition, case_id: int = _row_id(),
    key: ApiKey = Analyst
) -> dict[str, Any]:
    """A false positive clears this party–entry match until ``expires_at`` or until the entry
    changes on the list, whichever comes first. The decision is an audit record."""
    engine = store.engine
    if get_case(engine, case_id) is None:
        raise ApiError(404, f"no case {case_id}", "case_id")
    expires = body.expires_at
    if body.decision == "false_positive":
        if expires is None:
            expires = datetime.now(UTC) + timedelta(days=settings.good_guy_days)
        elif expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        if expires <= datetime.now(UTC):
            raise ApiError(422, "expires_at: must be in the future", "expires_at")
    return dispose(engine, case_id, body.decision, body.reason, body.evidence, expires, key.name)
