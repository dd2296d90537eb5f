"""Every error answer is JSON of one shape, naming the field at fault where there is one::

    {"error": {"status": 422, "message": "[2].name: field required", "field": "[2].name",
               "problems": [{"field": "[2].name", "message": "field required"}]}}

Clients parse one shape for malformed JSON, wrong types, unknown fields, oversized bodies,
missing keys and server-side refusals alike; nothing is stored for a request that gets one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chipexport.errors import ChipexportError


class ApiError(ChipexportError):
    """An error answer with its own ``status``; ``problems`` are ``(field, message)`` pairs."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        problems: Sequence[tuple[str | None, str]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field
        detail = message
        if field and message.startswith(f"{field}: "):
            detail = message[len(field) + 2 :]  # the problem list names the field separately
        self.problems = list(problems) or [(field, detail)]
        self.headers = headers


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for an error message: a caller's value is named so
    they can find it, not echoed back in full (a 500-character query would come back whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_body(
    status: int, message: str, field: str | None, problems: Sequence[tuple[str | None, str]]
) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "message": message,
            "field": field,
            "problems": [{"field": f, "message": m} for f, m in problems],
        }
    }


def _response(exc: ApiError) -> JSONResponse:
    return JSONResponse(
        error_body(exc.status, exc.message, exc.field, exc.problems),
        status_code=exc.status,
        headers=exc.headers,
    )


def field_path(loc: Sequence[Any]) -> str:
    """``("body", 2, "name")`` -> ``[2].name``; the leading ``body``/``query`` is dropped."""
    parts = list(loc)
    prefix = ""
    if parts and parts[0] in ("body", "query", "path", "header"):
        prefix = "" if parts[0] == "body" else f"{parts[0]}:"
        parts = parts[1:]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return prefix + (out or "(body)")


def validation_error(errors: Sequence[Any], prefix: Sequence[Any] = ()) -> ApiError:
    """A 422 from pydantic errors (each with ``loc`` and ``msg``)."""
    problems: list[tuple[str | None, str]] = []
    for err in errors:
        loc = [*prefix, *err.get("loc", ())]
        msg = str(err.get("msg", "invalid"))
        if err.get("type") == "json_invalid":
            msg = f"malformed JSON: {err.get('ctx', {}).get('error', msg)}"
        problems.append((field_path(loc), msg))
    field, msg = problems[0]
    return ApiError(422, f"{field}: {msg}", field, problems)


def install(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return _response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _response(validation_error(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, RecursionError):
            # FastAPI's own body parsing (routes with a pydantic body) turns the decoder's
            # RecursionError on deeply nested JSON into a 400 "error parsing the body".
            return _response(ApiError(422, "(body): JSON nested too deeply to read", "(body)"))
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # The same for any other body it cannot decode (an integer of more digits than
            # Python converts, bad UTF-8): the API documents 422 for every unusable body.
            return _response(ApiError(422, "(body): the body is not usable JSON", "(body)"))
        headers = dict(exc.headers) if exc.headers else None
        return _response(ApiError(exc.status_code, str(exc.detail), headers=headers))

    @app.exception_handler(ChipexportError)
    async def _expected(_: Request, exc: ChipexportError) -> JSONResponse:
        return _response(ApiError(exc.status, str(exc)))


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with a 413 before any route sees them.

    The body is buffered (it is small by construction) so that a chunked upload with no
    Content-Length is measured too, and a route never acts on a cut-off body. A NUL character
    in the query string or in a form body (``%00``) is refused here too, with a 422: no field
    needs one, PostgreSQL cannot store one, and the pages take their input from both. (JSON
    bodies are checked where they are decoded, by field.)
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        if b"%00" in scope.get("query_string", b""):
            await _send_error(send, 422, "query", "a query parameter contains a NUL character")
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        form = headers.get(b"content-type", b"").startswith(b"application/x-www-form-urlencoded")
        if form and b"%00" in body:
            await _send_error(send, 422, "(body)", "a form field contains a NUL character")
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        await _send_error(send, 413, "(body)", f"request body over {self.limit} bytes",
                          {"Connection": "close"})


async def _send_error(send: Send, status: int, field: str, message: str,
                      headers: dict[str, str] | None = None) -> None:
    """Answer with the one error shape from a middleware (before any route runs)."""
    response = JSONResponse(error_body(status, f"{field}: {message}", field, [(field, message)]),
                            status_code=status, headers=headers)
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
