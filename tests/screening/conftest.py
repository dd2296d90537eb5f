"""A session-wide screening index over the real 2026-07-31 CSL (built once: ~3 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipexport.lists import read_path
from chipexport.model import ListEntry
from chipexport.screening import ScreeningIndex, build_index


@pytest.fixture(scope="session")
def csl_entries(list_data: Path) -> list[ListEntry]:
    snaps = read_path(list_data / "us_csl" / "csl_compact_2026-07-31.json")
    return [e for s in snaps for e in s.entries]


@pytest.fixture(scope="session")
def csl_index(csl_entries: list[ListEntry]) -> ScreeningIndex:
    return build_index(csl_entries)


@pytest.fixture(scope="session")
def by_name(csl_entries: list[ListEntry]) -> dict[tuple[str, str], ListEntry]:
    """(source, primary name) -> entry, to assert on real list entries."""
    return {(e.source, e.name): e for e in csl_entries}
