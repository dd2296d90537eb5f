"""The analyst's four journeys of issue #6 in Chromium, against a real server.

Expected outcomes are not copied from the code: the determination is recomputed in-process
with the library (:class:`chipexport.determine.Engine`) and the page must show what it says;
what the pages wrote is read back through the REST API (audit records, cases), so the test
also proves the browser acted through the audited store functions under the key's name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chipexport.determine import Engine

pytestmark = pytest.mark.slow
LISTED = "Hangzhou Huawei Enterprises"


def _last_record(server: object, kind: str) -> dict[str, object]:
    with server.api() as api:  # type: ignore[attr-defined]
        found = api.get("/v1/history", params={"kind": kind, "limit": 1000}).json()["records"]
    assert found, f"no {kind} record"
    record: dict[str, object] = found[-1]
    return record


def test_check_a_transaction_that_needs_a_licence(pages, web_server) -> None:
    txn = {"id": "t-web-1", "date": "2024-06-01", "export_from": "US", "destination": "CN",
           "items": [{"product": "NVIDIA H100 SXM5 80GB"}]}
    expected = Engine(None).check(txn)
    assert expected["outcome"] == "LICENSE_REQUIRED"  # the case issue #6 asks for
    page: Page = pages.page("analyst")
    page.fill("#date", txn["date"])
    page.select_option("#export_from", txn["export_from"])
    page.fill("#destination", txn["destination"])
    page.fill("#id", txn["id"])
    page.fill("[name=item-0-product]", txn["items"][0]["product"])
    page.fill("[name=party-0-name]", "")
    page.get_by_role("button", name="Check transaction").click()
    page.wait_for_url("**/web/check/*")
    expect(page.locator("h1 .badge")).to_have_text(expected["outcome"])
    us = page.locator("section.jur", has=page.locator("h3", has_text="US"))
    expect(us.locator("header .badge")).to_have_text(expected["jurisdictions"]["US"]["outcome"])
    for reason in expected["jurisdictions"]["US"]["reasons"]:
        if reason["citation"]:
            expect(us.get_by_text(reason["citation"], exact=True).first).to_be_visible()
        expect(us.get_by_text(reason["rule"], exact=True).first).to_be_visible()
        expect(us.get_by_text(f"{reason['in_force'][0]} →").first).to_be_visible()
    for code in expected["jurisdictions"]["US"]["classifications"]:
        expect(us.locator("code.cls", has_text=code)).to_be_visible()
    record = _last_record(web_server, "check")
    assert record["actor"] == web_server.names["analyst"]
    assert record["ref"] == txn["id"]
    assert page.url.endswith(f"/web/check/{record['seq']}")

    page.get_by_role("link", name="Printable memo").click()
    page.wait_for_url("**/memo")
    expect(page.locator("article.memo h1 .badge")).to_have_text(expected["outcome"])
    page.emulate_media(media="print")
    assert page.locator("nav.side").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator(".memo-tools").evaluate("e => getComputedStyle(e).display") == "none"


def test_screen_a_listed_name_by_keyboard(pages, web_server) -> None:
    page: Page = pages.page("viewer")
    page.goto(f"{web_server.base}/web/screen")
    page.evaluate("document.activeElement.blur()")
    for _ in range(25):  # Tab from the top of the page until the search field has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q", "the search field is not reachable"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "no visible focus ring"
    page.keyboard.type(LISTED)
    page.keyboard.press("Enter")
    row = page.locator("table.matches tbody tr", has_text=LISTED).first
    expect(row).to_be_visible()
    expect(row.locator(".src")).to_have_text("EL")
    record = _last_record(web_server, "screen")
    assert record["actor"] == web_server.names["viewer"]
    matches = record["body"]["output"]["matches"]  # type: ignore[index]
    assert any(m["source"] == "EL" and LISTED in m["name"] for m in matches)


def test_typing_previews_without_recording_and_enter_records(pages, web_server) -> None:
    """Search-as-you-type is a preview: typing a listed name letter by letter (slower than the
    350 ms pause, so every prefix is previewed) writes no screen record and opens no case;
    Enter records one screen, and its strong match opens the case."""
    name, country = "Harbin Institute of Technology", "CN"  # on the Entity List, only here
    with web_server.api() as api:
        screens = len(api.get("/v1/history", params={"kind": "screen", "limit": 1000}
                              ).json()["records"])
        cases = api.get("/v1/cases", params={"limit": 1000}).json()["cases"]
    page: Page = pages.page("analyst")
    page.goto(f"{web_server.base}/web/screen")
    page.fill("#country", country)
    page.locator("#q").press_sequentially(name[:10], delay=400)  # "Harbin Ins": many previews
    page.locator("#q").press_sequentially(name[10:])
    summary = page.locator("#results .result-summary")
    expect(summary).to_contain_text(name)
    expect(summary).to_contain_text("preview, not recorded")
    expect(page.locator("table.matches tbody tr", has_text=name).first).to_be_visible()
    expect(page).to_have_url(re.compile(r"preview=1"))
    with web_server.api() as api:
        after = api.get("/v1/history", params={"kind": "screen", "limit": 1000}).json()["records"]
        assert len(after) == screens, [r["body"]["input"]["name"] for r in after[screens:]]
        assert api.get("/v1/cases", params={"limit": 1000}).json()["cases"] == cases

    page.locator("#q").press("Enter")
    expect(summary).to_contain_text("audit record #")
    link = page.locator("table.matches a[href^='/web/cases/']").first
    expect(link).to_be_visible()
    record = _last_record(web_server, "screen")
    assert record["body"]["input"]["name"] == name
    assert record["actor"] == web_server.names["analyst"]
    with web_server.api() as api:
        now = api.get("/v1/cases", params={"limit": 1000}).json()["cases"]
    opened = [c for c in now if c not in cases]
    assert opened and {c["party"]["name"] for c in opened} == {name}
    links = page.locator("table.matches a[href*='/cases/']").all()
    shown = {a.get_attribute("href") for a in links}
    assert {f"/web/cases/{c['id']}" for c in opened} <= shown
    assert "preview=1" not in page.url


def test_dispose_a_case_as_false_positive(pages, web_server) -> None:
    page: Page = pages.page("analyst")
    page.goto(f"{web_server.base}/web/screen?q={LISTED}&country=CN")
    link = page.locator("table.matches a[href^='/web/cases/']").first
    expect(link).to_be_visible()
    case_id = int(link.get_attribute("href").rsplit("/", 1)[1])  # type: ignore[union-attr]
    page.get_by_role("link", name="Review queue").click()
    page.locator(f"table.cases a[href='/web/cases/{case_id}']").first.click()
    page.wait_for_url(f"**/web/cases/{case_id}")
    expect(page.locator("#entry-h .src")).to_have_text("EL")
    reason = "Different company: a furniture maker in Suzhou, not part of Huawei"
    page.fill("#reason", reason)
    page.get_by_role("button", name="False positive").click()
    page.wait_for_url(f"**/web/cases/{case_id}?done=1")
    expect(page.locator("h1 .status")).to_have_text("false positive")
    history = page.locator("table.history tbody tr", has_text="disposition")
    expect(history).to_contain_text(reason)
    expect(history).to_contain_text(web_server.names["analyst"])
    with web_server.api() as api:
        case = api.get(f"/v1/cases/{case_id}").json()
    assert case["status"] == "false_positive"
    assert case["decided_by"] == web_server.names["analyst"]
    assert case["events"][-1]["kind"] == "disposition"
    assert case["events"][-1]["body"]["reason"] == reason

    viewer: Page = pages.page("viewer")
    viewer.goto(f"{web_server.base}/web/cases/{case_id}")
    expect(viewer.get_by_role("button", name="False positive")).to_have_count(0)
    csrf = viewer.locator("input[name=csrf]").first.get_attribute("value")
    refused = viewer.request.post(
        f"{web_server.base}/web/cases/{case_id}/disposition",
        form={"decision": "true_match", "reason": "x", "csrf": csrf or ""})
    assert refused.status == 403


def test_upload_a_csv_and_download_the_result(pages, web_server, tmp_path: Path) -> None:
    rows = [("b-1", LISTED, "CN"), ("b-2", "Quiet Meadow Bakery Ltd", "GB"), ("b-3", "", "CN")]
    csv = tmp_path / "orders.csv"
    csv.write_text("id,name,country,order\n" + "".join(
        f"{i},{n},{c},o{k}\n" for k, (i, n, c) in enumerate(rows)), encoding="utf-8")
    page: Page = pages.page("analyst", accept_downloads=True)
    page.goto(f"{web_server.base}/web/batch")
    page.set_input_files("#file", str(csv))
    page.get_by_role("button", name="Upload and screen").click()
    expect(page.locator("#download-jsonl")).to_be_visible(timeout=20000)
    expect(page.locator("#job-count")).to_have_text(f"{len(rows)} of {len(rows)} rows screened")
    with page.expect_download() as info:
        page.locator("#download-jsonl").click()
    out = [json.loads(line) for line in Path(info.value.path()).read_text().splitlines()]
    assert [r["id"] for r in out] == [r[0] for r in rows]
    # matched, or cleared by the false-positive decision another test may have recorded
    found = out[0]["matches"] + out[0].get("cleared_matches", [])
    assert any(m["source"] == "EL" for m in found)
    assert [r["order"] for r in out] == ["o0", "o1", "o2"]  # other columns carried through
    assert "error" in out[2] and out[2]["matches"] == []
    assert out[0]["audit"]["seq"] > 0
    record = _last_record(web_server, "screen")
    assert record["actor"] == web_server.names["analyst"]


def test_every_page_loads_clean_and_search_is_instant(pages, web_server) -> None:
    """Each page renders its heading with no console errors (checked by the fixture)."""
    page: Page = pages.page("admin")
    for path, heading in [("/web/check", "Check a transaction"), ("/web/screen", "Screen a name"),
                          ("/web/batch", "Batch screening"), ("/web/cases", "Review queue"),
                          ("/web/cases?status=all", "Review queue"),
                          ("/web/lists", "Restricted-party lists"),
                          ("/web/timeline?provision=us.ac.scope", "Rule timeline")]:
        page.goto(web_server.base + path)
        expect(page.locator("h1").first).to_contain_text(heading)
        expect(page.locator("nav.side a[aria-current=page]")).to_have_count(1)
    page.goto(f"{web_server.base}/web/lists")
    expect(page.get_by_role("button", name="Update lists")).to_be_visible()  # admin only
    page.goto(f"{web_server.base}/web/screen")
    page.locator("#q").press_sequentially("Moscow Institute of Physics and Technology")
    # no Enter pressed: the results (and the address, for the back button) follow the typing
    expect(page).to_have_url(re.compile(r"q=Moscow\+Institute\+of\+Physics\+and\+Technology"))
    expect(page.locator("#results .result-summary")).to_contain_text("Moscow Institute of Physics")
    page.goto(f"{web_server.base}/web/lists")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_api_docs_render_without_internet(pages, web_server) -> None:
    """/docs and /redoc load Swagger UI and ReDoc from the server (Chromium here has no
    network beyond loopback; with the CDN defaults both pages stayed blank)."""
    page: Page = pages.page(None)
    page.goto(f"{web_server.base}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/v1/screen").first).to_be_visible()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{web_server.base}/redoc")
    expect(page.get_by_text("/v1/check").first).to_be_attached()
    expect(page.get_by_text("API docs by Redocly")).to_be_visible()  # its logo came last
    page.wait_for_load_state("networkidle")
    assert failed == []


def test_a_form_problem_keeps_what_was_typed(pages, web_server) -> None:
    page: Page = pages.page("analyst")
    page.fill("#destination", "China")
    page.fill("[name=item-0-product]", "NVIDIA H100 SXM5 80GB")
    page.fill("[name=item-1-params]", "tpp 4800")
    page.fill("[name=party-0-name]", "Quiet Meadow Bakery Ltd")
    page.get_by_role("button", name="Check transaction").click()
    expect(page.locator(".error[role=alert]")).to_contain_text("item 2 parameters")
    expect(page.locator("[name=item-0-product]")).to_have_value("NVIDIA H100 SXM5 80GB")
    expect(page.locator("[name=item-1-params]")).to_have_value("tpp 4800")
    expect(page.locator("[name=party-0-name]")).to_have_value("Quiet Meadow Bakery Ltd")
    expect(page.locator("#destination")).to_have_value("China")
