"""``chipexport keys|audit|cases|serve``: exit codes and one-line errors, in-process."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from chipexport.cli import app, run_guarded
from chipexport.store import Store
from chipexport.store.keys import authenticate


@pytest.fixture()
def cli(
    chipexport_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Any:
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["chipexport", *args])
        code = run_guarded(app)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _one_line(result: tuple[int, str, str], needle: str) -> None:
    code, _, err = result
    assert code == 2 and err.startswith("chipexport: error: ") and err.count("\n") == 1, err
    assert needle in err


def test_keys_create_list_revoke(cli: Any) -> None:
    code, out, err = cli("keys", "create", "orders", "--role", "analyst")
    token = out.strip()
    assert code == 0 and token.startswith("cx_") and "not shown again" in err
    with Store() as store:
        key = authenticate(store.engine, token)
    assert key is not None and (key.name, key.role) == ("orders", "analyst")
    code, out, _ = cli("keys", "list", "--json")
    assert code == 0 and token not in out and json.loads(out)[0]["name"] == "orders"
    _one_line(cli("keys", "create", "orders"), "already exists")
    _one_line(cli("keys", "create", "x", "--role", "root"), "--role")
    assert cli("keys", "revoke", "orders")[0] == 0
    with Store() as store:
        assert authenticate(store.engine, token) is None
    _one_line(cli("keys", "revoke", "orders"), "no live key")
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "2 records" in out  # created and revoked: key events are audited
    code, out, _ = cli("audit", "show", "--kind", "key_revoked")
    assert code == 0 and json.loads(out)["body"] == {"key": "orders"}
    import getpass

    code, out, _ = cli("audit", "show", "--kind", "key_created", "--kind", "key_revoked")
    actors = {json.loads(line)["actor"] for line in out.splitlines()}
    assert actors == {f"cli:{getpass.getuser()}"}  # as for list changes and CLI decisions


def test_cases_commands_refuse_bad_input(cli: Any) -> None:
    _one_line(cli("cases", "show", "7"), "no case 7")
    _one_line(cli("cases", "list", "--status", "shut"), "--status")
    _one_line(cli("cases", "dispose", "7", "--decision", "maybe", "--reason", "x"), "--decision")
    escalate = ("--decision", "escalate", "--reason", "why")
    _one_line(cli("cases", "dispose", "7", *escalate), "no case 7")
    # the API's and the web form's bounds: "x" is no reason an auditor can read
    _one_line(cli("cases", "dispose", "7", "--decision", "escalate", "--reason", "x"),
              "--reason: at least 3 characters")
    _one_line(cli("cases", "dispose", "7", "--decision", "escalate", "--reason", "y" * 4001),
              "at most 4000")


def test_audit_show_refuses_what_the_api_refuses(cli: Any) -> None:
    """A misspelt kind printed nothing (read as "no such records") and --limit -1 printed
    every record."""
    _one_line(cli("audit", "show", "--kind", "bogus"), "--kind: 'bogus' is not one of screen")
    _one_line(cli("audit", "show", "--limit", "-1"), "--limit")
    _one_line(cli("audit", "show", "--limit", "0"), "--limit")
    _one_line(cli("audit", "show", "--after", "-5"), "--after")
    assert cli("audit", "show", "--kind", "screen", "--limit", "1")[0] == 0


def test_serve_refuses_a_taken_port(cli: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        _one_line(cli("serve", "--port", str(port)), "cannot listen")
    _one_line(cli("serve", "--port", "70000"), "--port")


def test_verify_with_a_known_head_detects_a_cut_tail(cli: Any) -> None:
    for name in ("a", "b", "c"):
        assert cli("keys", "create", name)[0] == 0
    code, out, _ = cli("audit", "verify")
    head = out.split("head ")[1].strip()
    assert code == 0 and "3 records" in out
    assert cli("keys", "create", "d")[0] == 0  # the chain grows: the old head is still in it
    assert cli("audit", "verify", "--known-head", head)[0] == 0
    from sqlalchemy import text

    with Store() as store, store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_records WHERE seq >= 3"))
    code, out, err = cli("audit", "verify")
    assert code == 0 and "2 records" in out  # a shorter chain is still a valid chain...
    code, _, err = cli("audit", "verify", "--known-head", head)
    assert code == 1 and "cut short" in err  # ...which the remembered head exposes
    assert "cut short or rewritten" in err  # (a rewritten chain has the same symptom)


def test_help_texts_show_no_markup(cli: Any) -> None:
    code, out, _ = cli("cases", "list", "--help")
    assert code == 0 and "--status open" in out and "``" not in out


def test_verify_with_seq_and_hash_detects_a_chain_rewritten_and_rehashed(cli: Any) -> None:
    """Every record re-written with its hashes recomputed is a valid chain; the head kept as
    SEQ:HASH (or signed with 'audit head') is what exposes it."""
    from sqlalchemy import text

    from chipexport.store.audit import GENESIS, record_hash

    for name in ("a", "b"):
        assert cli("keys", "create", name)[0] == 0
    code, out, _ = cli("audit", "verify")
    kept = out.split("head ")[1].strip()
    assert code == 0 and kept.startswith("2:")
    code, signed, _ = cli("audit", "head")
    assert code == 0 and json.loads(signed)["signature"].startswith("hmac-sha256:")
    with Store() as store, store.engine.begin() as conn:  # rewrite the actor, re-hash it all
        prev = GENESIS
        rows = conn.execute(text("SELECT seq, kind, at, subject, ref, body FROM audit_records "
                                 "ORDER BY seq")).all()
        for r in rows:
            digest = record_hash(prev, r.seq, r.kind, "mallory", r.at, r.subject, r.ref, r.body)
            conn.execute(text("UPDATE audit_records SET actor = 'mallory', prev_hash = :p, "
                              "hash = :h WHERE seq = :s"), {"p": prev, "h": digest, "s": r.seq})
            prev = digest
    assert cli("audit", "verify")[0] == 0  # still a valid chain on its own
    code, _, err = cli("audit", "verify", "--known-head", kept)
    assert code == 1 and "rewritten: record 2 has the hash" in err
    head_file = Path(os.environ["CHIPEXPORT_HOME"]) / "head.json"
    head_file.write_text(signed)
    code, _, err = cli("audit", "verify", "--signed-head", str(head_file))
    assert code == 1 and "rewritten" in err
    forged = json.loads(signed) | {"hash": prev}
    head_file.write_text(json.dumps(forged))
    code, _, err = cli("audit", "verify", "--signed-head", str(head_file))
    assert code == 2 and "signature does not match" in err
