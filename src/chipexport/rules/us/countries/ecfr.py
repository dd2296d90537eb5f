"""The bundled eCFR JSON files (public domain), read once per process.

They hold the *current* text (eCFR issue 2026-07-23): callers that need history must combine them
with the dated deltas in this package's data files rather than trust them for past dates.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources
from typing import Any

ECFR_ISSUE = "2026-07-23"


@cache
def load(name: str) -> Any:
    """``name`` is ``"ccl"``, ``"country-chart"`` or ``"country-groups"``."""
    file_name = f"{name}_ecfr-{ECFR_ISSUE}.json.gz"
    path = resources.files("chipexport").joinpath("data", "ecfr", file_name)
    with path.open("rb") as raw:
        return json.loads(gzip.decompress(raw.read()).decode("utf-8"))


@cache
def ccl_entries() -> dict[str, Any]:
    """CCL entries by ECCN stem (``"3B001"``)."""
    return {e["eccn"]: e for e in load("ccl")["entries"]}
