"""List status, and list update over HTTP (admin): fetch, validate, swap, diff, re-screen."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import APIRouter

from chipexport.lists import ListFormatError, parse_bytes
from chipexport.service.answers import ListsAnswer, ListUpdateAnswer
from chipexport.service.auth import Admin, Viewer
from chipexport.service.deps import IndexDep, SettingsDep, StoreDep
from chipexport.service.errors import ApiError
from chipexport.service.schemas import ListUpdate, error_responses
from chipexport.store.evidence import stale_warnings
from chipexport.store.keys import ApiKey
from chipexport.store.plausibility import implausible_changes
from chipexport.store.rescreen import load_and_rescreen, pending

router = APIRouter(tags=["lists"], responses=error_responses(401, 403, 422))
DEFAULT_UPDATE_URL = (
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
)
UPDATE_FORMAT = "csl-csv"
MAX_DOWNLOAD_BYTES = 512 << 20


@router.get("/v1/lists", summary="The active version of every list",
            response_model=ListsAnswer)
def lists(store: StoreDep, index: IndexDep, key: ApiKey = Viewer) -> dict[str, Any]:
    ctx = index.peek()
    active = store.list_status()
    return {
        "lists": [v.as_json() for v in active],
        "index_fingerprint": ctx.fingerprint if ctx else None,
        "stale_lists": stale_warnings(active),
        # re-screens a list change still owes (interrupted; finished at the next start)
        "pending_rescreens": pending(store.engine),
    }


def _fetch(url: str, timeout: float) -> bytes:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):  # file://, ftp://: the caller's mistake, not ours
        raise ApiError(422, f"url: {url}: only http and https URLs can be fetched", "url")
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise ApiError(502, f"{url}: download over {MAX_DOWNLOAD_BYTES} bytes", "url")
                chunks.append(chunk)
            expected = int(response.headers.get("content-length", 0) or 0)
    except httpx.HTTPStatusError as exc:
        raise ApiError(502, f"{url}: HTTP {exc.response.status_code}", "url") from None
    except httpx.InvalidURL as exc:  # not an HTTPError in httpx's hierarchy: a 500 otherwise
        raise ApiError(422, f"{url}: not a usable URL: {exc}", "url") from None
    except (httpx.HTTPError, httpx.StreamError) as exc:
        raise ApiError(502, f"{url}: download failed: {exc}", "url") from None
    data = b"".join(chunks)
    if expected and len(data) != expected:
        raise ApiError(502, f"{url}: download cut short ({len(data)} of {expected} bytes)", "url")
    if not data:
        raise ApiError(502, f"{url}: empty download", "url")
    return data


@router.post("/v1/lists/update", summary="Fetch the CSL, swap it in, re-screen known parties",
             responses=error_responses(409, 502), response_model=ListUpdateAnswer)
def update(store: StoreDep, settings: SettingsDep, index: IndexDep, body: ListUpdate,
           key: ApiKey = Admin) -> dict[str, Any]:
    """Like ``chipexport lists update``: a failed download or a bad file leaves the lists as they
    were. The answer reports per list what was added, removed and modified, and which cases the
    re-screen opened or re-opened."""
    url = body.url or settings.list_url or DEFAULT_UPDATE_URL
    data = _fetch(url, body.timeout)
    try:
        snapshots = parse_bytes(data, url, UPDATE_FORMAT)
    except ListFormatError as exc:
        raise ApiError(422, str(exc), "url") from None
    before = store.list_status()
    problems = implausible_changes(before, snapshots)
    if problems and not body.force:
        raise ApiError(409, f"refusing to update: {'; '.join(problems)} (force to load anyway)")
    # The swap, its list_change record and the re-screen it owes commit together; the index
    # is reloaded before re-screening, which screens with the new lists.
    results, report = load_and_rescreen(store, snapshots, key.name, index.peek,
                                        after_swap=index.reload)
    return {
        "versions": [
            {"source": v.source, "version": v.version, "entries": v.entry_count,
             "result": "unchanged" if v.unchanged else "updated"}
            for v in results
        ],
        # what the reader tolerated (a column trade.gov added, an absurd date), as the CLI says
        "warnings": list(dict.fromkeys(w for snap in snapshots for w in snap.warnings)),
        **report,
    }
