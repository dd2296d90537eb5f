"""Loading the YAML case tables of tests/classify/cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[dict[str, Any]]:
    doc = yaml.safe_load((CASES / name).read_text("utf-8"))
    cases: list[dict[str, Any]] = doc["cases"]
    return cases


def case_id(case: dict[str, Any]) -> str:
    what = case.get("product") or ",".join(f"{k}={v}" for k, v in case["item"].items())
    return f"{what}@{case['date']}"
