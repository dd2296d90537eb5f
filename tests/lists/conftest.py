"""Session-scoped snapshots of every real list file: each is parsed once for all tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipexport.lists import read_path
from chipexport.model import ListSnapshot


@pytest.fixture(scope="session")
def csl_compact(list_data: Path) -> list[ListSnapshot]:
    return read_path(list_data / "us_csl" / "csl_compact_2026-07-31.json")


@pytest.fixture(scope="session")
def csl_flat(list_data: Path) -> list[ListSnapshot]:
    return read_path(list_data / "us_csl" / "csl_flat_2026-07-31.csv")


@pytest.fixture(scope="session")
def csl_raw(list_data: Path) -> list[ListSnapshot]:
    # The 2023 sample's last row is cut inside a quoted field: only a lenient read accepts it.
    return read_path(list_data / "us_csl" / "csl_partial_sample_2023-11.csv", strict=False)


@pytest.fixture(scope="session")
def sdn_2021(list_data: Path) -> list[ListSnapshot]:
    return read_path(list_data / "ofac_legacy_csv" / "sdn_2021-07.csv")


@pytest.fixture(scope="session")
def ofac_cons(list_data: Path) -> list[ListSnapshot]:
    return read_path(list_data / "ofac_legacy_csv" / "cons_prim.csv")


@pytest.fixture(scope="session")
def dpl(list_data: Path) -> list[ListSnapshot]:
    return read_path(list_data / "bis_dpl" / "dpl_2023-11.txt")


@pytest.fixture(scope="session")
def un(list_data: Path) -> list[ListSnapshot]:
    return read_path(list_data / "un_sc" / "UN_consolidated_2026-02.xml")


@pytest.fixture(scope="session")
def cn(list_data: Path) -> list[ListSnapshot]:
    return read_path(list_data / "cn" / "cn_sanctions.csv")


@pytest.fixture(scope="session")
def jp(list_data: Path) -> list[ListSnapshot]:
    return read_path(list_data / "jp_meti" / "meti_third_country_entities_2025-09-12.json")
