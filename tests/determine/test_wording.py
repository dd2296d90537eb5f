"""What reaches users reads as the product's own words: no internal reference documents, no
"from memory", confidence marks explained; unresolved rules ask a question instead of
answering hard."""

from __future__ import annotations

import json
import re

from chipexport.classify.catalog import catalog
from chipexport.determine import Engine, memo

INTERNAL = re.compile(r"rules-" r"reference|regulations\.md|from memory|§\s*\d+\s*row", re.I)


def test_no_answer_cites_internal_documents_or_says_from_memory() -> None:
    """Every catalog product, to three destinations on three dates: neither the JSON nor the
    memo quotes the project's research notes, and the memo explains confidence in words."""
    engine = Engine(None)
    for rec in catalog().records:
        for dest, day in (("CN", "2022-09-15"), ("MY", "2024-06-01"), ("RU", "2026-06-01")):
            out = engine.check({"id": "w", "date": day, "export_from": "US",
                                "destination": dest, "items": [{"product": rec.name}]})
            text = memo(out)
            assert not INTERNAL.search(json.dumps(out, ensure_ascii=False)), (rec.name, day)
            assert not INTERNAL.search(text), (rec.name, day)
            assert "from_memory" not in text and "confidence unresolved" not in text


def test_an_unresolved_rule_asks_its_question_instead_of_prohibiting() -> None:
    """Gallium CN -> US after the suspension of MOFCOM Announcement No. 46's US ban: whether
    the ban resumed is unresolved, so the answer is REVIEW with the question, and the memo says
    what the answer would be if the ban is in force."""
    out = Engine(None).check({"id": "ga", "date": "2026-12-04", "export_from": "CN",
                              "destination": "US",
                              "items": [{"kind": "material", "material": "gallium"}]})
    cn = out["jurisdictions"]["CN"]
    assert out["outcome"] == cn["outcome"] == "REVIEW"
    (held,) = [r for r in cn["reasons"] if r["confidence"] == "unresolved"]
    assert held["outcome"] == "REVIEW" and held["facts"]["if_confirmed"] == "PROHIBITED"
    assert held["facts"]["question"].startswith("Check whether MOFCOM Announcement No. 46")
    # the licence requirement that rests on a settled rule is still stated
    assert any(r["outcome"] == "LICENSE_REQUIRED" for r in cn["reasons"])
    assert "If it does, the answer is PROHIBITED" in memo(out)


def test_a_settled_hard_outcome_is_not_weakened_by_an_unresolved_one() -> None:
    """The suspension's last day is settled: a licence, not a question."""
    out = Engine(None).check({"id": "ga", "date": "2026-11-27", "export_from": "CN",
                              "destination": "US",
                              "items": [{"kind": "material", "material": "gallium"}]})
    assert out["jurisdictions"]["CN"]["outcome"] == "LICENSE_REQUIRED"
