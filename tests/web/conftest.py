"""Browser fixtures: a real ``chipexport serve`` with the bundled lists, keys, and Chromium.

The server is started once per session like an operator would (``lists load``, ``keys
create``, ``serve`` as subprocesses with their own CHIPEXPORT_HOME); Chromium is Debian's
(``/usr/bin/chromium``, installed by ``make test``), driven headless by Playwright. Every page
a test opens collects console errors and uncaught page errors, and the test fails if any
appeared: "no JavaScript errors" is checked on every page the tests visit, not on one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    sync_playwright,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
KEY_NAMES = {"viewer": "web-viewer", "analyst": "web-analyst", "admin": "web-admin"}


@dataclass
class WebServer:
    base: str
    tokens: dict[str, str]
    names: dict[str, str]
    home: Path
    env: dict[str, str]

    def cli(self, *args: str) -> str:
        """Run the CLI against this server's database."""
        return _cli(self.env, *args)

    def api(self, role: str = "viewer") -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30,
                            headers={"Authorization": f"Bearer {self.tokens[role]}"})


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "chipexport", *args], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"chipexport {' '.join(args)}: {done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: install Debian's chromium (make test does)",
                    pytrace=False)
    home = tmp_path_factory.mktemp("web-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPEXPORT_")}
    env["CHIPEXPORT_HOME"] = str(home)
    _cli(env, "lists", "load")
    tokens = {role: _cli(env, "keys", "create", name, "--role", role).split()[0]
              for role, name in KEY_NAMES.items()}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "chipexport", "serve", "--port", str(port), "--log-level",
         "warning"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, (home / "server.log").read_text()
        assert time.monotonic() < deadline, "server not ready in 60 s"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).json().get("lists_loaded"):
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    yield WebServer(base, tokens, dict(KEY_NAMES), home, env)
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Pages:
    """Opens signed-in browser pages and remembers every console or page error they show."""

    server: WebServer
    browser: Browser
    errors: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def page(self, role: str | None = "analyst", **context_args: bool) -> Page:
        """A new browser context's page, signed in with the key of ``role`` (None: not)."""
        context = self.browser.new_context(viewport={"width": 1280, "height": 800},
                                           **context_args)  # type: ignore[arg-type]
        self.contexts.append(context)
        page = context.new_page()

        def console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                self.errors.append(f"{page.url}: console: {msg.text}")

        def page_error(exc: Error) -> None:
            self.errors.append(f"{page.url}: page error: {exc}")

        page.on("console", console)
        page.on("pageerror", page_error)
        if role is not None:
            page.goto(f"{self.server.base}/web/login")
            page.fill("#token", self.server.tokens[role])
            page.press("#token", "Enter")
            page.wait_for_url("**/web/check")
        return page


@pytest.fixture()
def pages(web_server: WebServer, browser: Browser) -> Iterator[Pages]:
    found = Pages(web_server, browser)
    yield found
    for context in found.contexts:
        context.close()
    assert found.errors == [], "JavaScript errors:\n" + "\n".join(found.errors)

