"""The API in-process (no server): bad input, authentication, roles, limits, OpenAPI, checks.

Every refused request must leave the database as it was, so most tests compare the audit
chain's length before and after.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from chipexport.config import database_url
from chipexport.service import create_app
from chipexport.service.settings import Settings
from chipexport.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

LIMITS = Settings(max_body_bytes=20_000, max_batch=5, good_guy_days=30, list_recheck_s=1,
                  list_url=None)
TXN = {"id": "t1", "date": "2024-06-01", "export_from": "US", "destination": "CN",
       "items": [{"product": "NVIDIA H100 SXM5 80GB"}],
       "parties": [{"role": "end_user", "name": "Kestrel Avionics Trading LLC", "country": "AE"}]}


class Api:
    def __init__(self, client: TestClient, keys: dict[str, str]) -> None:
        self.client, self.keys = client, keys

    def __call__(self, method: str, path: str, role: str | None = "admin", **kw: Any) -> Any:
        headers = {**({"X-API-Key": self.keys[role]} if role else {}), **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kw)

    def chain_length(self) -> int:
        return int(self("GET", "/v1/audit/verify").json()["records"])


@pytest.fixture()
def api(chipexport_home: Path, kit: Any, list_files: dict[str, Path]) -> Iterator[Api]:
    keys = kit.prepare_store(database_url(), list_files["v1"])
    with TestClient(create_app(LIMITS)) as client:
        yield Api(client, keys)


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()["error"]
    assert body["status"] == status and body["message"]
    return body


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (b'{"id": "1", "name": "x"', "(body)", "malformed JSON"),
        (b'{"id": "1', "(body)", "Unterminated string starting at line 1 column 8"),
        (b"[" * 5_000 + b"]" * 5_000, "(body)", "nested too deeply"),
        (b'{"id": "1", "name": "Acme", "data": {"x": ' + b"[" * 150 + b"]" * 150 + b"}}",
         "(body)", "more than 100 levels"),
        (b"\xff\xfe", "(body)", "UTF-8"),
        (b"", "(body)", "empty"),
        (b'"just a string"', "(body)", "object"),
        (b"[]", "(body)", "empty list"),
        (b'{"id": 7, "name": "Acme"}', "id", "string"),
        (b'{"id": "1", "name": "Acme", "countyr": "CN"}', "countyr", "Extra inputs"),
        (b'{"id": "1", "name": "Acme", "country": "China"}', "country", "pattern"),
        (b'{"id": "1", "name": "Acme", "country": "XX"}', "country", "unknown country code"),
        (b'{"id": "1", "name": "   "}', "name", "empty"),
        (b'{"id": "1"}', "name", "required"),
        (b'[{"id": "1", "name": "Acme"}, {"id": "2", "name": 5}]', "[1].name", "string"),
    ],
)
def test_bad_screen_bodies_are_422_naming_the_field(
    api: Api, body: bytes, field: str, words: str
) -> None:
    before = api.chain_length()
    response = api("POST", "/v1/screen", role="viewer", content=body,
                   headers={"Content-Type": "application/json"})
    error = _error(response, 422)
    assert error["field"] == field
    assert words in error["message"]
    assert api.chain_length() == before


@pytest.mark.parametrize("path", ["/v1/check", "/v1/cases/1/disposition", "/v1/lists/update"])
def test_deeply_nested_json_is_a_422_everywhere(api: Api, path: str) -> None:
    """The decoder's RecursionError (not a JSONDecodeError) was a 500 in every JSON route."""
    before = api.chain_length()
    error = _error(api("POST", path, content=b"[" * 5_000 + b"]" * 5_000,
                       headers={"Content-Type": "application/json"}), 422)
    assert error["field"] == "(body)" and "nested too deeply" in error["message"]
    assert api.chain_length() == before


def test_limits_on_body_size_and_batch_length(api: Api) -> None:
    before = api.chain_length()
    too_long = [{"id": str(i), "name": "Acme Trading"} for i in range(6)]
    assert "limit 5" in _error(api("POST", "/v1/screen", json=too_long), 413)["message"]
    huge = {"id": "1", "name": "Acme", "data": {"blob": "x" * 30_000}}
    assert "bytes" in _error(api("POST", "/v1/screen", json=huge), 413)["message"]
    chunked = api("POST", "/v1/screen", content=iter([b'{"id": "1", "name": "', b"x" * 30_000]))
    _error(chunked, 413)
    assert api.chain_length() == before


def test_keys_are_required_and_roles_enforced(api: Api) -> None:
    before = api.chain_length()
    order = {"id": "1", "name": "Borealis Photonics Research Institute"}
    missing = _error(api("POST", "/v1/screen", role=None, json=order), 401)
    assert missing["field"] == "Authorization"
    wrong = api.client.post("/v1/screen", json=order, headers={"Authorization": "Bearer cx_nope"})
    assert "unknown" in _error(wrong, 401)["message"]
    for path in ("/v1/lists", "/v1/cases", "/v1/history", "/v1/audit/verify"):
        _error(api("GET", path, role=None), 401)
    _error(api("POST", "/v1/lists/update", role="analyst", json={}), 403)
    _error(api("POST", "/v1/cases/1/disposition", role="viewer",
               json={"decision": "escalate", "reason": "look"}), 403)
    assert api.chain_length() == before
    assert api.client.get("/healthz").json()["lists_loaded"] is True  # health needs no key


def test_revoked_key_stops_working(api: Api, chipexport_home: Path) -> None:
    order = {"id": "1", "name": "Acme"}
    assert api("POST", "/v1/screen", role="viewer", json=order).status_code == 200
    from chipexport.store.keys import revoke_key

    with Store() as store:
        revoke_key(store.engine, "viewer-key")
    _error(api("POST", "/v1/screen", role="viewer", json=order), 401)


def test_openapi_documents_the_endpoints(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    for path in ("/v1/screen", "/v1/check", "/v1/lists", "/v1/lists/update", "/v1/history",
                 "/v1/cases", "/v1/cases/{case_id}/disposition", "/v1/audit/verify"):
        assert path in spec["paths"], path
    screen_body = spec["paths"]["/v1/screen"]["post"]["requestBody"]["content"]
    assert "oneOf" in screen_body["application/json"]["schema"]
    assert {"409", "502"} <= set(spec["paths"]["/v1/lists/update"]["post"]["responses"])
    assert not {"409", "502"} & set(spec["paths"]["/v1/lists"]["get"]["responses"])
    refused = spec["paths"]["/v1/screen"]["post"]["responses"]["422"]["content"]
    assert refused["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    for page in ("/docs", "/redoc"):  # their scripts come from the server, not a CDN
        html = api.client.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        assert assets and all(a.startswith(("/docs-static/", "/docs-redoc")) for a in assets)
        assert "https://" not in html.replace("https://github.com", "")
        for asset in assets:
            answer = api.client.get(asset)
            assert answer.status_code == 200 and len(answer.content) > 100_000, asset
            assert b"cdn.redoc.ly" not in answer.content  # ReDoc's logo, fetched remotely


def test_disposition_input_is_checked(api: Api) -> None:
    api("POST", "/v1/screen", role="viewer", json={"id": "1", "name": "Kestrel Avionics Trading"})
    (case,) = api("GET", "/v1/cases").json()["cases"]
    before = api.chain_length()
    url = f"/v1/cases/{case['id']}/disposition"
    assert _error(api("POST", url, json={"decision": "maybe", "reason": "x y z"}), 422)[
        "field"] == "decision"
    assert _error(api("POST", url, json={"decision": "escalate", "reason": "   "}), 422)[
        "field"] == "reason"
    assert _error(api("POST", url, json={"decision": "escalate", "reason": "abc", "x": 1}), 422)[
        "field"] == "x"
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert _error(api("POST", url, json={"decision": "false_positive", "reason": "not them",
                                         "expires_at": past}), 422)["field"] == "expires_at"
    _error(api("POST", "/v1/cases/999/disposition", json={"decision": "escalate",
                                                           "reason": "abc"}), 404)
    assert api.chain_length() == before


def test_expired_false_positive_reopens_the_case(api: Api) -> None:
    order = {"id": "1", "name": "Kestrel Avionics Trading LLC", "country": "AE"}
    case = api("POST", "/v1/screen", role="viewer", json=order).json()["matches"][0]["case"]
    api("POST", f"/v1/cases/{case['id']}/disposition",
        json={"decision": "false_positive", "reason": "a namesake in Sharjah"})
    assert api("POST", "/v1/screen", json=order).json()["matches"] == []
    with Store() as store, store.engine.begin() as conn:  # the decision's validity runs out
        conn.execute(text("UPDATE cases SET expires_at = :t"),
                     {"t": datetime.now(UTC) - timedelta(seconds=1)})
    row = api("POST", "/v1/screen", json=order).json()
    assert row["matches"][0]["case"] == {"id": case["id"], "status": "open"}
    events = api("GET", f"/v1/cases/{case['id']}").json()["events"]
    assert events[-1]["kind"] == "case_reopened" and events[-1]["body"]["why"] == "decision expired"


def test_check_single_and_batch_are_audited_with_rule_versions(api: Api) -> None:
    one = api("POST", "/v1/check", role="viewer", json=TXN)
    assert one.status_code == 200, one.text
    result = one.json()
    assert result["id"] == "t1" and result["outcome"] in ("LICENSE_REQUIRED", "PROHIBITED")
    assert [c["status"] for c in result["cases"]] == ["open"]  # the listed end user
    rec = api("GET", f"/v1/history/{result['audit']['seq']}").json()
    assert rec["kind"] == "check" and rec["actor"] == "viewer-key"
    assert rec["body"]["input"] == TXN and rec["body"]["output"]["outcome"] == result["outcome"]
    assert any(path.startswith("rules/") for path in rec["body"]["rules"])
    assert rec["body"]["lists"]["EL"]["id"] and rec["body"]["engine"]["chipexport"]
    many = api("POST", "/v1/check", json=[TXN, {**TXN, "id": "t2"}]).json()
    assert [r["id"] for r in many] == ["t1", "t2"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({**TXN, "colour": "red"}, "colour"),
        ({**TXN, "parties": [{"role": "end_user", "name": "A", "nme": "B"}]}, "parties[0].nme"),
        ({**TXN, "parties": [{"role": "end_user", "name": "A",
                              "owners": [{"name": "B", "pct": 60}]}]}, "parties[0].owners[0].pct"),
        ([TXN, 5], "[1]"),
        ({**TXN, "items": []}, "items"),
    ],
)
def test_bad_check_input_is_422_and_stores_nothing(api: Api, body: Any, needle: str) -> None:
    before = api.chain_length()
    error = _error(api("POST", "/v1/check", json=body), 422)
    assert needle in error["message"]
    assert api.chain_length() == before


@pytest.mark.parametrize(
    ("item", "field", "hint"),
    [
        ({"prodcut": "NVIDIA H800"}, "items[0].prodcut", "product"),
        ({"kind": "ic", "tpp": 2896, "logic_die_area": 790, "datacenter": True},
         "items[0].logic_die_area", "logic_die_area_mm2"),
        ({"eccn": "EAR99", "colour": "red"}, "items[0].colour", None),
    ],
)
def test_unknown_item_keys_are_422_naming_the_field_and_the_near_one(
    api: Api, item: dict[str, Any], field: str, hint: str | None
) -> None:
    before = api.chain_length()
    error = _error(api("POST", "/v1/check", json={**TXN, "items": [item]}), 422)
    assert error["field"] == field
    assert error["message"].startswith(f"{field}: unknown field")
    suggested = f"did you mean '{hint}'" if hint else "did you mean"
    assert (suggested in error["message"]) == bool(hint)
    batch = _error(api("POST", "/v1/check", json=[TXN, {**TXN, "items": [item]}]), 422)
    assert batch["field"] == f"[1].{field}"
    assert api.chain_length() == before


def test_every_item_key_the_engine_reads_is_accepted() -> None:
    """The known item keys come from the Item dataclass and the rules data, so every item of
    the rules and classification test cases (equipment parameters included) passes."""
    import dataclasses

    import yaml

    from chipexport.model.items import Item
    from chipexport.service.check_input import item_fields

    known = item_fields()
    assert {f.name for f in dataclasses.fields(Item)} - {"extra"} <= known
    assert {"subject_to_ear", "aspect_ratio", "purity_percent", "wafer_mm"} <= known
    cases = Path(__file__).resolve().parents[1]
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "item" and isinstance(value, dict):
                    seen.update(value)
                elif key == "items" and isinstance(value, list):
                    seen.update(k for i in value if isinstance(i, dict) for k in i)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in [*cases.glob("rules/cases/*.yaml"), *cases.glob("classify/cases/*.yaml")]:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert len(seen) > 20 and seen - known == set()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({**TXN, "items": [{"kind": "ic", "tpp": "lots"}]}, "items[0].tpp", "expected a number"),
        ({**TXN, "date": "2024-13-45"}, "date", "YYYY-MM-DD"),
        ({**TXN, "destination": "ZZ"}, "destination", "unknown country code"),
        ({**TXN, "parties": [{"role": "boss", "name": "A"}]}, "parties[0].role", "expected one of"),
        ([TXN, {**TXN, "items": [{"kind": "ic", "tpp": "lots"}]}], "[1].items[0].tpp", "number"),
        ([TXN, {k: v for k, v in TXN.items() if k != "id"}], "[1].id", "missing"),
    ],
)
def test_engine_errors_name_their_field(api: Api, body: Any, field: str, words: str) -> None:
    before = api.chain_length()
    error = _error(api("POST", "/v1/check", json=body), 422)
    assert error["field"] == field and error["message"].startswith(f"{field}: ")
    assert words in error["message"]
    assert all(p["field"] for p in error["problems"])
    assert api.chain_length() == before


@pytest.mark.parametrize(
    ("method", "path", "params", "field", "hint"),
    [
        ("POST", "/v1/screen", {"treshold": "0.5"}, "query:treshold", "threshold"),
        ("POST", "/v1/screen", {"bogus": "1"}, "query:bogus", None),
        ("GET", "/v1/cases", {"foo": "1"}, "query:foo", None),
        ("GET", "/v1/history", {"kinds": "screen"}, "query:kinds", "kind"),
        ("POST", "/v1/check", {"threshold": "0.5"}, "query:threshold", None),
    ],
)
def test_unknown_query_parameters_are_refused(
    api: Api, method: str, path: str, params: dict[str, str], field: str, hint: str | None
) -> None:
    """A misspelt ?treshold= silently screened at the default threshold."""
    before = api.chain_length()
    body = {"id": "1", "name": "Acme"} if path == "/v1/screen" else TXN
    error = _error(api(method, path, params=params,
                       **({"json": body} if method == "POST" else {})), 422)
    assert error["field"] == field and "unknown query parameter" in error["message"]
    assert (f"did you mean '{hint}'" in error["message"]) == bool(hint)
    assert api.chain_length() == before
    known = api("POST", "/v1/screen", params={"threshold": "0.9", "lists": "EL"},
                json={"id": "1", "name": "Acme"})
    assert known.status_code == 200  # declared parameters still work


def test_unknown_routes_and_methods_answer_json(api: Api) -> None:
    _error(api("GET", "/v1/nothing"), 404)
    _error(api("GET", "/v1/screen"), 405)
    _error(api("GET", "/v1/history/12345"), 404)
    assert "kind" in _error(api("GET", "/v1/history", params={"kind": "nope"}), 422)["field"]


def test_server_picks_up_lists_loaded_by_another_process(
    api: Api, kit: Any, list_files: dict[str, Path]
) -> None:
    order = {"id": "1", "name": "Tidewater Lithography Systems", "country": "HK"}
    assert api("POST", "/v1/screen", json=order).json()["matches"] == []
    from chipexport.lists import read_path

    with Store() as store:  # as `chipexport lists load` in another process would
        store.replace_lists(read_path(list_files["v2"], "csl-csv"))
    time.sleep(LIMITS.list_recheck_s + 0.1)
    row = api("POST", "/v1/screen", json=order).json()
    assert [m["entity_id"] for m in row["matches"]] == ["EL-9004"]
    assert api("GET", "/v1/lists").json()["index_fingerprint"] is not None


def test_check_respects_a_false_positive_decision(api: Api) -> None:
    first = api("POST", "/v1/check", json=TXN).json()
    assert first["screening"][0]["matches"][0]["entity_id"] == "EL-9003"
    (case,) = first["cases"]
    api("POST", f"/v1/cases/{case['id']}/disposition",
        json={"decision": "false_positive", "reason": "Kestrel Avionics of Ohio, not Dubai"})
    second = api("POST", "/v1/check", json={**TXN, "id": "t2"}).json()
    assert second["screening"][0]["matches"] == [] and second["cases"] == []
    record = api("GET", f"/v1/history/{second['audit']['seq']}").json()
    (screened,) = record["body"]["screened"]
    assert [m["entity_id"] for m in screened["cleared_matches"]] == ["EL-9003"]


def test_screen_can_be_limited_to_named_lists(api: Api) -> None:
    order = {"id": "1", "name": "Borealis Photonics Research Institute", "country": "RU"}
    assert api("POST", "/v1/screen", params={"lists": "el"}, json=order).json()["matches"]
    error = _error(api("POST", "/v1/screen", params={"lists": "EL,XX"}, json=order), 422)
    assert error["field"] == "query:lists" and "XX" in error["message"]
    low = _error(api("POST", "/v1/screen", params={"threshold": "1.5"}, json=order), 422)
    assert low["field"] == "query:threshold"


@pytest.mark.parametrize(
    ("url", "status"),
    [("http://[::1", 422), ("http://a:b:c/", 422), ("file:///etc/hosts", 422), ("ftp://x/y", 422)],
)
def test_unusable_update_url_is_an_error_body(api: Api, url: str, status: int) -> None:
    """A URL httpx cannot even parse is the client's mistake (422), never a 500."""
    before = api.chain_length()
    body = _error(api("POST", "/v1/lists/update", role="admin", json={"url": url}), status)
    assert body["field"] == "url" and url in body["message"]
    assert api.chain_length() == before
