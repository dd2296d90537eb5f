"""What a list load changed, and re-screening the parties seen before against those changes.

Only added and modified entries can create a new match or invalidate a false-positive decision,
so a party is re-screened against the whole new index (scores stay comparable with a normal
screen) but only matches to changed entries are reported, audited and turned into cases. One
``list_change`` record states the per-list diff; one ``rescreen`` record per party that hit a
changed entry follows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, select

from chipexport.store.audit import chained
from chipexport.store.cases import all_parties
from chipexport.store.schema import Base
from chipexport.store.screened import ScreenContext, engine_info, screen_and_record
from chipexport.store.store import ListVersion

_ENTRIES: Table = Base.metadata.tables["list_entries"]
IDS_SHOWN = 200  # entry ids listed per kind of change in reports and records


@dataclass(frozen=True, slots=True)
class ListChange:
    """The difference between two versions of one list, by entry id and content hash."""

    source: str
    from_version: str | None
    to_version: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    modified: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "added": len(self.added),
            "removed": len(self.removed),
            "modified": len(self.modified),
            "added_ids": list(self.added[:IDS_SHOWN]),
            "removed_ids": list(self.removed[:IDS_SHOWN]),
            "modified_ids": list(self.modified[:IDS_SHOWN]),
        }


def _hashes(engine: Engine, version_id: int) -> dict[str, str]:
    query = select(_ENTRIES.c.entry_id, _ENTRIES.c.content_hash).where(
        _ENTRIES.c.version_id == version_id
    )
    with engine.connect() as conn:
        return {row.entry_id: row.content_hash for row in conn.execute(query)}


def list_changes(
    engine: Engine, before: Sequence[ListVersion], results: Sequence[ListVersion]
) -> list[ListChange]:
    """Diff each newly stored version in ``results`` against the active one in ``before``."""
    previous = {v.source: v for v in before}
    changes = []
    for new in results:
        if new.unchanged:
            continue
        old = previous.get(new.source)
        old_hashes = _hashes(engine, old.id) if old else {}
        new_hashes = _hashes(engine, new.id)
        changes.append(
            ListChange(
                source=new.source,
                from_version=old.version if old else None,
                to_version=new.version,
                added=tuple(sorted(k for k in new_hashes if k not in old_hashes)),
                removed=tuple(sorted(k for k in old_hashes if k not in new_hashes)),
                modified=tuple(
                    sorted(k for k, h in new_hashes.items() if old_hashes.get(k, h) != h)
                ),
            )
        )
    return changes


def record_and_rescreen(
    engine: Engine, ctx: ScreenContext | None, changes: Sequence[ListChange], actor: str
) -> dict[str, Any]:
    """Audit the list changes and re-screen every known party against them.

    ``ctx`` must hold the index of the lists *after* the load; None skips re-screening (used
    when no party has been screened yet, so building an index would be wasted).
    """
    report: dict[str, Any] = {
        "lists": [c.to_json() for c in changes],
        "parties_rescreened": 0,
        "parties_with_new_matches": 0,
        "cases_opened": [],
        "cases_reopened": [],
    }
    if not changes:
        return report
    with chained(engine) as chain:
        change_rec = chain.append(
            "list_change", actor, {"lists": report["lists"], "engine": engine_info()}
        )
    report["audit"] = {"seq": change_rec.seq, "hash": change_rec.hash}
    wanted = {(c.source, e) for c in changes for e in (*c.added, *c.modified)}
    if not wanted or ctx is None:
        return report
    for party_id, name, country in all_parties(engine):
        report["parties_rescreened"] += 1
        result = ctx.index.screen(name, country=country)
        if not any((m.entry.source, m.entry.entry_id) in wanted for m in result.matches):
            continue
        _row, review = screen_and_record(
            engine,
            ctx,
            {"id": f"party:{party_id}", "name": name, "country": country},
            actor=actor,
            kind="rescreen",
            only=wanted,
            extra={"list_change": change_rec.seq},
        )
        report["parties_with_new_matches"] += 1
        report["cases_opened"].extend(review.opened)
        report["cases_reopened"].extend(review.reopened)
    return report


def after_load(
    engine: Engine,
    before: Sequence[ListVersion],
    results: Sequence[ListVersion],
    actor: str,
    make_context: Callable[[], ScreenContext | None],
) -> dict[str, Any]:
    """Everything that follows a list load: diff, audit, re-screen. ``make_context`` builds the
    index of the new lists; it is only called when there is someone to re-screen."""
    changes = list_changes(engine, before, results)
    needed = bool(changes) and has_parties(engine)
    return record_and_rescreen(engine, make_context() if needed else None, changes, actor)


def has_parties(engine: Engine) -> bool:
    parties: Table = Base.metadata.tables["parties"]
    with engine.connect() as conn:
        return conn.execute(select(parties.c.id).limit(1)).first() is not None
