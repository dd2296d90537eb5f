"""Screening results: what a name matched, how strongly, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from chipexport.model.lists import ListEntry


@dataclass(frozen=True, slots=True)
class Match:
    """One candidate list entry at or above the threshold, with its explanation.

    ``score`` is calibrated to 0..1; ``matched_name`` is the entry name or alias that scored best;
    ``explanation`` is a few short human-readable lines a reviewer can check by eye.
    """

    entry: ListEntry
    score: float
    matched_name: str
    explanation: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The docs/interfaces.md match object."""
        e = self.entry
        return {
            "source": e.source,
            "name": e.name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "entity_id": e.entry_id,
            "countries": list(e.countries),
            "license_requirement": e.license_requirement,
            "license_policy": e.license_policy,
            "federal_register_notice": e.federal_register_notice,
            "explanation": list(self.explanation),
        }


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The answer for one queried name: its matches, best first."""

    query: str
    country: str | None
    matches: tuple[Match, ...] = ()
    errors: tuple[str, ...] = field(default=())


# A score this close to 1 means the names agree once case, punctuation and legal forms are
# folded: the word for it is "exact match" everywhere (CLI, API, web, memo), never "possible".
EXACT_SCORE = 0.995


def match_label(score: float, strong: bool | None = None) -> str:
    """The one wording of a match for every surface: "exact match" (the names agree),
    "strong match" (at or above the engine's strong threshold: the list's consequence applies),
    else "possible match" (a person must decide)."""
    if score >= EXACT_SCORE:
        return "exact match"
    return "strong match" if strong else "possible match"
