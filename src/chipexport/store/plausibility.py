"""Checks that a downloaded list is believable before it replaces the lists in use.

A download can be complete at the HTTP level and still wrong: an upstream export job that died
half-way, a maintenance page served as CSV, a list published while being rebuilt. Swapping that
in would silently stop screening against thousands of parties, so ``lists update`` refuses it
unless the user says ``--force`` after looking.
"""

from __future__ import annotations

from collections.abc import Sequence

from chipexport.model import ListSnapshot
from chipexport.store.store import ListVersion

# The Consolidated Screening List's source codes (docs/interfaces.md; FSE appears in older files).
# A CSL download that lacks one of these while it is loaded means a broken download, not a
# list that was abolished overnight.
CSL_SOURCES = frozenset(
    {"EL", "SDN", "MEU", "UVL", "DPL", "CMIC", "SSI", "ISN", "DTC", "PLC", "NS-MBS", "CAP", "FSE"}
)
# The full CSL has had well over 10,000 entries for years; fewer than this is a broken file.
MIN_TOTAL_ENTRIES = 1000
# A source losing more than this share of its entries in one update needs a person to look.
MAX_SHRINK = 0.5


def implausible_changes(
    active: Sequence[ListVersion],
    snapshots: Sequence[ListSnapshot],
    expected_sources: frozenset[str] = CSL_SOURCES,
    min_total: int = MIN_TOTAL_ENTRIES,
) -> list[str]:
    """Why replacing ``active`` with ``snapshots`` looks wrong; empty when it looks fine.

    Only sources in ``expected_sources`` may be reported missing: other loaded lists (UN,
    China, Japan) are not part of the download and stay as they are. ``lists load`` of
    chosen files passes no expected sources and no minimum (one small list is a normal
    load) and keeps the shrink test, which is what a partial file fails.
    """
    problems: list[str] = []
    new_counts = {s.source: len(s.entries) for s in snapshots}
    total = sum(new_counts.values())
    if total < min_total:
        problems.append(f"only {total} entries in total (expected at least {min_total})")
    for version in active:
        new = new_counts.get(version.source)
        if new is None:
            if version.source in expected_sources:
                problems.append(f"{version.source} ({version.entry_count} entries) is missing")
        elif new < version.entry_count * (1 - MAX_SHRINK):
            problems.append(
                f"{version.source} would shrink from {version.entry_count} to {new} entries"
            )
    return problems
