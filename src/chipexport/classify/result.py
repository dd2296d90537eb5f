"""What classification hands to the determination engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from chipexport.classify.catalog import CatalogRecord
from chipexport.rules.dated import Citation, Confidence, InForce

Regime = Literal["US", "JP", "NL", "CN", "WA"]


@dataclass(frozen=True, slots=True)
class ControlEntry:
    """One control list entry the item falls in, as of the classification date.

    ``summary`` says in one line why, with the item's numbers; ``facts`` holds those numbers and
    the tests applied, so a reviewer can re-check the arithmetic without rerunning the engine.
    """

    regime: Regime
    code: str
    citation: Citation
    in_force: InForce
    confidence: Confidence
    summary: str
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def assumed(self) -> bool:
        """True when the item lacked a parameter and the most restrictive reading was taken."""
        return bool(self.facts.get("assumed_missing"))


@dataclass(slots=True)
class ItemClassification:
    """The classification of one item on one date."""

    product: CatalogRecord | None
    controls: list[ControlEntry]
    hts: str | None
    origin: str | None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kind: str | None = None

    def codes(self, regime: str | None = None) -> list[str]:
        """Control codes, optionally of one regime (``["3A090.a"]``)."""
        return [c.code for c in self.controls if regime is None or c.regime == regime]
