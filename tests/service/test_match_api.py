"""``POST /match/{dataset}``: yente's request and response shape, answered by our screening."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chipexport.config import database_url
from chipexport.service import create_app
from chipexport.service.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

# The example in yente's documentation of POST /match/{dataset} (yente/routers/match.py).
YENTE_EXAMPLE = {
    "queries": {
        "entity1": {
            "schema": "Person",
            "properties": {
                "name": ["John Doe"],
                "birthDate": ["1975-04-21"],
                "nationality": ["us"],
            },
        },
        "entity2": {
            "schema": "Company",
            "properties": {
                "name": ["Brilliant Amazing Limited"],
                "jurisdiction": ["hk"],
                "registrationNumber": ["84BA99810"],
            },
        },
    }
}


@pytest.fixture()
def client(chipexport_home: Path, kit: Any, list_files: dict[str, Path]) -> Iterator[Any]:
    keys = kit.prepare_store(database_url(), list_files["v1"])
    settings = Settings(
        max_body_bytes=1_000_000, max_batch=100, good_guy_days=30, list_recheck_s=1, list_url=None
    )
    with TestClient(create_app(settings)) as c:
        c.headers["X-API-Key"] = keys["viewer"]
        yield c


def test_replays_yentes_documented_example(client: Any) -> None:
    response = client.post("/match/default", json=YENTE_EXAMPLE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["responses"]) == {"entity1", "entity2"}
    assert body["limit"] == 5
    for qid, sent in YENTE_EXAMPLE["queries"].items():
        answer = body["responses"][qid]
        assert answer["status"] == 200
        assert answer["results"] == []  # neither is on the test list
        assert answer["total"] == {"value": 0, "relation": "eq"}
        assert answer["query"]["schema"] == sent["schema"]
        assert answer["query"]["properties"]["name"] == sent["properties"]["name"]


def test_a_listed_party_comes_back_as_a_scored_entity(client: Any) -> None:
    query = {
        "queries": {
            "q": {
                "schema": "Company",
                "properties": {"name": "Kestrel Avionics Trading", "country": ["ae"]},
            },
            "other": {"schema": "Company", "properties": {"name": ["Unrelated Bakery GmbH"]}},
        }
    }
    body = client.post("/match/EL", params={"algorithm": "logic-v2"}, json=query).json()
    (hit,) = body["responses"]["q"]["results"]
    assert hit["caption"] == "Kestrel Avionics Trading LLC"
    assert hit["id"] == "EL-9003" and hit["datasets"] == ["el"]
    assert hit["properties"]["country"] == ["ae"]
    assert hit["match"] is True and 0.8 <= hit["score"] <= 1.0
    assert "kestrel" in hit["explanations"]["chipexport"]["detail"]
    assert body["responses"]["other"]["results"] == []
    # the match flag follows the caller's threshold; cutoff lowers what is returned
    typo = {
        "queries": {"q": {"schema": "Company", "properties": {"name": "Kestrel Avionic Trdng"}}}
    }
    strict = client.post(
        "/match/default", params={"threshold": 0.999, "cutoff": 0.5}, json=typo
    ).json()
    assert [r["match"] for r in strict["responses"]["q"]["results"]] == [False]


def test_bad_dataset_and_examples_are_refused(client: Any) -> None:
    unknown = client.post("/match/XX", json=YENTE_EXAMPLE)
    assert unknown.status_code == 404 and "XX" in unknown.json()["error"]["message"]
    nameless = {"queries": {"a": {"schema": "Person", "properties": {"birthDate": ["1970"]}}}}
    refused = client.post("/match/default", json=nameless)
    assert refused.status_code == 422 and "no name" in refused.json()["error"]["message"]
    assert client.post("/match/default", json={"queries": {}}).json()["responses"] == {}


def test_matching_needs_a_key(client: Any) -> None:
    client.headers.pop("X-API-Key")
    assert client.post("/match/default", json=YENTE_EXAMPLE).status_code == 401
