"""``/redoc`` without the network: ReDoc's script from the installed package, its one remote
image replaced.

``fastapi_offline`` serves Swagger UI and ReDoc from the package (``/docs``, its assets under
``/docs-static``), but ReDoc's bundle still loads its "API docs by Redocly" logo from
``cdn.redoc.ly``: offline that is a failed request and a console error on an otherwise working
page. The script is served here with that address swapped for an empty inline image.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response

REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = b"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
SCRIPT_PATH = "/docs-redoc.js"


@cache
def redoc_script() -> bytes:
    """ReDoc's standalone bundle as shipped by ``fastapi_offline``, fetching nothing remote."""
    script = resources.files("fastapi_offline").joinpath("static", "redoc.standalone.js")
    return script.read_bytes().replace(REDOC_LOGO, EMPTY_IMAGE)


def install(app: FastAPI, static_url: str) -> None:
    """Add ``/redoc`` (build the app with ``redoc_url=None``) and the script it loads."""

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url=SCRIPT_PATH,
            redoc_favicon_url=f"{static_url}/favicon.png",
            with_google_fonts=False,
        )

    @app.get(SCRIPT_PATH, include_in_schema=False)
    def redoc_js() -> Response:
        return Response(redoc_script(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})
