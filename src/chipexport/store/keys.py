"""API keys: a random token shown once, stored only as its sha256, with one role each.

Roles are ordered: ``viewer`` (screen, check, read history, lists and cases) < ``analyst``
(also dispose cases) < ``admin`` (also update lists). The service checks ``at_least``; creating
keys is done on the server's own machine with ``chipexport keys create``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from chipexport.errors import ChipexportError
from chipexport.store.audit import chained
from chipexport.store.schema import Base
from chipexport.store.vocabulary import ROLES as ROLES

TOKEN_PREFIX = "cx_"
_KEYS: Table = Base.metadata.tables["api_keys"]


class ApiKeyError(ChipexportError):
    """A key that cannot be created or revoked as asked."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key (never its token)."""

    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None

    def at_least(self, role: str) -> bool:
        """Whether this key's role includes ``role``'s permissions."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _key(row: Any) -> ApiKey:
    def utc(value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    created = utc(row.created_at)
    assert created is not None
    return ApiKey(row.id, row.name, row.role, row.prefix, created, utc(row.revoked_at))


def create_key(engine: Engine, name: str, role: str, actor: str = "cli") -> tuple[ApiKey, str]:
    """Store a new key and return it with its token (the only time the token is known)."""
    if role not in ROLES:
        raise ApiKeyError(f"role {role!r} is not one of {', '.join(ROLES)}")
    name = name.strip()
    if not name or len(name) > 128:
        raise ApiKeyError("key name must be 1 to 128 characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    created_at = datetime.now(UTC)
    values: dict[str, Any] = {
        "name": name,
        "role": role,
        "token_hash": token_hash(token),
        "prefix": token[:10],
        "created_at": created_at,
    }
    try:
        with chained(engine) as chain:
            key_id = chain.conn.execute(insert(_KEYS).returning(_KEYS.c.id), values).scalar_one()
            chain.append(
                "key_created", actor, {"key": name, "role": role, "prefix": values["prefix"]},
                subject=f"key:{key_id}",
            )
    except IntegrityError:
        raise ApiKeyError(f"a key named {name!r} already exists") from None
    return ApiKey(key_id, name, role, str(values["prefix"]), created_at, None), token


def authenticate(engine: Engine, token: str) -> ApiKey | None:
    """The live key whose token this is, or None."""
    query = select(_KEYS).where(_KEYS.c.token_hash == token_hash(token))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or row.revoked_at is not None:
        return None
    return _key(row)


def list_keys(engine: Engine) -> list[ApiKey]:
    with engine.connect() as conn:
        return [_key(r) for r in conn.execute(select(_KEYS).order_by(_KEYS.c.id))]


def revoke_key(engine: Engine, name: str, actor: str = "cli") -> ApiKey:
    """Revoke the key called ``name`` (kept, for the audit trail's sake, but unusable)."""
    now = datetime.now(UTC)
    with chained(engine) as chain:
        done = chain.conn.execute(
            update(_KEYS)
            .where(_KEYS.c.name == name, _KEYS.c.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(_KEYS.c.id)
        ).first()
        if done is None:
            raise ApiKeyError(f"no live key named {name!r}")
        chain.append("key_revoked", actor, {"key": name}, subject=f"key:{done.id}")
        row = chain.conn.execute(select(_KEYS).where(_KEYS.c.id == done.id)).one()
    return _key(row)
