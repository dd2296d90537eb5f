"""Markup in a party name carries no match: ``<script>alert(1)</script>`` matched a listed
name at 0.96 on "alert 1" alone. Script blocks and tags are stripped before tokenising (on both
sides, so list names and queries stay comparable); a name of markup only is not screenable."""

from __future__ import annotations

import pytest

from chipexport.model import ListEntry
from chipexport.screening import STRONG_THRESHOLD, build_index
from chipexport.screening.batch import row_problem
from chipexport.screening.text import strip_markup, tokens

LISTED = [ListEntry("EL", "e1", "Alert 1", countries=("RU",)),
          ListEntry("EL", "e2", "Huawei Technologies Co Ltd", countries=("CN",))]


@pytest.mark.parametrize(("name", "expected"), [
    ("<script>alert(1)</script>", []),
    ("<SCRIPT SRC=//x.example/x.js></SCRIPT>", []),
    ("<script>alert(1)", []),  # unclosed: to the end
    ("<style>body{}</style>Acme", ["acme"]),
    ('<img src=x onerror="alert(1)"> Acme Trading', ["acme", "trading"]),
    ("<b>Acme</b> Trading", ["acme", "trading"]),
    ("javascript:alert(1) Acme", ["acme"]),
    ("A < B Trading", ["a", "b", "trading"]),  # a bare "<" is not markup
])
def test_markup_is_not_tokenised(name: str, expected: list[str]) -> None:
    assert tokens(name) == expected


def test_names_without_markup_are_untouched() -> None:
    for name in ("Huawei Technologies Co Ltd", "AT&T", "X<Y", "Tom's Alert 1"):
        assert strip_markup(name) == name


def test_a_script_tag_does_not_match_a_listed_name_on_its_words() -> None:
    index = build_index(LISTED)
    assert row_problem("<script>alert(1)</script>") == (
        "field 'name' holds only markup (HTML tags, a script), no name")
    mixed = index.screen("<script>alert(1)</script> Quiet Meadow Bakery")
    assert not [m for m in mixed.matches if m.entry.entry_id == "e1"
                and m.score >= STRONG_THRESHOLD]
    real = index.screen("<b>Huawei Technologies</b> Co Ltd")  # markup around a real name
    assert real.matches and real.matches[0].entry.entry_id == "e2"
    assert index.screen("Alert 1").matches[0].entry.entry_id == "e1"  # the control: it can
