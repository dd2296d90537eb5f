"""A list change is never live without its audit record and its re-screen, whatever is killed.

A fault-injection hook (``CHIPEXPORT_FAULT``) ends the process with ``os._exit`` at an exact
point, as SIGKILL would, instead of racing a timer:

- ``before-commit``: inside the load's transaction, after the swap and its record. Nothing is
  live: the old lists stay active, no record, no re-screen owed; the same load run again does
  everything.
- ``after-swap``: right after the commit, before any party is re-screened (the old gap, where
  the attack run found the new entries live without record or re-screen). The change, its
  ``list_change`` record and the owed re-screen are there; the next command finishes it.
- ``mid-rescreen``: after the first party's ``rescreen`` record. The rest is finished later,
  and no party is re-screened twice.

On SQLite and on a real PostgreSQL, through the CLI (``lists load``) and the API
(``POST /v1/lists/update``, finished by the next ``serve``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.slow

# Parties screened before the change: the first matches entry 9001 (modified in v2), the
# second only entry 9004 (added in v2), the rest nothing.
NEW_MATCH = "Tidewater Lithography Systems"
PARTIES = ["Zhongke Quantum Microelectronics", NEW_MATCH, "Quiet Meadow Bakery",
           "Harbour Light Textiles", "Juniper Ridge Orchards"]




def _query(url: str, sql: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def _state(url: str) -> dict[str, Any]:
    """What the database holds: records by kind, the active EL version, owed re-screens."""
    kinds = dict(_query(url, "SELECT kind, count(*) FROM audit_records GROUP BY kind"))
    active = _query(url, "SELECT entry_count FROM list_versions WHERE source = 'EL' AND active")
    owed = _query(url, "SELECT parties_done FROM pending_rescreens WHERE finished_at IS NULL")
    rescreened = _query(url, "SELECT subject FROM audit_records WHERE kind = 'rescreen'")
    return {"list_change": kinds.get("list_change", 0), "el": active[0][0], "owed": len(owed),
            "rescreened": sorted(r[0] for r in rescreened),
            "cases": {r[0]: r[1] for r in _query(
                url, "SELECT p.name, c.entry_id FROM cases c JOIN parties p "
                     "ON p.id = c.party_id WHERE c.entry_id = 'EL-9004'")}}


def _cli(
    env: dict[str, str], *args: str, fault: str | None = None
) -> subprocess.CompletedProcess[str]:
    run_env = {**env, **({"CHIPEXPORT_FAULT": fault} if fault else {})}
    return subprocess.run([sys.executable, "-m", "chipexport", *args], env=run_env,
                          capture_output=True, text=True, timeout=300)


def _screened_before(serve: Any, kit: Any, list_files: dict[str, Path], url: str) -> Any:
    keys = kit.prepare_store(url, list_files["v1"])
    server = serve(url)
    with server.client(keys["viewer"]) as client:
        answer = client.post("/v1/screen", json=[{"id": f"p{i}", "name": n, "country": "CN"}
                                                 for i, n in enumerate(PARTIES)])
        assert answer.status_code == 200, answer.text
    server.kill()
    return server, keys


def _assert_complete(url: str, v2: int) -> None:
    """The change is live with its one record, nothing is owed, and the party that matches
    only the added entry was re-screened once and has its case."""
    state = _state(url)
    assert state["el"] == v2 and state["list_change"] == 1 and state["owed"] == 0
    assert NEW_MATCH in state["cases"]
    assert len(state["rescreened"]) == len(set(state["rescreened"])) == 2  # 9001's and 9004's


def _version(path: Path) -> int:
    """The list file's entry count: v1 has 3 entries, v2 4 (their version strings are equal)."""
    from chipexport.lists import read_path

    return len(read_path(path, "csl-csv")[0].entries)


def test_cli_killed_before_commit_changes_nothing_and_a_rerun_does_everything(
    serve: Any, kit: Any, list_files: dict[str, Path], database_url: str
) -> None:
    server, _ = _screened_before(serve, kit, list_files, database_url)
    load = ("lists", "load", "--source", f"csl-csv={list_files['v2']}")
    assert _cli(server.env, *load, fault="before-commit").returncode == 99
    state = _state(database_url)
    assert (state["el"], state["list_change"], state["owed"]) == (_version(list_files["v1"]), 0, 0)
    done = _cli(server.env, *load)
    assert done.returncode == 0 and "loaded" in done.stdout, done.stderr
    _assert_complete(database_url, _version(list_files["v2"]))


@pytest.mark.parametrize("fault", ["after-swap", "mid-rescreen"])
def test_cli_killed_after_the_swap_leaves_record_and_owed_rescreen_finished_next_time(
    serve: Any, kit: Any, list_files: dict[str, Path], database_url: str, fault: str
) -> None:
    server, _ = _screened_before(serve, kit, list_files, database_url)
    load = ("lists", "load", "--source", f"csl-csv={list_files['v2']}")
    assert _cli(server.env, *load, fault=fault).returncode == 99
    state = _state(database_url)
    assert state["el"] == _version(list_files["v2"])  # live, and never without its record:
    assert state["list_change"] == 1 and state["owed"] == 1
    assert len(state["rescreened"]) == (0 if fault == "after-swap" else 1)

    status = _cli(server.env, "lists", "status")  # shows the owed work, then finishes it
    assert status.returncode == 0 and "pending: the re-screen after list change" in status.stderr
    _assert_complete(database_url, _version(list_files["v2"]))
    again = _cli(server.env, *load)  # the same update again: unchanged, nothing left undone
    assert again.returncode == 0 and "unchanged" in again.stdout
    _assert_complete(database_url, _version(list_files["v2"]))
    assert _cli(server.env, "audit", "verify").returncode == 0


def test_api_update_killed_after_the_swap_is_finished_by_the_next_serve(
    serve: Any, kit: Any, list_files: dict[str, Path], database_url: str, list_site: str
) -> None:
    _, keys = _screened_before(serve, kit, list_files, database_url)
    doomed = serve(database_url, CHIPEXPORT_FAULT="after-swap")
    with pytest.raises(httpx.HTTPError), doomed.client(keys["admin"]) as client:
        # force: a CSL with the Entity List only would be refused as missing sources
        answer = client.post("/v1/lists/update", json={"url": list_site, "force": True})
        pytest.fail(f"the server answered: {answer.status_code} {answer.text[:300]}")
    doomed.process.wait(timeout=30)
    assert _state(database_url)["owed"] == 1

    restarted = serve(database_url)  # finishes the owed re-screen beside the requests
    with restarted.client(keys["viewer"]) as client:
        deadline = time.monotonic() + 60
        while client.get("/v1/lists").json()["pending_rescreens"]:
            assert time.monotonic() < deadline, "the owed re-screen was never finished"
            time.sleep(0.2)
    _assert_complete(database_url, _version(list_files["v2"]))
    assert os.environ.get("CHIPEXPORT_FAULT") is None  # the hook never leaks into the suite
