"""Service limits and defaults, from the environment (with values that suit one order system).

They are operational settings, not compliance rules: a larger batch or body only changes how
much one request may do, never what an answer is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from chipexport.errors import ChipexportError


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ChipexportError(f"{name}={raw!r}: expected a whole number") from None
    if value <= 0:
        raise ChipexportError(f"{name}={raw!r}: expected a positive number")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """``CHIPEXPORT_MAX_BODY_BYTES`` (1 MiB), ``CHIPEXPORT_MAX_BATCH`` (100 objects, as yente),
    ``CHIPEXPORT_GOOD_GUY_DAYS`` (365: how long a false-positive decision holds unless the
    analyst says otherwise), ``CHIPEXPORT_LIST_RECHECK_S`` (2: how often a request checks whether
    another process changed the lists), ``CHIPEXPORT_LIST_URL`` (the ``lists update`` default),
    ``CHIPEXPORT_KEY_COST_PER_S`` (500) and ``CHIPEXPORT_KEY_COST_BURST`` (10,000): the cost
    budget of one API key, in names screened plus items determined (see service/limits.py)."""

    max_body_bytes: int
    max_batch: int
    good_guy_days: int
    list_recheck_s: int
    list_url: str | None
    key_cost_per_s: int = 500
    key_cost_burst: int = 10_000

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            max_body_bytes=_int("CHIPEXPORT_MAX_BODY_BYTES", 1 << 20),
            max_batch=_int("CHIPEXPORT_MAX_BATCH", 100),
            good_guy_days=_int("CHIPEXPORT_GOOD_GUY_DAYS", 365),
            list_recheck_s=_int("CHIPEXPORT_LIST_RECHECK_S", 2),
            list_url=os.environ.get("CHIPEXPORT_LIST_URL") or None,
            key_cost_per_s=_int("CHIPEXPORT_KEY_COST_PER_S", 500),
            key_cost_burst=_int("CHIPEXPORT_KEY_COST_BURST", 10_000),
        )
