"""The Consolidated Screening List in its three forms: compact JSON, flat CSV, trade.gov CSV."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from chipexport.lists import ListFormatError, parse_bytes, read_path
from chipexport.lists.common import stable_id
from chipexport.model import ListEntry, ListSnapshot


def by_source(snapshots: list[ListSnapshot]) -> dict[str, ListSnapshot]:
    return {s.source: s for s in snapshots}


def entries(snapshots: list[ListSnapshot]) -> list[ListEntry]:
    return [e for s in snapshots for e in s.entries]


# The bundled 2026-07-31 list's counts per source, as its publisher's countsBySource states them.
COMPACT_COUNTS = {
    "SDN": 19181, "EL": 3420, "DPL": 1596, "DTC": 787, "SSI": 286, "UVL": 222, "ISN": 161,
    "PLC": 78, "MEU": 70, "CMIC": 68, "NS-MBS": 51, "CAP": 1,
}  # fmt: skip
# The cut of the 2023 trade.gov sample in tests/fixtures (bench/make_fixtures.py): rows counted
# per source with the csv module; SDN includes the cut last row. The whole sample's counts are
# checked by `make bench` (bench/data_checks).
RAW_COUNTS = {
    "SDN": 14, "EL": 152, "DPL": 13, "SSI": 12, "UVL": 12, "ISN": 13, "DTC": 13,
    "PLC": 12, "MEU": 13, "CMIC": 12, "NS-MBS": 12, "FSE": 1, "CAP": 1,
}  # fmt: skip
RAW_LAST_LINE = 282


def test_compact_counts_per_source(csl_compact: list[ListSnapshot]) -> None:
    counts = {s.source: len(s.entries) for s in csl_compact}
    assert counts == COMPACT_COUNTS
    assert sum(counts.values()) == 25921
    assert {s.version for s in csl_compact} == {"2026-07-31"}


def test_flat_csv_entries_identical_to_compact(
    csl_compact: list[ListSnapshot], csl_flat: list[ListSnapshot]
) -> None:
    compact, flat = entries(csl_compact), entries(csl_flat)
    assert len(flat) == 25921
    # Dataclass equality compares every field but raw: ids, names, aliases, citations...
    mismatches = [(a.entry_id, b.entry_id) for a, b in zip(compact, flat, strict=True) if a != b]
    assert mismatches == []
    assert [s.source for s in csl_flat] == [s.source for s in csl_compact]


def test_ids_unique_within_each_source(csl_compact: list[ListSnapshot]) -> None:
    for snap in csl_compact:
        ids = [e.entry_id for e in snap.entries]
        assert len(ids) == len(set(ids)), snap.source


def test_entity_number_becomes_the_id(csl_compact: list[ListSnapshot]) -> None:
    cmic = by_source(csl_compact)["CMIC"]
    telecom = next(e for e in cmic.entries if e.name == "China Telecom Corporation Limited")
    assert telecom.entry_id == "CMIC-30882"
    assert "CHINA TELECOM CO., LTD" in telecom.aliases
    assert telecom.countries == ("CN",)


def test_huawei_affiliates_split(csl_compact: list[ListSnapshot]) -> None:
    el = by_source(csl_compact)["EL"].entries
    affiliated = [e for e in el if "Affiliated Entity:" in e.name]
    # Huawei is in 136 EL entries of the 2026 list; 22 read "Huawei ... Affiliated Entity: Y".
    assert sum("Huawei" in e.name for e in affiliated) == 22
    for e in affiliated:
        assert e.affiliate_of and e.affiliate_name
        assert "Affiliated Entity" not in e.affiliate_name
        assert e.affiliate_name in e.all_names
        assert e.name.startswith(e.affiliate_of)
        assert e.name.endswith(e.affiliate_name)
    assert any(e.affiliate_of.startswith("Huawei Technologies Co., Ltd") for e in affiliated)


def test_aliases_joined_with_bare_semicolon_are_split(csl_compact: list[ListSnapshot]) -> None:
    every = entries(csl_compact)
    assert not any(";" in a for e in every for a in e.aliases)
    kalashnikov = [e for e in every if "OJSC Concern Kalashnikov" in e.aliases]
    assert kalashnikov and all("NPO Izhmash OAO" in e.aliases for e in kalashnikov)


def test_citations_split_on_semicolons_and_commas(csl_compact: list[ListSnapshot]) -> None:
    """One notice per "NN FR page" citation, with its date or "(no. N)" kept beside it."""
    el = by_source(csl_compact)["EL"].entries
    cited = [e for e in el if e.raw.get("fr")]
    assert len(cited) == 3420 - 24  # 24 EL entries of the 2026 list have no FR citation
    checked = 0
    for e in cited:
        fr = e.raw["fr"]
        expected = len(re.findall(r"\b\d+\s+FR\b", fr, re.I))
        # "76 FR 78146 (12/16/11) 77 FR" (page missing upstream) is left out of the check.
        if expected and not re.search(r"FR\s*$", fr) and "F.R." not in fr:
            assert len(e.federal_register_notices) == expected, fr
            assert all(re.match(r"\d+\s+FR\b", n, re.I) for n in e.federal_register_notices)
            checked += 1
    assert checked > 3000
    smic = next(e for e in el if e.name == "SMIC Advanced Technology R&D (Shanghai) Corporation")
    assert smic.federal_register_notices == ("89 FR 96837",)


def test_raw_layout_counts(csl_raw: list[ListSnapshot]) -> None:
    counts = {s.source: len(s.entries) for s in csl_raw}
    assert counts == RAW_COUNTS
    assert sum(counts.values()) == 280
    # The duplicated header row must not become an entry.
    assert not any(e.name == "name" for e in entries(csl_raw))


def test_raw_layout_fields(csl_raw: list[ListSnapshot]) -> None:
    snaps = by_source(csl_raw)
    assert snaps["DPL"].version == "2023-11-16"
    assert snaps["EL"].version == "2017-05-26"
    telecom = next(e for e in snaps["CMIC"].entries if e.entry_id == "CMIC-30882")
    assert telecom.addresses == ("31 Jinrong Street, Xicheng District, Beijing, 100033, CN",)
    assert telecom.countries == ("CN",)
    assert "9111000071093019X7" in telecom.raw["ids"]
    ghoura = next(e for e in snaps["EL"].entries if e.name == "Abdul Satar Ghoura")
    assert ghoura.listed_on is not None and ghoura.listed_on.isoformat() == "2011-11-21"
    assert ghoura.federal_register_notices == ("76 FR 71867",)
    assert ghoura.countries[0] == "AF" and len(ghoura.countries) == len(set(ghoura.countries))
    assert ghoura.license_requirement and "744.11" in ghoura.license_requirement


def test_raw_layout_ids_line_up_with_compact(
    csl_raw: list[ListSnapshot], csl_compact: list[ListSnapshot]
) -> None:
    """An EL entry with no entity number keeps its id between the 2023 CSV and 2026 JSON."""
    old = Counter(e.name for e in by_source(csl_raw)["EL"].entries)
    new = {e.name: e.entry_id for e in by_source(csl_compact)["EL"].entries}
    shared = [n for n, c in old.items() if c == 1 and n in new and "~" not in new[n]]
    assert len(shared) > 100
    raw_ids = {e.name: e.entry_id for e in by_source(csl_raw)["EL"].entries}
    assert all(raw_ids[n] == new[n] == stable_id("EL", n) for n in shared)


def test_raw_layout_cut_last_row_refused_by_default(list_data: Path) -> None:
    path = list_data / "us_csl" / "csl_partial_sample_2023-11.csv"
    cut = rf"line {RAW_LAST_LINE}: file ends inside a quoted field"
    with pytest.raises(ListFormatError, match=cut):
        read_path(path)


def test_raw_layout_lenient_read_warns(csl_raw: list[ListSnapshot]) -> None:
    assert any(f"line {RAW_LAST_LINE}" in w for w in csl_raw[0].warnings)
    last = next(e for e in by_source(csl_raw)["SDN"].entries if e.entry_id == "SDN-11476")
    assert last.name == "BERMUDEZ SUAZA, Pedro Antonio"


def test_raw_layout_ragged_row_tolerated() -> None:
    header = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    header += "start_date,end_date,alt_names,ids"
    rows = [
        header,
        header,  # trade.gov's duplicated header
        'a1,Entity List (EL) - Bureau of Industry and Security,,,,Acme Ltd,,"1 Road, Town, HK",'
        "89 FR 1,2024-01-02,,ACME; Acme Limited,",
        "a2,Unverified List (UVL) - Bureau of Industry and Security,,,,Short Row Co",
    ]
    data = ("\n".join(rows) + "\n").encode()
    snaps = by_source(parse_bytes(data, "t.csv"))
    acme = snaps["EL"].entries[0]
    assert acme.aliases == ("ACME", "Acme Limited") and acme.countries == ("HK",)
    assert snaps["UVL"].entries[0].name == "Short Row Co"


def test_flat_rows_match_the_csv_module(list_data: Path, csl_flat: list[ListSnapshot]) -> None:
    """Independent check of the flat reader against a plain csv.DictReader pass."""
    text = (list_data / "us_csl" / "csl_flat_2026-07-31.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    got = entries(csl_flat)
    by_code = Counter(r["source_code"] for r in rows)
    assert Counter(e.source for e in got) == by_code
    names = Counter(r["name"] for r in rows)
    assert Counter(e.name for e in got) == names
