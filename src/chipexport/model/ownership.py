"""Who owns how much of whom, and when: the input to ownership rules such as OFAC's 50% rule.

A link is kept per period as the registry reports it (Zakharov held 51%, then 50%, then 48% of
LLC CST) rather than collapsed to one figure, because a transaction is judged by the stake on
its own date. ``owner`` and ``asset`` are display names; the ids, when the source has them, let
links be joined without relying on names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class OwnershipLink:
    """``owner`` holds ``percent`` of ``asset`` from ``start`` to ``end`` (either may be open).

    ``percent`` is None when the source states control without a share ("subsidiary of").
    ``source`` names the dataset(s) the link came from.
    """

    owner: str
    asset: str
    percent: float | None = None
    start: date | None = None
    end: date | None = None
    owner_id: str | None = None
    asset_id: str | None = None
    source: str | None = None
    owner_country: str | None = None  # where the owner is seated, when the source says

    def active_on(self, day: date) -> bool:
        """True when the link held on ``day`` (open ends count as holding)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)
