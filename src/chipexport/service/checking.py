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
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Engine as DbEngine

from chipexport.model import Match, ScreeningResult
from chipexport.model.transaction import EndUse, Owner, Party, Transaction
from chipexport.screening import DEFAULT_THRESHOLD
from chipexport.store.audit import chained
from chipexport.store.cases import cleared_entries, review_matches, upsert_party
from chipexport.store.screened import ScreenContext, engine_info, versions_json

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


def unknown_fields(obj: dict[str, Any], where: str) -> list[tuple[str | None, str]]:
    """(field path, "unknown field") for every key the transaction model does not know.

    The engine ignores unknown keys; a misspelt ``end_use`` key would then silently drop an
    end-use rule, so the API and the web form refuse them by name instead.
    """
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


def record_check(
    db: DbEngine,
    ctx: ScreenContext | None,
    obj: dict[str, Any],
    result: dict[str, Any],
    screener: RecordingScreener | None,
    actor: str,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Store one determination as a ``check`` audit record and open cases for its matches.

    One chained transaction holds the parties, their cases and the record, so a crash leaves
    either all of it or none. Returns the output with ``cases`` and ``audit`` added.
    """
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


