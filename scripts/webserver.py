"""A throwaway chipexport server for browser work: own data directory, bundled lists, keys.

Used by ``scripts.screenshots`` and ``bench.web_bench``; tests/web has its own copy in its
conftest (the test suite does not import from scripts/).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass
class WebServer:
    base: str
    tokens: dict[str, str]  # role -> token
    home: Path


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "chipexport", *args], env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"chipexport {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def web_server(names: dict[str, str] | None = None) -> Iterator[WebServer]:
    """Start ``chipexport serve`` on a free port with the bundled lists and one key per role."""
    names = names or {"viewer": "order-system", "analyst": "alice", "admin": "ops"}
    with tempfile.TemporaryDirectory(prefix="chipexport-web-") as tmp:
        home = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPEXPORT_")}
        env["CHIPEXPORT_HOME"] = str(home)
        _cli(env, "lists", "load")
        tokens = {role: _cli(env, "keys", "create", name, "--role", role).split()[0]
                  for role, name in names.items()}
        port = _free_port()
        log = (home / "server.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "chipexport", "serve", "--port", str(port),
             "--log-level", "warning"], env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {(home / 'server.log').read_text()}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).json().get("lists_loaded"):
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            yield WebServer(base, tokens, home)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
