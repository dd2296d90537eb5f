"""Screen one name: the search page and the results fragment it fetches as the user types.

Each search is a real screen through :func:`screen_and_record` (the function behind
``POST /v1/screen``): it is audited in the signed-in key's name and a strong match opens a
review case, which is what makes the result trustworthy evidence later. Typing therefore only
searches after a pause (and on Enter), not on every key press.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from chipexport.screening.batch import row_problem
from chipexport.service.web.render import page
from chipexport.service.web.session import WebUser, current_user
from chipexport.store.screened import screen_and_record

router = APIRouter()
User = Depends(current_user)


async def _screen(request: Request, user: WebUser, name: str, country: str) -> dict[str, Any]:
    """The screen answer, or ``{"error": ...}`` for a name that cannot be screened."""
    state = request.app.state
    problem = row_problem(name)
    country = country.strip().upper()
    if problem is None and country and not (len(country) == 2 and country.isalpha()):
        problem = f"country {country!r} is not an ISO 3166 two-letter code"
    if problem:
        return {"error": problem.replace("field 'name'", "the name")}
    ctx = state.index.maybe_current()
    if ctx is None:
        return {"error": "no restricted-party lists are loaded: run 'chipexport lists load'"}
    item = {"id": f"web-{uuid.uuid4().hex[:8]}", "name": name.strip()}
    if country:
        item["country"] = country

    def work() -> dict[str, Any]:
        row, _ = screen_and_record(state.store.engine, ctx, item, actor=user.key.name,
                                   extra={"via": "web"})
        return row

    return await run_in_threadpool(work)


@router.get("/web/screen", response_class=HTMLResponse)
async def screen_page(
    request: Request, user: WebUser = User,
    q: str = Query("", max_length=500), country: str = Query("", max_length=8),
) -> Response:
    """The search page; with ``q`` it arrives with results (works without JavaScript)."""
    result = await _screen(request, user, q, country) if q.strip() else None
    return page(request, "screen.html", user, "screen", q=q, country=country, result=result)


@router.get("/web/screen/results", response_class=HTMLResponse)
async def screen_results(
    request: Request, user: WebUser = User,
    q: str = Query("", max_length=500), country: str = Query("", max_length=8),
) -> Response:
    """Just the results table, for the page's script to swap in."""
    result = await _screen(request, user, q, country) if q.strip() else None
    return page(request, "_screen_results.html", user, "screen", q=q, result=result)
