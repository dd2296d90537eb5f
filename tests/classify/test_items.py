"""Item parsing: impossible parameters are rejected with index and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from chipexport.model.items import Item, ItemError

CASES_DIR = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[dict[str, Any]]:
    """The ``cases`` list of one YAML table in tests/classify/cases."""
    doc = yaml.safe_load((CASES_DIR / name).read_text("utf-8"))
    cases: list[dict[str, Any]] = doc["cases"]
    return cases


INVALID = load_cases("invalid_items.yaml")


@pytest.mark.parametrize("case", INVALID, ids=[c["field"] + str(n) for n, c in enumerate(INVALID)])
def test_impossible_parameters_raise(case: dict[str, Any]) -> None:
    with pytest.raises(ItemError) as err:
        Item.from_json(case["item"], 4)
    assert err.value.index == 4
    assert err.value.field == case["field"]
    assert str(err.value).startswith(f"items[4].{case['field']}: ")
    assert "\n" not in str(err.value)


def test_valid_item_keeps_unknown_keys_and_normalises() -> None:
    item = Item.from_json({"kind": "IC", "tpp": "2896", "eccn": " 3a090.A ", "origin": "cn",
                           "datacenter": "yes", "customer_ref": "PO-7"}, 0)
    assert item.kind == "ic" and item.tpp == 2896.0 and item.datacenter is True
    assert item.eccn == "3A090.a" and item.origin == "CN"
    assert item.extra == {"customer_ref": "PO-7"}


def test_non_object_item_is_an_error() -> None:
    with pytest.raises(ItemError, match=r"items\[2\]"):
        Item.from_json(["ic"], 2)  # type: ignore[arg-type]
