"""OFAC legacy CSV (SDN 2021, consolidated non-SDN) and the BIS DPL tab file."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from chipexport.lists import parse_bytes, read_path
from chipexport.lists.dpl import dpl_citations
from chipexport.lists.ofac import sibling_paths
from chipexport.model import ListSnapshot

PAD = ",-0- " * 8  # Title..Remarks nulls of a primary OFAC row


def _plain_rows(path: Path) -> list[list[str]]:
    """Rows read with nothing but the csv module, as an oracle."""
    text = path.read_bytes().decode("latin-1").rstrip("\x1a\r\n")
    return [r for r in csv.reader(io.StringIO(text)) if r]


def test_sdn_2021_counts(sdn_2021: list[ListSnapshot], list_data: Path) -> None:
    """The cut of the July 2021 file in tests/fixtures: its first 300 rows and the highest entry
    number, ending in Ctrl-Z like the whole file (whose 8,976 rows `make bench` checks)."""
    (snap,) = sdn_2021
    rows = _plain_rows(list_data / "ofac_legacy_csv" / "sdn_2021-07.csv")
    assert snap.source == "SDN" and len(snap.entries) == len(rows) == 301
    assert max(int(e.entry_id.removeprefix("SDN-")) for e in snap.entries) == 32391
    kinds = Counter(e.entity_type for e in snap.entries)
    assert kinds == Counter(
        {"individual": "Individual", "-0- ": "Entity", "vessel": "Vessel", "aircraft": "Aircraft"}[
            r[2]
        ]
        for r in rows
    )


def test_sdn_joins_aliases_and_addresses(sdn_2021: list[ListSnapshot]) -> None:
    by_id = {e.entry_id: e for e in sdn_2021[0].entries}
    assert by_id["SDN-36"].name == "AEROCARIBBEAN AIRLINES"
    assert "AERO-CARIBBEAN" in by_id["SDN-36"].aliases
    assert by_id["SDN-36"].programs == ("CUBA",)
    assert "Ibex House, The Minories, London EC3N 1DY, United Kingdom" in by_id["SDN-173"].addresses
    assert "GB" in by_id["SDN-173"].countries
    assert by_id["SDN-306"].raw["Remarks"] == "a.k.a. 'BNC'."
    assert sum(len(e.aliases) for e in by_id.values()) > 300


def test_sdn_ids_line_up_with_the_csl(
    sdn_2021: list[ListSnapshot], csl_compact: list[ListSnapshot]
) -> None:
    csl = {e.entry_id: e.name for s in csl_compact if s.source == "SDN" for e in s.entries}
    same = [e for e in sdn_2021[0].entries if e.entry_id in csl]
    assert len(same) > 100
    assert sum(csl[e.entry_id] == e.name for e in same) / len(same) > 0.9


def test_consolidated_sources_as_the_csl_codes_them(
    ofac_cons: list[ListSnapshot], csl_compact: list[ListSnapshot]
) -> None:
    counts = {s.source: len(s.entries) for s in ofac_cons}
    assert sum(counts.values()) == 442
    csl = {s.source: len(s.entries) for s in csl_compact}
    for code in ("SSI", "CMIC", "PLC", "CAP"):  # non-SDN only lists: same size in the 2026 CSL
        assert counts[code] == csl[code], code
    ssi = next(s for s in ofac_cons if s.source == "SSI")
    assert all("UKRAINE-EO13662" in e.programs for e in ssi.entries)
    telecom = next(e for s in ofac_cons for e in s.entries if e.entry_id == "CMIC-30882")
    assert telecom.name == "CHINA TELECOM CORPORATION LIMITED"


def test_latin1_names_decoded(tmp_path: Path) -> None:
    """The 2021 files are ASCII in practice; older ones carry cp1252 accents."""
    (tmp_path / "sdn.csv").write_bytes(
        b'7,"MU\xd1OZ ESCOBAR, Jos\xe9",individual,"SDNT"' + PAD.encode() + b"\r\n\x1a"
    )
    (tmp_path / "alt.csv").write_bytes(b'7,1,"aka","M\xdcLLER, J\xfcrgen",-0- \r\n')
    (tmp_path / "add.csv").write_bytes(b'7,2,-0- ,"Bogot\xe1","Colombia",-0- \r\n')
    assert sibling_paths(tmp_path / "sdn.csv") == (tmp_path / "alt.csv", tmp_path / "add.csv")
    (entry,) = read_path(tmp_path / "sdn.csv")[0].entries
    assert entry.name == "MUÑOZ ESCOBAR, José"
    assert entry.aliases == ("MÜLLER, Jürgen",)
    assert entry.addresses == ("Bogotá, Colombia",) and entry.countries == ("CO",)


def test_utf8_ofac_file_also_read() -> None:
    data = '9,"ŽELJKO Café",-0- ,"BALKANS"'.encode() + PAD.encode() + b"\n"
    (snap,) = parse_bytes(data, "sdn.csv", "ofac")
    assert snap.entries[0].name == "ŽELJKO Café" and snap.entries[0].entity_type == "Entity"


def test_dpl_counts_and_version(dpl: list[ListSnapshot]) -> None:
    (snap,) = dpl
    assert snap.source == "DPL" and len(snap.entries) == 665
    assert snap.version == "2023-11-28"  # the 3033-09-30 typo is not the version
    assert any("3033-09-30" in w for w in snap.warnings)


def test_dpl_fields(dpl: list[ListSnapshot]) -> None:
    ash = next(e for e in dpl[0].entries if e.name == "I. ASH")
    assert ash.listed_on == date(2003, 6, 19) and ash.ends_on == date(2056, 6, 29)
    assert ash.federal_register_notices == ("68 FR 38290", "71 FR 38843", "72 FR 4236")
    assert ash.countries == ("US",) and ash.addresses[0].endswith("SEAGOVILLE, TX, 75159, US")
    cn_hk = [e for e in dpl[0].entries if set(e.countries) & {"CN", "HK"}]
    assert len(cn_hk) == 13 + 2  # 13 rows with CN/HK as country, plus 2 written "PRC"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("87 F.R. 52741 8/29/2022", ("87 FR 52741",)),
        ("81.F.R. 22576 4/18/2016", ("81 FR 22576",)),
        ("88 F.R.2604 1/17/2023 ", ("88 FR 2604",)),
        ("84 F.R.  53405 10/7/2019", ("84 FR 53405",)),
        (
            "87 F.R.38704 6/29/2022; 87 F.R. 79725 12/27/2022, 88 F.R. 40202 6/21/2023",
            ("87 FR 38704", "87 FR 79725", "88 FR 40202"),
        ),
        ("NEW F.R. NOTICE TO BE PUBLISHED SOON", ("NEW F.R. NOTICE TO BE PUBLISHED SOON",)),
    ],
)
def test_dpl_citation_splitting(cell: str, expected: tuple[str, ...]) -> None:
    assert dpl_citations(cell) == expected


def test_every_dpl_citation_normalised(dpl: list[ListSnapshot]) -> None:
    multi = oracle = 0
    for e in dpl[0].entries:
        cell = e.raw.get("FR_Citation", "")
        if "F.R" in cell.upper():
            assert e.federal_register_notices, cell
            assert all(re.fullmatch(r"\d+ FR \d+", n) for n in e.federal_register_notices), cell
            multi += len(e.federal_register_notices) > 1
            # Rows naming two or more distinct "volume F.R." citations, counted by plain search.
            oracle += len(set(re.findall(r"\d+\s*\.?\s*F\.?\s*R\.?\s*\d+", cell))) > 1
    assert multi == oracle > 100


def test_consolidated_aliases_from_cons_alt(ofac_cons: list[ListSnapshot]) -> None:
    plc = next(s for s in ofac_cons if s.source == "PLC")
    haniya = next(e for e in plc.entries if e.entry_id == "PLC-9639")
    assert haniya.name == "HANIYA, Ismail Abdul Salah" and haniya.entity_type == "Individual"
    assert {"HANIYA, Ismail", "HANIYYA, Ismaeel"} <= set(haniya.aliases)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Korea, North", "KP"),
        ("Iran (Islamic Republic of)", "IR"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Bosnia and Herzegovina", "BA"),
        ("Türkiye", "TR"),
        ("PRC", "CN"),
        ("hk", "HK"),
        ("NM", None),  # New Mexico typed into the DPL's Country cell
        ("undetermined", None),
        ("", None),
    ],
)
def test_country_names_to_iso(value: str, code: str | None) -> None:
    from chipexport.lists.countries import country_code

    assert country_code(value) == code
