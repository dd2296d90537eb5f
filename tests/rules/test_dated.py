"""The dated-record primitives every rule and criterion file relies on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pytest

from chipexport.rules.dated import InForce, active_on, parse_windows, range_problems


@dataclass(frozen=True)
class Rec:
    key: str
    windows: Sequence[InForce]


D = date.fromisoformat


def test_windows_are_half_open() -> None:
    w = InForce(D("2023-11-17"), D("2024-12-02"))
    assert w.covers(D("2023-11-17")) and w.covers(D("2024-12-01"))
    assert not w.covers(D("2024-12-02")) and not w.covers(D("2023-11-16"))


def test_successive_versions_meet_without_gap_or_overlap() -> None:
    old = Rec("3A090", (InForce(D("2022-10-07"), D("2023-11-17")),))
    new = Rec("3A090", (InForce(D("2023-11-17")),))
    assert range_problems([old, new]) == []
    assert active_on([old, new], D("2023-11-16")) == [old]
    assert active_on([old, new], D("2023-11-17")) == [new]


def test_gap_and_overlap_between_versions_are_reported() -> None:
    a = Rec("k", (InForce(D("2022-01-01"), D("2023-01-01")),))
    gap = Rec("k", (InForce(D("2023-02-01")),))
    overlap = Rec("k", (InForce(D("2022-06-01")),))
    assert any("gap" in p for p in range_problems([a, gap]))
    assert any("overlap" in p for p in range_problems([a, overlap]))


def test_a_suspension_inside_one_record_is_not_a_gap() -> None:
    affiliates = Rec(
        "affiliates", (InForce(D("2025-09-29"), D("2025-11-10")), InForce(D("2026-11-10")))
    )
    assert range_problems([affiliates]) == []
    assert active_on([affiliates], D("2026-01-01")) == []


def test_parse_windows_reads_open_ended_windows() -> None:
    assert parse_windows([["2023-11-17", None]], "x") == (InForce(D("2023-11-17")),)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "must be a list"),
        ([["2023-11-17"]], "in_force[0]: expected [start, end]"),
        ([["17.11.2023", None]], "in_force[0] start"),
    ],
)
def test_parse_windows_names_what_is_wrong(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_windows(raw, "us.yaml (3A090)")
