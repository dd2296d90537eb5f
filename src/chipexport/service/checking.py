"""What every determination that is stored goes through, from the API and the web form alike.

A determination is audited with the list versions, the rules data digests and the engine version
behind it; its parties' possible matches open review cases exactly as ``/v1/screen`` does, and
matches an analyst cleared (a live false-positive decision on the same entry content) are
dropped before the engine sees them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Engine as DbEngine

from chipexport.model import Match, ScreeningResult
from chipexport.screening import DEFAULT_THRESHOLD
from chipexport.store.audit import Chain, chained
from chipexport.store.cases import cleared_entries, review_matches, upsert_party
from chipexport.store.evidence import evidence
from chipexport.store.screened import ScreenContext, engine_info, versions_json

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


class RecordingScreener:
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


@dataclass(frozen=True, slots=True)
class CheckRun:
    """One determined transaction waiting to be recorded."""

    obj: dict[str, Any]
    result: dict[str, Any]
    screener: RecordingScreener | None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


def record_checks(
    db: DbEngine, ctx: ScreenContext | None, runs: Sequence[CheckRun], actor: str
) -> list[dict[str, Any]]:
    """Store determinations as ``check`` audit records and open cases for their matches.

    One chained transaction holds every run of a request (their parties, cases and records),
    so a failure while storing any of them (a database error, a server killed) leaves none
    of them stored: a request is recorded whole or not at all. Returns each output with
    ``cases`` and ``audit`` added.
    """
    with chained(db) as chain:
        return [_record(chain, ctx, run, actor) for run in runs]


def _record(chain: Chain, ctx: ScreenContext | None, run: CheckRun, actor: str
            ) -> dict[str, Any]:
    now = datetime.now(UTC)
    screener, result = run.screener, run.result
    screened: list[dict[str, Any]] = []
    for (name, country), found in (screener.reported if screener else {}).items():
        assert screener is not None
        party_id = upsert_party(chain, name, country, now)
        review = review_matches(
            chain, party_id, found, actor=actor, now=now, open_at=DEFAULT_THRESHOLD
        )
        screened.append(
            {
                "party": party_id,
                "name": name,
                "country": country,
                # source and entity_id say which match of the party each case is about
                "cases": [
                    {**m["case"], "source": m["source"], "entity_id": m["entity_id"]}
                    for m in review.matches
                    if "case" in m
                ],
                "cleared_matches": screener.cleared.get((name, country), []),
                "opened": review.opened,
                "reopened": review.reopened,
            }
        )
    cases = [{"party": s["name"], **c} for s in screened for c in s["cases"]]
    output = {**result, "cases": cases}
    if ctx is not None and result.get("screening") is not None:
        output["screening_evidence"] = evidence(ctx.versions, DEFAULT_THRESHOLD, at=now)
    body = {
        "input": run.obj,
        "output": output,
        "screened": screened,
        "lists": versions_json(ctx.versions) if ctx else {},
        "rules": rules_versions(),
        "engine": engine_info(),
        "threshold": DEFAULT_THRESHOLD,
        **run.extra,
    }
    tid = result.get("id")
    rec = chain.append("check", actor, body, subject=f"transaction:{tid}", ref=str(tid))
    return {**output, "audit": {"seq": rec.seq, "hash": rec.hash}}
