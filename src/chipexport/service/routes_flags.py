"""``POST /v1/red-flags/resolve`` and ``GET /v1/red-flags/{transaction}``: red-flag
resolutions, kept in the audit trail and carried into every later ``/v1/check`` of the same
transaction id (see :mod:`chipexport.store.ownership`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from chipexport.determine.red_flags import normalise, vocabulary
from chipexport.errors import did_you_mean
from chipexport.service.answers import ResolutionsAnswer, StoredResolution
from chipexport.service.auth import Analyst, Viewer
from chipexport.service.deps import StoreDep
from chipexport.service.errors import ApiError
from chipexport.service.schemas import error_responses
from chipexport.store.keys import ApiKey
from chipexport.store.ownership import record_resolution, resolutions
from chipexport.store.vocabulary import MAX_REASON_CHARS, MIN_REASON_CHARS

router = APIRouter(tags=["red flags"], responses=error_responses(401, 403, 422))


class Resolution(BaseModel):
    """A person's resolution of one red flag of one transaction."""

    model_config = ConfigDict(extra="forbid")

    transaction: str = Field(min_length=1, max_length=200, description="The transaction id.")
    code: str = Field(min_length=1, max_length=80, description="The red-flag code.")
    by: str = Field(min_length=1, max_length=200, description="Who resolved it.")
    reason: str = Field(min_length=MIN_REASON_CHARS, max_length=MAX_REASON_CHARS)
    evidence: str | None = Field(default=None, max_length=MAX_REASON_CHARS)
    party: int | str | None = Field(default=None, description="Party index or name; none: all.")


@router.post("/v1/red-flags/resolve", summary="Record a red-flag resolution (audit trail)",
             response_model=StoredResolution, response_model_exclude_unset=True)
async def resolve(store: StoreDep, body: Resolution, key: ApiKey = Analyst) -> dict[str, Any]:
    """Store who resolved which flag, why and on what evidence; later checks of the same
    transaction id receive it as ``resolved_red_flags``."""
    code = normalise(body.code)
    if code not in vocabulary():
        raise ApiError(422, f"code: unknown red-flag code {body.code!r}"
                       f"{did_you_mean(code, vocabulary())}", "code")
    entry: dict[str, Any] = {"code": code, "by": body.by, "reason": body.reason}
    if body.evidence:
        entry["evidence"] = body.evidence
    if body.party is not None:
        entry["party"] = body.party
    db = store.engine
    return await run_in_threadpool(record_resolution, db, body.transaction, entry, key.name)


@router.get("/v1/red-flags/{transaction}", summary="The stored resolutions of a transaction",
            response_model=ResolutionsAnswer, response_model_exclude_unset=True)
async def stored(store: StoreDep, transaction: str, key: ApiKey = Viewer) -> dict[str, Any]:
    db = store.engine
    found = await run_in_threadpool(resolutions, db, transaction)
    return {"transaction": transaction, "resolutions": found}
