"""Check a transaction in the browser: the form, the result page, the printable memo.

A check goes through the API's own machinery (the recording screener that drops cleared
matches, then ``record_checks``), so the audit trail holds the same ``check`` record in the
signed-in key's name, and cases open exactly as for ``POST /v1/check``. The result page is then
read back from that audit record (post/redirect/get): what the analyst sees, prints and links
to is what was stored, never a second computation.
"""

from __future__ import annotations

import uuid
from datetime import date
from functools import cache
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from chipexport.classify.catalog import catalog
from chipexport.determine import Engine, memo
from chipexport.service.check_input import transaction_problems
from chipexport.service.checking import CheckRun, RecordingScreener, record_checks
from chipexport.service.errors import ApiError
from chipexport.service.limits import transaction_cost
from chipexport.service.web import check_form
from chipexport.service.web.render import page
from chipexport.service.web.session import WebUser, check_csrf, current_user
from chipexport.store import audit
from chipexport.store.ownership import ownership_links, with_resolutions

router = APIRouter()
User = Depends(current_user)


def blank() -> dict[str, Any]:
    """A new check: today's date and nothing else, so no example value is ever stored as
    the user's (a form pre-filled with an old date stored answers for that date)."""
    return {"date": date.today().isoformat(), "export_from": "US", "items": [], "parties": []}


@cache
def product_names() -> tuple[str, ...]:
    """Catalog product names for the form's suggestion list."""
    return tuple(sorted({r.name for r in catalog().records}))


def _form_page(
    request: Request, user: WebUser, values: dict[str, Any], problems: list[str]
) -> HTMLResponse:
    """The form, with ``problems`` listed above it. Always 200: the page itself loaded fine,
    and an error status would put a "failed to load resource" error in the browser console."""
    items, parties = list(values.get("items") or []), list(values.get("parties") or [])
    owners = list(values.get("owners") or [])
    values = {**values, "items": items + [{}] * max(0, 3 - len(items)),
              "parties": parties + [{}] * max(0, 2 - len(parties)),
              "owners": owners + [{}] * max(0, 1 - len(owners))}
    return page(
        request, "check.html", user, "check", v=values, problems=problems,
        products=product_names(), roles=check_form.ROLES, end_use_kinds=check_form.END_USE_KINDS,
        export_from=check_form.EXPORT_FROM,
    )


def _check_record(request: Request, seq: int) -> audit.AuditRecord | None:
    found = audit.record(request.app.state.store.engine, seq)
    return found if found is not None and found.kind == "check" else None


@router.get("/web/check", response_class=HTMLResponse)
def check_page(request: Request, user: WebUser = User, again: int | None = None) -> Response:
    """The empty form (dated today), or a stored check's input to edit."""
    values = check_form.to_form(blank())
    if again is not None and (rec := _check_record(request, again)) is not None:
        values = check_form.to_form(rec.body.get("input") or {})
    return _form_page(request, user, values, [])


@router.post("/web/check", response_class=HTMLResponse)
async def check_submit(request: Request, user: WebUser = User) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    check_csrf(user, form.get("csrf"))
    state = request.app.state
    try:
        txn = check_form.to_transaction(form, f"web-{uuid.uuid4().hex[:8]}")
    except check_form.FormProblem as exc:
        return _form_page(request, user, check_form.echo(form), [str(exc)])
    try:
        transaction_cost(txn)  # the API's per-transaction limits (items, parties, names)
    except ApiError as exc:
        return _form_page(request, user, check_form.echo(form), [exc.message])
    problems = [str(problem) for problem in transaction_problems(txn, "")]

    def work() -> dict[str, Any] | list[str]:
        ctx = state.index.maybe_current()
        screener = RecordingScreener(state.store.engine, ctx) if ctx else None
        db = state.store.engine  # stored ownership and red-flag resolutions, passed in
        result = Engine(screener, ownership_links(db)).check(with_resolutions(db, txn), 0)
        if result.get("errors"):
            return list(result["errors"])
        (done,) = record_checks(state.store.engine, ctx,
                                [CheckRun(txn, result, screener, {"via": "web"})], user.key.name)
        return done

    if not problems:
        done = await run_in_threadpool(work)
        if isinstance(done, dict):
            return RedirectResponse(f"/web/check/{done['audit']['seq']}", status_code=303)
        problems = done
    return _form_page(request, user, check_form.to_form(txn), problems)


def _not_found(request: Request, user: WebUser, seq: int) -> HTMLResponse:
    return page(request, "message.html", user, "check", status_code=404,
                title="Not found", message=f"There is no stored check with record number {seq}.")


def screening_view(output: dict[str, Any], txn: dict[str, Any], screened: list[dict[str, Any]]
                   ) -> list[dict[str, Any]]:
    """The output's ``screening`` with each party's input row and review cases, and each
    match carrying its own case (``case``), as the screen page shows them.

    Cases are the record's ``screened`` entry of the same name *and* country (two parties of
    one name in different countries are different parties with different cases), matched to
    a match by list and entry id. Records stored before cases carried ``source`` and
    ``entity_id`` only list the party's cases above its table.
    """
    parties = txn.get("parties") or []
    by_party = {(s.get("name"), s.get("country")): s for s in screened}
    view = []
    for s in output.get("screening") or []:
        at = s.get("party")
        given = parties[at] if isinstance(at, int) and 0 <= at < len(parties) else {}
        given = given if isinstance(given, dict) else {}
        country = str(given.get("country") or "").strip().upper() or None
        party_cases = (by_party.get((s.get("name"), country)) or {}).get("cases") or []
        by_entry = {(c.get("source"), c.get("entity_id")): c for c in party_cases}
        matches = [
            {**m, "case": {"id": case["id"], "status": case["status"]}}
            if (case := by_entry.get((m.get("source"), m.get("entity_id")))) else m
            for m in s.get("matches") or []
        ]
        view.append({**s, "given": given, "cases": party_cases, "matches": matches})
    return view


@router.get("/web/check/{seq}", response_class=HTMLResponse)
def check_result(request: Request, seq: int, user: WebUser = User) -> Response:
    rec = _check_record(request, seq)
    if rec is None:
        return _not_found(request, user, seq)
    txn = rec.body.get("input") or {}
    screened = rec.body.get("screened") or []
    return page(request, "result.html", user, "check", rec=rec, r=rec.body["output"], txn=txn,
                screened=screened, screening=screening_view(rec.body["output"], txn, screened))


@router.get("/web/check/{seq}/memo", response_class=HTMLResponse)
def check_memo(request: Request, seq: int, user: WebUser = User) -> Response:
    """The determination memo, laid out for printing (or saving as PDF from the print dialog)."""
    rec = _check_record(request, seq)
    if rec is None:
        return _not_found(request, user, seq)
    return page(request, "memo.html", user, "check", rec=rec, r=rec.body["output"],
                txn=rec.body.get("input") or {}, text=memo(rec.body["output"]))


@router.get("/web/check/{seq}/json")
def check_json(request: Request, seq: int, user: WebUser = User) -> Response:
    rec = _check_record(request, seq)
    if rec is None:
        return JSONResponse({"error": f"no stored check {seq}"}, status_code=404)
    return JSONResponse(
        {**rec.body["output"], "audit": {"seq": rec.seq, "hash": rec.hash}},
        headers={"Content-Disposition": f'attachment; filename="check-{seq}.json"'},
    )
