"""Ownership links and red-flag resolutions held by the store, for the adapters to pass on.

The determination engine is pure: it receives ownership links and red-flag resolutions as
input. This module is where the CLI, the API and the web get them from.

* Ownership: ``chipexport ownership load FILE`` replaces the links of one *dataset* (the file's
  name unless given) in one transaction and appends an ``ownership.load`` audit record; the
  links of other datasets stay. :func:`ownership_links` returns them all for the engine.
* Red-flag resolutions are audit records (kind ``red_flag.resolved``, subject
  ``transaction:<id>``): who resolved which flag, why, with what evidence. The audit chain is
  the record of them; :func:`with_resolutions` adds a transaction's stored resolutions to its
  ``resolved_red_flags`` before the engine sees it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, Table, delete, insert, select

from chipexport.model.ownership import OwnershipLink
from chipexport.store.audit import chained, records
from chipexport.store.schema import Base

_LINKS: Table = Base.metadata.tables["ownership_links"]
RESOLVED = "red_flag.resolved"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def load_ownership(engine: Engine, links: Sequence[OwnershipLink], dataset: str, origin: str,
                   actor: str) -> dict[str, Any]:
    """Replace the links of ``dataset`` with ``links``, audited; returns the load's summary."""
    now = datetime.now(UTC)
    rows = [{"dataset": dataset, "owner": link.owner, "asset": link.asset,
             "percent": link.percent, "start": _iso(link.start), "end": _iso(link.end),
             "owner_id": link.owner_id, "asset_id": link.asset_id,
             "owner_country": link.owner_country, "source": link.source, "loaded_at": now}
            for link in links]
    summary = {"dataset": dataset, "origin": origin, "links": len(rows),
               "warnings": ownership_warnings(links)}
    with chained(engine) as chain:
        replaced = chain.conn.execute(delete(_LINKS).where(_LINKS.c.dataset == dataset)).rowcount
        if rows:
            chain.conn.execute(insert(_LINKS), rows)
        summary["replaced"] = replaced
        chain.append("ownership.load", actor, summary, subject=f"ownership:{dataset}")
    return summary


def ownership_links(engine: Engine) -> list[OwnershipLink]:
    """Every stored link, oldest load first."""
    with engine.connect() as conn:
        rows = conn.execute(select(_LINKS).order_by(_LINKS.c.id)).all()
    return [OwnershipLink(owner=r.owner, asset=r.asset, percent=r.percent,
                          start=date.fromisoformat(r.start) if r.start else None,
                          end=date.fromisoformat(r.end) if r.end else None,
                          owner_id=r.owner_id, asset_id=r.asset_id, source=r.source or r.dataset,
                          owner_country=r.owner_country) for r in rows]


def ownership_status(engine: Engine) -> list[dict[str, Any]]:
    """Per dataset: how many links and when they were loaded."""
    counts: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for r in conn.execute(select(_LINKS.c.dataset, _LINKS.c.loaded_at)):
            row = counts.setdefault(r.dataset, {"dataset": r.dataset, "links": 0,
                                                "loaded_at": r.loaded_at})
            row["links"] += 1
    return list(counts.values())


def ownership_warnings(links: Sequence[OwnershipLink]) -> list[str]:
    """Inconsistencies worth a look, never a refusal: an asset whose owners hold more than
    100 % at the same time, and cycles (A owns B owns A). The engine copes with both."""
    warnings: list[str] = []
    by_asset: dict[str, list[OwnershipLink]] = defaultdict(list)
    for link in links:
        by_asset[link.asset.casefold()].append(link)
    for group in by_asset.values():
        days = {link.start or date.min for link in group}
        for day in sorted(days):
            # one figure per owner: consecutive stakes of one owner overlap where partial
            # dates were widened ("2015" ends 2015-12-31), which is no excess
            stakes: dict[str, float] = {}
            for link in group:
                if link.active_on(day):
                    who = link.owner.casefold()
                    stakes[who] = max(stakes.get(who, 0.0), link.percent or 0.0)
            total = sum(stakes.values())
            if total > 100.0001:
                warnings.append(f"{group[0].asset}: owners hold {total:g} % together from "
                                f"{day if day != date.min else 'the start'}, more than 100 %")
                break
    owners: dict[str, set[str]] = defaultdict(set)
    for link in links:
        owners[link.asset.casefold()].add(link.owner.casefold())
    for asset in sorted(owners):
        stack, seen = list(owners[asset]), set()
        while stack:
            name = stack.pop()
            if name == asset:
                warnings.append(f"{asset}: ownership cycle (it owns itself through its owners)")
                break
            if name not in seen:
                seen.add(name)
                stack.extend(owners.get(name, ()))
    return warnings


def record_resolution(engine: Engine, transaction_id: str, resolution: dict[str, Any],
                      actor: str) -> dict[str, Any]:
    """Append a red-flag resolution (``code``, ``by``, ``reason``, ``party``?, ``evidence``?)
    for a transaction to the audit trail; returns the stored resolution with its record."""
    with chained(engine) as chain:
        rec = chain.append(RESOLVED, actor, resolution, subject=f"transaction:{transaction_id}",
                           ref=str(transaction_id))
    return {**resolution, "transaction": transaction_id,
            "audit": {"seq": rec.seq, "hash": rec.hash, "at": rec.at}}


def resolutions(engine: Engine, transaction_id: str) -> list[dict[str, Any]]:
    """The stored resolutions of a transaction, oldest first."""
    return [r.body for r in records(engine, kinds=(RESOLVED,),
                                    subject=f"transaction:{transaction_id}", limit=1000)]


def all_resolutions(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every stored resolution by transaction id (one query for a whole batch)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    after = 0
    while True:
        batch = records(engine, kinds=(RESOLVED,), after=after, limit=10_000)
        for r in batch:
            out[str(r.ref)].append(r.body)
        if len(batch) < 10_000:
            return dict(out)
        after = batch[-1].seq


def with_resolutions(engine: Engine | dict[str, list[dict[str, Any]]], obj: Any) -> Any:
    """``obj`` with the stored resolutions of its id appended to ``resolved_red_flags``
    (input ones first); anything that is not a transaction object is returned as it is.
    ``engine`` may be the result of :func:`all_resolutions` (batches)."""
    if not isinstance(obj, dict) or obj.get("id") is None:
        return obj
    tid = str(obj["id"])
    stored = engine.get(tid, []) if isinstance(engine, dict) else resolutions(engine, tid)
    if not stored:
        return obj
    given = obj.get("resolved_red_flags")
    if given is not None and not isinstance(given, list):
        return obj  # the engine reports the malformed field
    return {**obj, "resolved_red_flags": [*(given or []), *stored]}
