"""Static checks over the classification data: windows, citations, and no Python literals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chipexport.classify.criteria import CriteriaError, all_criteria, load_criteria_text
from chipexport.rules.dated import Confidence, range_problems

SRC = Path(__file__).resolve().parents[2] / "src" / "chipexport"


def test_criteria_windows_have_no_gaps_or_overlaps() -> None:
    assert range_problems(all_criteria()) == []


def test_range_check_would_catch_an_overlap() -> None:
    text = """
records:
  - {key: K, family: F, regime: US, code: X, kinds: [ic], in_force: [[2020-01-01, 2022-01-01]],
     citation: {rule: r}, confidence: verified, summary: s, when: {fact: tpp, ge: 1}}
  - {key: K, family: F, regime: US, code: X, kinds: [ic], in_force: [[2021-01-01, null]],
     citation: {rule: r}, confidence: verified, summary: s, when: {fact: tpp, ge: 1}}
"""
    problems = range_problems(load_criteria_text(text, "t.yaml"))
    assert problems and "overlap" in problems[0]


_HEAD = "{key: K, family: F, regime: US, code: X, kinds: [ic], "


@pytest.mark.parametrize(
    ("snippet", "message"),
    [("{key: K}", "missing field"),
     (_HEAD + "in_force: [[2020-1-x, null]], citation: {rule: r}, confidence: verified, "
      "summary: s, when: {fact: tpp, ge: 1}}", "ISO date"),
     ("{key: K, in_force: [[2020-13-01, null]]}", "not valid YAML"),
     (_HEAD + "in_force: [[2020-01-01, null]], citation: {rule: r}, confidence: sure, "
      "summary: s, when: {fact: tpp, ge: 1}}", "confidence"),
     (_HEAD + "in_force: [[2020-01-01, null]], citation: {rule: r}, confidence: verified, "
      "summary: s, when: {fact: tpp, over: 1}}", "fact")],
)
def test_malformed_criteria_fail_with_a_named_record(snippet: str, message: str) -> None:
    with pytest.raises((CriteriaError, ValueError), match=message) as err:
        load_criteria_text(f"records:\n  - {snippet}\n", "bad.yaml")
    assert "bad.yaml" in str(err.value) and "\n" not in str(err.value)


def test_every_criterion_is_cited_and_marked() -> None:
    for c in all_criteria():
        assert c.citation.rule and c.summary, c.key
        assert isinstance(c.confidence, Confidence)
        assert c.regime in {"US", "JP", "NL", "CN", "WA"}


def test_no_dates_or_thresholds_as_python_literals() -> None:
    """Dates and control thresholds live in YAML: scan the code (docstrings/comments excluded)."""
    date_literal = re.compile(r"""["']\d{4}-\d{2}-\d{2}["']|\bdate\(\s*\d{4}""")
    threshold = re.compile(r"\b(4800|1600|2400|5\.92|3\.2|1\.6|600|193|1\.5|2\.4)\b")
    offenders = []
    for folder in (SRC / "classify", SRC / "rules" / "us" / "countries", SRC / "model"):
        for path in folder.rglob("*.py"):
            code = re.sub(r'"""(.|\n)*?"""', "", path.read_text("utf-8"))
            for n, line in enumerate(code.splitlines(), 1):
                line = line.split("#", 1)[0]
                if date_literal.search(line) or threshold.search(line):
                    offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []


def test_declared_eccn_windows_and_membership_data_are_consistent() -> None:
    from chipexport.classify.explicit import _dated_stems

    for stem, (windows, citation, _) in _dated_stems().items():
        assert citation.rule and windows, stem
        assert all(w.end is None or w.start < w.end for w in windows), stem


def test_horizons_agree() -> None:
    """classify and the country tables answer from the same first date."""
    from chipexport.classify.data_files import load_yaml
    from chipexport.rules.dated import parse_date
    from chipexport.rules.us.countries.groups import horizon

    assert parse_date(load_yaml("constants.yaml")["horizon"]["date"], "h") == horizon()
