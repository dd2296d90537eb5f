"""``POST /v1/check``: the CLI's transaction objects in, its determinations out, each audited.

The determination engine screens the parties itself; here it is handed a screener that drops
matches an analyst has cleared (a live false-positive decision on the same entry content) and
remembers what it reported, so that after the determination the parties are recorded, their
possible matches open cases exactly as ``/v1/screen`` does, and the record names the list
versions, the rules data versions and the engine version behind the answer.

Every transaction is checked before anything is stored: a transaction with a shape problem
or one the engine cannot determine (outcome ``ERROR``) fails the whole request with a 422.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine as DbEngine

from chipexport.determine import Engine
from chipexport.model import Match, ScreeningResult
from chipexport.model.transaction import EndUse, Owner, Party, Transaction
from chipexport.screening import DEFAULT_THRESHOLD
from chipexport.service.auth import Viewer
from chipexport.service.bodies import objects
from chipexport.service.errors import ApiError
from chipexport.service.schemas import error_responses
from chipexport.store.audit import chained
from chipexport.store.cases import cleared_entries, review_matches, upsert_party
from chipexport.store.keys import ApiKey
from chipexport.store.screened import ScreenContext, engine_info, versions_json

router = APIRouter(tags=["determination"])
_KNOWN = {
    "": {f.name for f in dataclasses.fields(Transaction)},
    "parties": {f.name for f in dataclasses.fields(Party)},
    "end_use": {f.name for f in dataclasses.fields(EndUse)},
    "owners": {f.name for f in dataclasses.fields(Owner)},
}
_RULE_PACKAGES = ("chipexport.rules", "chipexport.classify")


@cache
def rules_versions() -> dict[str, str]:
    """sha256 (first 16 hex digits) of every rules and classification data file, by path.

    The rules are data; their digests say exactly which provisions an answer was computed
    with, whatever the package version.
    """
    found: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            path = f"{prefix}/{child.name}"
            if child.is_dir() and child.name != "__pycache__":
                walk(child, path)
            elif child.name.endswith((".yaml", ".yml", ".json")):
                found[path] = hashlib.sha256(child.read_bytes()).hexdigest()[:16]

    for package in _RULE_PACKAGES:
        walk(resources.files(package), package.rsplit(".", 1)[1])
    return dict(sorted(found.items()))


def _unknown_fields(obj: dict[str, Any], where: str) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = [
        (f"{where}{k}", "unknown field") for k in obj if k not in _KNOWN[""]
    ]
    for i, party in enumerate(obj.get("parties") or []):
        if not isinstance(party, dict):
            continue  # the transaction parser names a party that is not an object
        at = f"{where}parties[{i}]"
        problems += [(f"{at}.{k}", "unknown field") for k in party if k not in _KNOWN["parties"]]
        for j, owner in enumerate(party.get("owners") or []):
            if isinstance(owner, dict):
                problems += [
                    (f"{at}.owners[{j}].{k}", "unknown field")
                    for k in owner
                    if k not in _KNOWN["owners"]
                ]
    end_use = obj.get("end_use")
    if isinstance(end_use, dict):
        problems += [
            (f"{where}end_use.{k}", "unknown field") for k in end_use if k not in _KNOWN["end_use"]
        ]
    return problems


class _RecordingScreener:
    """Screens with the shared index, drops cleared matches, remembers what it reported."""

    def __init__(self, db: DbEngine, ctx: ScreenContext) -> None:
        self.db, self.ctx = db, ctx
        self.reported: dict[tuple[str, str | None], list[tuple[dict[str, Any], str]]] = {}
        self.cleared: dict[tuple[str, str | None], list[dict[str, Any]]] = {}

    def screen(
        self,
        name: str,
        country: str | None = None,
        threshold: float | None = None,
        sources: Sequence[str] | None = None,
    ) -> ScreeningResult:
        result = self.ctx.index.screen(name, country=country, threshold=threshold, sources=sources)
        good_guys = cleared_entries(self.db, name, country) if result.matches else {}
        kept: list[Match] = []
        for m in result.matches:
            digest = m.entry.content_hash()
            if good_guys.get((m.entry.source, m.entry.entry_id)) == digest:
                self.cleared.setdefault((name, country), []).append(m.to_json())
            else:
                kept.append(m)
        self.reported[(name, country)] = [(m.to_json(), m.entry.content_hash()) for m in kept]
        return dataclasses.replace(result, matches=tuple(kept))


def _record(
    db: DbEngine,
    ctx: ScreenContext | None,
    obj: dict[str, Any],
    result: dict[str, Any],
    screener: _RecordingScreener | None,
    actor: str,
    extra: dict[str, Any],
) -> dict[str, Any]:
    now = datetime.now(UTC)
    with chained(db) as chain:
        screened: list[dict[str, Any]] = []
        for (name, country), found in (screener.reported if screener else {}).items():
            party_id = upsert_party(chain, name, country, now)
            review = review_matches(
                chain, party_id, found, actor=actor, now=now, open_at=DEFAULT_THRESHOLD
            )
            assert screener is not None
            screened.append(
                {
                    "party": party_id,
                    "name": name,
                    "country": country,
                    "cases": [m["case"] for m in review.matches if "case" in m],
                    "cleared_matches": screener.cleared.get((name, country), []),
                    "opened": review.opened,
                    "reopened": review.reopened,
                }
            )
        cases = [{"party": s["name"], **c} for s in screened for c in s["cases"]]
        output = {**result, "cases": cases}
        body = {
            "input": obj,
            "output": output,
            "screened": screened,
            "lists": versions_json(ctx.versions) if ctx else {},
            "rules": rules_versions(),
            "engine": engine_info(),
            "threshold": DEFAULT_THRESHOLD,
            **extra,
        }
        rec = chain.append("check", actor, body, subject=f"transaction:{result.get('id')}",
                           ref=str(result.get("id")))
    return {**output, "audit": {"seq": rec.seq, "hash": rec.hash}}


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
            problems += _unknown_fields(obj, where)
    if problems:
        raise ApiError(422, f"{problems[0][0]}: {problems[0][1]}", problems[0][0], problems)
    db = state.store.engine
    batch_id = uuid.uuid4().hex

    def work() -> list[dict[str, Any]]:
        ctx = state.index.maybe_current()
        runs = []
        for i, obj in enumerate(data):
            screener = _RecordingScreener(db, ctx) if ctx else None
            result = Engine(screener).check(obj, i)
            runs.append((obj, result, screener))
        failed = [
            ("" if single else f"[{i}]: ") + msg
            for i, (_, result, _) in enumerate(runs)
            for msg in result.get("errors") or ()
        ]
        if failed:
            raise ApiError(422, failed[0], None, [(None, m) for m in failed])
        return [
            _record(db, ctx, obj, result, screener, key.name,
                    {} if single else {"batch": {"id": batch_id, "index": n, "size": len(runs)}})
            for n, (obj, result, screener) in enumerate(runs)
        ]

    rows = await run_in_threadpool(work)
    return rows[0] if single else rows
