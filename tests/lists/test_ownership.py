"""Ownership links from FollowTheMoney JSONL and CSV.

The JSONL cluster (tests/fixtures/data/ownership) is written by hand in the shape of a real
sanctions cluster: a concern holding 49 %, a role-only link, one owner's stakes in three time
slices, a wholly-owned subsidiary, and records of other schemas that are not ownership."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from chipexport.lists import ListFormatError
from chipexport.lists.ownership import parse_ftm_ownership, parse_ownership_csv, read_ownership
from chipexport.model.ownership import OwnershipLink


@pytest.fixture(scope="session")
def cluster(list_data: Path) -> list[OwnershipLink]:
    return read_ownership(list_data / "ownership" / "example_cluster.ftm.jsonl")


def test_every_ownership_record_read(cluster: list[OwnershipLink], list_data: Path) -> None:
    path = list_data / "ownership" / "example_cluster.ftm.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(cluster) == sum(r["schema"] == "Ownership" for r in records) == 6


def test_owner_and_asset_ids_resolved_to_names(cluster: list[OwnershipLink]) -> None:
    concern = [link for link in cluster if link.owner == "JSC Example Arms Concern"]
    assert {(k.asset, k.percent) for k in concern} == {("LLC Example Drones", 49.0),
                                                       ("LLC Example Drones", None)}
    assert all(link.owner_id and link.asset_id for link in cluster)
    assert all(link.owner != link.owner_id for link in cluster)  # every id has a record here


def test_time_sliced_stakes(cluster: list[OwnershipLink]) -> None:
    owner_stakes = sorted(
        (link.percent, link.start, link.end)
        for link in cluster
        if link.owner == "Ivan Petrovich EXAMPLEOV" and link.asset == "LLC Example Drones"
    )
    assert owner_stakes == [
        (48.0, date(2015, 11, 25), date(2023, 12, 21)),
        (50.0, date(2015, 11, 25), date(2023, 3, 2)),
        (51.0, date(2015, 11, 25), None),
    ]
    on_2024 = [
        link for link in cluster
        if link.asset == "LLC Example Drones" and link.percent and link.active_on(date(2024, 6, 1))
    ]  # fmt: skip
    assert sorted(link.percent or 0 for link in on_2024) == [49.0, 51.0]
    assert all(link.source == "ext_ru_egrul" for link in cluster if link.percent is not None)


def test_unknown_ids_and_partial_dates() -> None:
    lines = [
        {"id": "c1", "schema": "Company", "properties": {"name": ["Acme Ltd"]}},
        {
            "id": "o1",
            "schema": "Ownership",
            "properties": {
                "owner": ["p-missing"],
                "asset": ["c1"],
                "percentage": ["12.5%"],
                "startDate": ["2019"],
                "endDate": ["2020-02"],
            },
        },
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    (link,) = parse_ftm_ownership(data, "t.jsonl")
    assert (link.owner, link.owner_id, link.asset) == ("p-missing", "p-missing", "Acme Ltd")
    assert link.percent == 12.5
    assert (link.start, link.end) == (date(2019, 1, 1), date(2020, 2, 29))


def test_truncated_jsonl(list_data: Path) -> None:
    data = (list_data / "ownership" / "example_cluster.ftm.jsonl").read_bytes()
    cut = data[: len(data) // 2]
    with pytest.raises(ListFormatError) as err:
        parse_ftm_ownership(cut, "cluster.jsonl")
    assert err.value.line == cut.count(b"\n") + 1 and "\n" not in str(err.value)


def test_bad_percentage_names_the_field() -> None:
    rec = {"schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b"],
                                                 "percentage": ["most"]}}  # fmt: skip
    with pytest.raises(ListFormatError, match=r"line 1, field 'percentage'"):
        parse_ftm_ownership(json.dumps(rec).encode(), "o.jsonl")


def test_simple_csv() -> None:
    data = (
        b"owner,asset,percent,start,end,source\n"
        b"Parent Co,Child Ltd,60%,2020-01-01,,registry\n"
        b"Fund LP,Child Ltd,,2021,2022-06-30,\n"
    )
    parent, fund = parse_ownership_csv(data, "own.csv")
    assert (parent.owner, parent.asset, parent.percent, parent.source) == (
        "Parent Co", "Child Ltd", 60.0, "registry"
    )  # fmt: skip
    assert parent.start == date(2020, 1, 1) and parent.end is None
    assert fund.percent is None and fund.start == date(2021, 1, 1)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ("owner,asset,percent,start,end\nA,B,150,,\n", "line 2, field 'percent'"),
        ("owner,asset,percent,start,end\nA,,10,,\n", "line 2, field 'asset'"),
        ("owner,asset,percent,start,end\nA,B,10,01/02/2020,\n", "line 2, field 'start'"),
        ("owner,asset,share\nA,B,10\n", "line 1, field 'percent'"),
    ],
)
def test_bad_csv(data: str, where: str) -> None:
    with pytest.raises(ListFormatError, match=where):
        parse_ownership_csv(data.encode(), "own.csv")


def test_read_ownership_picks_csv_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("owner,asset,percent,start,end\nA,B,50,,\n", encoding="utf-8")
    assert read_ownership(path) == [OwnershipLink("A", "B", 50.0, None, None, None, None, None)]
