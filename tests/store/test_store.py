"""Store round trips, version keeping and status, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from chipexport.lists import bundled_snapshots
from chipexport.model import ListEntry, ListSnapshot
from chipexport.store import Store, StoreError, StoreUnavailable


def _full_entry(source: str = "EL", entry_id: str = "EL-1") -> ListEntry:
    """An entry with every field of ListEntry set to something other than its default."""
    values: dict[str, object] = {}
    for field in dataclasses.fields(ListEntry):
        kind = str(field.type)
        if field.name in ("source", "entry_id", "name", "raw"):
            continue
        if kind.startswith("tuple"):
            values[field.name] = (f"{field.name} one", f"{field.name} — two ü")
        elif "date" in kind:
            values[field.name] = date(2024, 2, 29)
        else:
            values[field.name] = f"{field.name} value"
    return ListEntry(
        source=source,
        entry_id=entry_id,
        name="Huawei Technologies Co., Ltd. 华为",
        raw={"name": "Huawei", "nested": {"ids": ["a", "b"], "n": 3}, "empty": None, "é": "ü"},
        **values,  # type: ignore[arg-type]
    )


def test_round_trip_keeps_every_field_and_raw(
    snap: Callable[..., ListSnapshot], store: Store
) -> None:
    entry = _full_entry()
    other = dataclasses.replace(_full_entry(entry_id="EL-2"), name="Second", raw={"x": 1})
    store.replace_lists([dataclasses.replace(snap("EL", ["x"]), entries=(entry, other))])
    loaded = store.active_entries()
    assert loaded == [entry, other]  # dataclass equality ignores raw, so compare it too
    assert [e.raw for e in loaded] == [entry.raw, other.raw]
    assert all(
        e.content_hash() == o.content_hash() for e, o in zip(loaded, [entry, other], strict=True)
    )


def test_bundled_lists_round_trip(store: Store) -> None:
    snapshots = bundled_snapshots()
    store.replace_lists(snapshots)
    loaded = store.active_entries()
    expected = {(e.source, e.entry_id): e for s in snapshots for e in s.entries}
    assert len(loaded) == len(expected)
    for entry in loaded:
        original = expected[(entry.source, entry.entry_id)]
        assert entry == original
        assert dict(entry.raw) == dict(original.raw)
    counts = {v.source: v.entry_count for v in store.list_status()}
    assert counts == {s.source: len(s.entries) for s in snapshots}


def test_new_version_replaces_old_and_old_is_kept(
    snap: Callable[..., ListSnapshot], store: Store
) -> None:
    store.replace_lists([snap("EL", ["A", "B"], "2026-01-01")])
    store.replace_lists([snap("EL", ["A", "C", "D"], "2026-02-01")])
    versions = store.versions("EL")
    assert [(v.version, v.active, v.entry_count) for v in versions] == [
        ("2026-01-01", False, 2),
        ("2026-02-01", True, 3),
    ]
    assert versions[0].superseded_at is not None
    assert versions[1].superseded_at is None
    assert [e.name for e in store.active_entries()] == ["A", "C", "D"]
    assert [e.name for e in store.entries(versions[0].id)] == ["A", "B"]


def test_sources_not_loaded_stay_active(snap: Callable[..., ListSnapshot], store: Store) -> None:
    store.replace_lists([snap("EL", ["A"]), snap("SDN", ["S"])])
    store.replace_lists([snap("EL", ["A2"], "2026-03-01")])
    assert {v.source: v.version for v in store.list_status()} == {
        "EL": "2026-03-01",
        "SDN": "2026-01-01",
    }
    assert [e.name for e in store.active_entries(["SDN"])] == ["S"]
    assert [e.name for e in store.active_entries({"EL"})] == ["A2"]


def test_reloading_same_content_is_a_no_op(snap: Callable[..., ListSnapshot], store: Store) -> None:
    first = store.replace_lists([snap("EL", ["A", "B"])])
    fingerprint = store.active_fingerprint()
    again = store.replace_lists([snap("EL", ["A", "B"])])
    assert [v.unchanged for v in first] == [False]
    assert [v.unchanged for v in again] == [True]
    assert again[0].id == first[0].id
    assert len(store.versions("EL")) == 1
    assert store.active_fingerprint() == fingerprint


def test_changed_content_with_same_version_is_loaded(
    snap: Callable[..., ListSnapshot], store: Store
) -> None:
    store.replace_lists([snap("EL", ["A", "B"])])
    before = store.active_fingerprint()
    result = store.replace_lists([snap("EL", ["A", "B"], tag="-amended")])
    assert [v.unchanged for v in result] == [False]
    assert store.active_fingerprint() != before
    assert store.active_entries()[0].aliases == ("A alias-amended",)


def test_fingerprint_tracks_active_versions(
    snap: Callable[..., ListSnapshot], store: Store
) -> None:
    empty = store.active_fingerprint()
    store.replace_lists([snap("EL", ["A"])])
    one = store.active_fingerprint()
    store.replace_lists([snap("UN", ["U"])])
    two = store.active_fingerprint()
    assert len({empty, one, two}) == 3
    assert Store(store.url).active_fingerprint() == two  # stable across opens


def test_status_reports_what_was_loaded(snap: Callable[..., ListSnapshot], store: Store) -> None:
    before = datetime.now(UTC)
    loaded = snap("EL", ["A", "B", "C"], "2026-07-31")
    store.replace_lists([loaded])
    (status,) = store.list_status()
    assert (status.source, status.title, status.version, status.entry_count) == (
        "EL",
        loaded.title,
        "2026-07-31",
        3,
    )
    assert (status.checksum, status.origin, status.active) == (loaded.checksum, loaded.origin, True)
    assert status.loaded_at.tzinfo is not None
    assert before <= status.loaded_at <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("case", "message"),
    [("empty", "has no entries"), ("twice", "given twice"), ("wrong source", "expected 'SDN'")],
)
def test_bad_snapshots_are_refused(
    snap: Callable[..., ListSnapshot], store: Store, case: str, message: str
) -> None:
    snapshots = {
        "empty": [snap("EL", [])],
        "twice": [snap("EL", ["A"]), snap("EL", ["B"])],
        "wrong source": [dataclasses.replace(snap("EL", ["A"]), source="SDN")],
    }[case]
    with pytest.raises(StoreError, match=message):
        store.replace_lists(snapshots)
    assert store.list_status() == []


def test_duplicate_entry_ids_are_refused(snap: Callable[..., ListSnapshot], store: Store) -> None:
    two = snap("EL", ["A", "B"])
    doubled = dataclasses.replace(
        two, entries=(two.entries[0], dataclasses.replace(two.entries[1], entry_id="EL-0"))
    )
    with pytest.raises(StoreError, match="duplicate entry id 'EL-0'"):
        store.replace_lists([doubled])


def test_default_url_creates_sqlite_file_under_home(
    snap: Callable[..., ListSnapshot], chipexport_home: Path
) -> None:
    with Store() as store:
        store.replace_lists([snap("EL", ["A"])])
    assert (chipexport_home / "chipexport.db").is_file()
    assert [v.source for v in Store().list_status()] == ["EL"]


def test_concurrent_opens_and_loads(snap: Callable[..., ListSnapshot], store_url: str) -> None:
    """Several processes' worth of Stores migrate and load at once; all succeed, one wins."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            with Store(store_url) as store:
                store.replace_lists([snap("EL", ["A", f"B{n}"], tag=str(n))])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(store_url) as store:
        assert len(store.versions("EL")) == 4
        assert [v.source for v in store.list_status()] == ["EL"]
        assert len(store.active_entries()) == 2


def test_progress_counts_every_entry_once(
    snap: Callable[..., ListSnapshot], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("chipexport.store.store.BATCH_ROWS", 3)
    store.replace_lists([snap("UN", ["U"])])
    calls: list[tuple[int, int]] = []
    snapshots = [snap("EL", [f"E{i}" for i in range(10)]), snap("UN", ["U"])]  # UN unchanged
    store.replace_lists(snapshots, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 11) and calls[-1] == (11, 11)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert len(calls) >= 5  # batches of three, not one call at the end


def test_unwritable_sqlite_location_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreUnavailable, match=r"cannot open database sqlite:///.*file/db"):
        Store(f"sqlite:///{blocker}/db/chipexport.db")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("mysql://u@127.0.0.1/db", "unsupported database 'mysql'"),
        ("postgresql+psycopg://u@h:port/db", "invalid literal"),  # malformed port
        ("postgresql+asyncpg://u@127.0.0.1:1/db", "asyncpg"),  # a driver we do not ship
        ("nonsense", "Could not parse"),
    ],
)
def test_unusable_url_is_one_line(url: str, why: str) -> None:
    """Every bad CHIPEXPORT_DATABASE_URL is a StoreUnavailable (the CLI's one-line exit 2)."""
    with pytest.raises(StoreUnavailable) as info:
        Store(url)
    assert why in str(info.value) and "\n" not in str(info.value)
    assert "cannot open database" in str(info.value)
