"""A load that fails part-way leaves the previous lists active, complete and usable."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from chipexport.model import ListSnapshot
from chipexport.store import Store
from chipexport.store import store as store_module
from chipexport.store.schema import EntryRow, ListVersionRow


class Injected(RuntimeError):
    pass


def _snapshot_state(store: Store) -> tuple[object, ...]:
    entries = store.active_entries()
    return (
        store.list_status(),
        entries,
        [e.raw for e in entries],
        store.active_fingerprint(),
    )


def _row_counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        versions = conn.execute(select(func.count()).select_from(ListVersionRow)).scalar_one()
        entries = conn.execute(select(func.count()).select_from(EntryRow)).scalar_one()
    return versions, entries


@pytest.fixture()
def loaded(snap: Callable[..., ListSnapshot], store: Store) -> Store:
    store.replace_lists([snap("EL", [f"E{i}" for i in range(30)]), snap("SDN", ["S1", "S2"])])
    return store


def test_failure_after_first_source_swapped_rolls_everything_back(
    snap: Callable[..., ListSnapshot], loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The EL swap has been executed inside the transaction when the SDN insert fails."""
    monkeypatch.setattr(store_module, "BATCH_ROWS", 7)
    before, counts = _snapshot_state(loaded), _row_counts(loaded)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if done > 40:  # inside the second snapshot, after the first was fully written
            raise Injected("disk full")

    new = [
        snap("EL", [f"N{i}" for i in range(40)], "2026-09-01"),
        snap("SDN", [f"T{i}" for i in range(20)], "2026-09-01"),
    ]
    with pytest.raises(Injected):
        loaded.replace_lists(new, progress=progress)
    assert calls[0][1] == 60 and len(calls) > 6  # it really failed part-way
    assert _snapshot_state(loaded) == before
    assert _row_counts(loaded) == counts
    # The store still works: the same load now succeeds.
    result = loaded.replace_lists(new)
    assert [v.entry_count for v in result] == [40, 20]
    assert [v.version for v in loaded.list_status()] == ["2026-09-01", "2026-09-01"]


def test_unserialisable_record_mid_load_rolls_back(
    snap: Callable[..., ListSnapshot], loaded: Store
) -> None:
    """A bad snapshot that only fails when its rows reach the database."""
    before, counts = _snapshot_state(loaded), _row_counts(loaded)
    bad = snap("SDN", ["X", "Y"], "2026-09-01")
    broken_entry = dataclasses.replace(bad.entries[1], raw={"blob": object()})
    bad = dataclasses.replace(bad, entries=(bad.entries[0], broken_entry))
    with pytest.raises(Exception, match="not JSON serialisable"):
        loaded.replace_lists([snap("EL", ["New"], "2026-09-01"), bad])
    assert _snapshot_state(loaded) == before
    assert _row_counts(loaded) == counts


def test_failure_while_swapping_flags_rolls_back(
    snap: Callable[..., ListSnapshot], loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail at the last step, after the entries are in and the old version is deactivated."""
    before = _snapshot_state(loaded)
    real_update = store_module.update
    seen: list[object] = []

    def failing_update(table: object) -> object:
        seen.append(table)
        if len(seen) == 2:  # first deactivates the old EL version, second activates the new
            raise Injected("connection lost")
        return real_update(table)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "update", failing_update)
    with pytest.raises(Injected):
        loaded.replace_lists([snap("EL", ["Only"], "2026-09-01")])
    assert _snapshot_state(loaded) == before
