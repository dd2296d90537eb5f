"""Sign-in with an API key, sign-out, and the web root."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chipexport.service.web.render import page
from chipexport.service.web.session import (
    COOKIE,
    SESSION_SECONDS,
    check_csrf,
    current_user,
    optional_user,
    sessions,
)
from chipexport.store.keys import authenticate

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths under /web (an open redirect would help phishing)."""
    if target and target.startswith("/web/") and not target.startswith("//"):
        return target
    return "/web/check"


@router.get("/", include_in_schema=False)
@router.get("/web", include_in_schema=False)
@router.get("/web/", include_in_schema=False)
def root() -> Response:
    return RedirectResponse("/web/check", status_code=303)


@router.get("/web/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    if optional_user(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return page(request, "login.html", None, "", next=_safe_next(next), problem=None)


@router.post("/web/login", response_class=HTMLResponse, include_in_schema=False)
def login(
    request: Request, token: str = Form(""), next: str = Form("/web/check")
) -> Response:
    key = authenticate(request.app.state.store.engine, token.strip()) if token.strip() else None
    if key is None:
        return page(request, "login.html", None, "", next=_safe_next(next),
                    problem="That key is unknown or revoked. Keys come from "
                            "'chipexport keys create NAME --role ROLE' on the server.")
    session = sessions(request).create(token.strip())
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, session.sid, max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", path="/")
    return response


@router.post("/web/logout", include_in_schema=False)
def logout(request: Request, csrf: str = Form("")) -> Response:
    user = current_user(request)
    check_csrf(user, csrf)
    sessions(request).drop(user.session.sid)
    response = RedirectResponse("/web/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
