"""The list readers on whole files, where the test suite reads cuts or hand-written stand-ins.

Counts are those stated in the data set's provenance notes for each file.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from chipexport.lists import ListFormatError, bundled_snapshots, read_path
from chipexport.lists.ownership import read_ownership

REPO = Path(__file__).resolve().parents[2]
RAW_COUNTS = {
    "SDN": 1738, "EL": 919, "DPL": 577, "SSI": 288, "UVL": 186, "ISN": 144, "DTC": 142,
    "PLC": 78, "MEU": 71, "CMIC": 68, "NS-MBS": 14, "FSE": 1, "CAP": 1,
}  # fmt: skip


def test_raw_trade_gov_sample_whole(shared_data: Path) -> None:
    path = shared_data / "us_csl" / "csl_partial_sample_2023-11.csv"
    with pytest.raises(ListFormatError, match=r"line 4233: file ends inside a quoted field"):
        read_path(path)
    snaps = read_path(path, strict=False)
    assert {s.source: len(s.entries) for s in snaps} == RAW_COUNTS
    assert sum(RAW_COUNTS.values()) == 4227
    assert any("line 4233" in w for w in snaps[0].warnings)


def test_sdn_2021_whole(shared_data: Path) -> None:
    """8,976 rows: the provenance note's 8,977 counts the Ctrl-Z end-of-file line as a row."""
    path = shared_data / "ofac_legacy_csv" / "sdn_2021-07.csv"
    (snap,) = read_path(path)
    text = path.read_bytes().decode("latin-1").rstrip("\x1a\r\n")
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    assert len(snap.entries) == len(rows) == 8976
    assert max(int(e.entry_id.removeprefix("SDN-")) for e in snap.entries) == 32391
    assert sum(len(e.aliases) for e in snap.entries) > 11000
    csl = {e.entry_id: e.name for s in bundled_snapshots() if s.source == "SDN"
           for e in s.entries}  # fmt: skip
    same = [e for e in snap.entries if e.entry_id in csl]
    assert len(same) > 5000
    assert sum(csl[e.entry_id] == e.name for e in same) / len(same) > 0.9


def test_cn_curated_lists_whole(shared_data: Path) -> None:
    path = shared_data / "opensanctions_curated" / "cn_sanctions.csv"
    cn = read_path(path)
    with path.open(encoding="utf-8") as f:
        lists = Counter(row["List"] for row in csv.DictReader(f))
    counts = {s.source: len(s.entries) for s in cn}
    assert counts["CN-UEL"] == lists["UEL"] == 66
    assert counts["CN-ECL"] == lists["List of Export Controls"] == 153
    assert counts["CN-WATCH"] == lists["Export Control Watch List"] == 40
    assert sum(counts.values()) == 610
    every = [e for s in cn for e in s.entries]
    ned = next(e for e in every if e.name == "National Endowment for Democracy")
    assert ned.source == "CN-CMS" and "美国国家民主基金会" in ned.aliases
    assert ned.listed_on == date(2019, 12, 2) and ned.countries == ("US",)
    assert len([e for e in every if e.ends_on]) == 3
    cjk = sum(any("\u4e00" <= c <= "\u9fff" for a in e.aliases for c in a) for e in every)
    assert cjk >= 500  # 512 Chinese names


def test_zala_ownership_cluster(shared_data: Path) -> None:
    path = shared_data / "ownership" / "opensanctions_zala_cluster.ftm.jsonl"
    links = read_ownership(path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(links) == sum(r["schema"] == "Ownership" for r in records) == 14
    kalashnikov = [k for k in links if k.owner == "JSC Kalashnikov Concern"]
    assert {(k.asset, k.percent) for k in kalashnikov} == {("LLC CST", 49.0), ("LLC CST", None)}
    assert all(k.owner != k.owner_id for k in links)
    zakharov = sorted((k.percent, k.start, k.end) for k in links
                      if k.owner == "Alexander Vyacheslavovich ZAKHAROV" and k.asset == "LLC CST")
    assert zakharov == [
        (48.0, date(2015, 11, 25), date(2023, 12, 21)),
        (50.0, date(2015, 11, 25), date(2023, 3, 2)),
        (51.0, date(2015, 11, 25), None),
    ]


def test_bundled_copies_equal_the_originals(shared_data: Path) -> None:
    """The lists and eCFR tables the package ships are the data set's files, unchanged."""
    data = REPO / "src" / "chipexport" / "data"
    pairs = [
        (data / "lists" / "csl_compact_2026-07-31.json.gz",
         shared_data / "us_csl" / "csl_compact_2026-07-31.json"),
        (data / "lists" / "un_consolidated_2026-02.xml.gz",
         shared_data / "un_sc" / "UN_consolidated_2026-02.xml"),
    ]  # fmt: skip
    for path in sorted((data / "ecfr").glob("*.json.gz")):
        pairs.append((path, shared_data / "us_ear_ecfr" / path.name.removesuffix(".gz")))
    for bundled, original in pairs:
        assert gzip.decompress(bundled.read_bytes()) == original.read_bytes(), bundled.name


def test_test_fixtures_are_current(shared_data: Path, tmp_path: Path) -> None:
    """tests/fixtures/data holds what bench/make_fixtures.py makes from the data set today."""
    from bench import make_fixtures

    fixtures = REPO / "tests" / "fixtures" / "data"
    for rel in make_fixtures.WHOLE:
        assert gzip.decompress((fixtures / f"{rel}.gz").read_bytes()) == (
            shared_data / rel).read_bytes(), rel
