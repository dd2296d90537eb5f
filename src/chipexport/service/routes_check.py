"""``POST /v1/check``: the CLI's transaction objects in, its determinations out, each audited.

Every transaction is checked before anything is stored: a transaction with a shape problem
(an unknown key, an id too long to store) or one the engine cannot determine (outcome
``ERROR``) fails the whole request with a 422 naming the field. The determinations are then
recorded in one transaction, all or none. Recording (cases, cleared matches, the audit
records) is in :mod:`chipexport.service.checking`, shared with the web form.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from chipexport.determine import Engine
from chipexport.service.auth import Viewer
from chipexport.service.bodies import objects
from chipexport.service.check_input import engine_problems, transaction_problems
from chipexport.service.checking import CheckRun, RecordingScreener, record_checks
from chipexport.service.errors import ApiError
from chipexport.service.schemas import error_responses
from chipexport.store.keys import ApiKey
from chipexport.store.ownership import all_resolutions, ownership_links, with_resolutions

router = APIRouter(tags=["determination"])


@router.post(
    "/v1/check",
    summary="Determine licence requirements for one transaction or a list of them",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"oneOf": [
                {"type": "object", "description": "A transaction as `chipexport check` reads it"},
                {"type": "array", "items": {"type": "object"}},
            ]}}},
        }
    },
    responses=error_responses(401, 403, 413, 422),
)
async def check(request: Request, key: ApiKey = Viewer) -> Any:
    """Body: a transaction (CONTRACTS.md) or a list of them. Answer: the determination(s), with
    ``cases`` (review cases of the parties' possible matches) and ``audit`` (the record)."""
    state = request.app.state
    data, single = objects(await request.body(), state.settings.max_batch)
    problems: list[tuple[str | None, str]] = []
    for i, obj in enumerate(data):
        where = "" if single else f"[{i}]."
        if not isinstance(obj, dict):
            problems.append((where.rstrip(".") or "(body)", "expected a transaction object"))
        else:
            problems += transaction_problems(obj, where)
    if problems:
        raise ApiError(422, f"{problems[0][0]}: {problems[0][1]}", problems[0][0], problems)
    db = state.store.engine
    batch_id = uuid.uuid4().hex

    def work() -> list[dict[str, Any]]:
        ctx = state.index.maybe_current()
        runs = []
        links, resolved = ownership_links(db), all_resolutions(db)  # the engine stays pure
        for i, raw in enumerate(data):
            obj = with_resolutions(resolved, raw)
            screener = RecordingScreener(db, ctx) if ctx else None
            result = Engine(screener, links).check(obj, i)
            extra = {} if single else {"batch": {"id": batch_id, "index": i, "size": len(data)}}
            runs.append(CheckRun(obj, result, screener, extra))
        failed = [
            problem
            for i, run in enumerate(runs)
            for problem in engine_problems(run.result.get("errors") or [],
                                           "" if single else f"[{i}].")
        ]
        if failed:
            field, message = failed[0]
            raise ApiError(422, f"{field}: {message}", field, failed)
        return record_checks(db, ctx, runs, key.name)

    rows = await run_in_threadpool(work)
    return rows[0] if single else rows
