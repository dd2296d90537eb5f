"""Sign-in with an API key, sign-out, and the web root."""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chipexport.service.web.render import page
from chipexport.service.web.session import (
    COOKIE,
    SESSION_SECONDS,
    Forbidden,
    check_csrf,
    current_user,
    optional_user,
    sessions,
)
from chipexport.store.keys import authenticate

router = APIRouter()
LOGIN_COOKIE = "chipexport_login"
LOGIN_FORM_SECONDS = 3600  # a sign-in page left open longer is reloaded before it is used


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


def _login_form(request: Request, next: str | None, problem: str | None) -> Response:
    """The sign-in page with a fresh login CSRF token, also set as a cookie (double submit)."""
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html", None, "", next=_safe_next(next), problem=problem,
                    login_csrf=token)
    response.set_cookie(LOGIN_COOKIE, token, max_age=LOGIN_FORM_SECONDS, httponly=True,
                        samesite="strict", path="/web/login")
    return response


@router.get("/web/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    if optional_user(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_form(request, next, None)


@router.post("/web/login", response_class=HTMLResponse, include_in_schema=False)
def login(
    request: Request, token: str = Form(""), next: str = Form("/web/check"),
    csrf: str = Form(""),
) -> Response:
    """Sign in. Login CSRF (a foreign page signing the browser in with the attacker's key, so
    the victim's work lands in the attacker's name) is refused: the form must echo the token
    its own cookie holds, which a cross-site form can neither read nor set."""
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not csrf or not cookie or not hmac.compare_digest(csrf, cookie):
        raise Forbidden("the sign-in form's security token is missing or stale: reload the "
                        "sign-in page")
    key = authenticate(request.app.state.store.engine, token.strip()) if token.strip() else None
    if key is None:
        return _login_form(request, next,
                           "That key is unknown or revoked. Keys come from "
                           "'chipexport keys create NAME --role ROLE' on the server.")
    session = sessions(request).create(token.strip())
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, session.sid, max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/web/login")
    return response


@router.post("/web/logout", include_in_schema=False)
def logout(request: Request, csrf: str = Form("")) -> Response:
    user = current_user(request)
    check_csrf(user, csrf)
    sessions(request).drop(user.session.sid)
    response = RedirectResponse("/web/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
