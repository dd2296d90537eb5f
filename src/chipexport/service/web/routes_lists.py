"""What is loaded: list versions, dates, counts, and what the last load or update changed.

The "what changed" panel reads the newest ``list_change`` audit record, the same record the
CLI and the API write, so it shows what re-screening was based on. Admins get the update form,
which calls the API's own update handler (download, validation, plausibility check, swap,
re-screen) with the signed-in key.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from chipexport.service import routes_lists as api_lists
from chipexport.service.errors import ApiError
from chipexport.service.schemas import ListUpdate
from chipexport.service.web.render import page
from chipexport.service.web.session import WebUser, check_csrf, current_user, require_role
from chipexport.store import audit

router = APIRouter()
User = Depends(current_user)


def last_change(request: Request) -> audit.AuditRecord | None:
    """The newest ``list_change`` record (records are read oldest first, in pages)."""
    engine = request.app.state.store.engine
    last, after = None, 0
    while True:
        found = audit.records(engine, kinds=("list_change",), after=after, limit=500)
        if not found:
            return last
        last, after = found[-1], found[-1].seq


def _page(request: Request, user: WebUser, outcome: dict[str, Any] | None = None,
          problem: str | None = None) -> Response:
    versions = request.app.state.store.list_status()
    ctx = request.app.state.index.peek()
    return page(request, "lists.html", user, "lists", versions=versions,
                total=sum(v.entry_count for v in versions), change=last_change(request),
                fingerprint=ctx.fingerprint if ctx else None, outcome=outcome, problem=problem)


@router.get("/web/lists", response_class=HTMLResponse)
def lists_page(request: Request, user: WebUser = User) -> Response:
    return _page(request, user)


@router.post("/web/lists/update", response_class=HTMLResponse)
def lists_update(
    request: Request, user: WebUser = User, url: str = Form(""), force: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(user, csrf)
    require_role(user, "admin")
    body = ListUpdate(url=url.strip() or None, force=bool(force))
    try:
        state = request.app.state
        outcome = api_lists.update(state.store, state.settings, state.index, body, user.key)
    except ApiError as exc:
        # shown on the page with 200: an error status reads as a console error in browsers
        return _page(request, user, problem=f"{exc.message} (HTTP {exc.status})")
    return _page(request, user, outcome=outcome)
