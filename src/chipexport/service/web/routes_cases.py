"""The review queue: open cases, one case beside its list entry, dispositions, history.

A disposition goes through :func:`chipexport.store.cases.dispose`, the function behind
``POST /v1/cases/{id}/disposition``, with the same rules: analysts and admins only, a reason
is required, a false positive holds for ``CHIPEXPORT_GOOD_GUY_DAYS`` unless the analyst sets an
earlier or later expiry date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chipexport.model import ListEntry
from chipexport.screening.variants import ROW_FIELDS, SOURCE, from_row
from chipexport.service.web.render import page
from chipexport.service.web.session import WebUser, check_csrf, current_user, require_role
from chipexport.store import audit
from chipexport.store.cases import (
    DECISIONS,
    STATUSES,
    count_cases,
    dispose,
    get_case,
    list_cases,
)
from chipexport.store.screened import ScreenContext
from chipexport.store.vocabulary import MAX_REASON_CHARS, MIN_REASON_CHARS

router = APIRouter()
User = Depends(current_user)
_ENTRY_ID = ROW_FIELDS.index("entry_id")
_POSITIONS: dict[str, dict[tuple[str, str], int]] = {}  # index fingerprint -> entry positions
PAGE_SIZE = 100  # cases per page of the review queue


def find_entry(ctx: ScreenContext | None, source: str, entry_id: str) -> ListEntry | None:
    """The entry as the active lists hold it now (None: no longer listed)."""
    if ctx is None:
        return None
    positions = _POSITIONS.get(ctx.fingerprint)
    if positions is None:
        positions = {(str(r[SOURCE]), str(r[_ENTRY_ID])): i for i, r in enumerate(ctx.index.rows)}
        _POSITIONS.clear()
        _POSITIONS[ctx.fingerprint] = positions
    at = positions.get((source, entry_id))
    return from_row(ctx.index.rows[at]) if at is not None else None


@router.get("/web/cases", response_class=HTMLResponse)
def cases_page(
    request: Request, user: WebUser = User, status: str = Query("open", max_length=20),
    page_no: int = Query(1, alias="page"),
) -> Response:
    """The queue, oldest first, :data:`PAGE_SIZE` cases a page with the total above them (it
    used to show the first 500 and nothing to say there were more)."""
    chosen = status if status in STATUSES or status == "all" else "open"
    engine = request.app.state.store.engine
    wanted = None if chosen == "all" else chosen
    total = count_cases(engine, wanted)
    pages = max(1, -(-total // PAGE_SIZE))
    current = min(max(page_no, 1), pages)  # a page past the end shows the last one
    found = list_cases(engine, wanted, 0, PAGE_SIZE, offset=(current - 1) * PAGE_SIZE)
    first = (current - 1) * PAGE_SIZE + 1 if found else 0
    return page(request, "cases.html", user, "cases", cases=found, status=chosen,
                statuses=("open", "escalated", "true_match", "false_positive", "all"),
                total=total, page_no=current, pages=pages, first=first,
                last=first + len(found) - 1 if found else 0)


def _match_of(events: list[audit.AuditRecord]) -> dict[str, Any]:
    """The match as last reported (why the case was opened or re-opened)."""
    for event in reversed(events):
        if "match" in event.body:
            found: dict[str, Any] = event.body["match"]
            return found
    return {}


def _case_page(request: Request, user: WebUser, case_id: int, problem: str | None = None,
               status: int = 200) -> Response:
    engine = request.app.state.store.engine
    case = get_case(engine, case_id)
    if case is None:
        return page(request, "message.html", user, "cases", status_code=404, title="Not found",
                    message=f"There is no case {case_id}.")
    events = audit.records(engine, subject=f"case:{case_id}", limit=1000)
    screens = audit.records(engine, subject=f"party:{case['party']['id']}",
                            kinds=("screen", "rescreen"), limit=1000)[-5:]
    entry = find_entry(request.app.state.index.maybe_current(), case["entry"]["source"],
                       case["entry"]["entity_id"])
    changed = entry is not None and entry.content_hash() != case["entry"]["content_hash"]
    default_expiry = (datetime.now(UTC) + timedelta(
        days=request.app.state.settings.good_guy_days)).date().isoformat()
    return page(request, "case.html", user, "cases", status_code=status, case=case,
                reason_chars=(MIN_REASON_CHARS, MAX_REASON_CHARS),
                events=events, screens=screens[::-1], match=_match_of(events), entry=entry,
                entry_changed=changed,
                problem=problem, decisions=DECISIONS, default_expiry=default_expiry)


@router.get("/web/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, user: WebUser = User) -> Response:
    return _case_page(request, user, case_id)


@router.post("/web/cases/{case_id}/disposition", response_class=HTMLResponse)
def case_dispose(
    request: Request, case_id: int, user: WebUser = User,
    decision: str = Form(""), reason: str = Form(""), evidence: str = Form(""),
    expires_at: str = Form(""), csrf: str = Form(""),
) -> Response:
    check_csrf(user, csrf)
    require_role(user, "analyst")
    engine = request.app.state.store.engine
    if get_case(engine, case_id) is None:
        return _case_page(request, user, case_id)
    problem = None
    expires = None
    if decision not in DECISIONS:
        problem = "choose a decision"
    elif len(reason.strip()) < MIN_REASON_CHARS:
        problem = (f"give a reason of at least {MIN_REASON_CHARS} characters: it is what an "
                   "auditor reads")
    elif len(reason.strip()) > MAX_REASON_CHARS:
        problem = f"the reason has {len(reason.strip())} characters; at most {MAX_REASON_CHARS}"
    elif decision == "false_positive":
        try:
            day = date.fromisoformat(expires_at) if expires_at else None
        except ValueError:
            day, problem = None, f"expiry {expires_at!r} is not a date (YYYY-MM-DD)"
        if day is not None:
            expires = datetime.combine(day, time(), tzinfo=UTC)
            if expires <= datetime.now(UTC):
                problem = "the expiry must be in the future"
        elif problem is None:
            expires = datetime.now(UTC) + timedelta(days=request.app.state.settings.good_guy_days)
    if problem is not None:
        return _case_page(request, user, case_id, problem)  # 200: see routes_batch
    lines = [line.strip() for line in evidence.splitlines() if line.strip()]
    dispose(engine, case_id, decision, reason.strip(), lines[:20], expires, user.key.name)
    return RedirectResponse(f"/web/cases/{case_id}?done=1", status_code=303)
