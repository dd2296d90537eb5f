"""Load test of the REST service: requests/s and latency for /v1/screen and /v1/check.

A real ``chipexport serve`` process on a free loopback port, the bundled lists loaded into a
throwaway SQLite store, 8 client threads with keep-alive connections, each phase bounded by
time (``CHIPEXPORT_BENCH_SECONDS``, default 10 s) after a short warm-up. Every request is a
full production request: key lookup, screening or determination, case review and an audited,
committed record. Run: ``.venv/bin/python -m bench service_bench``.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
WARMUP_S = 1.0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _orders() -> list[dict[str, Any]]:
    with (ROOT / "examples" / "orders.csv").open(newline="", encoding="utf-8") as fh:
        return [{"id": r["id"], "name": r["name"], "country": r["country"] or None}
                for r in csv.DictReader(fh)]


def _transactions() -> list[dict[str, Any]]:
    lines = (ROOT / "examples" / "transactions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _phase(base: str, token: str, path: str, bodies: list[Any], seconds: float) -> dict[str, Any]:
    """CLIENTS threads posting ``bodies`` round-robin to ``path`` for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    errors = [0] * CLIENTS
    start_at = time.perf_counter() + WARMUP_S
    stop_at = start_at + seconds

    def client(n: int) -> None:
        cycle = itertools.cycle(bodies[n % len(bodies):] + bodies[: n % len(bodies)])
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            while (now := time.perf_counter()) < stop_at:
                response = http.post(path, json=next(cycle))
                took = time.perf_counter() - now
                if now >= start_at:
                    latencies[n].append(took)
                    errors[n] += response.status_code != 200

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = sorted(x for per in latencies for x in per)
    q = statistics.quantiles(flat, n=100, method="inclusive")
    return {
        "requests": len(flat),
        "rps": len(flat) / seconds,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
        "errors": sum(errors),
    }


def _server(home: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPEXPORT_")}
    env["CHIPEXPORT_HOME"] = str(home)
    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "chipexport", "serve", "--port", str(port), "--log-level",
         "warning"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 120:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).json().get("lists_loaded"):
                return proc, base, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not become ready in 120 s")


def run() -> str:
    from chipexport.lists import bundled_snapshots
    from chipexport.store import Store
    from chipexport.store.audit import verify
    from chipexport.store.keys import create_key

    seconds = float(os.environ.get("CHIPEXPORT_BENCH_SECONDS", "10"))
    home = Path(tempfile.mkdtemp(prefix="chipexport-service-bench-"))
    url = f"sqlite:///{home / 'chipexport.db'}"
    try:
        with Store(url) as store:
            store.replace_lists(bundled_snapshots())
            entries = sum(v.entry_count for v in store.list_status())
            _key, token = create_key(store.engine, "bench", "viewer")
        proc, base, ready_s = _server(home)
        try:
            orders = _orders()
            phases: list[tuple[str, str, list[Any]]] = [
                ("POST /v1/screen, 1 party", "/v1/screen", orders),
                ("POST /v1/check, 1 transaction", "/v1/check", _transactions()),
                ("POST /v1/screen, batch of 16 parties", "/v1/screen", [orders]),
            ]
            results = [(label, _phase(base, token, path, bodies, seconds))
                       for label, path, bodies in phases]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        with Store(url) as store:
            chain = verify(store.engine)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return _markdown(results, seconds, entries, ready_s, chain.count, chain.ok)


def _markdown(
    results: list[tuple[str, dict[str, Any]]], seconds: float, entries: int, ready_s: float,
    records: int, chain_ok: bool,
) -> str:
    rows = "\n".join(
        f"| {label} | {r['requests']:,} | **{r['rps']:,.0f}** | {r['p50_ms']:.1f} | "
        f"**{r['p99_ms']:.1f}** | {r['errors']} |"
        for label, r in results
    )
    return f"""## Service (REST API under load)

Command: `.venv/bin/python -m bench service_bench`. A real `chipexport serve` process (one
uvicorn worker) on loopback, SQLite store in a temp dir with the bundled lists ({entries:,}
entries), {CLIENTS} concurrent clients with keep-alive, {seconds:g} s per phase after
{WARMUP_S:g} s warm-up, {os.cpu_count()} CPUs shared by server and clients. Each request is
authenticated, answered, reviewed against cases and committed as an audit record before the
response; inputs are `examples/orders.csv` and `examples/transactions.jsonl` round-robin (so
listed parties open and find cases). Server start to ready (index from cache or built):
{ready_s:.1f} s. Afterwards the chain held {records:,} records and verified: {chain_ok}.

| endpoint | requests | req/s | p50 ms | p99 ms | non-200 |
|---|---|---|---|---|---|
{rows}
"""


if __name__ == "__main__":
    print(run())
