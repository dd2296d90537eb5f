"""Screen parties, settle their matches against the review cases, and audit them.

Shared by ``POST /v1/screen``, the web pages and re-screening after a list update, so all open
and clear cases the same way and leave the same kind of record. Screening (:func:`screen_item`)
is separate from recording (:func:`record_screen`, in the caller's chained transaction), so a
request of many items can screen them all first and then store them in one transaction. The
record holds everything an auditor needs to replay the answer: the input, the output, the
threshold, the list versions the index was built from and the engine version.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from chipexport import __version__
from chipexport.screening import DEFAULT_THRESHOLD, ENGINE_VERSION, ScreeningIndex
from chipexport.store.audit import Chain, chained
from chipexport.store.cases import Review, review_matches, upsert_party
from chipexport.store.evidence import evidence
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


@dataclass(frozen=True, slots=True)
class Screened:
    """One item screened against the index, not yet recorded (no transaction is open yet)."""

    item: Mapping[str, Any]
    name: str
    country: str | None
    threshold: float
    sources: Collection[str] | None
    found: list[tuple[dict[str, Any], str]]  # (match JSON, entry content hash)
    warnings: tuple[str, ...]


def screen_item(
    ctx: ScreenContext,
    item: Mapping[str, Any],
    *,
    threshold: float | None = None,
    only: Collection[EntryKey] | None = None,
    sources: Collection[str] | None = None,
) -> Screened:
    """Screen ``item`` (``id``, ``name``, ``country``, optional ``data``); store nothing.

    ``only`` restricts reported matches to those entries (re-screening against what changed);
    scores still come from the whole index, so they equal those of a normal screen.
    ``sources`` limits the lists searched (the CLI's ``--lists``). Screening happens outside
    the chain lock, so concurrent requests only queue for the short write that follows.
    """
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    name, country = str(item["name"]), item.get("country")
    result = ctx.index.screen(name, country=country, threshold=limit, sources=sources)
    found = [
        (m.to_json(), m.entry.content_hash())
        for m in result.matches
        if only is None or (m.entry.source, m.entry.entry_id) in only
    ]
    return Screened(item, name, country, limit, sources, found, tuple(result.errors))


def record_screen(
    chain: Chain,
    ctx: ScreenContext,
    screened: Screened,
    *,
    actor: str,
    kind: str = "screen",
    extra: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], Review]:
    """Settle ``screened``'s matches against the review cases and append its audit record,
    in the caller's chained transaction. Returns the output row, with ``audit`` naming the
    record, and the case review."""
    item, name, country, limit = screened.item, screened.name, screened.country, screened.threshold
    now = datetime.now(UTC)
    party_id = upsert_party(chain, name, country, now)
    review = review_matches(
        chain, party_id, screened.found, actor=actor, now=now,
        open_at=max(limit, DEFAULT_THRESHOLD),
    )
    output: dict[str, Any] = {"id": item.get("id"), "name": name, "country": country}
    if item.get("data") is not None:
        output["data"] = item["data"]
    output["matches"] = review.matches
    output["cleared_matches"] = review.cleared
    if screened.warnings:
        output["warnings"] = list(screened.warnings)
    output["screening_evidence"] = evidence(ctx.versions, limit, sources=screened.sources,
                                            at=now)
    body = {
        "input": dict(item),
        "output": output,
        "party": party_id,
        "threshold": limit,
        "sources": sorted(screened.sources) if screened.sources else None,
        "lists": versions_json(ctx.versions),
        "engine": engine_info(),
        "cases": {"opened": review.opened, "reopened": review.reopened},
        **(extra or {}),
    }
    rec = chain.append(kind, actor, body, subject=f"party:{party_id}", ref=item.get("id"))
    return {**output, "audit": {"seq": rec.seq, "hash": rec.hash}}, review


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
    """Screen ``item`` and store its record (and any case events) in one transaction.

    See :func:`screen_item` for ``only`` and ``sources``. Returns the output row, with
    ``audit`` naming the stored record, and the case review.
    """
    screened = screen_item(ctx, item, threshold=threshold, only=only, sources=sources)
    with chained(engine) as chain:
        return record_screen(chain, ctx, screened, actor=actor, kind=kind, extra=extra)


def screen_and_record_all(
    engine: Engine,
    ctx: ScreenContext,
    items: Sequence[Mapping[str, Any]],
    *,
    actor: str,
    threshold: float | None = None,
    sources: Collection[str] | None = None,
    extras: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Screen every item, then record them all in one transaction: all stored, or none.

    One request is one unit: a failure while storing item 40 of a batch (a database error, a
    server killed) must not leave items 1-39 recorded for a request that got no answer. The
    screening itself runs first, outside the lock; only the writes hold it.
    """
    done = [screen_item(ctx, item, threshold=threshold, sources=sources) for item in items]
    with chained(engine) as chain:
        return [
            record_screen(chain, ctx, screened, actor=actor,
                          extra=extras[n] if n < len(extras) else None)[0]
            for n, screened in enumerate(done)
        ]
