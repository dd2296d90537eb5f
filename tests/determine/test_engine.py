"""Engine behaviour beyond single rules: bad input, ownership data, screening, memo, ordering."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chipexport.determine import ERROR, Engine, Outcome, memo
from chipexport.model.ownership import OwnershipLink


def txn(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "t", "date": "2024-06-01", "export_from": "US",
                            "destination": "CN", "items": [{"eccn": "EAR99"}],
                            "parties": [{"role": "end_user", "name": "Plain Co", "country": "CN"}]}
    base.update(kw)
    return base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.mark.parametrize("change, message", [
    ({"date": "2017-12-31"}, "before 2018-01-01"),
    ({"date": "June 1st"}, "date: expected YYYY-MM-DD"),
    ({"date": None}, "date: missing"),
    ({"destination": "ZZ"}, "destination: unknown country code 'ZZ'"),
    ({"destination": "China"}, "destination: expected an ISO-2 country code"),
    ({"export_from": None}, "export_from: missing"),
    ({"items": []}, "items: missing or empty"),
    ({"items": [{"kind": "ic", "tpp": -5}]}, "items[0].tpp: must be more than zero"),
    ({"items": [{"product": "NVIDIA H100 SXM9"}]}, "did you mean: NVIDIA H100"),
    ({"parties": [{"role": "buyer", "name": "X"}]}, "parties[0].role: expected one of"),
    ({"parties": [{"role": "end_user", "name": "X", "country": "QQ"}]},
     "parties[0].country: unknown country code"),
    ({"parties": [{"name": "X", "owners": [{"name": "Y", "percent": 150}]}]},
     "owners[0].percent: must be at most 100"),
    ({"end_use": {"logic_node_nm": 7}}, "end_use.kind: missing"),
])
def test_bad_input_is_a_per_transaction_error(engine: Engine, change: dict[str, Any],
                                              message: str) -> None:
    out = engine.check(txn(**change))
    assert out["outcome"] == ERROR
    assert any(message in e for e in out["errors"]), out["errors"]
    # ERROR under every jurisdiction the answer names, never an empty (NLR-looking) answer
    assert {k: j["outcome"] for k, j in out["jurisdictions"].items()} == {"US": ERROR}


def test_not_an_object(engine: Engine) -> None:
    out = engine.check(["not", "a", "transaction"], 7)
    assert out["outcome"] == ERROR and out["id"] == "#7"


def test_every_problem_is_reported_at_once(engine: Engine) -> None:
    out = engine.check(txn(date="2017-01-01", destination="ZZ",
                           items=[{"product": "Nonexistent Chip 9000"}, {"tpp": -1}]))
    assert len(out["errors"]) == 4


def test_outcome_is_most_restrictive_over_jurisdictions(engine: Engine) -> None:
    out = engine.check(txn(export_from="NL", items=[
        {"product": "ASML TWINSCAN NXE:3400C", "origin": "US"}]))
    outcomes = {k: v["outcome"] for k, v in out["jurisdictions"].items()}
    assert set(outcomes) == {"US", "NL"}
    ranked = max((Outcome(o) for o in outcomes.values()), key=lambda o: o.rank)
    assert out["outcome"] == ranked.value


def test_every_reason_is_cited_and_dated(engine: Engine) -> None:
    out = engine.check(txn(items=[{"product": "NVIDIA H100 SXM5 80GB"}],
                           end_use={"kind": "ic_fab", "logic_node_nm": 7, "non_planar": True}))
    reasons = out["jurisdictions"]["US"]["reasons"]
    assert len(reasons) >= 2
    for r in reasons:
        assert r["rule"] and r["summary"] and r["confidence"]
        assert date.fromisoformat(r["in_force"][0]) <= date(2024, 6, 1)


def test_no_screener_is_review_not_silence() -> None:
    out = Engine(None).check(txn())
    assert out["outcome"] == "REVIEW"
    assert any("not screened" in w for w in out["warnings"])


def test_screening_results_per_party(name_screener: Any) -> None:
    screener = name_screener({"Listed Co": ("EL", 0.99)})
    out = Engine(screener).check(txn(parties=[
        {"role": "end_user", "name": "Plain Co", "country": "CN"},
        {"role": "purchaser", "name": "Listed Co", "country": "CN"}]))
    assert [s["party"] for s in out["screening"]] == [0, 1]
    assert out["screening"][1]["matches"][0]["source"] == "EL"
    assert out["jurisdictions"]["US"]["outcome"] == "LICENSE_REQUIRED"


def test_prose_counts_items_and_parties_from_one_as_the_json_indexes_do_from_zero(
        name_screener: Any) -> None:
    """A reason read beside the numbered form or memo names the right row: JSON 1 is prose 2."""
    screener = name_screener({"Listed Co": ("EL", 0.99)})
    out = Engine(screener).check(txn(
        items=[{"eccn": "EAR99"}, {"description": "packaged logic ICs"}],
        parties=[{"role": "end_user", "name": "Plain Co", "country": "CN"},
                 {"role": "purchaser", "name": "Listed Co", "country": "CN"}]))
    reasons = out["jurisdictions"]["US"]["reasons"]
    listed = next(r for r in reasons if r.get("party") is not None)
    unknown = next(r for r in reasons if r.get("item") is not None and r["outcome"] == "REVIEW")
    assert listed["party"] == 1 and "party 2 (Listed Co)" in listed["summary"]
    assert unknown["item"] == 1 and "item 2 ('packaged logic ICs')" in unknown["summary"]
    text = memo(out)
    assert "Item 2:" in text and "Screening, party 2 (Listed Co):" in text


def test_screening_is_cached_per_name(name_screener: Any) -> None:
    screener = name_screener({})
    engine = Engine(screener)
    list(engine.check_many([txn(id=str(n)) for n in range(20)]))
    assert screener.calls == 1


def test_loaded_ownership_links_feed_the_affiliates_rule(name_screener: Any) -> None:
    screener = name_screener({"Listed Parent": ("EL", 0.99)})
    links = [OwnershipLink("Listed Parent", "Plain Co", 55.0, date(2020, 1, 1), None)]
    t = txn(date="2025-10-01")
    assert Engine(screener).check(t)["outcome"] == "NLR"
    out = Engine(screener, links).check(t)
    assert out["outcome"] == "LICENSE_REQUIRED"
    ended = [OwnershipLink("Listed Parent", "Plain Co", 55.0, date(2020, 1, 1), date(2024, 1, 1))]
    assert Engine(screener, ended).check(t)["outcome"] == "NLR"


def test_listed_owner_with_unknown_share_needs_review(name_screener: Any) -> None:
    screener = name_screener({"Listed Parent": ("EL", 0.99)})
    links = [OwnershipLink("Listed Parent", "Plain Co", None)]
    assert Engine(screener, links).check(txn(date="2025-10-01"))["outcome"] == "REVIEW"


def test_duty_amount(engine: Engine) -> None:
    out = engine.check(txn(export_from="CN", destination="US", date="2025-03-01",
                           items=[{"hts": "8542.31", "origin": "CN", "value_usd": 1000}],
                           parties=[]))
    assert [(d["rate_percent"], d["amount_usd"]) for d in out["duties"]] == [(50, 500.0)]


def test_memo_names_rules_dates_and_confidence(engine: Engine) -> None:
    out = engine.check(txn(items=[{"product": "NVIDIA H100 SXM5 80GB"}]))
    text = memo(out)
    assert "742.6(a)(6)(iii)" in text and "88 FR 73458" in text
    assert "in force 2023-11-17" in text and "confidence" in text
    assert text.startswith("Transaction t (2024-06-01): LICENSE_REQUIRED")


def test_indirect_ownership_through_a_majority_owned_intermediate(name_screener: Any) -> None:
    screener = name_screener({"Listed Parent": ("EL", 0.99)})
    links = [OwnershipLink("Listed Parent", "Middle Holdco", 70.0),
             OwnershipLink("Middle Holdco", "Plain Co", 51.0)]
    assert Engine(screener, links).check(txn(date="2025-10-01"))["outcome"] == "LICENSE_REQUIRED"
    minority = [OwnershipLink("Listed Parent", "Middle Holdco", 40.0),
                OwnershipLink("Middle Holdco", "Plain Co", 51.0)]
    assert Engine(screener, minority).check(txn(date="2025-10-01"))["outcome"] == "NLR"


def test_bare_3a090_is_read_most_restrictively(engine: Engine) -> None:
    out = engine.check(txn(items=[{"eccn": "3A090"}]))
    assert out["jurisdictions"]["US"]["outcome"] == "LICENSE_REQUIRED"
    assert any("without a paragraph" in w for w in out["warnings"])


def test_confidence_is_no_better_than_the_classification(engine: Engine) -> None:
    out = engine.check(txn(export_from="JP", date="2024-06-01",
                           items=[{"product": "ASML TWINSCAN NXT:2000i", "origin": "NL"}]))
    jp = out["jurisdictions"]["JP"]
    assert jp["outcome"] == "LICENSE_REQUIRED"
    assert jp["confidence"] == "from_memory"  # the item-17 scope is from memory


def test_no_parties_is_review(name_screener: Any) -> None:
    out = Engine(name_screener({})).check(txn(parties=[]))
    assert out["outcome"] == "REVIEW"
    assert any("no parties" in w for w in out["warnings"])


@pytest.mark.parametrize("item, typo, field", [
    ({"prodcut": "NVIDIA H800 SXM5 80GB"}, "prodcut", "product"),
    ({"kind": "ic", "tpp": 2896, "logic_die_area": 790}, "logic_die_area", "logic_die_area_mm2"),
    ({"eccn": "EAR99", "value": 100}, "value", "value_usd"),
    ({"ECCN": "3A090.a"}, "ECCN", "eccn"),
    ({"eccn": "EAR99", "orgin": "CN"}, "orgin", "origin"),
])
def test_misspelt_item_fields_are_named(engine: Engine, item: dict[str, Any], typo: str,
                                        field: str) -> None:
    out = engine.check(txn(items=[item]))
    assert any(f"'{typo}' ignored: did you mean '{field}'" in w for w in out["warnings"])


def test_order_system_columns_pass_silently(engine: Engine) -> None:
    out = engine.check(txn(items=[{"eccn": "EAR99", "sku": "A-17", "customer_ref": "PO 5",
                                   "product_id": 17, "serial": "X1", "value_eur": 9,
                                   "unit_value_usd": 3}]))
    assert not any("unknown field" in w for w in out["warnings"])


def test_a_leg_beyond_the_destination_names_its_party(engine: Engine) -> None:
    out = engine.check(txn(destination="SG", items=[{"product": "NVIDIA H100 SXM5 80GB"}],
                           parties=[{"role": "consignee", "name": "Forwarder Pte", "country": "SG"},
                                    {"role": "end_user", "name": "Cloud Co", "country": "CN"}]))
    us = out["jurisdictions"]["US"]
    assert us["outcome"] == "LICENSE_REQUIRED"
    leg = [r for r in us["reasons"] if r.get("facts", {}).get("ultimate_destination") == "CN"]
    assert leg and all("party 2 (Cloud Co, end user) is located in CN" in r["summary"]
                       for r in leg)
    assert all(r["outcome"] != "NLR" for r in leg)  # the leg adds only what it asks more
