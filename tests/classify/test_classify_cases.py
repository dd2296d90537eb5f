"""Table-driven classification cases (tests/classify/cases/*.yaml), each citing its source."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from chipexport.classify import classify_item
from chipexport.model.items import Item

CASES_DIR = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[dict[str, Any]]:
    """The ``cases`` list of one YAML table in tests/classify/cases."""
    doc = yaml.safe_load((CASES_DIR / name).read_text("utf-8"))
    cases: list[dict[str, Any]] = doc["cases"]
    return cases


def case_id(case: dict[str, Any]) -> str:
    what = case.get("product") or ",".join(f"{k}={v}" for k, v in case["item"].items())
    return f"{what}@{case['date']}"


REGIMES = {"us": "US", "nl": "NL", "jp": "JP", "wa": "WA", "cn": "CN"}
CASES = (load_cases("chips.yaml") + load_cases("hbm_litho.yaml") + load_cases("materials.yaml")
         + load_cases("equipment.yaml"))


def _item(case: dict[str, Any]) -> Item:
    raw = case.get("item") or {"product": case["product"]}
    return Item.from_json(raw, 0)


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    assert case.get("cite"), "every case names its source"
    on = case["date"] if isinstance(case["date"], date) else date.fromisoformat(case["date"])
    result = classify_item(_item(case), on)
    assert result.errors == []
    checked = [k for k in REGIMES if k in case]
    assert checked, "a case checks at least one regime"
    for key in checked:
        got = sorted(result.codes(REGIMES[key]))
        expected = sorted(case[key])
        assert got == expected, f"{REGIMES[key]}: {got} ({case['cite']}); {result.warnings}"
    for entry in result.controls:
        assert entry.in_force.covers(on)
        assert entry.citation.rule
        assert "{" not in entry.summary and entry.summary.strip()


def test_every_catalog_chip_has_a_case_on_both_sides_of_2023_11_17() -> None:
    """The brief: every catalog chip classifies as §6 says on both sides of the 2023 change."""
    from chipexport.classify.catalog import catalog

    cutover = date(2023, 11, 17)
    covered: dict[str, set[bool]] = {}
    for c in load_cases("chips.yaml"):
        if "product" in c:
            after = date.fromisoformat(str(c["date"])) >= cutover
            covered.setdefault(c["product"], set()).add(after)
    chips = [r.name for r in catalog().records if r.kind in {"ic", "computer"}]
    missing = [n for n in chips if n not in covered]
    assert missing == []
    # Each chip is classified on both sides (those without a case before are checked here).
    before = date(2023, 3, 1)
    for name in chips:
        for day in (before, date(2024, 6, 1)):
            result = classify_item(Item(product=name), day)
            assert result.errors == [] and result.product is not None
