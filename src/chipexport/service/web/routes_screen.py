"""Screen one name: the search page, a live preview as the user types, and the recorded search.

Two kinds of answer, on purpose:

* **preview** (``/web/screen/preview``, and the page with ``preview=1``): what a screen would
  report, with the party's existing review cases, read from the index and the store without
  writing anything. Typing "Huawei Tech" used to record eleven audited screens and open review
  cases for the parties "Hua", "Huaw", "Huawei T"...: junk in the analysts' inbox and in the
  audit trail.
* **search** (Enter or the button: ``/web/screen/results``, and the page with ``q``): a real
  screen through :func:`~chipexport.store.screened.screen_and_record` (the function behind
  ``POST /v1/screen``), audited in the signed-in key's name; a strong match opens a review
  case, which is what makes the result evidence later.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from chipexport.lists.countries import country_code
from chipexport.screening import DEFAULT_THRESHOLD
from chipexport.screening.batch import row_problem
from chipexport.service.web.render import page
from chipexport.service.web.session import WebUser, current_user
from chipexport.store.case_views import clears, party_cases
from chipexport.store.screened import ScreenContext, screen_and_record

router = APIRouter()
User = Depends(current_user)


def _problem(name: str, country: str) -> str | None:
    problem = row_problem(name)
    if problem is None and country and country_code(country) is None:
        problem = (f"country {country!r} is not a country we know (an ISO-2 code such as CN, "
                   "or an English name such as China)")
    return problem.replace("field 'name'", "the name") if problem else None


def _preview(request: Request, ctx: ScreenContext, name: str, country: str | None
             ) -> dict[str, Any]:
    """What a screen would report, with the party's existing cases; nothing is written."""
    result = ctx.index.screen(name, country=country, threshold=DEFAULT_THRESHOLD)
    cases = party_cases(request.app.state.store.engine, name, country)
    now = datetime.now(UTC)
    matches, cleared = [], []
    for m in result.matches:
        row = m.to_json()
        case = cases.get((m.entry.source, m.entry.entry_id))
        if case is None:
            matches.append(row)
            continue
        expires = datetime.fromisoformat(case["expires_at"]) if case["expires_at"] else None
        if clears(case["status"], expires, case["entry"]["content_hash"],
                  m.entry.content_hash(), now):
            cleared.append({**row, "case": case})
        else:
            matches.append({**row, "case": {"id": case["id"], "status": case["status"]}})
    return {"preview": True, "name": name, "country": country, "matches": matches,
            "cleared_matches": cleared, "warnings": list(result.errors)}


async def _screen(request: Request, user: WebUser, name: str, country: str, *, record: bool
                  ) -> dict[str, Any]:
    """The screen answer (recorded or a preview), or ``{"error": ...}``."""
    state = request.app.state
    problem = _problem(name, country.strip())
    if problem:
        return {"error": problem}
    country = country_code(country) or ""
    ctx = state.index.maybe_current()
    if ctx is None:
        return {"error": "no restricted-party lists are loaded: run 'chipexport lists load'"}
    if not record:
        return await run_in_threadpool(_preview, request, ctx, name.strip(), country or None)
    item = {"id": f"web-{uuid.uuid4().hex[:8]}", "name": name.strip()}
    if country:
        item["country"] = country

    def work() -> dict[str, Any]:
        row, _ = screen_and_record(state.store.engine, ctx, item, actor=user.key.name,
                                   extra={"via": "web"})
        return row

    return await run_in_threadpool(work)


_Q = Query("", max_length=500)
_COUNTRY = Query("", max_length=60)


@router.get("/web/screen", response_class=HTMLResponse)
async def screen_page(
    request: Request, user: WebUser = User, q: str = _Q, country: str = _COUNTRY,
    preview: bool = False,
) -> Response:
    """The search page; with ``q`` it arrives with results (works without JavaScript): a
    recorded search, or with ``preview=1`` (the address the live preview leaves) a preview."""
    result = await _screen(request, user, q, country, record=not preview) if q.strip() else None
    return page(request, "screen.html", user, "screen", q=q, country=country, result=result)


@router.get("/web/screen/results", response_class=HTMLResponse)
async def screen_results(
    request: Request, user: WebUser = User, q: str = _Q, country: str = _COUNTRY
) -> Response:
    """The results of a recorded search, for the page's script to swap in (Enter, button)."""
    result = await _screen(request, user, q, country, record=True) if q.strip() else None
    return page(request, "_screen_results.html", user, "screen", q=q, result=result)


@router.get("/web/screen/preview", response_class=HTMLResponse)
async def screen_preview(
    request: Request, user: WebUser = User, q: str = _Q, country: str = _COUNTRY
) -> Response:
    """The live preview as the user types: nothing is recorded and no case is opened."""
    result = await _screen(request, user, q, country, record=False) if q.strip() else None
    return page(request, "_screen_results.html", user, "screen", q=q, result=result)
