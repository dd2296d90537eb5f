"""The FastAPI application factory behind ``chipexport serve``.

``create_app()`` opens the configured store (``CHIPEXPORT_DATABASE_URL``, SQLite by default),
brings its schema up to date, and loads the screening index once at start-up. OpenAPI is at
``/openapi.json``, interactive docs at ``/docs`` and ``/redoc`` (their scripts served by the
app itself). Run it with
``uvicorn --factory chipexport.service.app:create_app`` or ``chipexport serve``.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi_offline import FastAPIOffline

from chipexport import __version__
from chipexport.model.transaction import TransactionIn
from chipexport.service import (
    docs_pages,
    errors,
    openapi,
    routes_check,
    routes_flags,
    routes_lists,
    routes_match,
    routes_records,
    routes_screen,
)
from chipexport.service.limits import CostBudget
from chipexport.service.query import refuse_unknown_query
from chipexport.service.schemas import ScreenItem
from chipexport.service.security import SecurityHeaders
from chipexport.service.settings import Settings
from chipexport.service.state import IndexHolder
from chipexport.store import Store
from chipexport.store.rescreen import finish_pending

DOCS_STATIC = "/docs-static"
DESCRIPTION = """\
Restricted-party screening and export-control determination as a shared service.

Every `/v1` endpoint needs an API key (`Authorization: Bearer <key>` or `X-API-Key`), created
with `chipexport keys create NAME --role viewer|analyst|admin`. Every screen, check, case
decision and list change is stored in an append-only, hash-chained audit trail
(`chipexport audit verify`). Errors are JSON: `{"error": {"status", "message", "field",
"problems"}}`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured application; the store and index open in the lifespan (at server start)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store()
        app.state.store = store
        app.state.index = IndexHolder(store, settings.list_recheck_s)
        app.state.index.reload()
        # A re-screen a killed process left owed is finished now, beside the requests.
        threading.Thread(target=finish_pending, args=(store.engine, app.state.index.peek),
                         name="finish-rescreen", daemon=True).start()
        try:
            yield
        finally:
            store.close()

    # FastAPIOffline serves /docs with Swagger UI from the installed package, not from a CDN:
    # a compliance server often has no internet, and the default pages were blank there.
    # /redoc is docs_pages' (ReDoc's bundle still fetches a logo remotely).
    app = FastAPIOffline(
        title="chipexport",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url=DOCS_STATIC,
        redoc_url=None,
    )
    docs_pages.install(app, DOCS_STATIC)
    openapi.install(app, TransactionIn, ScreenItem)
    app.state.settings = settings
    app.state.cost_budget = CostBudget(settings.key_cost_per_s, settings.key_cost_burst)
    errors.install(app)
    for module in (
        routes_screen, routes_check, routes_lists, routes_records, routes_flags, routes_match
    ):
        app.include_router(module.router, dependencies=[Depends(refuse_unknown_query)])
    from chipexport.service import web  # the browser pages (docs/web.md)

    web.mount(app)

    @app.get("/healthz", tags=["service"], summary="Liveness and list readiness (no key)")
    def healthz(request: Request) -> dict[str, Any]:
        ctx = request.app.state.index.peek()
        return {
            "status": "ok",
            "version": __version__,
            "lists_loaded": ctx is not None,
            "index_entries": len(ctx.index) if ctx else 0,
        }

    app.add_middleware(errors.BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so every answer has them
    return app
