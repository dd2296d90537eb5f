"""The rules data: every provision loads, is cited, and its versions leave no gaps or overlaps."""

from __future__ import annotations

from datetime import date

import pytest

from chipexport.rules.dated import Confidence, range_problems
from chipexport.rules.provisions import (
    JURISDICTIONS,
    RuleDataError,
    all_provisions,
    parse_rulebook,
    rulebook,
)


def test_static_check_finds_no_gaps_or_overlaps() -> None:
    provisions = all_provisions()
    contiguous = [p for p in provisions if p.contiguous]
    suspended = [p for p in provisions if not p.contiguous]
    assert range_problems(contiguous) == []
    assert range_problems(suspended, contiguous=False) == []


def test_static_check_would_catch_an_overlap_and_a_gap() -> None:
    book = parse_rulebook("t", """
provisions:
  - {key: a, rule: r, in_force: [[2020-01-01, 2021-01-01]], confidence: verified, summary: s}
  - {key: a, rule: r, in_force: [[2020-06-01, null]], confidence: verified, summary: s}
  - {key: b, rule: r, in_force: [[2020-01-01, 2021-01-01]], confidence: verified, summary: s}
  - {key: b, rule: r, in_force: [[2021-02-01, null]], confidence: verified, summary: s}
""")
    problems = range_problems(book.provisions)
    assert any("a:" in p and "overlap" in p for p in problems)
    assert any("b:" in p and "gap" in p for p in problems)


def test_every_provision_is_cited_with_a_confidence_mark() -> None:
    for p in all_provisions():
        assert p.citation.rule.strip(), p.key
        assert isinstance(p.confidence, Confidence)
        assert p.summary, p.key
        assert p.windows[0].start >= date(2018, 1, 1), p.key


def test_every_jurisdiction_file_loads() -> None:
    for name in JURISDICTIONS:
        assert rulebook(name).provisions


def test_on_picks_the_version_in_force() -> None:
    book = rulebook("us")
    before = book.on("us.ac.scope", date(2023, 1, 17))
    after = book.on("us.ac.scope", date(2023, 1, 18))
    assert before is not None and after is not None
    assert "MO" not in before.params["destinations"]
    assert "MO" in after.params["destinations"]
    assert book.on("us.ac.scope", date(2022, 10, 6)) is None


def test_suspension_is_a_gap_in_force() -> None:
    book = rulebook("us")
    assert book.on("us.affiliates", date(2025, 10, 1)) is not None
    assert book.on("us.affiliates", date(2026, 1, 1)) is None
    assert book.on("us.affiliates.suspension", date(2026, 1, 1)) is not None


@pytest.mark.parametrize("text, message", [
    ("provisions: 3", "'provisions' list"),
    ("provisions: [{key: a, rule: r, in_force: [[2020-01-01, null]], summary: s}]",
     "missing 'confidence'"),
    ("provisions: [{key: a, rule: r, in_force: [[2020-01-01]], confidence: verified, summary: s}]",
     "[start, end]"),
    ("provisions: [{key: a, rule: r, in_force: [[soon, null]], confidence: verified, summary: s}]",
     "ISO date"),
    ("provisions: [{key: a, rule: r, in_force: [[2020-01-01, null]], confidence: sure, "
     "summary: s}]",
     "unknown confidence"),
])
def test_bad_rules_files_are_reported(text: str, message: str) -> None:
    with pytest.raises((RuleDataError, ValueError), match=message.replace("[", r"\[")):
        parse_rulebook("bad", text)


def test_docs_list_every_provision() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    missing = sorted({p.key for p in all_provisions()
                      if not p.key.startswith("engine.") and f"`{p.key}`" not in doc})
    assert missing == [], "docs/rules.md lacks these provisions (regenerate the table)"
