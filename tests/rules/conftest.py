"""A small in-memory screener for rule cases: exact (case-insensitive) names, set scores.

Rule cases test what the engine does with a match, not how names are matched (the screening
tests do that), so a case declares its listed parties and the score each one gets.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from chipexport.model import ListEntry, Match, ScreeningResult
from chipexport.screening import DEFAULT_THRESHOLD, STRONG_THRESHOLD


class FakeScreener:
    def __init__(self, listed: Sequence[dict[str, Any]]) -> None:
        self.by_name: dict[str, list[tuple[ListEntry, float]]] = {}
        for n, row in enumerate(listed):
            score = {"strong": 0.99, "possible": (DEFAULT_THRESHOLD + STRONG_THRESHOLD) / 2}[
                row.get("score", "strong")]
            entry = ListEntry(source=row["source"], entry_id=f"fake-{n}", name=row["name"],
                              countries=tuple(row.get("countries", ())),
                              license_requirement=row.get("license_requirement"),
                              license_policy=row.get("license_policy"),
                              federal_register_notices=tuple(row.get("fr", ())),
                              aliases=tuple(row.get("aliases", ())),
                              affiliate_of=row.get("affiliate_of"))
            for name in (row["name"], *row.get("aliases", ())):
                self.by_name.setdefault(name.casefold(), []).append((entry, score))

    def screen(self, name: str, country: str | None = None, threshold: float | None = None,
               sources: Sequence[str] | None = None) -> ScreeningResult:
        found = self.by_name.get(name.casefold(), [])
        return ScreeningResult(name, country, tuple(Match(e, s, e.name) for e, s in found))


@pytest.fixture()
def fake_screener() -> type[FakeScreener]:
    return FakeScreener


@pytest.fixture(scope="session")
def real_index(list_data: Path) -> object:
    """The screening index over the bundled lists plus the JP list and the CN stand-in of
    tests/fixtures, for cases that name real parties."""
    from chipexport.lists import read_path
    from chipexport.lists.bundled import bundled_snapshots
    from chipexport.screening import build_index

    snaps = list(bundled_snapshots())
    snaps += read_path(list_data / "cn" / "cn_sanctions.csv")
    snaps += read_path(list_data / "jp_meti" / "meti_third_country_entities_2025-09-12.json")
    return build_index([e for s in snaps for e in s.entries])
