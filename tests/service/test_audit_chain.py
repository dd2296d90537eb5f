"""The audit chain itself: concurrent writers cannot fork it, any edit breaks it, keys are
stored hashed, and the CLI's ``lists load`` re-screens parties against what changed."""

from __future__ import annotations

import hashlib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from chipexport.cli import app, run_guarded
from chipexport.store import Store, audit
from chipexport.store.keys import authenticate, create_key


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    url = (f"sqlite:///{tmp_path / 'a.db'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_database"))
    with Store(url) as opened:
        yield opened


def _append(store: Store, n: int) -> int:
    with audit.chained(store.engine) as chain:
        return chain.append("screen", f"worker-{n % 4}", {"n": n, "x": 0.1 * n}).seq


def test_concurrent_appends_make_one_unbroken_chain(store: Store) -> None:
    with ThreadPoolExecutor(8) as pool:
        seqs = list(pool.map(lambda n: _append(store, n), range(80)))
    assert sorted(seqs) == list(range(1, 81))
    result = audit.verify(store.engine)
    assert result.ok and result.count == 80
    assert result.head == audit.records(store.engine, after=79)[0].hash


@pytest.mark.parametrize(
    ("tamper", "broken", "words"),
    [
        ("UPDATE audit_records SET actor = 'mallory' WHERE seq = 3", 3, "altered"),
        ("UPDATE audit_records SET body = :body WHERE seq = 3", 3, "altered"),
        ("DELETE FROM audit_records WHERE seq = 4", 5, "deleted"),
        ("UPDATE audit_records SET hash = :fake WHERE seq = 2", 2, "altered"),
        ("UPDATE audit_records SET prev_hash = :fake WHERE seq = 5", 5, "prev_hash"),
    ],
)
def test_any_edit_is_found_at_the_first_broken_record(
    store: Store, tamper: str, broken: int, words: str
) -> None:
    for n in range(6):
        _append(store, n)
    with store.engine.begin() as conn:
        params = {"fake": hashlib.sha256(b"x").hexdigest(), "body": '{"n":2,"x":0.3}'}
        conn.execute(text(tamper), {k: v for k, v in params.items() if f":{k}" in tamper})
    result = audit.verify(store.engine)
    assert not result.ok and result.broken_seq == broken and words in (result.problem or "")


def test_a_rolled_back_transaction_leaves_no_record(store: Store) -> None:
    _append(store, 1)
    with pytest.raises(RuntimeError), audit.chained(store.engine) as chain:
        chain.append("screen", "w", {"n": 2})
        raise RuntimeError("crash before commit")
    assert audit.verify(store.engine).count == 1
    assert _append(store, 3) == 2


def test_keys_are_stored_as_hashes_only(store: Store) -> None:
    key, token = create_key(store.engine, "orders", "viewer")
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT * FROM api_keys")).mappings().one()
    assert token not in str(dict(stored)).replace(key.prefix, "")
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    found = authenticate(store.engine, token)
    assert found is not None and found.role == "viewer"
    assert authenticate(store.engine, token + "x") is None


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["chipexport", *args])
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_lists_load_rescreens_and_reopens(
    chipexport_home: Path,
    kit: Any,
    list_files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from chipexport.cli.screen_cmd import load_index
    from chipexport.store.cases import dispose
    from chipexport.store.screened import ScreenContext, screen_and_record

    code, _, err = _cli(monkeypatch, capsys, "lists", "load", "--source",
                        f"csl-csv={list_files['v1']}")
    assert code == 0, err
    with Store() as store:
        ctx = ScreenContext(load_index(), tuple(store.list_status()), store.active_fingerprint())
        _row, review = screen_and_record(store.engine, ctx, {"id": "1", "name": kit.party},
                                        actor="t")
        dispose(store.engine, review.opened[0], "false_positive", "not them", [], None, "t")
    code, out, err = _cli(monkeypatch, capsys, "lists", "load", "--source",
                          f"csl-csv={list_files['v2']}")
    assert (code, err) == (0, "")
    assert "EL: 1 added, 0 removed, 1 modified" in out
    assert f"re-opened [{review.opened[0]}]" in out
    code, out, _ = _cli(monkeypatch, capsys, "audit", "verify")
    assert code == 0 and "intact" in out
    code, out, _ = _cli(monkeypatch, capsys, "cases", "list", "--status", "open")
    assert code == 0 and kit.party in out
