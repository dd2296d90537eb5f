"""Checks against the full public data set, run by `make bench` (bench/data_checks_bench.py).

The test suite reads small fixtures (tests/fixtures); these checks read the whole files they
were cut from, and the files whose licence keeps them out of the repository (OpenSanctions'
curated China lists and ownership cluster are CC BY-NC 4.0), from ``../shared/data`` beside
the repository or ``$CHIPEXPORT_SHARED/data``. bench/README.md says where each file comes from.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench import SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    """The data set's root (``data/`` and ``evals/``)."""
    if not (SHARED / "data").is_dir():
        pytest.fail(f"{SHARED}/data missing: set CHIPEXPORT_SHARED (see bench/README.md)",
                    pytrace=False)
    return SHARED


@pytest.fixture(scope="session")
def shared_data(shared: Path) -> Path:
    return shared / "data"


@pytest.fixture(scope="session")
def real_index(shared_data: Path) -> object:
    """The screening index over the bundled lists plus the real CN and JP lists."""
    from chipexport.lists import read_path
    from chipexport.lists.bundled import bundled_snapshots
    from chipexport.screening import build_index

    snaps = list(bundled_snapshots())
    snaps += read_path(shared_data / "opensanctions_curated" / "cn_sanctions.csv")
    snaps += read_path(shared_data / "jp_meti" / "meti_third_country_entities_2025-09-12.json")
    return build_index([e for s in snaps for e in s.entries])
