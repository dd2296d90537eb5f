"""Web sign-in: an API key typed once, a random server-side session id in an HTTP-only cookie.

The browser never holds the key after sign-in: the cookie carries only a random session id,
and the key itself stays in this process's memory, so every request re-checks it against the
store (a key revoked with ``chipexport keys revoke`` is refused at the next click, as in the
API). Sessions die with the server process, which is the safe default for a tool that writes
an audit trail in the key holder's name. Forms that change data carry a per-session CSRF token
compared in constant time; the cookie is also ``SameSite=Strict``.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

from fastapi import Request

from chipexport.errors import ChipexportError
from chipexport.store.keys import ApiKey, authenticate

COOKIE = "chipexport_session"
SESSION_SECONDS = 8 * 3600  # one working day; then sign in again


class LoginRequired(ChipexportError):
    """Raised by :func:`current_user` when there is no live session; the handler redirects."""

    status = 401

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class Forbidden(ChipexportError):
    """The signed-in key's role is too low, or a form's CSRF token is wrong."""

    status = 403

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Session:
    sid: str
    token: str
    csrf: str
    expires: float


@dataclass(frozen=True)
class WebUser:
    """The signed-in key and its session (for the CSRF token)."""

    key: ApiKey
    session: Session

    @property
    def csrf(self) -> str:
        return self.session.csrf

    def can(self, role: str) -> bool:
        return self.key.at_least(role)


@dataclass
class Sessions:
    """Live sessions of this server process, by random id."""

    _by_id: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, token: str) -> Session:
        session = Session(
            secrets.token_urlsafe(32), token, secrets.token_urlsafe(32),
            time.time() + SESSION_SECONDS,
        )
        with self._lock:
            now = time.time()
            for sid in [s for s, v in self._by_id.items() if v.expires < now]:
                del self._by_id[sid]
            self._by_id[session.sid] = session
        return session

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._by_id.get(sid)
            if session is not None and session.expires < time.time():
                del self._by_id[sid]
                return None
        return session

    def drop(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid or "", None)


def sessions(request: Request) -> Sessions:
    found: Sessions = request.app.state.web_sessions
    return found


def optional_user(request: Request) -> WebUser | None:
    """The signed-in user, or None (no cookie, expired session, revoked key)."""
    session = sessions(request).get(request.cookies.get(COOKIE))
    if session is None:
        return None
    key = authenticate(request.app.state.store.engine, session.token)
    if key is None:
        sessions(request).drop(session.sid)
        return None
    return WebUser(key, session)


def current_user(request: Request) -> WebUser:
    """FastAPI dependency for every page: the user, or a redirect to the sign-in page."""
    user = optional_user(request)
    if user is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path)
    return user


def require_role(user: WebUser, role: str) -> None:
    if not user.can(role):
        raise Forbidden(f"key {user.key.name!r} has role {user.key.role!r}; this needs {role!r}")


def check_csrf(user: WebUser, token: str | None) -> None:
    """A data-changing form must echo its session's token (forged cross-site posts cannot)."""
    if not token or not hmac.compare_digest(token, user.csrf):
        raise Forbidden("the form's security token is missing or stale: reload the page")
