"""UN Security Council XML, China's lists in the curated layout, Japan METI.

The curated China lists are CC BY-NC and never enter the repository: tests read a hand-written
file in their layout (tests/fixtures/data/cn); the real file is checked by `make bench`.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path

from chipexport.model import ListSnapshot


def test_un_counts_and_version(un: list[ListSnapshot]) -> None:
    (snap,) = un
    assert snap.source == "UN" and snap.version == "2026-02-27"
    assert Counter(e.entity_type for e in snap.entries) == {"Individual": 730, "Entity": 273}
    assert len({e.entry_id for e in snap.entries}) == 1003


def test_un_individual_fields(un: list[ListSnapshot]) -> None:
    by_id = {e.entry_id: e for e in un[0].entries}
    badege = by_id["UN-CDi.001"]
    assert badege.name == "ERIC BADEGE" and badege.listed_on == date(2012, 12, 31)
    assert badege.programs == ("DRC",) and badege.countries == ("RW",)
    kakolele = by_id["UN-CDi.002"]
    assert kakolele.name == "FRANK KAKOLELE BWAMBALE"
    assert kakolele.aliases == ("FRANK KAKORERE", "FRANK KAKORERE BWAMBALE", "AIGLE BLANC")


def test_un_names_joined_from_all_parts(un: list[ListSnapshot], list_data: Path) -> None:
    root = ET.parse(list_data / "un_sc" / "UN_consolidated_2026-02.xml").getroot()
    expected = {}
    for rec in root.iter("INDIVIDUAL"):
        parts = [
            rec.findtext(t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        ]
        ref = rec.findtext("REFERENCE_NUMBER")
        expected[f"UN-{ref}"] = " ".join(" ".join(p.split()) for p in parts if p and p.strip())
    got = {e.entry_id: e.name for e in un[0].entries if e.entity_type == "Individual"}
    assert got == expected
    four = [n for n in got.values() if len(n.split()) >= 4]
    assert len(four) > 100


def test_un_original_script_names_are_aliases(un: list[ListSnapshot]) -> None:
    arabic = [
        e for e in un[0].entries if any("\u0600" <= c <= "\u06ff" for a in e.aliases for c in a)
    ]
    assert len(arabic) > 200


def test_un_entity_countries(un: list[ListSnapshot]) -> None:
    countries = Counter(c for e in un[0].entries for c in e.countries)
    assert countries["KP"] > 50 and countries["IR"] > 10  # "Iran (Islamic Republic of)"
    assert all(len(c) == 2 and c.isupper() for c in countries)


def test_cn_sources(cn: list[ListSnapshot], list_data: Path) -> None:
    with (list_data / "cn" / "cn_sanctions.csv").open(encoding="utf-8") as f:
        lists = Counter(row["List"] for row in csv.DictReader(f))
    counts = {s.source: len(s.entries) for s in cn}
    assert counts["CN-UEL"] == lists["UEL"]
    assert counts["CN-ECL"] == lists["List of Export Controls"]
    assert counts["CN-WATCH"] == lists["Export Control Watch List"]
    assert (
        counts["CN-CMS"]
        == sum(lists.values())
        - lists["UEL"]
        - lists["List of Export Controls"]
        - lists["Export Control Watch List"]
    )


def test_cn_fields(cn: list[ListSnapshot]) -> None:
    every = [e for s in cn for e in s.entries]
    edf = next(e for e in every if e.name == "Example Democracy Foundation")
    assert edf.source == "CN-CMS" and "示例民主基金会" in edf.aliases and "EDF" in edf.aliases
    assert edf.listed_on == date(2019, 12, 2) and edf.countries == ("US",)
    two_digit = [e for e in every if e.raw.get("Date") == "13.07.20"]
    assert two_digit and all(e.listed_on == date(2020, 7, 13) for e in two_digit)
    assert any(e.countries == ("JP",) for e in every if e.raw.get("Country") == "Japan")
    ended = [e for e in every if e.ends_on]
    assert len(ended) == 3
    cjk = sum(any("\u4e00" <= c <= "\u9fff" for a in e.aliases for c in a) for e in every)
    assert cjk == 13  # every row with a Chinese name


def test_jp_meti(jp: list[ListSnapshot]) -> None:
    (snap,) = jp
    assert snap.source == "JP-METI" and len(snap.entries) == 56 and snap.version == "2025-09-12"
    by_id = {e.entry_id: e for e in snap.entries}
    ausay = by_id["JP-METI-9"]
    assert ausay.name == "Guangzhou Ausay Technology Co. Limited"
    assert "广州欧赛科技有限公司" in ausay.aliases
    assert "グアンジョウ・オーサイ・テクノロジー有限会社" in ausay.aliases
    assert ausay.countries == ("CN",)
    tako = by_id["JP-METI-1"]
    assert tako.name == "Tako LLC" and tako.aliases[0] == "Taco LLC" and tako.countries == ("AM",)
    most = by_id["JP-METI-28"]
    assert most.name == "Most Development Limited"  # alias preamble cut off
    assert "HK" in most.countries
    # English names are primary: no kana or CJK in any name ("Yildiz Çip ..." is Latin).
    assert not any("\u3040" <= c <= "\u9fff" for e in snap.entries for c in e.name)
    assert (
        sum(any("\u4e00" <= c <= "\u9fff" for c in "".join(e.aliases)) for e in snap.entries) >= 16
    )
