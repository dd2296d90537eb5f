"""Security headers on every answer: Content-Security-Policy, X-Frame-Options, nosniff.

The web pages are server-rendered with one script file and one stylesheet, so their policy
allows scripts and styles from this origin only: an injected ``<script>`` or ``onerror=`` is not
run even if escaping ever failed. The one inline thing left is a ``style`` attribute holding a
score bar's width (a CSS variable), which cannot run code; it is allowed by
``style-src-attr``. Framing is refused (clickjacking a "dispose" button), and browsers may
not guess a download's type (a CSV sniffed as HTML would run). The interactive API docs
(``/docs``, ``/redoc``) are third-party pages with inline scripts and a web worker and get a
looser policy of their own; they show no stored data.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGES_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeaders:
    """ASGI middleware adding the headers to every HTTP answer (errors and 413s included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        docs = path in DOCS_PATHS or path.startswith("/docs/")
        policy = DOCS_POLICY if docs else PAGES_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
            await send(message)

        await self.app(scope, receive, with_headers)
