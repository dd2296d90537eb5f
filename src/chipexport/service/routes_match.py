"""``POST /match/{dataset}``: yente's matching API, answered by chipexport's screening.

Tools written for OpenSanctions' yente (``POST /match/default`` with ``queries`` of
FollowTheMoney-style examples) can point at a chipexport server instead: the request and the
response have yente's shape (``responses`` -> ``results`` of scored entities with ``score``,
``match`` and ``explanations``). Each name of each example is screened and recorded in the
audit trail like ``/v1/screen`` (it needs a viewer key too); the best score per list entry is
returned. ``dataset`` is ``default`` (every loaded list) or list codes joined by commas
(``SDN,EL``). The ``algorithm``, ``weights`` and ``config`` of a yente request are accepted and
ignored: chipexport has one scorer, calibrated on its own (``docs/screening.md``). See
``docs/api.md`` ("yente-compatible matching").
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from chipexport.screening import DEFAULT_THRESHOLD
from chipexport.service.auth import Viewer
from chipexport.service.errors import ApiError, shorten
from chipexport.service.schemas import error_responses
from chipexport.store.keys import ApiKey
from chipexport.store.screened import screen_and_record_all

router = APIRouter(tags=["screening"])

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
COUNTRY_PROPS = ("country", "jurisdiction", "nationality", "citizenship", "mainCountry")
MAX_NAMES = 5  # names screened per example (its first ones)
MAX_QUERIES = 100  # yente's default batch limit


class EntityExample(BaseModel):
    """One example entity, as yente takes it (FollowTheMoney ``schema`` + ``properties``)."""

    model_config = ConfigDict(populate_by_name=True)
    id: str | None = None
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, str | list[Any]] = Field(..., examples=[{"name": ["Huawei"]}])


class EntityMatchQuery(BaseModel):
    """yente's request body."""

    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


def _values(example: EntityExample, props: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for prop in props:
        raw = example.properties.get(prop, [])
        for value in [raw] if isinstance(raw, str) else raw:
            if isinstance(value, str) and value.strip() and value.strip() not in out:
                out.append(value.strip())
    return out


def _names(example: EntityExample) -> list[str]:
    names = _values(example, NAME_PROPS)
    if not names:  # a Person given as firstName + lastName only
        parts = _values(example, ("firstName", "middleName", "lastName"))
        names = [" ".join(parts)] if parts else []
    return names[:MAX_NAMES]


def _country(example: EntityExample) -> str | None:
    for value in _values(example, COUNTRY_PROPS):
        if len(value) == 2 and value.isalpha():
            return value.upper()
    return None


def _entity(match: dict[str, Any], threshold: float) -> dict[str, Any]:
    """A chipexport match as yente's ``ScoredEntityResponse``."""
    names = [match["name"]]
    if match.get("matched_name") and match["matched_name"] != match["name"]:
        names.append(match["matched_name"])
    properties: dict[str, list[str]] = {"name": names[:1], "alias": names[1:]}
    properties["country"] = [c.lower() for c in match.get("countries", [])]
    notices = match.get("federal_register_notice")
    if notices:
        properties["notes"] = [f"Federal Register: {notices}"]
    score = float(match["score"])
    return {
        "id": str(match["entity_id"]),
        "caption": match["name"],
        "schema": "LegalEntity",
        "properties": {k: v for k, v in properties.items() if v},
        "datasets": [str(match["source"]).lower()],
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
        "score": score,
        "match": score >= threshold,
        "explanations": {
            "chipexport": {"score": score, "detail": "; ".join(match.get("explanation", []))}
        },
    }


def _sources(dataset: str, known: frozenset[str]) -> frozenset[str] | None:
    if dataset.lower() in ("default", "all", "sanctions"):
        return None
    wanted = frozenset(code.strip().upper() for code in dataset.split(",") if code.strip())
    unknown = sorted(wanted - known)
    if unknown or not wanted:
        raise ApiError(
            404,
            f"path:dataset: unknown dataset {shorten(', '.join(unknown) or dataset)}; "
            f"use 'default' or list codes of: {', '.join(sorted(known))}",
            "path:dataset",
        )
    return wanted


@router.post(
    "/match/{dataset}",
    summary="Query-by-example matching in yente's request and response shape",
    responses=error_responses(401, 403, 404, 413, 422, 503),
)
async def match(
    request: Request,
    body: EntityMatchQuery,
    key: ApiKey = Viewer,
    dataset: str = Path(..., max_length=200, description="'default' or list codes: SDN,EL"),
    limit: int = Query(5, ge=1, le=500, description="Results per example."),
    threshold: float = Query(
        DEFAULT_THRESHOLD, ge=0.0, le=1.0, description="Score at which `match` is true."
    ),
    cutoff: float | None = Query(
        None, ge=0.0, le=1.0, description="Lowest score returned (default: threshold)."
    ),
    algorithm: str | None = Query(None, max_length=100, description="Accepted, ignored."),
    include_dataset: list[str] = Query(  # noqa: B008 - FastAPI's way to declare it
        [], description="Only results from these lists (codes)."
    ),
    exclude_dataset: list[str] = Query([], description="No results from these lists."),  # noqa: B008
    topics: list[str] = Query([], description="Accepted, ignored."),  # noqa: B008
) -> dict[str, Any]:
    """Body: ``{"queries": {"q1": {"schema": "Person", "properties": {"name": [...],
    "nationality": [...]}}}}``. Answer: ``{"responses": {"q1": {"status": 200, "results":
    [...], "total": {...}, "query": {...}}}, "limit": 5}``."""
    state = request.app.state
    if len(body.queries) > MAX_QUERIES:
        raise ApiError(413, f"body:queries: at most {MAX_QUERIES} queries", "body:queries")
    ctx = state.index.current()
    sources = _sources(dataset, ctx.index.sources())
    if include_dataset:
        sources = frozenset(s.upper() for s in include_dataset) & (sources or ctx.index.sources())
    if exclude_dataset:
        sources = (sources or ctx.index.sources()) - {s.upper() for s in exclude_dataset}
    lowest = min(threshold, cutoff if cutoff is not None else threshold)
    items: list[dict[str, Any]] = []
    for qid, example in body.queries.items():
        names = _names(example)
        if not names:
            raise ApiError(422, f"body:queries.{shorten(qid)}: no name property", f"queries.{qid}")
        country = _country(example)
        for name in names:
            item: dict[str, Any] = {"id": qid, "name": name, "data": {"match": dataset}}
            items.append({**item, "country": country} if country else item)

    def work() -> list[dict[str, Any]]:
        return screen_and_record_all(
            state.store.engine, ctx, items, actor=key.name, threshold=lowest, sources=sources
        )

    rows = await run_in_threadpool(work)
    responses: dict[str, Any] = {}
    for qid, example in body.queries.items():
        best: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            if row["id"] != qid:
                continue
            for m in row["matches"]:
                k = (m["source"], m["entity_id"])
                if k not in best or m["score"] > best[k]["score"]:
                    best[k] = m
        ranked = sorted(best.values(), key=lambda m: -float(m["score"]))
        responses[qid] = {
            "status": 200,
            "results": [_entity(m, threshold) for m in ranked[:limit]],
            "total": {"value": len(ranked), "relation": "eq"},
            "query": {
                "id": example.id,
                "schema": example.schema_,
                "properties": {
                    k: [v] if isinstance(v, str) else v for k, v in example.properties.items()
                },
            },
        }
    return {"responses": responses, "limit": limit}
