"""API-key authentication: ``Authorization: Bearer <token>`` or ``X-API-Key: <token>``.

Every ``/v1`` endpoint needs a key (reads too: screening history names customers). Roles nest:
viewer < analyst < admin (see docs/service.md for the matrix). The key's name is the identity
written into every audit record the request causes.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from chipexport.service.errors import ApiError
from chipexport.store.keys import ROLES, ApiKey, authenticate

_bearer = HTTPBearer(auto_error=False, description="An API key from `chipexport keys create`.")
_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="The same key, if preferred."
)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def require(role: str) -> Callable[..., ApiKey]:
    """A FastAPI dependency admitting keys of ``role`` or above."""
    assert role in ROLES

    def dependency(
        request: Request,
        bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
        header: str | None = Depends(_header),
    ) -> ApiKey:
        token = (bearer.credentials if bearer else None) or header
        if not token:
            raise ApiError(
                401,
                "missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
                "Authorization",
                headers=_CHALLENGE,
            )
        key = authenticate(request.app.state.store.engine, token)
        if key is None:
            raise ApiError(401, "unknown or revoked API key", "Authorization", headers=_CHALLENGE)
        if not key.at_least(role):
            raise ApiError(
                403, f"key {key.name!r} has role {key.role!r}; this needs {role!r}", "Authorization"
            )
        return key

    return dependency


Viewer = Depends(require("viewer"))
Analyst = Depends(require("analyst"))
Admin = Depends(require("admin"))
