"""Grouping parsed entries into snapshots, and working out each snapshot's version.

Every reader ends the same way: entries of several list sources come out of one file, ids must
be unique within a source, and the snapshot needs a version. Doing it once here keeps the rules
identical across formats (the CSL JSON and CSV must give the same ids).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from chipexport.lists.common import dedupe_ids
from chipexport.lists.errors import ListFormatError
from chipexport.model import ListEntry, ListSnapshot

UNKNOWN_VERSION = "unknown"
# A list date more than this far beyond today is a typo (the DPL has a Last_Update of 3033-09-30).
_FUTURE_SLACK = timedelta(days=366)
_EARLIEST = date(1900, 1, 1)


def plausible(d: date | None, today: date | None = None) -> bool:
    """True for dates a list could really carry: after 1900, not absurdly in the future."""
    if d is None:
        return False
    return _EARLIEST <= d <= (today or date.today()) + _FUTURE_SLACK


def newest_version(dates: Iterable[date | None]) -> str:
    """The newest plausible date as ISO text, or ``"unknown"``."""
    good = [d for d in dates if d is not None and plausible(d)]
    return max(good).isoformat() if good else UNKNOWN_VERSION


def build_snapshots(
    entries: Iterable[ListEntry],
    origin: str,
    checksum: str,
    *,
    version: str | None = None,
    version_dates: Mapping[str, Iterable[date | None]] | None = None,
    titles: Mapping[str, str] | None = None,
    warnings: Iterable[str] = (),
) -> list[ListSnapshot]:
    """One snapshot per source, sorted by source code, ids made unique within each source.

    ``version`` is the file's own stamp; without one each snapshot takes the newest plausible
    date of its entries (``listed_on``, or ``version_dates[source]`` when given).
    """
    grouped: dict[str, list[ListEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.source, []).append(entry)
    warned = tuple(warnings)
    snapshots = []
    for code, group in sorted(grouped.items()):
        ids = dedupe_ids(e.entry_id for e in group)
        fixed = tuple(
            e if e.entry_id == new else replace(e, entry_id=new)
            for e, new in zip(group, ids, strict=True)
        )
        if version:
            snap_version = version
        elif version_dates is not None and code in version_dates:
            snap_version = newest_version(version_dates[code])
        else:
            snap_version = newest_version(e.listed_on for e in group)
        snapshots.append(
            ListSnapshot(
                code,
                snap_version,
                fixed,
                origin=origin,
                checksum=checksum,
                title=(titles or {}).get(code),
                warnings=warned,
            )
        )
    return snapshots


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_date(
    value: str | None, origin: str, line: int | None, field: str, fmt: str = "%Y-%m-%d"
) -> date | None:
    """A date cell in the given strftime format (ISO by default); blank -> None.

    ISO timestamps (``2026-02-27T00:00:09Z``) are accepted wherever ISO dates are.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if fmt == "%Y-%m-%d" and _ISO.match(value):
        value = value[:10]
    try:
        return datetime.strptime(value, fmt).date()
    except ValueError:
        shown = fmt.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
        shown = shown.replace("%y", "YY")
        raise ListFormatError(
            origin, f"{value!r} is not a date ({shown})", line=line, field=field
        ) from None
