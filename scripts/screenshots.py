"""Screenshots of every web page at 1280x800, and the main ones at phone size (390x844), into
docs/screenshots/ (``make screenshots``); the printed memo as PDF pages (``PDF_OUT``).

Starts its own server (bundled lists, fresh data directory), signs in as an analyst, and walks
through the pages in the order an analyst would: check a transaction, read the memo, screen a
name, upload a batch, work the review queue, look at the lists and the rule timeline.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from scripts.webserver import CHROMIUM, CHROMIUM_ARGS, web_server

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# The memo printed to PDF by Chromium (look at its pages with pdftoppm); not committed.
PDF_OUT = Path(tempfile.gettempdir()) / "chipexport-memo.pdf"
BATCH_CSV = """id,name,country,customer_no
r-1,Hangzhou Huawei Enterprises,CN,C-1001
r-2,Suzhou Garden Furniture Co Ltd,CN,C-1002
r-3,Semiconductor Mfg Intl (Beijing) Corp,CN,C-1003
r-4,Acme Precision Optics GmbH,DE,C-1004
r-5,Moscow Institute of Physics and Technology,RU,C-1005
r-6,Nordic Timber Trading AB,SE,C-1006
r-7,Beijing Sophgo Technologies Co Ltd,CN,C-1007
r-8,,CN,C-1008
"""


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(OUT / name))
    print(f"docs/screenshots/{name}")


def fill_check(page: Page) -> None:
    page.fill("#date", "2024-06-01")
    page.select_option("#export_from", "US")
    page.fill("#destination", "CN")
    page.fill("#id", "PO-2024-0611")
    page.fill("[name=item-0-product]", "NVIDIA H100 SXM5 80GB")
    page.fill("[name=item-0-value_usd]", "250000")
    page.fill("[name=item-1-hts]", "8542.31")
    page.fill("[name=item-1-origin]", "CN")
    page.fill("[name=item-1-value_usd]", "100000")
    page.fill("[name=item-1-params]", "description='packaged logic ICs'")
    page.select_option("[name=party-0-role]", "end_user")
    page.fill("[name=party-0-name]", "Hangzhou Huawei Enterprises")
    page.fill("[name=party-0-country]", "China")
    page.fill("[name=party-0-hq]", "CN")
    page.fill("[name=party-0-ultimate_parent]", "Huawei Investment & Holding Co., Ltd.")
    page.fill("[name=party-0-ultimate_parent_hq]", "CN")
    page.fill("[name=owner-0-party]", "1")
    page.fill("[name=owner-0-name]", "Huawei Technologies Co., Ltd.")
    page.fill("[name=owner-0-percent]", "100")
    page.fill("[name=owner-0-country]", "CN")
    page.select_option("[name=party-1-role]", "consignee")
    page.fill("[name=party-1-name]", "Shenzhen Harbour Logistics Co Ltd")
    page.fill("[name=party-1-country]", "CN")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with web_server() as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        base = server.base
        page.goto(f"{base}/web/login")
        shot(page, "01-sign-in.png")
        page.fill("#token", server.tokens["analyst"])
        page.click("button[type=submit]")
        page.wait_for_url("**/web/check")
        fill_check(page)
        shot(page, "02-check-form.png")
        page.click("text=Check transaction >> nth=-1")
        page.wait_for_url("**/web/check/*")
        shot(page, "03-check-result.png")
        result_url = page.url
        page.goto(result_url + "/memo")
        page.pdf(path=str(PDF_OUT), format="A4", print_background=True)
        print(PDF_OUT)
        page.goto(result_url)
        page.click("text=Printable memo")
        page.wait_for_url("**/memo")
        page.emulate_media(media="print")
        shot(page, "10-memo-print.png")
        page.emulate_media(media="screen")
        page.goto(f"{base}/web/screen")
        page.fill("#q", "Hangzhou Huawei Enterprises")
        page.press("#q", "Enter")
        page.wait_for_selector("table.matches")
        shot(page, "04-screen-results.png")
        page.goto(f"{base}/web/batch")
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "orders-2024-06.csv"
            csv.write_text(BATCH_CSV, encoding="utf-8")
            page.set_input_files("#file", str(csv))
            page.click("text=Upload and screen")
            page.wait_for_selector("#download-jsonl:visible", timeout=30000)
        shot(page, "05-batch-upload.png")
        page.goto(f"{base}/web/cases")
        shot(page, "06-review-queue.png")
        page.locator("table.cases tbody tr", has_text="Sophgo").first.locator("a").first.click()
        page.wait_for_url("**/web/cases/*")
        page.fill("#reason", "Same company: Beijing Sophgo is the listed Sophgo Technologies "
                             "Ltd. (alias on the entry); hold the order")
        shot(page, "07-case-detail.png")
        page.goto(f"{base}/web/lists")
        shot(page, "08-lists.png")
        page.goto(f"{base}/web/timeline?product=NVIDIA+H800&provision=us.ac.scope")
        shot(page, "09-rule-timeline.png")
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(f"{base}/web/login")
        phone.fill("#token", server.tokens["analyst"])
        phone.click("button[type=submit]")
        phone.wait_for_url("**/web/check")
        shot(phone, "phone-02-check-form.png")
        phone.goto(result_url)
        shot(phone, "phone-03-check-result.png")
        phone.goto(f"{base}/web/screen?q=Hangzhou+Huawei+Enterprises&country=CN")
        shot(phone, "phone-04-screen-results.png")
        phone.goto(f"{base}/web/cases")
        shot(phone, "phone-06-review-queue.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
