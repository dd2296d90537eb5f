"""The rule timeline page: a product (or parameters), a route, a period -> a chart per lane."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from chipexport.service.web import timeline
from chipexport.service.web.check_form import EXPORT_FROM, FormProblem, parse_params
from chipexport.service.web.render import page
from chipexport.service.web.routes_check import product_names
from chipexport.service.web.session import WebUser, current_user

router = APIRouter()
User = Depends(current_user)
CHART_WIDTH = 1000


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FormProblem(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


@router.get("/web/timeline", response_class=HTMLResponse)
async def timeline_page(
    request: Request,
    user: WebUser = User,
    product: str = Query("NVIDIA H800", max_length=200),
    params: str = Query("", max_length=500),
    export_from: str = Query("US", max_length=2),
    destination: str = Query("CN", max_length=2),
    start: str = Query("2022-01-01", max_length=10),
    end: str = Query("", max_length=10),
    probes: str = Query("2023-03-01 2024-01-15", max_length=100),
    provision: str = Query("", max_length=100),
) -> Response:
    form = {"product": product, "params": params, "export_from": export_from.upper(),
            "destination": destination.upper(), "start": start,
            "end": end or f"{datetime.now(UTC).year + 1}-01-01", "probes": probes,
            "provision": provision.strip()}
    result, problem = None, None
    try:
        item: dict[str, Any] = {"product": product.strip()} if product.strip() else {}
        item.update(parse_params(params, "parameters"))
        if not item and not form["provision"]:
            raise FormProblem("give a product name, parameters or a provision")
        probe_days = [_day(p, "compare dates") for p in probes.replace(",", " ").split()][:4]
        txn = {"id": "timeline", "export_from": form["export_from"],
               "destination": form["destination"], "items": [item]} if item else None
        result = await run_in_threadpool(
            timeline.compute, txn, _day(form["start"], "from"), _day(form["end"], "to"),
            probe_days if txn else [], form["provision"] or None)
    except (FormProblem, ValueError) as exc:
        problem = str(exc)
    return page(request, "timeline.html", user, "timeline",
                f=form, tl=result, problem=problem, products=product_names(),
                provisions=timeline.provision_choices(),
                export_from=EXPORT_FROM, width=CHART_WIDTH, x_of=timeline.x_of,
                ticks=timeline.year_ticks(result) if result else [], last_day=timeline.last_day)
