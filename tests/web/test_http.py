"""Sign-in, sessions, CSRF, roles and limits of the web pages, over plain HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from chipexport.determine import Engine

pytestmark = pytest.mark.slow


def _login(client: httpx.Client, token: str, next_path: str | None = None) -> httpx.Response:
    """Sign in through the form, as a browser does (with the form's login CSRF token)."""
    form = {"token": token, "csrf": _csrf(client, "/web/login")}
    return client.post("/web/login", data=form | ({"next": next_path} if next_path else {}))


def _signed_in(server, role: str = "analyst") -> httpx.Client:
    client = httpx.Client(base_url=server.base, timeout=30)
    answer = _login(client, server.tokens[role], "/web/lists")
    assert answer.status_code == 303 and answer.headers["location"] == "/web/lists"
    return client


def _csrf(client: httpx.Client, path: str = "/web/check") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def _count(server, kind: str) -> int:
    with server.api() as api:
        return len(api.get("/v1/history", params={"kind": kind, "limit": 1000}).json()["records"])


def test_pages_need_a_session(web_server) -> None:
    for path in ("/web/check", "/web/screen?q=x", "/web/cases", "/web/lists", "/web/timeline"):
        answer = httpx.get(web_server.base + path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/web/login?next=")


def test_unknown_key_is_refused_and_sets_no_cookie(web_server) -> None:
    answer = _login(httpx.Client(base_url=web_server.base), "cx_nope")
    assert answer.status_code == 200  # the sign-in page again, with the problem on it
    assert "chipexport_session" not in answer.headers.get("set-cookie", "")
    assert "unknown or revoked" in answer.text


def test_the_sign_in_form_refuses_a_post_without_its_csrf_token(web_server) -> None:
    """Login CSRF: a foreign page posting a key of its own gets no session for the browser."""
    token = web_server.tokens["viewer"]
    bare = httpx.post(web_server.base + "/web/login", data={"token": token})
    assert bare.status_code == 403 and "chipexport_session" not in bare.headers.get(
        "set-cookie", "")
    client = httpx.Client(base_url=web_server.base)
    _csrf(client, "/web/login")  # the cookie is set, but the form field is forged
    forged = client.post("/web/login", data={"token": token, "csrf": "forged"})
    assert forged.status_code == 403 and "security token" in forged.text
    assert _login(client, token).status_code == 303


def test_session_cookie_is_http_only_and_next_stays_on_site(web_server) -> None:
    client = httpx.Client(base_url=web_server.base)
    answer = _login(client, web_server.tokens["viewer"], "//evil.example/x")
    assert answer.status_code == 303 and answer.headers["location"] == "/web/check"
    cookie = next(c for c in answer.headers.get_list("set-cookie")
                  if c.startswith("chipexport_session=")).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert web_server.tokens["viewer"].lower() not in cookie


def test_forms_without_the_csrf_token_change_nothing(web_server) -> None:
    client = _signed_in(web_server)
    before = _count(web_server, "check")
    form = {"date": "2024-06-01", "export_from": "US", "destination": "CN",
            "item-0-product": "NVIDIA H100 SXM5 80GB"}
    assert client.post("/web/check", data=form).status_code == 403
    assert client.post("/web/check", data=form | {"csrf": "forged"}).status_code == 403
    assert _count(web_server, "check") == before
    ok = client.post("/web/check", data=form | {"csrf": _csrf(client)})
    assert ok.status_code == 303 and _count(web_server, "check") == before + 1


def test_a_revoked_key_ends_its_sessions(web_server) -> None:
    token = web_server.cli("keys", "create", "short-lived", "--role", "analyst").split()[0]
    client = httpx.Client(base_url=web_server.base, timeout=30)
    _login(client, token)
    assert client.get("/web/lists").status_code == 200
    web_server.cli("keys", "revoke", "short-lived")
    assert client.get("/web/lists").status_code == 303


def test_viewers_cannot_update_lists_and_signed_out_sessions_are_gone(web_server) -> None:
    client = _signed_in(web_server, "viewer")
    csrf = _csrf(client, "/web/lists")
    answer = client.post("/web/lists/update", data={"csrf": csrf})
    assert answer.status_code == 403 and "admin" in answer.text
    assert client.post("/web/logout", data={"csrf": csrf}).status_code == 303
    assert client.get("/web/lists").status_code == 303


def test_an_upload_over_the_body_limit_is_refused(web_server) -> None:
    client = _signed_in(web_server)
    big = b"id,name\n" + b"".join(b"r%d,Some Company Name %d\n" % (i, i) for i in range(60000))
    answer = client.post("/web/batch", data={"csrf": _csrf(client, "/web/batch")},
                         files={"file": ("big.csv", big, "text/csv")})
    assert answer.status_code == 413


def test_a_csv_without_a_name_column_is_one_line_error(web_server) -> None:
    client = _signed_in(web_server)
    answer = client.post("/web/batch", data={"csrf": _csrf(client, "/web/batch")},
                         files={"file": ("bad.csv", b"id,company\n1,x\n", "text/csv")})
    assert answer.status_code == 200  # the page, with the one-line error in it
    assert "bad.csv, line 1: no &#39;name&#39; column" in answer.text


def test_lists_page_shows_what_the_api_reports(web_server) -> None:
    client = _signed_in(web_server, "viewer")
    html = client.get("/web/lists").text
    with web_server.api() as api:
        lists = api.get("/v1/lists").json()["lists"]
    for entry in lists:
        assert f'<span class="src">{entry["source"]}</span>' in html
        assert f'{entry["entries"]:,}' in html
    assert "What changed at the last load" in html and "No list change" not in html


def test_timeline_compare_dates_show_the_engines_answer(web_server) -> None:
    client = _signed_in(web_server, "viewer")
    days = ["2023-03-01", "2024-01-15"]
    html = client.get("/web/timeline", params={"product": "NVIDIA H800", "destination": "CN",
                                               "export_from": "US", "probes": " ".join(days)}).text
    outcomes = set()
    for day in days:
        want = Engine(None).check({"id": "x", "date": day, "export_from": "US",
                                   "destination": "CN", "items": [{"product": "NVIDIA H800"}]})
        outcomes.add(want["outcome"])
        assert re.search(rf'<h3>{day} <span class="badge b-{want["outcome"].lower()}">', html)
    assert outcomes == {"NLR", "LICENSE_REQUIRED"}  # the H800 story of issue #6
    assert "<svg" in html and "o-license_required" in html


def test_names_are_escaped_in_pages(web_server) -> None:
    client = _signed_in(web_server, "viewer")
    evil = '<img src=x onerror="alert(1)"> Huawei Technologies'
    html = client.get("/web/screen", params={"q": evil}).text
    assert "&lt;img src=x onerror=" in html
    assert "<img src=x" not in html


def test_long_notice_lists_show_the_listing_and_latest_notice_first(web_server) -> None:
    """An entry amended many times keeps its row short: first and latest notice, the rest folded."""
    client = _signed_in(web_server, "viewer")
    name = "Huawei Technologies Co Ltd"
    with web_server.api() as api:
        answer = api.post("/v1/screen", json={"id": "fr", "name": name, "country": "CN"})
        assert answer.status_code == 200, answer.text
        matches = answer.json()["matches"]
    long = [m for m in matches if (m["federal_register_notice"] or "").count(";") >= 2]
    assert long, "the bundled Entity List should have a Huawei entry with several notices"
    notices = [n.strip() for n in long[0]["federal_register_notice"].split(";") if n.strip()]
    html = client.get("/web/screen", params={"q": name, "country": "CN"}).text
    cells = re.findall(r'<td class="mono small fr">(.*?)</td>', html, re.S)
    cell = next(c for c in cells if notices[-1] in c and notices[0] in c)
    shown = re.findall(r'<span class="nowrap">([^<]+)</span>', cell)
    assert shown[:2] == [notices[0], notices[-1]]
    assert f"+{len(notices) - 2} more" in cell.split("<details>")[1]
    assert sorted(shown) == sorted(notices)


def test_a_stored_check_can_be_downloaded_and_edited_again(web_server) -> None:
    client = _signed_in(web_server)
    form = {"date": "2023-03-01", "export_from": "US", "destination": "CN", "id": "again-1",
            "item-0-product": "NVIDIA H800", "item-0-params": "quantity=8",
            "party-0-role": "consignee", "party-0-name": "Quiet Meadow Bakery Ltd",
            "party-0-country": "CN", "csrf": _csrf(client)}
    answer = client.post("/web/check", data=form)
    seq = int(answer.headers["location"].rsplit("/", 1)[1])
    stored = client.get(f"/web/check/{seq}/json").json()
    with web_server.api() as api:
        record = api.get(f"/v1/history/{seq}").json()
    assert stored["audit"]["hash"] == record["hash"]
    assert stored["outcome"] == record["body"]["output"]["outcome"]
    html = client.get("/web/check", params={"again": seq}).text
    for value in ("2023-03-01", "NVIDIA H800", "quantity=8", "Quiet Meadow Bakery Ltd",
                  'value="consignee" selected'):
        assert value in html
    assert client.get("/web/check/999999").status_code == 404


def test_a_check_form_with_a_reference_too_long_or_a_misspelt_parameter_stores_nothing(
    web_server,
) -> None:
    """The HTML maxlength is not a check: a 300-character reference (which PostgreSQL cannot
    store in the audit columns) and an unknown item parameter come back above the form."""
    client = _signed_in(web_server)
    before = _count(web_server, "check")
    form = {"date": "2024-06-01", "export_from": "US", "destination": "CN",
            "item-0-product": "NVIDIA H100 SXM5 80GB", "csrf": _csrf(client)}
    long_ref = client.post("/web/check", data=form | {"id": "r" * 300})
    assert long_ref.status_code == 200 and "id: 300 characters; an id has at most" in long_ref.text
    typo = client.post("/web/check", data=form | {"item-0-params": "logic_die_area=790"})
    assert typo.status_code == 200
    assert ("items[0].logic_die_area: unknown field (did you mean &#39;logic_die_area_mm2&#39;?)"
            in typo.text)
    assert _count(web_server, "check") == before


def test_check_result_links_each_match_to_its_own_case(web_server) -> None:
    """The match table's Case column showed "—" although cases were opened; and parties were
    matched to cases by name alone, so namesakes in two countries shared their cases."""
    client = _signed_in(web_server)
    name = "Sichuan University"  # on the Entity List; screened by no other test
    form = {"date": "2024-06-01", "export_from": "US", "destination": "CN",
            "item-0-product": "NVIDIA H100 SXM5 80GB", "csrf": _csrf(client),
            "party-0-role": "end_user", "party-0-name": name, "party-0-country": "CN",
            "party-1-role": "consignee", "party-1-name": name, "party-1-country": "HK"}
    answer = client.post("/web/check", data=form)
    seq = int(answer.headers["location"].rsplit("/", 1)[1])
    with web_server.api() as api:
        record = api.get(f"/v1/history/{seq}").json()
    cases = {s["country"]: s["cases"] for s in record["body"]["screened"] if s["name"] == name}
    assert len(cases["CN"]) == len(cases["HK"]) == 1 and cases["CN"] != cases["HK"]
    html = client.get(f"/web/check/{seq}").text
    tables = re.findall(r'<table class="data matches">(.*?)</table>', html, re.S)
    assert len(tables) == 2
    for table, country in zip(tables, ("CN", "HK"), strict=True):
        case = cases[country][0]
        assert case["entity_id"] and case["source"] == "EL"
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", table, re.S) if "EL" in r)
        assert f'<a href="/web/cases/{case["id"]}">#{case["id"]}</a>' in row


def test_duties_text_says_why_there_are_none(web_server) -> None:
    """"duties need an item's HTS code, origin and value" read wrong when all three were given."""
    client = _signed_in(web_server)
    base = {"date": "2024-06-01", "export_from": "US", "destination": "CN",
            "item-0-product": "NVIDIA H100 SXM5 80GB", "csrf": _csrf(client)}
    priced = base | {"item-0-hts": "8542.31", "item-0-origin": "US", "item-0-value_usd": "1000"}
    txn = {"id": "d", "date": "2024-06-01", "export_from": "US", "destination": "CN",
           "items": [{"product": "NVIDIA H100 SXM5 80GB", "hts": "8542.31", "origin": "US",
                      "value_usd": 1000}]}
    assert Engine(None).check(txn)["duties"] == []  # the route has none for a priced item
    for form, text in ((priced, "No duties apply to these items on this route."),
                       (base, "No duties computed: a duty needs an item's HTS code")):
        seq = client.post("/web/check", data=form).headers["location"].rsplit("/", 1)[1]
        assert text in client.get(f"/web/check/{seq}").text


def test_a_one_letter_reason_and_an_unknown_country_are_refused(web_server) -> None:
    """The same bounds as the API: a reason of at least 3 characters, a country that exists."""
    client = _signed_in(web_server)
    with web_server.api() as api:
        row = api.post("/v1/screen", json={"id": "r", "name": "Beihang University",
                                           "country": "CN"}).json()
        case_id = row["matches"][0]["case"]["id"]
        refused = api.post("/v1/screen", json={"id": "r", "name": "Acme", "country": "XX"})
        assert refused.status_code == 422
    csrf = _csrf(client, f"/web/cases/{case_id}")
    answer = client.post(f"/web/cases/{case_id}/disposition",
                         data={"decision": "escalate", "reason": "x", "csrf": csrf})
    assert answer.status_code == 200 and "at least 3 characters" in answer.text
    with web_server.api() as api:
        assert api.get(f"/v1/cases/{case_id}").json()["status"] == "open"
    html = client.get("/web/screen", params={"q": "Acme Widgets", "country": "ZZ"}).text
    assert "country &#39;ZZ&#39; is not a country we know" in html


def test_the_check_form_starts_empty_and_dated_today(web_server) -> None:
    """It opened pre-filled with 2024-06-01, CN and an H100: a user who missed the date stored
    a 2024 answer."""
    from datetime import date

    html = _signed_in(web_server).get("/web/check").text
    assert f'name="date" type="date" value="{date.today().isoformat()}"' in html
    assert 'name="item-0-product" value=""' in html
    assert 'name="destination" value=""' in html
    assert 'name="party-0-country" value=""' in html
    for field in ("party-0-hq", "party-0-ultimate_parent", "party-0-ultimate_parent_hq",
                  "owner-0-name", "owner-0-percent", "owner-0-country"):
        assert f'name="{field}"' in html


def test_a_country_written_as_a_name_is_screened_with_that_country(web_server) -> None:
    """The web batch dropped "China" without a word while the CLI kept it."""
    import time

    client = _signed_in(web_server)
    data = b"id,name,country\n1,Beihang University,China\n2,Beihang University,Chinaa\n"
    answer = client.post("/web/batch", data={"csrf": _csrf(client, "/web/batch")},
                         files={"file": ("names.csv", data, "text/csv")})
    job = answer.headers["location"].rsplit("job=", 1)[1]
    for _ in range(100):
        if client.get(f"/web/batch/{job}/status").json()["finished"]:
            break
        time.sleep(0.1)
    rows = [__import__("json").loads(line)
            for line in client.get(f"/web/batch/{job}/result.jsonl").text.splitlines()]
    with web_server.api() as api:
        coded = api.post("/v1/screen", json={"id": "c", "name": "Beihang University",
                                             "country": "CN"}).json()
    assert [m["score"] for m in rows[0]["matches"]] == [m["score"] for m in coded["matches"]]
    assert "warnings" not in rows[0]
    assert "'Chinaa' is not a country code or name we know" in rows[1]["warnings"][0]


def test_answers_and_pages_say_what_was_screened_and_warn_of_old_lists(web_server) -> None:
    """"No list match" did not say against which lists, versions, threshold or when, and
    nothing warned that the lists were months old."""
    with web_server.api() as api:
        lists = api.get("/v1/lists").json()
        row = api.post("/v1/screen", json={"id": "e", "name": "Quiet Meadow Bakery"}).json()
        done = api.post("/v1/check", json={
            "id": "e2", "date": "2024-06-01", "export_from": "US", "destination": "CN",
            "items": [{"product": "NVIDIA H800"}],
            "parties": [{"role": "end_user", "name": "Quiet Meadow Bakery"}]}).json()
    versions = {x["source"]: x["version"] for x in lists["lists"]}
    for ev in (row["screening_evidence"], done["screening_evidence"]):
        assert {x["source"]: x["version"] for x in ev["lists"]} == versions
        assert ev["threshold"] > 0 and ev["screened_at"]
    oldest = min(versions.values())
    from datetime import date

    stale = (date.today() - date.fromisoformat(oldest)).days > 30
    assert bool(lists["stale_lists"]) == stale
    if stale:  # the bundled snapshot is dated; pages carry the banner, admins the button
        html = _signed_in(web_server, "admin").get("/web/cases").text
        assert "Lists out of date." in html and "Update now" in html
        html = _signed_in(web_server, "viewer").get("/web/cases").text
        assert "Lists out of date." in html and "Update now" not in html
    seq = done["audit"]["seq"]
    page = _signed_in(web_server).get(f"/web/check/{seq}").text
    assert f"Screened against {len(versions)} lists" in page
