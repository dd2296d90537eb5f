"""The input models: every problem at once, in the project's wording, at any depth."""

from __future__ import annotations

from typing import Any

import pytest

from chipexport.model.fields import known_only, unknown_fields
from chipexport.model.problems import Problem
from chipexport.model.transaction import (
    MAX_OWNERSHIP_DEPTH,
    TransactionError,
    TransactionIn,
    parse_transaction,
)

BASE: dict[str, Any] = {"id": "t", "date": "2024-06-01", "export_from": "US",
                        "destination": "CN", "items": [{"eccn": "EAR99"}]}


def _problems(**change: Any) -> list[Problem]:
    with pytest.raises(TransactionError) as caught:
        parse_transaction({**BASE, **change})
    return caught.value.problems


def _chain(depth: int) -> dict[str, Any]:
    owner: dict[str, Any] = {"name": f"owner {depth}", "percent": 100, "hq": "CN"}
    for level in range(depth - 1, 0, -1):
        owner = {"name": f"owner {level}", "percent": 100, "owners": [owner]}
    return owner


def test_owner_chains_of_any_depth_are_read_with_their_facts() -> None:
    txn = parse_transaction({**BASE, "parties": [{"name": "A", "owners": [_chain(6)]}]})
    owner, depth = txn.parties[0].owners[0], 1
    while owner.owners:
        owner, depth = owner.owners[0], depth + 1
    assert depth == 6 and owner.hq == "CN" and owner.percent == 100


def test_a_chain_past_the_limit_and_shares_over_100_are_problems_naming_the_field() -> None:
    found = _problems(parties=[{"name": "A", "owners": [_chain(MAX_OWNERSHIP_DEPTH + 2)]},
                               {"name": "B", "owners": [{"name": "X", "percent": 60},
                                                        {"name": "Y", "percent": 50}]}])
    assert [str(p) for p in found] == [
        f"parties[0].owners: ownership nested more than {MAX_OWNERSHIP_DEPTH} levels deep",
        "parties[1].owners: shares add up to 110 %, more than 100 %",
    ]


def test_every_problem_is_one_value_with_its_path() -> None:
    found = _problems(id="", date="June", export_from="USA", items=[{"tpp": "fast"}, 7],
                      parties=[{"name": "?!", "role": "buyer", "red_flags": [3]}],
                      end_use={"logic_node_nm": -1}, subject_to_ear="yes")
    assert [(p.field, p.message) for p in found] == [
        ("id", "missing"),
        ("date", "expected YYYY-MM-DD, got 'June'"),
        ("export_from", "expected an ISO-2 country code, got 'USA'"),
        ("items[0].tpp", "expected a number, got 'fast'"),
        ("items[1]", "expected an object"),
        ("parties[0].role", "expected one of end_user, consignee, intermediate_consignee, "
                            "purchaser, importer, got 'buyer'"),
        ("parties[0].name", "has no letters or digits, so it cannot be screened (got '?!')"),
        ("parties[0].red_flags[0]", "expected a red-flag code or description, got 3"),
        ("end_use.kind", "missing (e.g. \"ic_fab\", \"supercomputer\")"),
        ("end_use.logic_node_nm", "must not be negative, got -1"),
        ("subject_to_ear", "expected true or false, got 'yes'"),
    ]


def test_new_item_and_red_flag_fields_are_part_of_the_contract() -> None:
    model = TransactionIn.model_validate({
        **BASE, "red_flags": "cash on delivery",
        "items": [{"kind": "technology", "description": "etch recipe"},
                  {"product": "X", "us_content_percent": "30",
                   "us_technology_direct_product": True, "contains_us_origin_ic": "no"}]})
    assert model.red_flags == ("cash on delivery",)
    assert model.items[0].kind == "technology"
    assert (model.items[1].us_content_percent, model.items[1].contains_us_origin_ic) == \
        (30.0, False)
    over = _problems(items=[{"us_content_percent": 120}])
    assert over[0].field == "items[0].us_content_percent"


def test_unknown_keys_are_found_at_every_level_and_stripped_outside_items() -> None:
    raw = {**BASE, "colour": "red", "items": [{"eccn": "EAR99", "sku": "A-1"}],
           "parties": [{"name": "A", "owners": [{"name": "B", "owners": [{"name": "C",
                                                                          "hgq": "CN"}]}]}],
           "end_use": {"kind": "ic_fab", "node": 7}}
    found = {u.path: u.in_item for u in unknown_fields(raw)}
    assert found == {"colour": False, "items[0].sku": True, "end_use.node": False,
                     "parties[0].owners[0].owners[0].hgq": False}
    clean = known_only(raw)
    assert "colour" not in clean and clean["items"] == raw["items"]
    assert parse_transaction(clean).parties[0].owners[0].owners[0].name == "C"
