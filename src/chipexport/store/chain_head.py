"""The audit chain's head, checked against a head kept elsewhere, and signed for a witness.

The hash chain reveals an altered, inserted or deleted record, but not records cut from the end
nor a chain rewritten from the first record with every hash recomputed: both verify as a
chain. What reveals them is a head (``SEQ:HASH``) kept outside the database: record ``SEQ``
must still exist and still have that hash. :func:`check_known_head` does that check for the
CLI (``audit verify --known-head``) and the API (``GET /v1/audit/verify?known_head=``).

To publish a head for an outside witness (a ticket, an e-mail to the auditor, another
system), :func:`signed_head` signs it with HMAC-SHA256 under a secret kept in
``CHIPEXPORT_HOME/audit-head.key`` (created on first use, mode 0600), not in the database:
someone who can rewrite the database cannot also forge a head this server signed.
:func:`check_signed_head` verifies such a head and that the chain still holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, select

from chipexport.config import home
from chipexport.errors import ChipexportError
from chipexport.store.schema import MAX_ROW_ID, Base

_AUDIT: Table = Base.metadata.tables["audit_records"]
KEY_FILE = "audit-head.key"
_HEAD = re.compile(r"^(?:(?P<seq>\d{1,19}):)?(?P<hash>[0-9a-f]{64})$")


class HeadError(ChipexportError, ValueError):
    """A known or signed head that cannot even be read (not ``SEQ:HASH``, bad signature)."""


@dataclass(frozen=True, slots=True)
class HeadCheck:
    """The outcome of comparing a kept head with the chain; ``problem`` None when it holds."""

    seq: int | None
    hash: str
    problem: str | None

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "found": self.problem is None,
                "problem": self.problem}


def parse_head(text: str) -> tuple[int | None, str]:
    """``SEQ:HASH`` (or a bare ``HASH``, as older ``audit verify`` printed) -> (seq, hash)."""
    found = _HEAD.match(text.strip().lower())
    if found is None:
        raise HeadError(f"known head {text[:80]!r}: expected SEQ:HASH (a sequence number and a "
                        "64-character sha256 hex digest)")
    seq = int(found["seq"]) if found["seq"] else None
    if seq is not None and not 0 < seq <= MAX_ROW_ID:
        raise HeadError(f"known head: sequence number {seq} is out of range")
    return seq, found["hash"]


def check_known_head(engine: Engine, text: str) -> HeadCheck:
    """Whether the chain still holds the head ``text`` (see the module doc)."""
    seq, digest = parse_head(text)
    with engine.connect() as conn:
        if seq is None:
            at = conn.execute(select(_AUDIT.c.seq).where(_AUDIT.c.hash == digest)).scalar()
            problem = None if at is not None else (
                f"the chain was cut short or rewritten: no record has the hash {digest}")
            return HeadCheck(at, digest, problem)
        stored = conn.execute(select(_AUDIT.c.hash).where(_AUDIT.c.seq == seq)).scalar()
        last = conn.execute(select(func.max(_AUDIT.c.seq))).scalar() or 0
    if stored is None:
        problem = (f"the chain was cut short or rewritten: record {seq} is gone (the chain "
                   f"ends at record {last})")
    elif stored != digest:
        problem = f"the chain was rewritten: record {seq} has the hash {stored}, not {digest}"
    else:
        problem = None
    return HeadCheck(seq, digest, problem)


def _key(create: bool) -> bytes:
    path = home() / KEY_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        if not create:
            raise HeadError(f"{path}: no signing key on this server (a head was never signed "
                            "here)") from None
    except ValueError:
        raise HeadError(f"{path}: not a signing key (hex expected)") from None
    return _new_key(path)


def _new_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as out:
        out.write(key.hex() + "\n")
    return key


def _message(head: dict[str, Any]) -> bytes:
    return f"chipexport-audit-head\n{head['seq']}\n{head['hash']}\n{head['at']}".encode()


def signed_head(engine: Engine) -> dict[str, Any]:
    """The current head, signed: ``{seq, hash, at, signature, key_id}`` (JSON to publish)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(_AUDIT.c.seq, _AUDIT.c.hash, _AUDIT.c.at).order_by(_AUDIT.c.seq.desc())
            .limit(1)).first()
    head: dict[str, Any] = ({"seq": 0, "hash": "0" * 64, "at": None} if row is None
                            else {"seq": row.seq, "hash": row.hash, "at": row.at})
    key = _key(create=True)
    head["key_id"] = hashlib.sha256(key).hexdigest()[:16]
    head["signature"] = "hmac-sha256:" + hmac.new(key, _message(head), "sha256").hexdigest()
    return head


def check_signed_head(engine: Engine, head: dict[str, Any]) -> HeadCheck:
    """Verify ``head``'s signature with this server's key, then that the chain still holds it."""
    try:
        seq, digest, signature = int(head["seq"]), str(head["hash"]), str(head["signature"])
    except (KeyError, TypeError, ValueError):
        raise HeadError("signed head: expected an object with seq, hash, at and signature") \
            from None
    key = _key(create=False)
    want = "hmac-sha256:" + hmac.new(key, _message(head), "sha256").hexdigest()
    if not hmac.compare_digest(want, signature):
        raise HeadError("signed head: the signature does not match this server's key (not a "
                        "head this server signed, or it was edited)")
    return check_known_head(engine, f"{seq}:{digest}")
