"""Each reproduction of the attack run, replayed: refused cleanly (404/422/403), never a 5xx.

Out-of-range ids (SQLite raised OverflowError above 2**63), integers beyond Python's
4,300-digit conversion limit, NUL characters (PostgreSQL cannot store them), an unparsable
disposition body, a numeric ``expires_at``, empty filters, a long unknown ``lists=`` value, an
absurd transaction date, and the security headers every answer carries.
"""

from __future__ import annotations

import re
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

LIMITS = Settings(max_body_bytes=200_000, max_batch=5, good_guy_days=30, list_recheck_s=1,
                  list_url=None)
HUGE = 2**63 + 5
TXN = {"id": "t1", "date": "2024-06-01", "export_from": "US", "destination": "CN",
       "items": [{"product": "NVIDIA H100 SXM5 80GB"}]}


def _client(home: Path, kit: Any, list_files: dict[str, Path]) -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHIPEXPORT_HOME", str(home))
        env.delenv("CHIPEXPORT_DATABASE_URL", raising=False)
        keys = kit.prepare_store(database_url(), list_files["v1"])
        with TestClient(create_app(LIMITS), raise_server_exceptions=False) as client:
            client.headers["Authorization"] = f"Bearer {keys['admin']}"
            client.keys = keys  # type: ignore[attr-defined]
            screened = client.post("/v1/screen", json={"id": "p1", "name": kit.party})
            assert screened.status_code == 200 and screened.json()["matches"][0]["case"]
            yield client


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, kit: Any,
        list_files: dict[str, Path]) -> Iterator[Any]:
    """One server for the module: every test here is refused or reads (nothing it stores
    changes what another test sees)."""
    yield from _client(tmp_path_factory.mktemp("home"), kit, list_files)


@pytest.fixture()
def own_api(tmp_path: Path, kit: Any, list_files: dict[str, Path]) -> Iterator[Any]:
    """A server of the test's own, for a test that damages the store."""
    yield from _client(tmp_path / "home", kit, list_files)


def _refused(answer: Any, *statuses: int) -> dict[str, Any]:
    assert answer.status_code in statuses, (answer.status_code, answer.text[:300])
    body: dict[str, Any] = answer.json()["error"]
    assert body["status"] == answer.status_code and body["message"]
    return body


@pytest.mark.parametrize("path", [
    f"/v1/history/{HUGE}", f"/v1/cases/{HUGE}", f"/v1/history?after={HUGE}",
    f"/v1/cases?after={HUGE}", f"/v1/history/{10**30}",
])
def test_ids_above_two_to_the_63_are_refused(api: Any, path: str) -> None:
    _refused(api.get(path), 404, 422)


def test_a_disposition_of_an_out_of_range_case_is_refused(api: Any) -> None:
    answer = api.post(f"/v1/cases/{HUGE}/disposition",
                      json={"decision": "escalate", "reason": "needs a second look"})
    _refused(answer, 404, 422)


def test_the_store_answers_not_found_for_out_of_range_ids(api: Any) -> None:
    """The web pages and the CLI reach the same store functions with unchecked ints."""
    from chipexport.store import audit
    from chipexport.store.cases import get_case, list_cases

    engine = api.app.state.store.engine
    assert audit.record(engine, HUGE) is None and get_case(engine, HUGE) is None
    assert audit.records(engine, after=HUGE) == [] and list_cases(engine, after=HUGE) == []
    assert get_case(engine, -1) is None and audit.record(engine, 0) is None


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/screen", b'{"id": "a", "name": ' + b"9" * 5000 + b"}"),
    ("/v1/check", b'{"id": "a", "date": "2024-06-01", "export_from": "US", "destination": '
                  b'"CN", "items": [{"product": "x", "quantity": ' + b"9" * 5000 + b"}]}"),
    ("/v1/cases/1/disposition", b'{"decision": ' + b"9" * 5000 + b"}"),
])
def test_json_integers_beyond_the_conversion_limit_are_422(
    api: Any, path: str, body: bytes
) -> None:
    answer = api.post(path, content=body, headers={"Content-Type": "application/json"})
    assert _refused(answer, 422)["field"] == "(body)"


def test_an_unparsable_disposition_body_is_the_documented_422(api: Any) -> None:
    for body in (b"{bad", b"\xff\xfe", b""):
        _refused(api.post("/v1/cases/1/disposition", content=body,
                          headers={"Content-Type": "application/json"}), 422)


@pytest.mark.parametrize("value", [0, 1_900_000_000, True, [2027]])
def test_expires_at_must_be_a_date_time_string(api: Any, value: Any) -> None:
    for decision in ("false_positive", "escalate"):
        answer = api.post("/v1/cases/1/disposition", json={
            "decision": decision, "reason": "a documented reason", "expires_at": value})
        problems = _refused(answer, 422)["problems"]
        assert any(p["field"] == "expires_at" for p in problems), problems


def test_empty_kind_and_status_filter_nothing(api: Any) -> None:
    assert api.get("/v1/history", params={"kind": ""}).json()["records"]
    everything = api.get("/v1/cases").json()
    assert api.get("/v1/cases", params={"status": ""}).json() == everything


def test_an_unknown_lists_value_is_not_echoed_in_full(api: Any) -> None:
    long = "Q" * 480
    body = _refused(api.post("/v1/screen", params={"lists": long},
                             json={"id": "1", "name": "Acme"}), 422)
    assert long not in body["message"] and "unknown list code" in body["message"]
    assert len(body["message"]) < 200


def test_check_with_an_empty_object_is_refused_and_the_schema_says_so(api: Any) -> None:
    body = _refused(api.post("/v1/check", json={}), 422)
    assert {p["field"] for p in body["problems"]} >= {"id", "date", "items"}
    spec = api.get("/openapi.json").json()
    schema = spec["paths"]["/v1/check"]["post"]["requestBody"]
    ref = schema["content"]["application/json"]["schema"]["oneOf"][0]["$ref"]
    one = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(one["required"]) >= {"id", "date", "export_from", "destination", "items"}


@pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01", "0001-01-01"])
def test_a_date_beyond_the_horizon_is_refused(api: Any, day: str) -> None:
    body = _refused(api.post("/v1/check", json=TXN | {"date": day}), 422)
    assert body["field"] == "date"


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/v1/check", TXN | {"id": "a\x00b"}, "id"),
    ("/v1/screen", {"id": "a\x00b", "name": "Acme"}, "id"),
    ("/v1/screen", {"id": "a", "name": "Acme", "data": {"note": "x\x00"}}, "data.note"),
    ("/v1/cases/1/disposition", {"decision": "escalate", "reason": "why\x00not"}, None),
])
def test_nul_characters_are_refused_naming_the_field(
    api: Any, path: str, body: dict[str, Any], field: str | None
) -> None:
    before = api.get("/v1/audit/verify").json()["records"]
    error = _refused(api.post(path, json=body), 422)
    assert "NUL" in error["message"]
    if field:
        assert error["field"] == field
    assert api.get("/v1/audit/verify").json()["records"] == before


def test_nul_in_a_query_or_form_is_refused(api: Any) -> None:
    _refused(api.get("/v1/history", params={"ref": "a\x00"}), 422)
    _refused(api.post("/web/login", content=b"token=a%00b",
                      headers={"Content-Type": "application/x-www-form-urlencoded"}), 422)


def test_every_answer_carries_the_security_headers(api: Any) -> None:
    for answer in (api.get("/v1/lists"), api.get("/web/login"), api.get(f"/v1/cases/{HUGE}"),
                   api.get("/docs")):
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        csp = answer.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    pages = api.get("/web/login").headers["Content-Security-Policy"]
    assert "script-src 'self';" in pages and "unsafe-inline" not in pages.split("style-src-attr")[0]


def test_login_needs_the_forms_csrf_token(api: Any) -> None:
    api.cookies.clear()
    token = api.keys["viewer"]
    assert api.post("/web/login", data={"token": token}, follow_redirects=False).status_code == 403
    form = api.get("/web/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    answer = api.post("/web/login", data={"token": token, "csrf": csrf.group(1)},
                      follow_redirects=False)
    assert answer.status_code == 303 and "chipexport_session" in answer.cookies


def test_the_api_checks_a_known_head_and_signs_the_head(own_api: Any) -> None:
    """``?known_head=SEQ:HASH`` exposes a cut tail (the chain alone verifies)."""
    from sqlalchemy import text

    api = own_api
    first = api.get("/v1/audit/verify").json()
    kept = f"{first['head_seq']}:{first['head']}"
    signed = api.get("/v1/audit/head").json()
    assert (signed["seq"], signed["hash"]) == (first["head_seq"], first["head"])
    assert signed["signature"].startswith("hmac-sha256:")
    assert api.get("/v1/audit/verify", params={"known_head": kept}).json()["ok"]
    _refused(api.get("/v1/audit/verify", params={"known_head": "nonsense"}), 422)
    with api.app.state.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_records WHERE seq >= :s"), {"s": first["head_seq"]})
    assert api.get("/v1/audit/verify").json()["ok"]  # a shorter chain is still a chain...
    answer = api.get("/v1/audit/verify", params={"known_head": kept}).json()
    assert not answer["ok"] and "cut short" in answer["problem"]  # ...the kept head says not
    assert answer["known_head"] == {"seq": first["head_seq"], "hash": first["head"],
                                    "found": False, "problem": answer["problem"]}


@pytest.mark.parametrize("body", [
    b'{"id": "x", "name": "Acme", "data": {"q": NaN}}',
    b'{"id": "x", "name": "Acme", "data": {"q": -Infinity}}',
])
def test_non_finite_numbers_are_refused_not_a_500(api: Any, body: bytes) -> None:
    """Python's decoder reads NaN and Infinity; the audit record's canonical JSON cannot."""
    answer = api.post("/v1/screen", content=body, headers={"Content-Type": "application/json"})
    assert _refused(answer, 422)["field"] == "data.q"
