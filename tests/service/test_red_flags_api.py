"""Red-flag resolutions and stored ownership through the API: ``POST /v1/red-flags/resolve``
records a resolution (analyst role, audit trail) that the next ``/v1/check`` of the same
transaction id carries into the determination; ownership loaded into the store reaches the
headquarters rule."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chipexport.config import database_url
from chipexport.lists.ownership import read_ownership
from chipexport.service import create_app
from chipexport.service.settings import Settings
from chipexport.store import Store
from chipexport.store.ownership import load_ownership

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ownership_small.csv"
SETTINGS = Settings(max_body_bytes=50_000, max_batch=5, good_guy_days=30, list_recheck_s=1,
                    list_url=None)
TXN = {"id": "rf-1", "date": "2024-06-01", "export_from": "US", "destination": "DE",
       "payment_terms": "cash", "items": [{"product": "NVIDIA H100 SXM5 80GB"}],
       "parties": [{"role": "end_user", "name": "Rhein Daten GmbH", "country": "DE"}]}


@pytest.fixture()
def client(chipexport_home: Path, kit: Any, list_files: dict[str, Path]
           ) -> Iterator[tuple[TestClient, dict[str, str]]]:
    keys = kit.prepare_store(database_url(), list_files["v1"])
    with TestClient(create_app(SETTINGS)) as c:
        yield c, keys


def _post(c: TestClient, key: str, path: str, body: Any) -> Any:
    return c.post(path, json=body, headers={"X-API-Key": key})


def test_resolution_is_audited_and_carried_into_check(
        client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    assert _post(c, keys["analyst"], "/v1/check", TXN).json()["outcome"] == "REVIEW"
    refused = _post(c, keys["viewer"], "/v1/red-flags/resolve",
                    {"transaction": "rf-1", "code": "cash_payment", "by": "x", "reason": "ok!"})
    assert refused.status_code == 403
    bad = _post(c, keys["analyst"], "/v1/red-flags/resolve",
                {"transaction": "rf-1", "code": "cash_paymnt", "by": "x", "reason": "ok!"})
    assert bad.status_code == 422 and "cash_payment" in bad.text
    done = _post(c, keys["analyst"], "/v1/red-flags/resolve",
                 {"transaction": "rf-1", "code": "cash_payment", "by": "a.officer",
                  "reason": "prepaid by wire from the buyer's account", "evidence": "MT103"})
    assert done.status_code == 200 and done.json()["audit"]["seq"] > 0
    stored = c.get("/v1/red-flags/rf-1", headers={"X-API-Key": keys["viewer"]}).json()
    assert [r["by"] for r in stored["resolutions"]] == ["a.officer"]
    after = _post(c, keys["analyst"], "/v1/check", TXN).json()
    assert after["outcome"] == "NLR"
    assert any("resolved by a.officer" in w for w in after["warnings"])


def test_stored_ownership_reaches_the_hq_rule(
        client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    txn = {"id": "own-api", "date": "2024-06-01", "export_from": "US", "destination": "SG",
           "items": [{"product": "NVIDIA H100 SXM5 80GB"}],
           "parties": [{"role": "end_user", "name": "Merlion AI Pte Ltd", "country": "SG"}]}
    assert _post(c, keys["analyst"], "/v1/check", txn).json()["outcome"] == "NLR"
    with Store() as store:
        load_ownership(store.engine, read_ownership(FIXTURE), "fixture", str(FIXTURE), "test")
    out = _post(c, keys["analyst"], "/v1/check", {**txn, "id": "own-api-2"}).json()
    assert out["outcome"] == "LICENSE_REQUIRED"
    assert any("744.23(a)(3)" in r["rule"] and "Shenzhen Dragon" in r["summary"]
               for r in out["jurisdictions"]["US"]["reasons"])


def test_screen_shows_stored_owners(client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    body = {"id": "s1", "name": "Merlion AI Pte Ltd", "country": "SG"}
    assert "owners" not in _post(c, keys["viewer"], "/v1/screen", body).json()
    with Store() as store:
        load_ownership(store.engine, read_ownership(FIXTURE), "fixture", str(FIXTURE), "test")
    row = _post(c, keys["viewer"], "/v1/screen", body).json()
    assert [(o["name"], o["percent"], o["country"]) for o in row["owners"]] == [
        ("Shenzhen Dragon Investment Group", 100.0, "CN")]
