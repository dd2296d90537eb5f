"""Country Groups over time and Commerce Country Chart reasons (rules.us.countries).

Expected memberships come from docs/regulations.md §8 (eCFR 2026-07-23 tables, P) and the dated
changes it lists; chart expectations from the CCL License Requirements text quoted in §2.6/§4.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chipexport.rules.dated import Confidence, range_problems
from chipexport.rules.us.countries import (
    CountryError,
    chart_reasons,
    country_name,
    group_memberships,
    groups_of,
    is_known_country,
    memberships,
)

D = date.fromisoformat

# (country, date, groups that must be present, groups that must be absent, source)
GROUP_CASES = [
    ("CN", "2024-06-01", {"D:1", "D:3", "D:4", "D:5"}, {"A:5", "A:6", "B", "E:1"},
     "§8: China in D:1, D:4, D:5 (and D:3); not B"),
    ("CN", "2019-06-01", {"D:1", "D:4", "D:5"}, {"A:5"}, "§8: history not sourced"),
    ("MO", "2024-06-01", {"D:1", "D:4"}, {"D:5", "B"},
     "§8: Macau is D:1 and D:4 but NOT D:5 ('Macau or D:5')"),
    ("HK", "2024-06-01", {"D:1", "D:4", "D:5"}, set(),
     "§8 / chart note: Hong Kong governed by the China entry since 85 FR 83788"),
    ("HK", "2020-06-01", {"B"}, {"D:5"}, "before 2020-12-23 Hong Kong had its own entry (M)"),
    ("DE", "2024-06-01", {"A:1", "A:5", "B"}, {"D:1", "D:4", "D:5", "A:6"}, "§8 A:5 list"),
    ("AE", "2024-06-01", {"D:4", "B"}, {"A:5", "D:1", "D:5"}, "§8: UAE D:3 + D:4 until 2026-14132"),
    ("AE", "2026-08-01", {"A:5"}, {"D:3", "D:4"}, "§8: UAE in A:5 in eCFR 2026-07-23"),
    ("SA", "2024-06-01", {"D:4"}, {"D:1", "D:5", "A:5"}, "§8 D:4 list"),
    ("IN", "2024-06-01", {"A:5"}, {"D:1", "D:4", "D:5"}, "§8 A:5 list"),
    ("IN", "2018-06-01", set(), {"A:5"}, "India to A:5 in August 2018 (83 FR 38018, M)"),
    ("KH", "2021-12-08", {"D:1"}, {"D:5"}, "Cambodia to D:5 from 2021-12-09 (86 FR 70015)"),
    ("KH", "2024-06-01", {"D:1", "D:5"}, set(), "§8: Cambodia in D:5 until FR Doc 2026-02262"),
    ("KH", "2026-02-03", {"D:1"}, {"D:5"}, "FR Doc 2026-02262 effective 2026-02-03; keeps D:1"),
    ("IR", "2024-06-01", {"E:1", "D:5"}, set(), "§8 E:1"),
    ("CU", "2024-06-01", {"E:2"}, set(), "§8 E:2"),
    ("TW", "2024-06-01", {"A:6"}, {"A:5", "D:5"}, "§8 A:6"),
    ("LI", "2024-06-01", {"A:5"}, set(), "738 Supp. 1 fn. 5: follows Switzerland"),
]


@pytest.mark.parametrize(("cc", "day", "present", "absent", "source"), GROUP_CASES,
                         ids=[f"{c[0]}@{c[1]}" for c in GROUP_CASES])
def test_groups_over_time(cc: str, day: str, present: set[str], absent: set[str],
                          source: str) -> None:
    groups = groups_of(cc, D(day))
    assert present <= groups, source
    assert not absent & groups, source


def test_group_changes_carry_citation_and_confidence() -> None:
    (a5,) = [m for m in group_memberships("AE", D("2026-08-01")) if m.group == "A:5"]
    assert a5.citation.notice == "FR Doc 2026-14132" and a5.confidence is Confidence.UNRESOLVED
    old = [m for m in group_memberships("DE", D("2024-06-01")) if m.group == "A:5"]
    assert old and old[0].confidence is Confidence.FROM_MEMORY  # history assumed, not sourced
    new = [m for m in group_memberships("DE", D("2026-08-01")) if m.group == "A:5"]
    assert new and new[0].confidence is Confidence.VERIFIED


def test_membership_windows_have_no_gaps_or_overlaps() -> None:
    assert range_problems(memberships()) == []


def test_unknown_country() -> None:
    assert not is_known_country("ZZ") and groups_of("ZZ", D("2024-01-01")) == frozenset()
    assert is_known_country("cn") and is_known_country("HK") and is_known_country("MO")
    with pytest.raises(CountryError):
        chart_reasons("3B001", "ZZ")


def test_country_names() -> None:
    assert country_name("KR") == "Korea, South"
    assert country_name("MO") == "Macau"
    assert country_name("HK") == "Hong Kong"


def _ecfr(name: str) -> Any:
    """One of the eCFR tables the package ships (equal to the eCFR export: `make bench`)."""
    bundle = Path(__file__).resolve().parents[2] / "src" / "chipexport" / "data" / "ecfr"
    return json.loads(gzip.decompress((bundle / f"{name}_ecfr-2026-07-23.json.gz").read_bytes()))


def test_every_group_member_and_chart_row_has_a_code() -> None:
    from chipexport.rules.us.countries.groups import countries

    raw = _ecfr("country-groups")
    known = {n for entry in countries().values() for n in entry.get("groups", ())}
    listed = {n for members in raw["groups"].values() for n in members}
    assert listed - known == set()
    chart = _ecfr("country-chart")
    rows = set(chart["countries"]) | set(chart["embargoed"])
    assert rows - {e.get("chart") for e in countries().values()} == set()


def _reasons(eccn: str, cc: str) -> set[str]:
    return {h.reason for h in chart_reasons(eccn, cc)}


# (eccn, country, reasons that must be present, reasons that must be absent, source)
CHART_CASES = [
    ("3B001", "CN", {"NS2", "NS", "RS"}, set(), "§4: NS Column 2 + SME set NS/RS to Macau or D:5"),
    ("3B001.f.1", "CN", {"NS", "RS"}, {"NS2"}, "§4: f.1 is in the SME set (Macau/D:5)"),
    ("3B001.f.1", "DE", set(), {"NS", "RS", "NS2"}, "§4: SME set to Macau/D:5 only"),
    ("3B001.f.1", "MO", {"NS", "RS"}, set(), "§4: 'Macau or D:5'"),
    ("3B001.c.1.a", "DE", {"NS", "RS"}, set(), "§4: c.1.a worldwide NS/RS"),
    ("3A090.a", "DE", {"RS"}, set(), "§2.6: 3A090.a worldwide (current text)"),
    ("3A090.b", "CN", {"RS"}, set(), "§2.6: 3A090.b to D:1/D:4/D:5 not A:5/A:6"),
    ("3A090.b", "DE", set(), {"RS"}, "§2.6: Germany is A:5"),
    ("3A090.b", "AE", {"RS"}, set(), "§2.6: UAE named in the 3A090.b requirement"),
    ("3A090.b", "IL", set(), {"RS"}, "§2.6: Israel is D:4 but also A:6 -> excluded"),
    ("3A090.c", "CN", {"RS"}, set(), "§2.6: 3A090.c to Macau or D:5"),
    ("3A090.c", "MO", {"RS"}, set(), "§2.6: Macau"),
    ("3A090.c", "SA", set(), {"RS"}, "§2.6: Saudi Arabia is not D:5"),
    ("3B991", "CN", set(), {"AT1"}, "AT Column 1: China has no AT mark"),
    ("3B991", "IR", {"AT1"}, set(), "embargoed row: Part 746 governs, never permissive"),
    ("EAR99", "CN", set(), {"NS2", "RS", "AT1"}, "EAR99 is not on the CCL"),
]


@pytest.mark.parametrize(("eccn", "cc", "present", "absent", "source"), CHART_CASES,
                         ids=[f"{c[0]}->{c[1]}" for c in CHART_CASES])
def test_chart_reasons(eccn: str, cc: str, present: set[str], absent: set[str],
                       source: str) -> None:
    got = _reasons(eccn, cc)
    assert present <= got, (source, got)
    assert not absent & got, (source, got)


def test_chart_hit_details() -> None:
    hits = chart_reasons("3B001", "CN")
    assert hits and all(h.citation.rule == "15 CFR 738 Supp. 1" for h in hits)
    ns2 = [h for h in hits if h.reason == "NS2"]
    assert ns2 and ns2[0].column == "NS 2" and ns2[0].conditional  # only some paragraphs
    assert ns2[0].paragraphs is not None and "f.2" in ns2[0].paragraphs
    (rs,) = chart_reasons("3A090.c", "CN")
    assert not rs.conditional and "742.6(a)(6)(i)(B)" in rs.requirement


def test_requirement_only_by_reference_is_conditional_not_dropped() -> None:
    hits = chart_reasons("3B993", "CN")
    assert [h.reason for h in hits] == ["RS"] and hits[0].conditional


def test_destination_without_a_current_chart_row_is_conditional() -> None:
    hits = chart_reasons("3B001.f.1", "HK", D("2020-06-01"))  # own entry then, none now
    assert hits and all(h.conditional for h in hits)
    assert {h.reason for h in chart_reasons("3B001.f.1", "HK", D("2024-06-01"))} == {"NS", "RS"}
