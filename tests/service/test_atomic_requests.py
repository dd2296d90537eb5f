"""One request, one unit: ids that cannot be stored are refused up front, and a request whose
records cannot all be stored leaves none of them, on SQLite and on a real PostgreSQL.

PostgreSQL holds the audit record's ``subject`` (``transaction:ID``) and ``ref`` to 255
characters where SQLite stores anything, so a check id of 300 characters used to be a 500 on
PostgreSQL only, after the batch's first transactions were already committed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from chipexport.model import transaction
from chipexport.service import check_input, create_app
from chipexport.service.settings import Settings
from chipexport.store import Store, audit

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

LIMITS = Settings(max_body_bytes=200_000, max_batch=5, good_guy_days=30, list_recheck_s=1,
                  list_url=None)
LISTED = "Kestrel Avionics Trading LLC"  # EL-9003 in the test list: opens a case


def _txn(tid: str) -> dict[str, Any]:
    return {"id": tid, "date": "2024-06-01", "export_from": "US", "destination": "AE",
            "items": [{"eccn": "EAR99"}],
            "parties": [{"role": "end_user", "name": LISTED, "country": "AE"}]}


class Client:
    def __init__(self, client: TestClient, token: str, url: str) -> None:
        self.client, self.token, self.url = client, token, url

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, json=body, headers={"X-API-Key": self.token})

    def stored(self) -> tuple[int, int, int]:
        """(audit records, cases, parties) in the database."""
        with Store(self.url) as store, store.engine.connect() as conn:
            counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in ("audit_records", "cases", "parties")]
        return counts[0], counts[1], counts[2]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, chipexport_home: Path, monkeypatch: pytest.MonkeyPatch,
            kit: Any, list_files: dict[str, Path]) -> Iterator[Client]:
    url = f"sqlite:///{chipexport_home / 'chipexport.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_database")
    chipexport_home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("CHIPEXPORT_DATABASE_URL", url)
    keys = kit.prepare_store(url, list_files["v1"])
    with TestClient(create_app(LIMITS), raise_server_exceptions=False) as client:
        yield Client(client, keys["viewer"], url)


def _error(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body: dict[str, Any] = response.json()["error"]
    return body


def test_an_id_too_long_to_store_is_a_422_naming_it(backend: Client) -> None:
    before = backend.stored()
    long_id = "i" * (check_input.MAX_ID_CHARS + 1)
    single = _error(backend.post("/v1/check", _txn(long_id)))
    assert single["field"] == "id" and str(check_input.MAX_ID_CHARS) in single["message"]
    batch = _error(backend.post("/v1/check", [_txn("fine-1"), _txn("i" * 300)]))
    assert batch["field"] == "[1].id"
    assert _error(backend.post("/v1/check", {**_txn("x"), "id": {"no": 1}}))["field"] == "id"
    screen = _error(backend.post("/v1/screen", [{"id": "ok", "name": LISTED},
                                                {"id": "s" * 256, "name": LISTED}]))
    assert screen["field"] == "[1].id"
    assert backend.stored() == before  # nothing of the batches' good halves either

    longest = "t" * check_input.MAX_ID_CHARS  # the limit itself fits the columns, also there
    done = backend.post("/v1/check", [_txn("fine-1"), _txn(longest)])
    assert done.status_code == 200, done.text
    assert [r["id"] for r in done.json()] == ["fine-1", longest]
    screened = backend.post("/v1/screen", {"id": "s" * 255, "name": LISTED})
    assert screened.status_code == 200, screened.text
    with Store(backend.url) as store:
        refs = [r.ref for r in audit.records(store.engine, kinds=("check", "screen"))]
    assert refs == ["fine-1", longest, "s" * 255]


@pytest.mark.parametrize("path", ["/v1/check", "/v1/screen"])
def test_a_request_that_fails_while_storing_stores_nothing(
    backend: Client, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """The third item's record fails (as a full disk or a dropped connection would): the
    answer is an error and neither the first two items' records nor their cases remain."""
    kind = path.rsplit("/", 1)[1]
    body = ([_txn(f"t{i}") for i in range(4)] if kind == "check"
            else [{"id": f"r{i}", "name": LISTED, "country": "AE"} for i in range(4)])
    append = audit.Chain.append
    seen: list[str] = []

    def failing(self: audit.Chain, kind_: str, *args: Any, **kw: Any) -> audit.AuditRecord:
        if kind_ == kind:
            seen.append(kind_)
            if len(seen) == 3:
                raise RuntimeError("disk full")
        return append(self, kind_, *args, **kw)

    before = backend.stored()
    monkeypatch.setattr(audit.Chain, "append", failing)
    assert backend.post(path, body).status_code == 500
    assert len(seen) == 3  # two records were written in the transaction before the failure
    assert backend.stored() == before
    monkeypatch.setattr(audit.Chain, "append", append)
    assert backend.post(path, body).status_code == 200
    records, cases, _ = backend.stored()
    assert records > before[0] + len(body) and cases > before[1]
    with Store(backend.url) as store:
        assert audit.verify(store.engine).ok


@pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_postgresql_refusing_a_value_rolls_the_whole_batch_back(
    backend: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the id limit PostgreSQL itself refuses the second record (SQLite does not
    enforce VARCHAR lengths): still nothing of the request is kept."""
    monkeypatch.setattr(transaction, "MAX_ID_CHARS", 10_000)
    before = backend.stored()
    assert backend.post("/v1/check", [_txn("partial-ok-1"), _txn("i" * 300)]).status_code == 500
    assert backend.stored() == before
