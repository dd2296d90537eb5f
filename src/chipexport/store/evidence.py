"""What a screening answer rests on, stated with the answer: lists, versions, load times,
threshold, screening time, and whether any list is older than the configured age.

"No list match" means nothing unless it says *against what*: an auditor (or the analyst a year
later) must be able to tell that the Entity List of 2026-07-31, loaded on 2026-08-02, was
searched at a threshold of 0.82 on 2026-12-04. Every surface (CLI text and JSON, API, web,
memo) builds that statement here, so they cannot disagree.

A list's age is counted from its version date when the version is a date (the publisher's
date: what matters is how old the data is, not when it was copied in), else from its load time.
The age beyond which a list counts as stale is ``CHIPEXPORT_STALE_LIST_DAYS`` (30 by default).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime
from typing import Any

from chipexport.determine.memo import evidence_lines
from chipexport.errors import ChipexportError
from chipexport.store.store import ListVersion

__all__ = ["DEFAULT_STALE_DAYS", "SettingError", "evidence", "evidence_lines", "list_date",
           "stale_days", "stale_warnings"]

DEFAULT_STALE_DAYS = 30


class SettingError(ChipexportError):
    """A configuration value from the environment that cannot be used."""


def stale_days() -> int:
    """``CHIPEXPORT_STALE_LIST_DAYS``: a whole number of days, at least 1 (default 30)."""
    raw = os.environ.get("CHIPEXPORT_STALE_LIST_DAYS", "").strip()
    if not raw:
        return DEFAULT_STALE_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days < 1:
        raise SettingError(f"CHIPEXPORT_STALE_LIST_DAYS: expected a whole number of days "
                           f"(1 or more), got {raw!r}")
    return days


def list_date(v: ListVersion) -> date:
    """The date the list's data is from: its version when that is a date, else its load."""
    try:
        return date.fromisoformat(v.version[:10])
    except ValueError:
        return v.loaded_at.astimezone(UTC).date()


def stale_lists(versions: Iterable[ListVersion], *, today: date | None = None,
                max_days: int | None = None) -> list[dict[str, Any]]:
    """``{source, version, age_days}`` of every list older than ``max_days``, oldest first."""
    today = today or datetime.now(UTC).date()
    limit = stale_days() if max_days is None else max_days
    aged = sorted(((today - list_date(v)).days, v.source, v.version) for v in versions)
    return [{"source": source, "version": version, "age_days": age}
            for age, source, version in sorted(aged, key=lambda a: (-a[0], a[1])) if age > limit]


def stale_warnings(versions: Iterable[ListVersion], *, today: date | None = None,
                   max_days: int | None = None) -> list[str]:
    """One sentence naming every stale list, grouped by version; empty when all are fresh."""
    limit = stale_days() if max_days is None else max_days
    old = stale_lists(versions, today=today, max_days=limit)
    if not old:
        return []
    groups: dict[tuple[str, int], list[str]] = {}
    for a in old:
        groups.setdefault((a["version"], a["age_days"]), []).append(a["source"])
    parts = [f"{', '.join(sources)} of {version} ({age} days old)"
             for (version, age), sources in groups.items()]
    return [f"Lists older than {limit} days may miss recent listings: {'; '.join(parts)}. "
            "Update them (chipexport lists update, or Lists → Update)."]


def evidence(versions: Collection[ListVersion], threshold: float, *,
             sources: Collection[str] | None = None, at: datetime | None = None,
             max_days: int | None = None) -> dict[str, Any]:
    """The ``screening_evidence`` object of an answer (docs/interfaces.md output, additive).

    ``sources`` narrows the lists to those searched (``--lists``); ``at`` is the screening time.
    """
    at = at or datetime.now(UTC)
    searched = [v for v in sorted(versions, key=lambda v: v.source)
                if not sources or v.source in sources]
    return {
        "screened_at": at.isoformat(timespec="seconds"),
        "threshold": threshold,
        "lists": [
            {"source": v.source, "title": v.title, "version": v.version,
             "loaded_at": v.loaded_at.isoformat(timespec="seconds"), "entries": v.entry_count}
            for v in searched
        ],
        "stale_lists": stale_warnings(searched, today=at.date(), max_days=max_days),
    }


def current_evidence(threshold: float, sources: Collection[str] | None = None
                     ) -> dict[str, Any]:
    """The evidence for a screening done now against the store's active lists (the CLI)."""
    from chipexport.store.store import Store

    store = Store()
    try:
        versions = store.list_status()
    finally:
        store.close()
    return evidence(versions, threshold, sources=sources)
