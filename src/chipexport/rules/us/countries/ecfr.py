"""The bundled eCFR JSON files (public domain), read once per process.

They hold one issue of the *current* text: callers that need history must combine them with the
dated deltas in this package's data files rather than trust them for past dates. The issue date
is read from the files (``ecfrIssueDate``), so replacing the bundle needs no code change.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """``name`` is ``"ccl"``, ``"country-chart"`` or ``"country-groups"``."""
    folder = resources.files("chipexport").joinpath("data", "ecfr")
    matches = sorted((p for p in folder.iterdir() if p.name.startswith(f"{name}_ecfr-")
                      and p.name.endswith(".json.gz")), key=lambda p: p.name)
    if len(matches) != 1:
        raise FileNotFoundError(f"data/ecfr: expected one {name}_ecfr-*.json.gz, found "
                                f"{[p.name for p in matches]}")
    with matches[0].open("rb") as raw:
        return json.loads(gzip.decompress(raw.read()).decode("utf-8"))


@cache
def ecfr_issue() -> date:
    """Issue date of the bundled eCFR text (the same for all three files)."""
    return date.fromisoformat(load("country-groups")["ecfrIssueDate"])


@cache
def ccl_entries() -> dict[str, Any]:
    """CCL entries by ECCN stem (``"3B001"``)."""
    return {e["eccn"]: e for e in load("ccl")["entries"]}
