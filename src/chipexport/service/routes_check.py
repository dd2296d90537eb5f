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
from chipexport.model.answers import CheckAnswer
from chipexport.model.problems import Problem
from chipexport.model.transaction import TransactionIn
from chipexport.service.auth import Viewer
from chipexport.service.bodies import objects
from chipexport.service.check_input import transaction_problems
from chipexport.service.checking import CheckRun, RecordingScreener, record_checks
from chipexport.service.deps import IndexDep, SettingsDep, StoreDep
from chipexport.service.errors import ApiError
from chipexport.service.limits import check_request_cost
from chipexport.service.openapi import one_or_many
from chipexport.service.schemas import error_responses
from chipexport.store.keys import ApiKey
from chipexport.store.ownership import all_resolutions, ownership_links, with_resolutions

router = APIRouter(tags=["determination"])


@router.post(
    "/v1/check",
    summary="Determine licence requirements for one transaction or a list of them",
    openapi_extra=one_or_many(TransactionIn),
    response_model=CheckAnswer | list[CheckAnswer],
    response_model_exclude_unset=True,
    responses=error_responses(401, 403, 413, 422, 429),
)
async def check(request: Request, settings: SettingsDep, store: StoreDep, index: IndexDep,
                key: ApiKey = Viewer) -> Any:
    """Body: a transaction (docs/interfaces.md) or a list of them. Answer: the determination(s),
    with ``cases`` (review cases of the parties' possible matches) and ``audit`` (the record)."""
    data, single = objects(await request.body(), settings.max_batch)
    cost = check_request_cost(data, single)  # 413/422 before any work: bounded per request
    problems: list[Problem] = []
    for i, obj in enumerate(data):
        where = "" if single else f"[{i}]."
        if not isinstance(obj, dict):
            problems.append(Problem(field=where.rstrip(".") or "(body)",
                                    message="expected a transaction object"))
        else:
            problems += transaction_problems(obj, where)
    if problems:
        raise _refusal(problems)
    request.app.state.cost_budget.spend(key.name, cost)  # 429 when this key is over budget
    db = store.engine
    batch_id = uuid.uuid4().hex

    def work() -> list[dict[str, Any]]:
        ctx = index.maybe_current()
        runs = []
        failed: list[Problem] = []
        links, resolved = ownership_links(db), all_resolutions(db)  # the engine stays pure
        for i, raw in enumerate(data):
            obj = with_resolutions(resolved, raw)
            screener = RecordingScreener(db, ctx) if ctx else None
            result, found = Engine(screener, links).check_with_problems(obj, i)
            failed.extend(p.under("" if single else f"[{i}].") for p in found)
            extra = {} if single else {"batch": {"id": batch_id, "index": i, "size": len(data)}}
            runs.append(CheckRun(obj, result, screener, extra))
        if failed:
            raise _refusal(failed)
        return record_checks(db, ctx, runs, key.name)

    rows = await run_in_threadpool(work)
    return rows[0] if single else rows


def _refusal(problems: list[Problem]) -> ApiError:
    """One 422 listing every problem; the first names the field in the message."""
    located = [(problem.field or "(body)", problem.message) for problem in problems]
    field, message = located[0]
    return ApiError(422, f"{field}: {message}", field, located)
