"""A server killed with SIGKILL in the middle of a batch loses no stored record.

Each request's records are committed together, so after the kill every batch the database held
while the batches ran is still there, whole (every item, each with its input and output), the
batch in flight left nothing, the chain verifies, and a restarted server extends the chain.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text


def _screens(url: str) -> int:
    engine = create_engine(url)
    try:
        query = text("SELECT count(*) FROM audit_records WHERE kind = 'screen'")
        with engine.connect() as conn:
            return int(conn.execute(query).scalar_one())
    finally:
        engine.dispose()




BATCH = 500


@pytest.mark.slow
def test_sigkill_mid_batch_loses_nothing(
    serve: Any, kit: Any, list_files: dict[str, Path], database_url: str
) -> None:
    url = database_url
    keys = kit.prepare_store(url, list_files["v1"])
    server = serve(url, CHIPEXPORT_MAX_BATCH="5000", CHIPEXPORT_MAX_BODY_BYTES=str(4 << 20))
    sent: list[int] = []  # batches handed to the server, answered or not

    def send() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server dies under it: expected
            client = server.client(keys["viewer"])
            for b in range(100):
                batch = [{"id": f"b{b}-{i}", "name": f"{kit.party} {i}", "country": "CN"}
                         for i in range(BATCH)]
                sent.append(b)
                client.post("/v1/screen", json=batch, timeout=120)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    deadline = time.monotonic() + 90
    while (seen := _screens(url)) < 2 * BATCH:
        assert time.monotonic() < deadline, "the batches never started storing"
        time.sleep(0.02)
    while len(sent) * BATCH <= _screens(url):  # the next batch is on its way, not stored yet
        assert time.monotonic() < deadline, "no batch after the first ones"
        time.sleep(0.005)
    time.sleep(0.05)  # the server is screening it (500 names take well over 0.05 s)
    server.kill(signal.SIGKILL)
    sender.join(timeout=30)
    assert server.process.returncode == -signal.SIGKILL

    stored = _screens(url)
    assert seen <= stored and stored % BATCH == 0  # nothing seen is gone; no batch in part
    assert stored < len(sent) * BATCH  # the batch in flight at the kill left nothing
    verify = server.cli("audit", "verify")
    assert verify.returncode == 0, verify.stderr
    history = server.cli("audit", "show", "--kind", "screen", "--limit", "100000")
    records = [json.loads(line) for line in history.stdout.splitlines()]
    expected = [f"b{b}-{i}" for b in range(stored // BATCH) for i in range(BATCH)]
    assert [r["ref"] for r in records] == expected  # whole batches, in order, no gap
    for r in records:  # each record whole: its input, its output, what produced it
        assert r["body"]["input"]["id"] == r["body"]["output"]["id"] == r["ref"]
        assert isinstance(r["body"]["output"]["matches"], list)
        assert r["body"]["lists"]["EL"]["id"] and r["body"]["engine"]["screening"]
        assert r["body"]["batch"]["size"] == BATCH

    restarted = serve(url)
    row = restarted.client(keys["viewer"]).post(
        "/v1/screen", json={"id": "after", "name": kit.party, "country": "CN"}
    ).json()
    assert row["audit"]["seq"] > records[-1]["seq"]
    assert restarted.cli("audit", "verify").returncode == 0
