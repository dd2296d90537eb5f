"""The diversion dev set (``diversion_dev.jsonl``): routes by which controlled chips reach
China — a subsidiary abroad, a trading company with red flags, a cloud lease, a freight
forwarder — each with the outcome the regulations give. None may come out NLR by trusting the
order as declared. Screening uses a one-entry fake (SMIC on the Entity List, seated in CN)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from chipexport.determine import Engine
from chipexport.model import ListEntry, Match, ScreeningResult

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "diversion_dev.jsonl").read_text("utf-8").splitlines() if line]
SMIC = ListEntry(source="EL", entry_id="EL-smic", name="Semiconductor Manufacturing International "
                 "Corporation (SMIC)", aliases=("SMIC",), countries=("CN",),
                 license_requirement="For all items subject to the EAR. (See §744.11 of the EAR)",
                 license_policy="Presumption of denial", federal_register_notices=("85 FR 83420",))


class SmicOnly:
    def screen(self, name: str, country: str | None = None, threshold: float | None = None,
               sources: Sequence[str] | None = None) -> ScreeningResult:
        hit = name.casefold() in {n.casefold() for n in SMIC.all_names}
        return ScreeningResult(name, country, (Match(SMIC, 0.99, name),) if hit else ())


def test_dev_set_is_not_trivial() -> None:
    outcomes = {c["expect"] for c in CASES}
    assert len(CASES) >= 12 and {"NLR", "REVIEW", "LICENSE_REQUIRED", "ERROR"} <= outcomes


@pytest.mark.parametrize("case", CASES, ids=[c["txn"]["id"] for c in CASES])
def test_diversion_scenario(case: dict[str, Any]) -> None:
    out = Engine(SmicOnly()).check(case["txn"])
    assert out["outcome"] == case["expect"], f"{case['why']}: {json.dumps(out)[:2000]}"
    if case["expect"] == "ERROR":
        assert all(e.split(":")[0] for e in out["errors"])  # each error names its field


def test_loaded_ownership_inconsistencies_are_warnings_not_nlr() -> None:
    """Loaded links adding up to more than 100 % and a cycle: warnings naming the field, and
    the ultimate parent whose seat nothing gives is a question (REVIEW), never NLR."""
    from chipexport.model.ownership import OwnershipLink

    links = [OwnershipLink("Loop Holdings Ltd", "Merlion AI Pte Ltd", 70.0),
             OwnershipLink("Other Investor Ltd", "Merlion AI Pte Ltd", 60.0),
             OwnershipLink("Merlion AI Pte Ltd", "Loop Holdings Ltd", 100.0)]
    txn = {"id": "own-loop", "date": "2025-07-01", "export_from": "US", "destination": "SG",
           "items": [{"product": "NVIDIA H100 SXM5 80GB"}],
           "parties": [{"role": "end_user", "name": "Merlion AI Pte Ltd", "country": "SG"}]}
    out = Engine(SmicOnly(), links).check(txn)
    assert out["outcome"] == "REVIEW"
    warnings = " | ".join(out["warnings"])
    assert "parties[0].owners" in warnings and "130 %" in warnings and "cycle" in warnings
    hq = [r for r in out["jurisdictions"]["US"]["reasons"] if "744.23(a)(3)" in r["rule"]]
    assert hq and "Loop Holdings Ltd" in hq[0]["summary"]
