"""Fixtures every test folder may use."""

from __future__ import annotations

import functools
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# ../shared beside the repository; the Makefile sets CHIPEXPORT_SHARED for clones made elsewhere.
SHARED = Path(os.environ.get("CHIPEXPORT_SHARED") or REPO.parent / "shared")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real public lists, read in place (CC BY-NC files are never copied)."""
    path = SHARED / "data"
    assert path.is_dir(), (
        f"{path} missing: tests expect ../shared beside the repository (or CHIPEXPORT_SHARED)"
    )
    return path


@pytest.fixture()
def chipexport_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty CHIPEXPORT_HOME and default (SQLite) database for one test."""
    monkeypatch.setenv("CHIPEXPORT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHIPEXPORT_DATABASE_URL", raising=False)
    return tmp_path / "home"


# -- PostgreSQL: a throwaway cluster per test session ----------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin(tool: str) -> Path:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    if not found:
        pytest.fail(
            f"PostgreSQL {tool} not found under /usr/lib/postgresql/*/bin: install it with "
            "scripts/install-system-deps.sh (run by `make test`), "
            "or deselect these tests with -m 'not postgres'",
            pytrace=False,
        )
    return Path(found[-1])


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A ``postgresql+psycopg://`` URL to a real server started for this test session.

    initdb's a cluster in a temp dir, starts it on a free loopback port (no TCP exposure beyond
    127.0.0.1, socket in the temp dir, fsync off for speed) and removes it afterwards. PostgreSQL
    refuses to run as root, so as root the server runs as the ``postgres`` OS user (and the
    cluster lives in its own mkdtemp dir, since pytest's tmp dirs are closed to other users).
    """
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    base = Path(tempfile.mkdtemp(prefix="chipexport-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        os.chmod(base, 0o700)
    port = _free_port()
    run = functools.partial(subprocess.run, check=True, capture_output=True, text=True)
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sock}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    log = base / "server.log"
    init_options = ["-U", "postgres", "-A", "trust", "-E", "UTF8"]
    try:
        run([*as_user, str(initdb), "-D", str(data), *init_options])
        run([*as_user, str(pg_ctl), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"])
    except subprocess.CalledProcessError as exc:
        detail = log.read_text() if log.exists() else exc.stderr
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.cmd[-1]}: {detail}", pytrace=False)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture()
def pg_database(pg_url: str) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped after the test."""
    import psycopg  # only tests that ask for PostgreSQL need the driver

    name = f"t_{uuid.uuid4().hex[:12]}"
    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
