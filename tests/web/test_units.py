"""The web's pure parts: the check form <-> transaction mapping and the rule timeline."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from chipexport.determine import Engine
from chipexport.service.web import timeline
from chipexport.service.web.check_form import FormProblem, parse_params, to_form, to_transaction

TXN = {
    "id": "t1", "date": "2024-06-01", "export_from": "US", "destination": "CN",
    "items": [{"product": "NVIDIA H100 SXM5 80GB"},
              {"kind": "ic", "tpp": 2896, "datacenter": True, "logic_die_area_mm2": 790.5},
              {"hts": "8542.31", "origin": "CN", "value_usd": 100000,
               "description": "packaged logic ICs"}],
    "parties": [{"role": "end_user", "name": "Foo Ltd", "country": "CN"}],
    "end_use": {"kind": "ic_fab", "logic_node_nm": 14, "non_planar": True},
}


def _flat(values: dict[str, object]) -> dict[str, str]:
    """What a browser posts for the form filled from ``values``."""
    form = {k: str(v) for k, v in values.items() if k not in ("items", "parties", "non_planar")}
    for n, item in enumerate(values["items"]):  # type: ignore[arg-type]
        form |= {f"item-{n}-{k}": str(v) for k, v in item.items()}
    for n, party in enumerate(values["parties"]):  # type: ignore[arg-type]
        form |= {f"party-{n}-{k}": str(v) for k, v in party.items()}
    if values["non_planar"]:
        form["non_planar"] = "1"
    form["end_use_kind"] = str(values["end_use_kind"])
    return form


def test_form_round_trip_gives_back_the_transaction() -> None:
    assert to_transaction(_flat(to_form(TXN)), "unused") == TXN


def test_empty_rows_are_skipped_and_an_id_is_supplied() -> None:
    form = {"date": "2024-06-01", "export_from": "us", "destination": "cn",
            "item-0-product": "NVIDIA H800", "item-1-product": "", "party-0-name": "",
            "party-0-role": "end_user"}
    txn = to_transaction(form, "web-1")
    assert txn == {"id": "web-1", "date": "2024-06-01", "export_from": "US",
                   "destination": "CN", "items": [{"product": "NVIDIA H800"}]}


@pytest.mark.parametrize("text", ["tpp", "tpp=1 =2", "Bad-Key=1", "'unclosed"])
def test_bad_parameters_name_the_field(text: str) -> None:
    with pytest.raises(FormProblem, match="item 2 parameters"):
        parse_params(text, "item 2 parameters")


def test_end_use_numbers_must_be_numbers() -> None:
    with pytest.raises(FormProblem, match="logic_node_nm"):
        to_transaction({"end_use_kind": "ic_fab", "logic_node_nm": "fourteen"}, "x")


def test_timeline_agrees_with_the_engine_on_every_day_probed() -> None:
    """Each segment's outcome is the engine's answer on days inside it (not only its start)."""
    txn = {"id": "tl", "export_from": "US", "destination": "CN",
           "items": [{"product": "NVIDIA H800"}]}
    start, end = date(2021, 6, 1), date(2026, 1, 1)
    tl = timeline.compute(txn, start, end, [])
    engine = Engine(None)
    day = start
    while day < end:
        result = engine.check({**txn, "date": day.isoformat()})
        for lane, segments in tl.lanes.items():
            seg = next(s for s in segments if s.start <= day < s.end)
            want = result["outcome"] if lane == timeline.OVERALL else (
                result["jurisdictions"].get(lane, {}).get("outcome", "NLR"))
            assert seg.outcome == want, (lane, day)
        day += timedelta(days=23)
    overall = tl.lanes[timeline.OVERALL]
    assert [s.start for s in overall] == sorted(s.start for s in overall)
    assert all(a.end == b.start for a, b in pairwise(overall))
    assert len({s.outcome for s in overall}) > 1, "the H800 story needs a change in the period"
    for seg in overall[1:]:  # every change falls on a rule or criterion boundary
        assert seg.start in timeline.boundaries() or seg.start.day == 1


def test_timeline_refuses_a_backwards_period() -> None:
    with pytest.raises(ValueError, match="forwards"):
        timeline.compute({"items": [{"product": "NVIDIA H800"}], "destination": "CN",
                          "export_from": "US", "id": "x"}, date(2024, 1, 1), date(2023, 1, 1), [])


def test_provision_lane_follows_the_rules_data() -> None:
    """On every probed day the lane says in force exactly when a version's window covers it."""
    from chipexport.rules.provisions import all_provisions

    key = next(p.key for p in all_provisions() if p.enforcement)
    versions = [p for p in all_provisions() if p.key == key]
    start, end = date(2018, 1, 1), date(2027, 1, 1)
    tl = timeline.compute(None, start, end, [], key)
    (lane,) = tl.lanes.values()
    day = start
    while day < end:
        seg = next(s for s in lane if s.start <= day < s.end)
        version = next((p for p in versions if p.window_on(day)), None)
        if version is None:
            assert seg.outcome == "NOT_IN_FORCE", day
        else:
            exception = version.enforcement_on(day)
            assert seg.outcome == (exception.status.upper() if exception else "IN_FORCE"), day
        day += timedelta(days=11)
    with pytest.raises(ValueError, match="no provision"):
        timeline.compute(None, start, end, [], "no.such.provision")


def test_a_batch_row_with_an_id_too_long_to_store_is_a_row_error() -> None:
    """The audit ``ref`` holds 255 characters: a longer id is the row's error, not truncated."""
    from chipexport.service.web import batch

    rows = batch.parse_upload(b"id,name\n" + b"x" * 256 + b",Acme Trading\n", "orders.csv")
    job = batch.Job("j", "me", "orders.csv", rows)
    out = batch._one(None, None, job, 0)  # type: ignore[arg-type]  # a row error stores nothing
    assert out["error"] == "line 2: field 'id' is 256 characters long (limit 255)"
    assert out["matches"] == []


def test_party_groups_and_owners_reach_the_transaction_and_come_back() -> None:
    """Headquarters, ultimate parent and owners typed in the form are part of the transaction
    (an H100 to the Malaysian subsidiary of a Chinese group is not the same export)."""
    form = {"date": "2024-06-01", "export_from": "US", "destination": "Malaysia",
            "item-0-product": "NVIDIA H100 SXM5 80GB",
            "party-0-role": "end_user", "party-0-name": "Acme Penang Sdn Bhd",
            "party-0-country": "my", "party-0-hq": "China",
            "party-0-ultimate_parent": "Acme Group", "party-0-ultimate_parent_hq": "CN",
            "owner-0-party": "1", "owner-0-name": "Acme Holdings", "owner-0-percent": "60%",
            "owner-0-country": "Hong Kong"}
    txn = to_transaction(form, "w")
    assert txn["destination"] == "MY"
    assert txn["parties"] == [{
        "role": "end_user", "name": "Acme Penang Sdn Bhd", "country": "MY", "hq": "CN",
        "ultimate_parent": "Acme Group", "ultimate_parent_hq": "CN",
        "owners": [{"name": "Acme Holdings", "percent": 60, "country": "HK"}]}]
    back = to_form(txn)
    assert back["owners"] == [{"party": "1", "name": "Acme Holdings", "percent": "60",
                               "country": "HK"}]
    assert back["parties"][0]["hq"] == "CN"
    assert Engine(None).check(txn)["outcome"] == "LICENSE_REQUIRED"


@pytest.mark.parametrize(("field", "value", "says"), [
    ("party-0-country", "Chinaa", "party 1 country"),
    ("party-0-hq", "XX", "party 1 headquarters"),
    ("owner-0-percent", "160", "owner 1 percent"),
    ("owner-0-party", "3", "owner 1: party"),
])
def test_a_country_or_owner_the_form_cannot_read_is_refused_by_field(
        field: str, value: str, says: str) -> None:
    form = {"date": "2024-06-01", "export_from": "US", "destination": "CN",
            "item-0-product": "NVIDIA H800", "party-0-name": "Foo Ltd",
            "owner-0-name": "Bar", field: value}
    with pytest.raises(FormProblem, match=says):
        to_transaction(form, "w")


def test_the_web_batch_download_neutralises_formula_cells() -> None:
    """``result.csv``: party names and list names starting like a formula open as text."""
    import csv
    import io

    from chipexport.csv_writer import FORMULA_START
    from chipexport.service.web import batch

    job = batch.Job("j", "me", "orders.csv", [])
    job.results = [
        {"id": "@1", "name": "=HYPERLINK(\"http://x.example\")", "country": "CN",
         "matches": [{"source": "EL", "name": "+cmd|' /C calc'!A0", "score": 0.9}]},
        {"id": "2", "name": "-2+3", "country": None, "matches": [], "error": "\tbad"},
    ]
    rows = list(csv.reader(io.StringIO(batch.as_csv(job))))
    assert rows[1][:2] == ["'@1", "'=HYPERLINK(\"http://x.example\")"]
    assert rows[1][5] == "'+cmd|' /C calc'!A0" and rows[2][1] == "'-2+3"
    assert not any(c.startswith(FORMULA_START) for row in rows for c in row)
