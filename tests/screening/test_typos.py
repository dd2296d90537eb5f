"""Typos one-edit lookup cannot see: look-alike characters, typos in words the normaliser folds."""

from __future__ import annotations

import pytest

from chipexport.screening.typos import folded_typo, lookalike_readings


@pytest.mark.parametrize(
    ("typed", "readings"),
    [
        ("fabrik0n", ("fabrikon",)),  # 0 for o
        ("biryuk0v", ("biryukov",)),
        ("nas5er", ("nasser",)),  # 5 for s
        ("abdu1salam", ("abdulsalam", "abduisalam")),  # 1 for l or i
        ("enterprise5", ("enterprise",)),  # read, then folded like any token
        ("lirnited", ("limited",)),  # rn for m
        ("yilcliz", ("yildiz",)),  # cl for d
        ("marvvan", ("marwan",)),  # vv for w
        # digits that are what they say
        ("3m", ()),
        ("2024", ()),
        ("a2z", ()),
        ("su27", ()),
    ],
)
def test_lookalike_readings(typed: str, readings: tuple[str, ...]) -> None:
    assert lookalike_readings(typed) == readings


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("commoditiees", ("commodity",)),  # one edit from "commodities", three from "commodity"
        ("indsutries", ("industry",)),
        ("technloogies", ("technology",)),
        ("porrts", ("port",)),
        ("secoond", ("2",)),  # number words fold to digits
        ("thrre", ("3",)),
        # short words are one edit from too many abbreviations; other first letters are other words
        ("tach", ()),
        ("xecond", ()),
        ("siemens", ()),
    ],
)
def test_typos_of_folded_spellings(typed: str, folded: tuple[str, ...]) -> None:
    assert folded_typo(typed) == folded
