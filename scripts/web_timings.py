"""Page load times of the web interface in Chromium (``python -m scripts.web_timings``).

Starts its own server with the bundled lists, signs in, and loads each page several times,
reporting the median and worst of the browser's own Navigation Timing figures: ``response``
(request start to last byte: the server's work) and ``load`` (navigation start to the load
event: what the user waits for). Separate from the tests on purpose: timings are facts to
report, not assertions that flake on a busy machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from urllib.parse import quote

from playwright.sync_api import Page, sync_playwright

from scripts.webserver import CHROMIUM, CHROMIUM_ARGS, web_server

RUNS = 7
TIMING = """() => { const n = performance.getEntriesByType('navigation')[0];
  return [n.responseEnd - n.requestStart, n.loadEventEnd - n.startTime]; }"""


def measure(page: Page, url: str) -> tuple[list[float], list[float]]:
    response, load = [], []
    for _ in range(RUNS):
        page.goto(url, wait_until="load")
        page.wait_for_function("performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
        r, ld = page.evaluate(TIMING)
        response.append(r)
        load.append(ld)
    return response, load


def main() -> int:
    with web_server() as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        base = server.base
        page.goto(f"{base}/web/login")
        page.fill("#token", server.tokens["analyst"])
        page.press("#token", "Enter")
        page.wait_for_url("**/web/check")
        submits = []  # the first includes the engine's one-off data loading
        for _ in range(RUNS):
            page.goto(f"{base}/web/check")
            started = time.perf_counter()
            page.get_by_role("button", name="Check transaction").click()
            page.wait_for_url("**/web/check/*", wait_until="load")
            submits.append((time.perf_counter() - started) * 1000)
        result = page.url
        page.goto(f"{base}/web/screen?q={quote('Hangzhou Huawei Enterprises')}&country=CN")
        case = page.locator("table.matches a[href^='/web/cases/']").first.get_attribute("href")
        pages = {
            "sign-in (signed out)": None,
            "check form": f"{base}/web/check",
            "check result": result,
            "memo": f"{result}/memo",
            "screen with a name (screens + audits)": f"{base}/web/screen?q="
            + quote("Semiconductor Manufacturing International Corp"),
            "screen results fragment": f"{base}/web/screen/results?q=" + quote("Huawei"),
            "batch page": f"{base}/web/batch",
            "review queue": f"{base}/web/cases",
            "case detail": f"{base}{case}",
            "lists": f"{base}/web/lists",
            "rule timeline (H800, 2022-2027)": f"{base}/web/timeline",
        }
        print(f"{'page':40} {'response ms (median/max)':>26} {'load ms (median/max)':>22}")
        for name, url in pages.items():
            target = page
            if url is None:
                target = browser.new_page()
                url = f"{base}/web/login"
            response, load = measure(target, url)
            print(f"{name:40} {statistics.median(response):12.1f} / {max(response):6.1f}"
                  f"      {statistics.median(load):10.1f} / {max(load):6.1f}")
        print(f"{'submit check -> result page loaded':40} {'':26} "
              f"{statistics.median(submits):10.1f} / {max(submits):6.1f} (first: {submits[0]:.0f})")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
