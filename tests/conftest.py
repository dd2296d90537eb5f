"""Fixtures every test folder may use."""

from __future__ import annotations

import csv
import functools
import glob
import gzip
import io
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
BUNDLED = REPO / "src" / "chipexport" / "data" / "lists"
FLAT_COLUMNS = (
    "source", "source_code", "entity_number", "type", "programs", "name", "alt_names",
    "address_countries", "license_requirement", "license_policy", "federal_register_notice",
    "source_list_url",
)  # fmt: skip


def _flat_csl(compact: dict[str, Any]) -> str:
    """The compact CSL JSON expanded to the flat CSV layout, with nothing but json and csv: an
    oracle independent of the readers under test (interned indices looked up, lists joined)."""
    tables = compact["tables"]

    def look(table: str, index: int | None) -> str:
        return "" if index is None else str(tables[table][index])

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLAT_COLUMNS)
    for e in compact["entries"]:
        source = tables["sources"][e["s"]]
        code = re.search(r"\(([A-Z-]+)[ )]", source)
        writer.writerow([
            source, code.group(1) if code else "", e.get("e", ""), e.get("t", ""),
            look("programmes", e.get("pg")), e["n"], "; ".join(e.get("a", [])),
            ";".join(e.get("c", [])), look("licenceRequirements", e.get("lr")),
            look("licencePolicies", e.get("lp")), e.get("fr", ""), look("urls", e.get("u")),
        ])  # fmt: skip
    return out.getvalue()


@pytest.fixture(scope="session")
def list_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real list files laid out by origin, as tests/fixtures/README.md describes them.

    Made once per session in a temporary folder: the gzip files of tests/fixtures/data are
    unpacked, the hand-written ones copied, the two lists the package bundles (the 2026 CSL and
    the UN list) unpacked from src/chipexport/data/lists, and the flat CSL CSV written from the
    bundled CSL JSON.
    """
    root = tmp_path_factory.mktemp("list-data")
    source = FIXTURES / "data"
    for path in source.rglob("*"):
        if path.is_file():
            rel = path.relative_to(source)
            target = root / (rel.with_suffix("") if path.suffix == ".gz" else rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = path.read_bytes()
            target.write_bytes(gzip.decompress(data) if path.suffix == ".gz" else data)
    compact = gzip.decompress((BUNDLED / "csl_compact_2026-07-31.json.gz").read_bytes())
    (root / "us_csl").mkdir(exist_ok=True)
    (root / "us_csl" / "csl_compact_2026-07-31.json").write_bytes(compact)
    flat = _flat_csl(json.loads(compact))
    (root / "us_csl" / "csl_flat_2026-07-31.csv").write_text(flat, encoding="utf-8")
    (root / "un_sc").mkdir(exist_ok=True)
    (root / "un_sc" / "UN_consolidated_2026-02.xml").write_bytes(
        gzip.decompress((BUNDLED / "un_consolidated_2026-02.xml.gz").read_bytes())
    )
    return root


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
