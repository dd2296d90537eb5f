"""Screen one party, settle its matches against the review cases, and audit it: one transaction.

Shared by ``POST /v1/screen`` and by re-screening after a list update, so both open and clear
cases the same way and leave the same kind of record. The record holds everything an auditor
needs to replay the answer: the input, the output, the threshold, the list versions the index
was built from and the engine version.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from chipexport import __version__
from chipexport.screening import DEFAULT_THRESHOLD, ENGINE_VERSION, ScreeningIndex
from chipexport.store.audit import chained
from chipexport.store.cases import Review, review_matches, upsert_party
from chipexport.store.store import ListVersion

EntryKey = tuple[str, str]


def engine_info() -> dict[str, str]:
    """What produced an answer: the package version and the screening engine version."""
    return {"chipexport": __version__, "screening": ENGINE_VERSION}


def versions_json(versions: Collection[ListVersion]) -> dict[str, dict[str, Any]]:
    """The list versions an answer was computed against, by source code."""
    return {
        v.source: {"version": v.version, "id": v.id, "content_digest": v.content_digest}
        for v in sorted(versions, key=lambda v: v.source)
    }


@dataclass(frozen=True, slots=True)
class ScreenContext:
    """A loaded index and the list versions it was built from (they change together)."""

    index: ScreeningIndex
    versions: tuple[ListVersion, ...]
    fingerprint: str


def screen_and_record(
    engine: Engine,
    ctx: ScreenContext,
    item: Mapping[str, Any],
    *,
    actor: str,
    threshold: float | None = None,
    kind: str = "screen",
    only: Collection[EntryKey] | None = None,
    sources: Collection[str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], Review]:
    """Screen ``item`` (``id``, ``name``, ``country``, optional ``data``) and store the record.

    ``only`` restricts reported matches to those entries (re-screening against what changed);
    scores still come from the whole index, so they equal those of a normal screen.
    ``sources`` limits the lists searched (the CLI's ``--lists``).
    Returns the output row, with ``audit`` naming the stored record, and the case review.
    """
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    name, country = str(item["name"]), item.get("country")
    result = ctx.index.screen(name, country=country, threshold=limit, sources=sources)
    found = [
        (m.to_json(), m.entry.content_hash())
        for m in result.matches
        if only is None or (m.entry.source, m.entry.entry_id) in only
    ]
    now = datetime.now(UTC)
    with chained(engine) as chain:
        party_id = upsert_party(chain, name, country, now)
        review = review_matches(
            chain, party_id, found, actor=actor, now=now, open_at=max(limit, DEFAULT_THRESHOLD)
        )
        output: dict[str, Any] = {"id": item.get("id"), "name": name, "country": country}
        if item.get("data") is not None:
            output["data"] = item["data"]
        output["matches"] = review.matches
        output["cleared_matches"] = review.cleared
        if result.errors:
            output["warnings"] = list(result.errors)
        body = {
            "input": dict(item),
            "output": output,
            "party": party_id,
            "threshold": limit,
            "sources": sorted(sources) if sources else None,
            "lists": versions_json(ctx.versions),
            "engine": engine_info(),
            "cases": {"opened": review.opened, "reopened": review.reopened},
            **(extra or {}),
        }
        rec = chain.append(kind, actor, body, subject=f"party:{party_id}", ref=item.get("id"))
    return {**output, "audit": {"seq": rec.seq, "hash": rec.hash}}, review
