"""Store fixtures: every store test runs against SQLite and against a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chipexport.model import ListEntry, ListSnapshot
from chipexport.store import Store


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database: an SQLite file, or a fresh database on the test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'chipexport.db'}"
    url: str = request.getfixturevalue("pg_database")
    return url


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


def make_snapshot(
    source: str, names: list[str], version: str = "2026-01-01", tag: str = ""
) -> ListSnapshot:
    """A small snapshot; ``tag`` goes into every entry so two snapshots can differ in content."""
    entries = tuple(
        ListEntry(
            source=source,
            entry_id=f"{source}-{i}",
            name=name,
            aliases=(f"{name} alias{tag}",),
            countries=("CN",),
            raw={"name": name, "row": i, "tag": tag},
        )
        for i, name in enumerate(names)
    )
    return ListSnapshot(
        source=source,
        version=version,
        entries=entries,
        origin=f"test:{source}{tag}",
        checksum=f"sum-{source}-{version}-{tag}",
        title=f"Test list ({source})",
    )


MakeSnapshot = Callable[..., ListSnapshot]


@pytest.fixture()
def snap() -> MakeSnapshot:
    """:func:`make_snapshot`, as a fixture (test modules here are not an importable package)."""
    return make_snapshot
