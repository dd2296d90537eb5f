"""The API's half of the contract: /openapi.json shows the models, and refusals are Problems.

Runs the application with an empty store (no lists: parties are not screened) and one key, so
nothing outside the repository is read.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chipexport.config import database_url
from chipexport.service import create_app
from chipexport.service.settings import Settings
from chipexport.store import Store
from chipexport.store.keys import create_key

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TXN = {"id": "t1", "date": "2024-06-01", "export_from": "US", "destination": "DE",
       "items": [{"eccn": "EAR99", "description": "office chairs"}]}


@pytest.fixture()
def api(chipexport_home: Path) -> Iterator[TestClient]:
    chipexport_home.mkdir(parents=True)
    with Store(database_url()) as store:
        _, token = create_key(store.engine, "contract-key", "admin")
    settings = Settings(max_body_bytes=200_000, max_batch=5, good_guy_days=30,
                        list_recheck_s=1, list_url=None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_check_request_and_answer_are_documented_field_by_field(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    post = spec["paths"]["/v1/check"]["post"]
    one, many = post["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    transaction = _resolve(spec, one)
    assert _resolve(spec, many["items"]) == transaction
    assert set(transaction["required"]) == {"id", "date", "export_from", "destination", "items"}
    assert transaction["additionalProperties"] is False
    party = _resolve(spec, transaction["properties"]["parties"]["items"])
    owner = _resolve(spec, party["properties"]["owners"]["items"])
    # owner chains of any depth: an owner's owners are owners
    assert _resolve(spec, owner["properties"]["owners"]["items"]) == owner
    assert {"country", "hq", "percent"} <= set(owner["properties"])
    assert "red_flags" in party["properties"] and "red_flags" in transaction["properties"]
    item = _resolve(spec, transaction["properties"]["items"]["items"])
    assert {"us_content_percent", "us_technology_direct_product", "contains_us_origin_ic",
            "kind", "description"} <= set(item["properties"])
    answer = post["responses"]["200"]["content"]["application/json"]["schema"]
    shapes = [_resolve(spec, s) for s in answer["anyOf"]]
    single = next(s for s in shapes if s.get("type") != "array")
    assert {"id", "outcome", "jurisdictions", "screening", "warnings", "errors", "cases",
            "audit"} <= set(single["properties"])
    finding = _resolve(spec, single["properties"]["jurisdictions"]["additionalProperties"])
    reason = _resolve(spec, finding["properties"]["reasons"]["items"])
    assert {"rule", "citation", "in_force", "summary", "outcome"} <= set(reason["properties"])


def test_every_v1_route_documents_its_answer_fields(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in methods.items():
            answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
            shapes = [_resolve(spec, s) for s in answer.get("anyOf", [answer])]
            documented = [s for s in shapes if s.get("properties") or s.get("type") == "array"]
            assert documented, f"{method.upper()} {path}: answer without fields"


def test_a_refused_transaction_lists_every_problem_by_field(api: TestClient) -> None:
    bad = {**TXN, "date": "2024-13-01",
           "parties": [{"name": "A", "owners": [{"name": "B", "percent": 120}]}],
           "items": [{"tpp": -1}]}
    answer = api.post("/v1/check", json=[TXN, bad])
    assert answer.status_code == 422
    problems = {(p["field"], p["message"]) for p in answer.json()["error"]["problems"]}
    assert problems >= {
        ("[1].date", "expected YYYY-MM-DD, got '2024-13-01'"),
        ("[1].parties[0].owners[0].percent", "must be at most 100, got 120"),
        ("[1].items[0].tpp", "must be more than zero, got -1"),
    }


def test_the_api_refuses_what_the_cli_warns_about_from_one_definition(api: TestClient) -> None:
    from chipexport.determine import Engine

    sent = {**TXN, "parties": [{"name": "A", "countyr": "DE"}]}
    refused = api.post("/v1/check", json=sent)
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"] == [
        {"field": "parties[0].countyr", "message": "unknown field (did you mean 'country'?)"}]
    warned = Engine().check(sent)["warnings"]
    assert "parties[0].countyr: unknown field ignored (did you mean 'country'?)" in warned


def test_a_determined_transaction_is_answered_in_the_model_shape(api: TestClient) -> None:
    answer = api.post("/v1/check", json=TXN)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert list(body)[:6] == ["id", "outcome", "jurisdictions", "screening", "duties",
                              "warnings"]
    assert body["audit"]["seq"] >= 1 and "errors" not in body
