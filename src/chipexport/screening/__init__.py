"""Restricted-party screening: normalise names, index list entries, score and explain matches.

Public API (used by the CLI, the service and the determination engine)::

    index = build_index(entries)                 # Iterable[ListEntry] -> ScreeningIndex
    result = index.screen("Huawei Tech Co Ltd", country="CN")   # ScreeningResult
    DEFAULT_THRESHOLD   # matches at/above this are reported
    STRONG_THRESHOLD    # at/above this a match is near-certain; in between a person reviews

The thresholds are data (``data/calibration.json``), measured by ``make bench``.
The package is pure: no files but its own data, no store, no network.
"""

from __future__ import annotations

from chipexport.screening.index import ScreeningIndex, build_index
from chipexport.screening.text import load_json

_CALIBRATION = load_json("calibration.json")
DEFAULT_THRESHOLD: float = float(_CALIBRATION["default_threshold"])
STRONG_THRESHOLD: float = float(_CALIBRATION["strong_threshold"])
# Bump when tokenisation, the index layout or scoring changes: cached indexes are keyed by it.
ENGINE_VERSION = "8"

__all__ = [
    "DEFAULT_THRESHOLD",
    "ENGINE_VERSION",
    "STRONG_THRESHOLD",
    "ScreeningIndex",
    "build_index",
]
