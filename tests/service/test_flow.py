"""Issue #5 acceptance: the whole review flow over HTTP against a real server process.

screen -> case opened -> analyst disposes (false positive) -> a re-screen respects it -> a list
update modifies the entry -> the case re-opens -> the audit chain verifies, and stops verifying
once a row is altered by hand. Run on SQLite and on a real PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text


def _one_match(row: dict[str, Any]) -> dict[str, Any]:
    assert [m["entity_id"] for m in row["matches"]] == ["EL-9001"], row
    match: dict[str, Any] = row["matches"][0]
    return match


@pytest.mark.slow
def test_review_flow_end_to_end(
    serve: Any, kit: Any, list_files: dict[str, Path], list_site: str, database_url: str
) -> None:
    keys = kit.prepare_store(database_url, list_files["v1"])
    server = serve(database_url)
    viewer, analyst, admin = (server.client(keys[r]) for r in ("viewer", "analyst", "admin"))
    order = {"id": "order-1", "name": kit.party, "country": "CN"}

    # 1. A possible match opens a case.
    first = viewer.post("/v1/screen", json=order).json()
    case = _one_match(first)["case"]
    assert case["status"] == "open"
    inbox = viewer.get("/v1/cases", params={"status": "open"}).json()["cases"]
    assert [c["id"] for c in inbox] == [case["id"]]
    assert inbox[0]["party"]["name"] == kit.party

    # 2. Only an analyst may dispose; the false positive is recorded with reason and evidence.
    decision = {"decision": "false_positive", "reason": "different company: Hefei registry",
                "evidence": ["registry:91340100MA2"]}
    assert viewer.post(f"/v1/cases/{case['id']}/disposition", json=decision).status_code == 403
    disposed = analyst.post(f"/v1/cases/{case['id']}/disposition", json=decision)
    assert disposed.status_code == 200, disposed.text
    assert disposed.json()["status"] == "false_positive"
    assert disposed.json()["decided_by"] == "analyst-key"

    # 3. Screening the party again respects the decision: cleared, no new case.
    again = viewer.post("/v1/screen", json={**order, "id": "order-2"}).json()
    assert again["matches"] == []
    assert [(m["entity_id"], m["case"]["id"]) for m in again["cleared_matches"]] == [
        ("EL-9001", case["id"])
    ]
    assert len(viewer.get("/v1/cases").json()["cases"]) == 1

    # 4. A list update that modifies the entry re-opens the case; the diff is reported.
    assert analyst.post("/v1/lists/update", json={"url": list_site}).status_code == 403
    refused = admin.post("/v1/lists/update", json={"url": list_site})  # 4 entries: implausible
    assert refused.status_code == 409 and "force" in refused.json()["error"]["message"]
    assert viewer.post("/v1/screen", json=order).json()["matches"] == []  # lists untouched
    updated = admin.post("/v1/lists/update", json={"url": list_site, "force": True})
    assert updated.status_code == 200, updated.text
    report = updated.json()
    (el,) = [c for c in report["lists"] if c["source"] == "EL"]
    assert (el["added"], el["removed"], el["modified"]) == (1, 0, 1)
    assert el["modified_ids"] == ["EL-9001"] and el["added_ids"] == ["EL-9004"]
    assert report["cases_reopened"] == [case["id"]]
    reopened = viewer.get(f"/v1/cases/{case['id']}").json()
    assert reopened["status"] == "open"
    kinds = [e["kind"] for e in reopened["events"]]
    assert kinds == ["case_opened", "disposition", "case_reopened"]

    # 5. The next screen reports the match again, with the re-opened case.
    third = viewer.post("/v1/screen", json={**order, "id": "order-3"}).json()
    assert _one_match(third)["case"] == {"id": case["id"], "status": "open"}

    # 6. Every screen is in the history, with who asked and against which list versions.
    history = viewer.get("/v1/history", params={"kind": "screen"}).json()["records"]
    assert [r["ref"] for r in history] == ["order-1", "order-2", "order-1", "order-3"]
    assert {r["actor"] for r in history} == {"viewer-key"}
    assert history[0]["body"]["lists"]["EL"]["id"] != history[3]["body"]["lists"]["EL"]["id"]

    # 7. The chain verifies; after one row is altered by hand it does not, naming the row.
    ok = server.cli("audit", "verify")
    assert ok.returncode == 0, ok.stderr
    count = len(viewer.get("/v1/history", params={"limit": 1000}).json()["records"])
    assert f"{count} records" in ok.stdout
    (disposition,) = viewer.get("/v1/history", params={"kind": "disposition"}).json()["records"]
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_records SET body = replace(body, 'Hefei', 'Wuhan') WHERE seq = :s"),
            {"s": disposition["seq"]},
        )
    engine.dispose()
    broken = server.cli("audit", "verify")
    assert broken.returncode == 1
    assert f"broken at record {disposition['seq']}" in broken.stderr
    assert viewer.get("/v1/audit/verify").json()["broken_seq"] == disposition["seq"]


@pytest.mark.slow
def test_concurrent_clients_share_one_chain(
    serve: Any, kit: Any, list_files: dict[str, Path], database_url: str
) -> None:
    """8 clients screening at once: every request answered, one unbroken chain, one case."""
    from concurrent.futures import ThreadPoolExecutor

    keys = kit.prepare_store(database_url, list_files["v1"])
    server = serve(database_url)

    def client(n: int) -> list[int]:
        with server.client(keys["viewer"]) as http:
            rows = [http.post("/v1/screen", json={"id": f"{n}-{i}", "name": kit.party}).json()
                    for i in range(12)]
        return [row["audit"]["seq"] for row in rows]

    with ThreadPoolExecutor(8) as pool:
        seqs = [s for chunk in pool.map(client, range(8)) for s in chunk]
    assert len(set(seqs)) == 96
    cases = server.client(keys["viewer"]).get("/v1/cases").json()["cases"]
    assert len(cases) == 1  # the same party-entry pair opened one case, not eight
    verified = server.client(keys["viewer"]).get("/v1/audit/verify").json()
    assert verified["ok"] and verified["records"] == 96 + 1 + 3  # + case_opened + 3 keys
