"""The real screening index for rule-case files marked ``screener: real``; the others declare
their listed parties (:class:`chipexport.determine.rule_cases.ListedScreener`)."""

from __future__ import annotations

from pathlib import Path

import pytest


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
