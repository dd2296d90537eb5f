"""What a list load changed, and re-screening the parties seen before against those changes.

A list change is never live without its record and its re-screen: :func:`load_lists` swaps the
new versions in, appends the ``list_change`` audit record and records the re-screen it owes (a
``pending_rescreens`` row) in **one** transaction. The re-screen then runs party by party
(:func:`finish_pending`); each party's ``rescreen`` record and the row's progress commit
together, so a process killed at any point leaves either nothing (before the commit: the old
lists stay active and the update can be run again) or the change, its record and a re-screen
that the next ``serve`` or CLI command finishes where it stopped.

Only added and modified entries can create a new match or invalidate a false-positive decision,
so a party is re-screened against the whole new index (scores stay comparable with a normal
screen) but only matches to changed entries are reported, audited and turned into cases.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, select, update

from chipexport.model import ListSnapshot
from chipexport.store.audit import AUDIT_LOCK, Chain, chained
from chipexport.store.engine import lock_for_writing, writer
from chipexport.store.schema import Base
from chipexport.store.screened import ScreenContext, engine_info, record_screen, screen_item
from chipexport.store.store import ListVersion, Progress, Store

_ENTRIES: Table = Base.metadata.tables["list_entries"]
_PARTIES: Table = Base.metadata.tables["parties"]
_PENDING: Table = Base.metadata.tables["pending_rescreens"]
IDS_SHOWN = 200  # entry ids listed per kind of change in reports and records
CLAIM = timedelta(minutes=2)  # a claim not renewed for this long is free to take over
CURSOR_EVERY = 200  # parties without a new match between progress commits


def fault_point(name: str) -> None:
    """Crash here, at once, when ``CHIPEXPORT_FAULT`` names this point (for durability tests:
    a kill at an exact place, not a race against a timer). ``os._exit`` skips every cleanup,
    as SIGKILL does."""
    if os.environ.get("CHIPEXPORT_FAULT") == name:
        os._exit(99)


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


def _hashes(conn: Connection, version_id: int) -> dict[str, str]:
    query = select(_ENTRIES.c.entry_id, _ENTRIES.c.content_hash).where(
        _ENTRIES.c.version_id == version_id
    )
    return {row.entry_id: row.content_hash for row in conn.execute(query)}


def list_changes(
    conn: Connection, before: Sequence[ListVersion], results: Sequence[ListVersion]
) -> list[ListChange]:
    """Diff each newly stored version in ``results`` against the active one in ``before``."""
    previous = {v.source: v for v in before}
    changes = []
    for new in results:
        if new.unchanged:
            continue
        old = previous.get(new.source)
        old_hashes = _hashes(conn, old.id) if old else {}
        new_hashes = _hashes(conn, new.id)
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


def _rescreen_report() -> dict[str, Any]:
    """What a re-screen found so far (kept on its pending row as it goes)."""
    return {"parties_rescreened": 0, "parties_with_new_matches": 0, "cases_opened": [],
            "cases_reopened": []}


def _empty_report(changes: Sequence[ListChange]) -> dict[str, Any]:
    return {"lists": [c.to_json() for c in changes], **_rescreen_report()}


def load_lists(
    store: Store, snapshots: Sequence[ListSnapshot], actor: str,
    progress: Progress | None = None,
) -> tuple[list[ListVersion], dict[str, Any]]:
    """Swap ``snapshots`` in with their ``list_change`` record and owed re-screen, atomically.

    Returns the stored versions and the report (``lists``, ``audit`` and ``pending`` when
    something changed); the re-screen itself is :func:`finish_pending`'s job.
    """
    report = _empty_report(())

    def in_swap(conn: Connection, before: list[ListVersion], results: list[ListVersion]) -> None:
        changes = list_changes(conn, before, results)
        report.update(_empty_report(changes))
        if not changes:
            return
        lock_for_writing(conn, AUDIT_LOCK)  # the load lock is held: the chain's comes second
        record = Chain(conn).append(
            "list_change", actor, {"lists": report["lists"], "engine": engine_info()})
        report["audit"] = {"seq": record.seq, "hash": record.hash}
        wanted = sorted({(c.source, e) for c in changes for e in (*c.added, *c.modified)})
        if wanted and conn.execute(select(_PARTIES.c.id).limit(1)).first() is not None:
            report["pending"] = conn.execute(
                insert(_PENDING).returning(_PENDING.c.id),
                {"list_change_seq": record.seq, "actor": actor,
                 "wanted": [list(w) for w in wanted], "created_at": datetime.now(UTC),
                 "next_party_id": 0, "parties_done": 0, "report": _rescreen_report()},
            ).scalar_one()
        fault_point("before-commit")

    results = store.replace_lists(snapshots, progress, in_swap)
    fault_point("after-swap")
    return results, report


def pending(engine: Engine) -> list[dict[str, Any]]:
    """The unfinished re-screens, oldest first (for ``lists status`` and ``GET /v1/lists``)."""
    query = select(_PENDING).where(_PENDING.c.finished_at.is_(None)).order_by(_PENDING.c.id)
    with engine.connect() as conn:
        rows = list(conn.execute(query))
        total = conn.execute(select(_PARTIES.c.id).order_by(_PARTIES.c.id.desc()).limit(1))
        last_party = (total.scalar() or 0)
    return [{"id": r.id, "list_change_seq": r.list_change_seq, "parties_done": r.parties_done,
             "next_party_id": r.next_party_id, "last_party_id": last_party,
             "created_at": _utc(r.created_at).isoformat()} for r in rows]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _me() -> str:
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


def _gone(claimed_by: str | None) -> bool:
    """Whether the claim's process is known to be dead (it ran on this host and its pid is
    gone): a killed worker's claim is taken over at once, not after :data:`CLAIM`."""
    host, _, pid = (claimed_by or "").rpartition(":")
    if host != socket.gethostname()[:100] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, owned by another user
        return False
    return False


def _claim(engine: Engine, pending_id: int) -> Any:
    """Take the row for this process; None if another live process holds it or it is
    finished. Two processes that start at once do not re-screen the same parties twice."""
    now = datetime.now(UTC)
    with writer(engine) as conn, conn.begin():
        row = conn.execute(
            select(_PENDING).where(_PENDING.c.id == pending_id).with_for_update()).first()
        if row is None or row.finished_at is not None:
            return None
        until = row.claimed_until
        if until is not None and _utc(until) > now and not _gone(row.claimed_by):
            return None
        conn.execute(update(_PENDING).where(_PENDING.c.id == pending_id)
                     .values(claimed_by=_me(), claimed_until=now + CLAIM))
        return row


def _progress(conn: Connection, pending_id: int, party_id: int, done: int,
              report: dict[str, Any], finished: bool = False) -> None:
    now = datetime.now(UTC)
    conn.execute(update(_PENDING).where(_PENDING.c.id == pending_id).values(
        next_party_id=party_id, parties_done=done, report=report, claimed_until=now + CLAIM,
        finished_at=now if finished else None))


def _run_one(engine: Engine, ctx: ScreenContext, row: Any) -> dict[str, Any]:
    """Re-screen the parties after the row's cursor; commit progress with every record."""
    wanted = {(s, e) for s, e in row.wanted}
    report: dict[str, Any] = dict(row.report)
    done, cursor, since = int(row.parties_done), int(row.next_party_id), 0
    query = select(_PARTIES.c.id, _PARTIES.c.name, _PARTIES.c.country).where(
        _PARTIES.c.id > cursor).order_by(_PARTIES.c.id)
    with engine.connect() as conn:
        parties = [(int(r.id), r.name, r.country) for r in conn.execute(query)]
    for party_id, name, country in parties:
        done, since, cursor = done + 1, since + 1, party_id
        report["parties_rescreened"] = done
        item = {"id": f"party:{party_id}", "name": name, "country": country}
        screened = screen_item(ctx, item, only=wanted)
        if screened.found:
            with chained(engine) as chain:
                _row, review = record_screen(
                    chain, ctx, screened, actor=row.actor, kind="rescreen",
                    extra={"list_change": row.list_change_seq})
                report["parties_with_new_matches"] += 1
                report["cases_opened"] = [*report["cases_opened"], *review.opened]
                report["cases_reopened"] = [*report["cases_reopened"], *review.reopened]
                _progress(chain.conn, row.id, party_id, done, report)
            since = 0
            fault_point("mid-rescreen")
        elif since >= CURSOR_EVERY:
            with writer(engine) as conn, conn.begin():
                _progress(conn, row.id, party_id, done, report)
            since = 0
    with writer(engine) as conn, conn.begin():
        _progress(conn, row.id, cursor, done, report, finished=True)
    return report


def finish_pending(
    engine: Engine, make_context: Callable[[], ScreenContext | None]
) -> list[dict[str, Any]]:
    """Run every unfinished re-screen to its end (oldest first); returns their reports.

    ``make_context`` gives the index of the active lists; it is only called when there is work.
    Re-screening against the newest lists is right for an older change too: a match to an
    entry that has changed again since is reported against its current content.
    """
    owed = pending(engine)
    if not owed:
        return []
    ctx = make_context()
    reports = []
    for item in owed:
        row = _claim(engine, item["id"])
        if row is None:
            continue  # another process is on it, or it just finished
        if ctx is None:  # no lists at all any more: nothing can match
            with writer(engine) as conn, conn.begin():
                _progress(conn, row.id, row.next_party_id, row.parties_done, dict(row.report),
                          finished=True)
            continue
        reports.append({"list_change_seq": row.list_change_seq, **_run_one(engine, ctx, row)})
    return reports


def load_and_rescreen(
    store: Store, snapshots: Sequence[ListSnapshot], actor: str,
    make_context: Callable[[], ScreenContext | None], progress: Progress | None = None,
    after_swap: Callable[[], object] | None = None,
) -> tuple[list[ListVersion], dict[str, Any]]:
    """:func:`load_lists`, then every owed re-screen (this one and any left by a crash).

    ``after_swap`` runs between the two (the service reloads its index there)."""
    results, report = load_lists(store, snapshots, actor, progress)
    if after_swap is not None:
        after_swap()
    for done in finish_pending(store.engine, make_context):
        if done["list_change_seq"] == report.get("audit", {}).get("seq"):
            report.update({k: done[k] for k in _rescreen_report()})
        else:
            report.setdefault("resumed", []).append(done)
    return results, report
