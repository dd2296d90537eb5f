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

    def as_json(self) -> dict[str, Any]:
        """Plain JSON for output and the audit trail (``in_force`` as docs/interfaces.md shows)."""
        return {"regime": self.regime, "code": self.code,
                "citation": {"rule": self.citation.rule, "notice": self.citation.notice},
                "in_force": self.in_force.as_json(), "confidence": self.confidence.value,
                "summary": self.summary, "facts": dict(self.facts)}


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

    def as_json(self) -> dict[str, Any]:
        return {"product": self.product.name if self.product else None, "kind": self.kind,
                "controls": [c.as_json() for c in self.controls], "hts": self.hts,
                "origin": self.origin, "warnings": list(self.warnings),
                "errors": list(self.errors)}

    def codes(self, regime: str | None = None) -> list[str]:
        """Control codes, optionally of one regime (``["3A090.a"]``)."""
        return [c.code for c in self.controls if regime is None or c.regime == regime]
