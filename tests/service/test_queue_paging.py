"""The review queue pages through every case and says how many there are.

It used to show the first 500 cases, oldest first, with no count: the 501st open case was in
nobody's inbox. The API's case list carries the total too.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from chipexport.config import database_url
from chipexport.service import create_app
from chipexport.service.settings import Settings
from chipexport.service.web.routes_cases import PAGE_SIZE
from chipexport.store import Store
from chipexport.store.case_views import CASES, PARTIES

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

OPEN = 2 * PAGE_SIZE + 50


def _add_cases(url: str, statuses: list[str]) -> None:
    """Parties and cases written directly: hundreds of screens would only slow the test."""
    now = datetime.now(UTC)
    with Store(url) as store, store.engine.begin() as conn:
        for n, status in enumerate(statuses):
            party = conn.execute(insert(PARTIES).returning(PARTIES.c.id), {
                "party_key": f"{n:064d}", "name": f"Party {n}", "country": "CN",
                "first_screened_at": now, "last_screened_at": now}).scalar_one()
            conn.execute(insert(CASES), {
                "party_id": party, "source": "EL", "entry_id": "EL-9001",
                "entry_name": "Zhongke Quantum Microelectronics Co Ltd", "content_hash": "h",
                "score": 0.9, "status": status, "opened_at": now, "updated_at": now})


def _rows(html: str) -> list[str]:
    return re.findall(r'<td class="num"><a href="/web/cases/\d+">#(\d+)</a></td>', html)


def test_the_queue_shows_every_case_a_page_at_a_time(
    chipexport_home: Path, kit: Any, list_files: dict[str, Path]
) -> None:
    keys = kit.prepare_store(database_url(), list_files["v1"])
    _add_cases(database_url(), ["open"] * OPEN + ["escalated"] * 3)
    settings = Settings(max_body_bytes=20_000, max_batch=5, good_guy_days=30,
                        list_recheck_s=1, list_url=None)
    with TestClient(create_app(settings)) as client:
        form = client.get("/web/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf is not None
        assert client.post("/web/login", data={"token": keys["viewer"], "csrf": csrf.group(1)},
                           follow_redirects=False).status_code == 303
        first = client.get("/web/cases", params={"status": "open"}).text
        assert f"{OPEN} open cases · showing 1–{PAGE_SIZE}, oldest first" in first
        assert _rows(first) == [str(i) for i in range(1, PAGE_SIZE + 1)]
        assert 'href="/web/cases?status=open&amp;page=2" rel="next"' in first
        assert 'rel="prev"' not in first

        last = client.get("/web/cases", params={"status": "open", "page": 3}).text
        assert f"showing {2 * PAGE_SIZE + 1}–{OPEN}" in last and "page 3 of 3" in last
        assert _rows(last) == [str(i) for i in range(2 * PAGE_SIZE + 1, OPEN + 1)]
        assert 'rel="next"' not in last and "page=2\" rel=\"prev\"" in last
        beyond = client.get("/web/cases", params={"status": "open", "page": 99}).text
        assert _rows(beyond) == _rows(last)  # past the end: the last page

        seen = {r for p in (1, 2, 3) for r in _rows(
            client.get("/web/cases", params={"status": "open", "page": p}).text)}
        assert len(seen) == OPEN  # every open case is on some page, once
        escalated = client.get("/web/cases", params={"status": "escalated"}).text
        assert "3 escalated cases" in escalated and "page 1 of" not in escalated
        everything = client.get("/web/cases", params={"status": "all"}).text
        assert f"{OPEN + 3} cases · showing 1–{PAGE_SIZE}" in everything

        api = client.get("/v1/cases", params={"status": "open", "limit": 10},
                         headers={"X-API-Key": keys["viewer"]}).json()
        assert api["total"] == OPEN and len(api["cases"]) == 10 and api["next_after"] == 10
