"""The answer of ``chipexport check`` (docs/interfaces.md), as models: what every field means.

The engine assembles its answer as JSON-ready mappings (that keeps ``check --input`` output
byte for byte what it was); these models are the published description of that answer (the
API's response models, docs/contracts.md, ``chipexport schema --output``) and the API validates
each answer against them before sending it. Fields are declared in the order the engine writes
them; every model allows further keys, since an answer may only ever gain fields.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "LICENSE_EXCEPTION", "NLR", "ERROR"]
_OUTCOMES = ("Most to least restrictive: PROHIBITED, LICENSE_REQUIRED, REVIEW (a person must "
             "answer a question), LICENSE_EXCEPTION, NLR; ERROR: the input cannot be determined.")


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class Reason(_Answer):
    """One rule applied to one item or party: the provision, its dates, and what it decided."""

    rule: str = Field(description="The provision (`15 CFR 742.6(a)(6)(iii)`).")
    citation: str | None = Field(description="The notice that made it (`88 FR 73458`).")
    in_force: list[str | None] = Field(description="[from, until) as YYYY-MM-DD; until null: "
                                       "still in force.")
    summary: str = Field(description="What the rule says about this item or party.")
    outcome: Outcome = Field(description=_OUTCOMES)
    confidence: str = Field(description="How sure the data is of this provision: `verified`, "
                            "`secondary`, `from_memory` or `unresolved`.")
    item: int | None = Field(None, description="The item it is about (index from 0).")
    party: int | None = Field(None, description="The party it is about (index from 0).")
    review_policy: str | None = Field(None, description="How a licence application is reviewed.")
    license_exceptions: list[str] | None = Field(None, description="Exceptions that may serve.")
    facts: dict[str, Any] | None = Field(None, description="The facts the rule was applied to.")


class JurisdictionFinding(_Answer):
    """What one jurisdiction's export controls say about the transaction."""

    outcome: Outcome = Field(description=_OUTCOMES)
    review_policy: str | None = Field(description="How a licence would be reviewed "
                                      "(`presumption of denial`).")
    classifications: list[str] = Field(description="Control codes of the items (`3A090.a`).")
    reasons: list[Reason] = Field(description="Every rule applied, most restrictive first.")
    license_exceptions: list[str] = Field(description="Exceptions that serve (outcome "
                                          "LICENSE_EXCEPTION).")
    confidence: str | None = Field(None, description="The weakest confidence of the deciding "
                                   "reasons and classifications.")
    facts: dict[str, Any] | None = Field(None, description="Facts of the jurisdiction (items "
                                         "subject to it, destination groups).")


class ListMatch(_Answer):
    """A restricted-party list entry a name matched (docs/interfaces.md ``screen`` output)."""

    source: str = Field(description="The list's code (`EL`, `SDN`, `MEU`, ...).")
    name: str = Field(description="The entry's primary name as the list gives it.")
    matched_name: str = Field(description="The name or alias that matched.")
    score: int | float = Field(description="Match score, 0-1.")
    entity_id: str = Field(description="The entry's id.")
    countries: list[str] = Field(description="The entry's countries, ISO-2.")
    license_requirement: str | None = Field(None, description="The entry's licence "
                                            "requirement.")
    license_policy: str | None = Field(None, description="The entry's licence review policy.")
    federal_register_notice: str | None = Field(None, description="The entry's notice(s).")
    explanation: list[str] = Field(description="Why the names match, in words.")


class PartyScreening(_Answer):
    """One party's restricted-party screening."""

    party: int = Field(description="The party (index from 0).")
    name: str | None = Field(None, description="The party's name as screened.")
    matches: list[ListMatch] = Field(description="Possible matches, best first.")


class Duty(_Answer):
    """An import duty on one item (Section 301, ...)."""

    item: int = Field(description="The item (index from 0).")
    hts: str | None = Field(None, description="The item's HTS code.")
    rate_percent: int | float | None = Field(None, description="Duty rate, % of value.")
    authority: str | None = Field(None, description="The duty's legal authority.")
    amount_usd: int | float | None = Field(None, description="Duty on the item's value, USD.")


class ItemFacts(_Answer):
    """What classification found about one item."""

    item: int = Field(description="The item (index from 0).")
    product: str | None = Field(None, description="The catalog product it was read as.")
    subject_to_ear: bool | None = Field(None, description="Whether the item is subject to the "
                                        "EAR.")
    hts: str | None = Field(None, description="Its HTS code.")
    controls: list[dict[str, Any]] = Field(default_factory=list, description="Control entries "
                                           "it falls in, per regime, with the criteria met.")


class Determination(_Answer):
    """The answer for one transaction (docs/interfaces.md ``check`` output)."""

    id: str = Field(description="The transaction's id (`line N` for an unreadable line).")
    outcome: Outcome = Field(description="The most restrictive outcome over all jurisdictions. "
                             + _OUTCOMES)
    jurisdictions: dict[str, JurisdictionFinding] = Field(
        description="By jurisdiction (`US`, `JP`, `NL`, `CN`): the export controls of the "
        "exporting country, and the US where items are subject to the EAR. A jurisdiction left "
        "out reads as NLR; an ERROR answer names ERROR under every jurisdiction it concerns.")
    screening: list[PartyScreening] = Field(description="Each party's screening.")
    duties: list[Duty] = Field(description="Import duties, by item.")
    warnings: list[str] = Field(description="What the answer assumed or ignored (unknown keys, "
                                "a date past the rules data, unclassified items).")
    errors: list[str] | None = Field(None, description="ERROR only: every problem of the input, "
                                     "one line each naming the field.")
    date: str | None = Field(None, description="The date the rules were applied as of.")
    items: list[ItemFacts] | None = Field(None, description="What classification found, by item.")
    screening_evidence: dict[str, Any] | None = Field(
        None, description="What the parties were screened against: `screened_at`, `threshold`, "
        "the `lists` (source, title, version, loaded_at, entries) and `stale_lists`.")


class CheckAnswer(Determination):
    """``POST /v1/check``: the determination as recorded, with its review cases and receipt."""

    cases: list[dict[str, Any]] = Field(description="Review cases opened or reopened for the "
                                        "parties' possible matches.")
    audit: dict[str, Any] = Field(description="The audit record: `seq` and `hash`.")
