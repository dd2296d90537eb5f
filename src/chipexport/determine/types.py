"""The determination's vocabulary: outcomes, reasons, findings and per-jurisdiction results.

Every rule the engine applies produces a :class:`Finding` (an outcome for one item or party,
with the provision that produced it), including findings that explain why *no* licence is
needed, so the memo can show the whole reasoning and not only what fired.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from chipexport.rules.dated import Confidence, InForce
from chipexport.rules.provisions import Provision


class Outcome(StrEnum):
    """docs/interfaces.md outcomes; :attr:`rank` orders them, most restrictive highest."""

    NLR = "NLR"
    LICENSE_EXCEPTION = "LICENSE_EXCEPTION"
    REVIEW = "REVIEW"
    LICENSE_REQUIRED = "LICENSE_REQUIRED"
    PROHIBITED = "PROHIBITED"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {o: i for i, o in enumerate(Outcome)}
ERROR = "ERROR"  # top-level outcome of a transaction that could not be determined

_CONFIDENCE_RANK = {Confidence.VERIFIED: 0, Confidence.SECONDARY: 1,
                    Confidence.FROM_MEMORY: 2, Confidence.UNRESOLVED: 3}


def most_restrictive(outcomes: list[Outcome]) -> Outcome:
    return max(outcomes, key=lambda o: o.rank, default=Outcome.NLR)


def weakest(confidences: list[Confidence]) -> Confidence:
    """The least certain mark: a conclusion is only as sure as its weakest premise."""
    return max(confidences, key=lambda c: _CONFIDENCE_RANK[c], default=Confidence.VERIFIED)


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule applied to one item or party, with its outcome and why."""

    outcome: Outcome
    rule: str
    citation: str | None
    in_force: InForce
    confidence: Confidence
    summary: str
    policy: str | None = None
    exceptions: tuple[str, ...] = ()
    item: int | None = None
    party: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, provision: Provision, window: InForce, outcome: Outcome, summary: str,
           **kw: Any) -> Finding:
        return cls(outcome=outcome, rule=provision.citation.rule,
                   citation=provision.citation.notice, in_force=window,
                   confidence=provision.confidence, summary=summary, **kw)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "citation": self.citation,
                               "in_force": self.in_force.as_json(), "summary": self.summary,
                               "outcome": self.outcome.value, "confidence": self.confidence.value}
        if self.item is not None:
            out["item"] = self.item
        if self.party is not None:
            out["party"] = self.party
        if self.policy:
            out["review_policy"] = self.policy
        if self.exceptions:
            out["license_exceptions"] = list(self.exceptions)
        if self.facts:
            out["facts"] = self.facts
        return out


@dataclass(slots=True)
class JurisdictionResult:
    """Everything one jurisdiction says about a transaction."""

    code: str
    classifications: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    # Confidence of each item's classification in this regime: a licence answer is no surer
    # than the classification it rests on.
    item_confidence: dict[int, Confidence] = field(default_factory=dict)
    # The outcome unresolved findings would have given (see :meth:`hold_unresolved`).
    unresolved_ceiling: Outcome | None = None

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def classify(self, code: str) -> None:
        if code not in self.classifications:
            self.classifications.append(code)

    @property
    def outcome(self) -> Outcome:
        """The most restrictive finding's outcome; REVIEW instead when a rule marked
        unresolved would have given more than any finding that rests on a settled rule (the
        answer could be that worse one: a person must settle the question first)."""
        found = most_restrictive([f.outcome for f in self.findings])
        if self.unresolved_ceiling is not None and self.unresolved_ceiling.rank > found.rank:
            return Outcome.REVIEW
        return found

    def hold_unresolved(self, day: str) -> None:
        """Turn every hard finding (above REVIEW) that rests on a rule marked ``unresolved``
        into a REVIEW finding that asks the question to settle, and remember what it would
        have given. An unresolved rule must not produce a hard outcome on its own."""
        for n, f in enumerate(self.findings):
            if f.confidence != Confidence.UNRESOLVED or f.outcome.rank <= Outcome.REVIEW.rank:
                continue
            source = f"{f.rule}" + (f" ({f.citation})" if f.citation else "")
            question = (f"Check whether {source} applies as stated on {day}: its status could "
                        f"not be settled from the sources. If it does, the answer is "
                        f"{f.outcome.value}.")
            self.findings[n] = replace(
                f, outcome=Outcome.REVIEW, summary=f"{f.summary}. {question}",
                facts={**f.facts, "question": question, "if_confirmed": f.outcome.value})
            if self.unresolved_ceiling is None or f.outcome.rank > self.unresolved_ceiling.rank:
                self.unresolved_ceiling = f.outcome

    def to_json(self) -> dict[str, Any]:
        top = self.outcome
        deciding = [f for f in self.findings if f.outcome == top]
        # One mention per policy, whatever its capitals ("Presumption of denial" in an Entity
        # List entry, "presumption of denial" in a provision).
        policies: list[str] = []
        for f in deciding:
            if f.policy and f.policy.casefold() not in {p.casefold() for p in policies}:
                policies.append(f.policy)
        exceptions = (list(dict.fromkeys(e for f in deciding for e in f.exceptions))
                      if top == Outcome.LICENSE_EXCEPTION else [])
        ordered = sorted(self.findings, key=lambda f: -f.outcome.rank)
        return {
            "outcome": top.value,
            "review_policy": "; ".join(policies) or None,
            "classifications": list(self.classifications),
            "reasons": [f.to_json() for f in ordered],
            "license_exceptions": exceptions,
            "confidence": weakest([f.confidence for f in deciding] + [
                self.item_confidence[f.item] for f in deciding
                if f.item is not None and f.item in self.item_confidence]).value,
            "facts": self.facts,
        }
