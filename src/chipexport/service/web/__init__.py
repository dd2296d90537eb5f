"""The web interface: server-rendered pages for analysts, inside the API's FastAPI app.

``mount(app)`` adds the page routes under ``/web`` and the static files under
``/web/static``. Pages sign in with an API key (see :mod:`.session`) and act through the same
store functions as the API, so everything done in a browser is in the audit trail under the
key's name. No JavaScript build step: Jinja2 templates, one stylesheet, one small script.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from chipexport.service.web import (
    routes_auth,
    routes_batch,
    routes_cases,
    routes_check,
    routes_lists,
    routes_screen,
    routes_timeline,
)
from chipexport.service.web.batch import Jobs
from chipexport.service.web.render import HERE, page
from chipexport.service.web.session import Forbidden, LoginRequired, Sessions, optional_user

_ROUTERS = (routes_auth, routes_check, routes_screen, routes_batch, routes_cases, routes_lists,
            routes_timeline)


def _warm_up() -> None:
    """Load the rules, criteria and product catalog before the first analyst waits for them."""
    from chipexport.determine import Engine
    from chipexport.service.web.timeline import boundaries

    Engine(None).check({"id": "warm-up", "date": "2024-06-01", "export_from": "US",
                        "destination": "CN", "items": [{"product": "NVIDIA H100 SXM5 80GB"}]})
    routes_check.product_names()
    boundaries()


def mount(app: FastAPI) -> None:
    """Add the web pages to ``app`` (called once by :func:`create_app`)."""
    threading.Thread(target=_warm_up, name="web-warm-up", daemon=True).start()
    app.state.web_sessions = Sessions()
    app.state.web_jobs = Jobs()
    for module in _ROUTERS:
        app.include_router(module.router, include_in_schema=False)
    app.mount("/web/static", StaticFiles(directory=str(HERE / "static")), name="web-static")

    @app.exception_handler(LoginRequired)
    async def _login(_: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/web/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> HTMLResponse:
        return page(request, "message.html", optional_user(request), "", status_code=403,
                    title="Not allowed", message=exc.message)
