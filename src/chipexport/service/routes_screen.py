"""``POST /v1/screen``: the CLI's row objects in, the CLI's output objects out, each audited.

A batch is screened item by item, then stored in one transaction: a request is answered and
recorded whole, or (a database failure, a server killed half-way) not recorded at all, and the
chain stays whole either way; each output row carries ``audit.seq`` as the receipt. Matches
that an unexpired false-positive decision clears for this exact entry content move to
``cleared_matches``; the others carry their ``case``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from chipexport.determine.ownership import owners_screened
from chipexport.service.auth import Viewer
from chipexport.service.bodies import objects, validate_all
from chipexport.service.deps import IndexDep, SettingsDep, StoreDep
from chipexport.service.errors import ApiError, shorten
from chipexport.service.openapi import one_or_many
from chipexport.service.schemas import ScreenAnswer, ScreenItem, error_responses
from chipexport.store.keys import ApiKey
from chipexport.store.ownership import ownership_links
from chipexport.store.screened import screen_and_record_all

router = APIRouter(tags=["screening"])

_EXAMPLE = {"id": "row-17", "name": "Huawei Technologies Co Ltd", "country": "CN"}


def _sources(lists: str | None, known: frozenset[str]) -> frozenset[str] | None:
    if not lists:
        return None
    wanted = frozenset(code.strip().upper() for code in lists.split(",") if code.strip())
    unknown = sorted(wanted - known)
    if unknown:
        raise ApiError(
            422,
            f"query:lists: unknown list code(s) {shorten(', '.join(unknown))}; "
            f"loaded: {', '.join(sorted(known))}",
            "query:lists",
        )
    return wanted or None


@router.post(
    "/v1/screen",
    openapi_extra=one_or_many(ScreenItem, _EXAMPLE),
    response_model=ScreenAnswer | list[ScreenAnswer],
    response_model_exclude_unset=True,
    summary="Screen one party or a list of parties against the loaded lists",
    responses=error_responses(401, 403, 413, 422, 429, 503),
)
async def screen(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    index: IndexDep,
    key: ApiKey = Viewer,
    threshold: float | None = Query(
        None, ge=0.0, le=1.0, description="Report scores >= this (default: calibrated)."
    ),
    lists: str | None = Query(
        None, max_length=500, description="Only these lists, e.g. EL,SDN (default: all)."
    ),
) -> Any:
    """Body: a screen object (``id``, ``name``, optional ``country``, optional ``data``) or a
    list of them (at most ``CHIPEXPORT_MAX_BATCH``). Answer: the same shape, in input order."""
    data, single = objects(await request.body(), settings.max_batch)
    items = validate_all(data, single, ScreenItem)
    request.app.state.cost_budget.spend(key.name, len(items))  # 429: key over its budget
    ctx = index.current()
    sources = _sources(lists, ctx.index.sources())
    batch_id = uuid.uuid4().hex

    def work() -> list[dict[str, Any]]:
        return screen_and_record_all(
            store.engine,
            ctx,
            [item.model_dump(exclude_none=True) for item in items],
            actor=key.name,
            threshold=threshold,
            sources=sources,
            extras=[] if single else [
                {"batch": {"id": batch_id, "index": n, "size": len(items)}}
                for n in range(len(items))
            ],
        )

    def owners(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each name's owners from the ownership data in the store, screened too: a clean
        name owned by a listed company is not clean (``chipexport ownership load``)."""
        links = ownership_links(store.engine)
        if not links:
            return rows
        today = datetime.now(UTC).date()

        def screen_owner(name: str, country: str | None) -> Any:
            return ctx.index.screen(name, country=country, threshold=threshold,
                                    sources=sources).matches

        return [{**row, "owners": owners_screened(links, str(row.get("name", "")), today,
                                                  screen_owner)} for row in rows]

    rows = await run_in_threadpool(lambda: owners(work()))
    return rows[0] if single else rows
