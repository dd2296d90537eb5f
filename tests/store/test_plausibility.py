"""The checks ``lists update`` runs before swapping a download in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from chipexport.model import ListSnapshot
from chipexport.store import ListVersion
from chipexport.store.plausibility import MAX_SHRINK, MIN_TOTAL_ENTRIES, implausible_changes


def _active(source: str, count: int) -> ListVersion:
    return ListVersion(
        id=1,
        source=source,
        title=None,
        version="v",
        checksum="c",
        content_digest="d",
        origin="o",
        loaded_at=datetime.now(UTC),
        entry_count=count,
        active=True,
    )


def _names(n: int) -> list[str]:
    return [f"N{i}" for i in range(n)]


def test_plausible_update_passes(snap: Callable[..., ListSnapshot]) -> None:
    active = [_active("EL", 100), _active("UN", 50)]
    new = [snap("EL", _names(90)), snap("SDN", _names(MIN_TOTAL_ENTRIES))]
    assert implausible_changes(active, new) == []


def test_tiny_total_is_refused(snap: Callable[..., ListSnapshot]) -> None:
    problems = implausible_changes([], [snap("EL", _names(MIN_TOTAL_ENTRIES - 1))])
    assert len(problems) == 1 and "in total" in problems[0]


def test_missing_csl_source_is_refused_but_other_lists_are_not(
    snap: Callable[..., ListSnapshot],
) -> None:
    active = [_active("EL", 10), _active("UN", 10), _active("CN-UEL", 10)]
    problems = implausible_changes(active, [snap("SDN", _names(MIN_TOTAL_ENTRIES))])
    assert problems == ["EL (10 entries) is missing"]


def test_shrinking_by_more_than_the_limit_is_refused(snap: Callable[..., ListSnapshot]) -> None:
    kept = int(4000 * (1 - MAX_SHRINK))
    active = [_active("EL", 4000), _active("SDN", 4000)]
    new = [snap("EL", _names(kept)), snap("SDN", _names(kept - 1))]
    assert implausible_changes(active, new) == [f"SDN would shrink from 4000 to {kept - 1} entries"]
