"""Service fixtures: tiny list files, API keys, and a real ``chipexport serve`` process.

The lists are three invented Entity List rows in the flat CSL CSV layout (version 1) and the
same rows with one entry modified (a new alias) and one added (version 2), so a list update
has a known diff. The server runs as a subprocess on a free loopback port with its own
CHIPEXPORT_HOME, exactly as an operator starts it.
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from chipexport.lists import read_path
from chipexport.store import Store
from chipexport.store.keys import create_key

HEADER = (
    "source,source_code,entity_number,type,programs,name,alt_names,address_countries,"
    "license_requirement,license_policy,federal_register_notice,source_list_url\n"
)
EL = "Entity List (EL) - Bureau of Industry and Security,EL"
ROWS_V1 = [
    f"{EL},9001,Entity,,Zhongke Quantum Microelectronics Co Ltd,Zhongke QM,CN,"
    "For all items subject to the EAR,Presumption of denial,89 FR 1001,",
    f"{EL},9002,Entity,,Borealis Photonics Research Institute,,RU,"
    "For all items subject to the EAR,Policy of denial,89 FR 1002,",
    f"{EL},9003,Entity,,Kestrel Avionics Trading LLC,,AE,"
    "For all items subject to the EAR,Case-by-case review,89 FR 1003,",
]
# 9001 modified (new alias and notice), 9004 added, 9002 and 9003 unchanged.
ROWS_V2 = [
    f"{EL},9001,Entity,,Zhongke Quantum Microelectronics Co Ltd,Zhongke QM; ZQM Shenzhen,CN,"
    "For all items subject to the EAR,Presumption of denial,89 FR 1001; 90 FR 2001,",
    ROWS_V1[1],
    ROWS_V1[2],
    f"{EL},9004,Entity,,Tidewater Lithography Systems Ltd,,HK,"
    "For all items subject to the EAR,Presumption of denial,90 FR 2002,",
]
PARTY = "Zhongke Quantum Microelectronics"


def write_list(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def list_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lists")
    return {
        "v1": write_list(root / "el_v1.csv", ROWS_V1),
        "v2": write_list(root / "el_v2.csv", ROWS_V2),
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_store(url: str, list_file: Path) -> dict[str, str]:
    """Load ``list_file`` and create one key per role; returns ``role -> token``."""
    with Store(url) as store:
        store.replace_lists(read_path(list_file, "csl-csv"))
        return {role: create_key(store.engine, f"{role}-key", role)[1] for role in
                ("viewer", "analyst", "admin")}


@dataclass
class Server:
    """A running ``chipexport serve`` subprocess."""

    process: subprocess.Popen[bytes]
    base: str
    env: dict[str, str]
    log: Path

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)

    def kill(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the CLI against this server's database."""
        return subprocess.run(
            [sys.executable, "-m", "chipexport", *args],
            env=self.env, capture_output=True, text=True, timeout=120,
        )


def start_server(home: Path, database_url: str | None, **extra_env: str) -> Server:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPEXPORT_")}
    env["CHIPEXPORT_HOME"] = str(home)
    env["CHIPEXPORT_LIST_RECHECK_S"] = "1"
    if database_url:
        env["CHIPEXPORT_DATABASE_URL"] = database_url
    env.update(extra_env)
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "chipexport", "serve", "--port", str(port),
             "--log-level", "warning"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", env, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"{server.base}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.kill(signal.SIGKILL)
    raise AssertionError(f"server not ready in 30 s: {log.read_text()}")


ServerFactory = Callable[..., Server]


@pytest.fixture()
def serve(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start servers on demand; every one is stopped after the test."""
    started: list[Server] = []

    def factory(database_url: str | None = None, **extra_env: str) -> Server:
        server = start_server(tmp_path / "home", database_url, **extra_env)
        started.append(server)
        return server

    yield factory
    for server in started:
        server.kill(signal.SIGKILL)


@dataclass(frozen=True)
class Kit:
    """The module's helpers as a fixture (test modules here are not an importable package)."""

    party: str = PARTY
    prepare_store: Callable[[str, Path], dict[str, str]] = prepare_store
    write_list: Callable[[Path, list[str]], Path] = write_list
    rows_v1: tuple[str, ...] = tuple(ROWS_V1)
    rows_v2: tuple[str, ...] = tuple(ROWS_V2)


@pytest.fixture(scope="session")
def kit() -> Kit:
    return Kit()


@pytest.fixture()
def list_site(list_files: dict[str, Path]) -> Iterator[str]:
    """A loopback HTTP server offering version 2 of the list, as trade.gov would."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(list_files["v2"].parent))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/{list_files['v2'].name}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The test's store on SQLite, and again on a real PostgreSQL (marker ``postgres``)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'home' / 'chipexport.db'}"
    url: str = request.getfixturevalue("pg_database")
    return url
