"""Bounded work per request: items, parties, owners (nested too) and names per transaction and
per request, a cost budget per key (429 + Retry-After), and a server that stays responsive
while an over-limit request is refused (the attack run's 30,000-item check took 103 s)."""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chipexport.config import database_url
from chipexport.service import create_app, limits
from chipexport.service.errors import ApiError
from chipexport.service.limits import CostBudget
from chipexport.service.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SETTINGS = Settings(max_body_bytes=4 << 20, max_batch=50, good_guy_days=30, list_recheck_s=1,
                    list_url=None, key_cost_per_s=1, key_cost_burst=limits.MAX_REQUEST_NAMES)
ITEM = {"product": "NVIDIA H100 SXM5 80GB"}


def _txn(**extra: Any) -> dict[str, Any]:
    return {"id": "t", "date": "2024-06-01", "export_from": "US", "destination": "CN",
            "items": [ITEM]} | extra


def _chain(depth: int) -> dict[str, Any]:
    owner: dict[str, Any] = {"name": f"Holding {depth}", "percent": 100}
    for level in range(depth - 1, 0, -1):
        owner = {"name": f"Holding {level}", "percent": 100, "owners": [owner]}
    return owner


@pytest.fixture()
def api(chipexport_home: Path, kit: Any, list_files: dict[str, Path]) -> Iterator[Any]:
    keys = kit.prepare_store(database_url(), list_files["v1"])
    with TestClient(create_app(SETTINGS)) as client:
        client.keys = keys  # type: ignore[attr-defined]
        yield client


def _post(api: Any, body: Any, role: str = "viewer", path: str = "/v1/check") -> Any:
    return api.post(path, json=body, headers={"X-API-Key": api.keys[role]})


@pytest.mark.parametrize(("body", "status", "field", "words"), [
    (_txn(items=[ITEM] * 30_000), 413, "items", "30000 items in one transaction (limit 100)"),
    (_txn(parties=[{"role": "end_user", "name": f"P {i}"} for i in range(12_000)]), 413,
     "parties", "(limit 50)"),
    (_txn(parties=[{"role": "end_user", "name": "P", "owners": [_chain(12)]}]), 413,
     "parties[0].owners[0]" + ".owners[0]" * 10, "levels of owners (limit 10)"),
    (_txn(parties=[{"role": "end_user", "name": "P", "owners": [
        {"name": f"O {i}", "percent": 0.5} for i in range(150)]}]), 413, "parties[0].owners",
     "(limit 100)"),
    (_txn(parties=[{"role": "end_user", "name": "N" * 1001}]), 422, "parties[0].name",
     "1001 characters (limit 1000)"),
    (_txn(parties=[{"role": "end_user", "name": "P",
                    "owners": [_chain(2) | {"name": "N" * 2000}]}]),
     422, "parties[0].owners[0].name", "(limit 1000)"),
    ([_txn(id=f"t{i}", items=[ITEM] * 100) for i in range(21)], 413, "(body)",
     "2100 items in one request (limit 2000)"),
])
def test_over_limit_checks_are_refused_naming_the_limit(
    api: Any, body: Any, status: int, field: str, words: str
) -> None:
    answer = _post(api, body)
    assert answer.status_code == status, answer.text[:300]
    error = answer.json()["error"]
    assert error["field"] == field and words in error["message"]


def test_within_the_limits_a_deep_ownership_chain_is_determined(api: Any) -> None:
    body = _txn(parties=[{"role": "end_user", "name": "Quiet Meadow Bakery", "country": "CN",
                          "owners": [_chain(limits.MAX_OWNER_DEPTH)]}])
    answer = _post(api, body)
    assert answer.status_code == 200, answer.text[:300]


def test_a_key_over_its_cost_budget_gets_429_with_retry_after_and_others_do_not(
    api: Any,
) -> None:
    rows = [{"id": f"r{i}", "name": f"Quiet Meadow Bakery {i}"} for i in range(50)]
    spent = 0
    while spent + len(rows) <= limits.MAX_REQUEST_NAMES:  # the whole burst, 50 names a time
        assert _post(api, rows, path="/v1/screen").status_code == 200
        spent += len(rows)
    refused = _post(api, rows, path="/v1/screen")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "cost budget" in refused.json()["error"]["message"]
    assert _post(api, rows[:1], role="analyst", path="/v1/screen").status_code == 200


def test_the_budget_refills_and_a_request_larger_than_the_burst_is_413() -> None:
    budget = CostBudget(per_second=1000, burst=10)
    budget.spend("k", 10)
    with pytest.raises(ApiError) as refused:
        budget.spend("k", 5)
    assert refused.value.status == 429
    time.sleep(0.02)  # 20 units back at 1000/s (capped at 10)
    budget.spend("k", 10)
    with pytest.raises(ApiError) as too_big:
        budget.spend("other", 11)
    assert too_big.value.status == 413


@pytest.mark.slow
def test_the_server_stays_responsive_while_over_limit_requests_are_refused(
    serve: Any, kit: Any, list_files: dict[str, Path], chipexport_home: Path
) -> None:
    keys = kit.prepare_store(database_url(), list_files["v1"])
    server = serve(None, CHIPEXPORT_MAX_BODY_BYTES=str(4 << 20))
    attack = _txn(items=[ITEM] * 30_000)
    refused: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        with server.client(keys["viewer"]) as client:
            while not stop.is_set():
                refused.append(client.post("/v1/check", json=attack, timeout=60).status_code)

    attackers = [threading.Thread(target=hammer, daemon=True) for _ in range(2)]
    for thread in attackers:
        thread.start()
    slowest = 0.0
    try:
        with server.client(keys["analyst"]) as client:
            for i in range(20):
                started = time.monotonic()
                answer = client.post("/v1/screen", json={"id": f"ok{i}", "name": kit.party})
                slowest = max(slowest, time.monotonic() - started)
                assert answer.status_code == 200
    finally:
        stop.set()
        for thread in attackers:
            thread.join(timeout=60)
    assert refused and set(refused) == {413}
    assert slowest < 5.0, f"a normal screen took {slowest:.1f} s beside the refused requests"
    with httpx.Client(base_url=server.base, timeout=10) as plain:
        assert plain.get("/healthz").status_code == 200
