"""A ``check`` transaction as docs/interfaces.md describes it: the determination engine's input.

:class:`TransactionIn` and the models it holds are the contract: they document every field
(the published JSON schema, the API's request body, docs/contracts.md) and check its shape
(required fields, types, ISO formats), reporting *every* problem as a
:class:`~chipexport.model.problems.Problem` naming the field, so a user fixes a file in one pass.
Whether a country code is known to the EAR or a date is inside the rules data is decided by the
engine, which owns that data. Keys the models do not know are dealt with in one place,
:mod:`chipexport.model.fields`: the API refuses them, the engine warns about them.

:class:`Transaction` is the engine's view of a valid input: the same values, with the items as
the user wrote them (the classifier parses each item itself, and caches by its raw form).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from chipexport.errors import ChipexportError
from chipexport.model.items import ItemIn
from chipexport.model.problems import Problem, problems_from, reject

ROLES = ("end_user", "consignee", "intermediate_consignee", "purchaser", "importer")
Role = Literal["end_user", "consignee", "intermediate_consignee", "purchaser", "importer"]
# The longest name or alias on the 2026-07-31 Consolidated Screening List has 381 characters; a
# name far beyond that is a pasted document, and screening it would read as "clear".
MAX_NAME = 1000
# The dates a transaction may carry (a date outside is a typo, not a shipment date): data, with
# the reason, in data/input_limits.yaml.
_LIMITS = yaml.safe_load(resources.files("chipexport.model").joinpath(
    "data/input_limits.yaml").read_text(encoding="utf-8"))
EARLIEST_DATE: dt.date = _LIMITS["earliest_date"]
LATEST_DATE: dt.date = _LIMITS["latest_date"]
# An id is stored in the audit record's ``subject`` (``transaction:ID``) and ``ref`` columns,
# which PostgreSQL holds to 255 characters; a round limit well inside them.
MAX_ID_CHARS = 200
# The message for a required field that is absent, by field name (default: "missing").
MISSING = {
    "date": "missing (the date of export, YYYY-MM-DD)",
    "export_from": "missing (an ISO-2 country code is required)",
    "destination": "missing (an ISO-2 country code is required)",
    "items": "missing or empty (at least one item is required)",
    "kind": "missing (e.g. \"ic_fab\", \"supercomputer\")",
    **dict.fromkeys(("code", "by", "reason"),
                    "missing (a resolution names the flag, who resolved it and why)"),
}


class TransactionError(ChipexportError, ValueError):
    """The transaction cannot be determined; ``problems`` names every field at fault."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


# -- field checks, each with the user's wording ---------------------------------------------------


def _country(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value.strip()) != 2 or not value.strip().isalpha():
        reject(f"expected an ISO-2 country code, got {value!r}")
    return value.strip().upper()


def _required_country(value: Any) -> str:
    found = _country(value)
    if found is None:
        reject(MISSING["export_from"])
    return found


def _amount(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        reject(f"expected a number, got {value!r}")
    if value < 0:
        reject(f"must not be negative, got {value!r}")
    return float(value)


def _percent(value: Any) -> float | None:
    found = _amount(value)
    if found is not None and found > 100:
        reject(f"must be at most 100, got {found:g}")
    return found


def _flag(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    reject(f"expected true or false, got {value!r}")


def _id(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        reject("missing")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        reject(f"expected text, got {type(value).__name__}")
    text = str(value)
    if len(text) > MAX_ID_CHARS:
        reject(f"{len(text)} characters; an id has at most {MAX_ID_CHARS}")
    return text


def _date(value: Any) -> dt.date:
    if value is None:
        reject(MISSING["date"])
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            reject(f"expected YYYY-MM-DD, got {str(value)[:40]!r}")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        reject(f"{day.isoformat()} is outside the dates this engine answers for "
               f"({EARLIEST_DATE} to {LATEST_DATE})")
    return day


def _items(value: Any) -> Any:
    if not isinstance(value, list | tuple) or not value:
        reject(MISSING["items"])
    return value


def _owner_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        reject("missing")
    return value.strip()


def _party_name(value: Any) -> str:
    name = _owner_name(value)
    if not any(ch.isalnum() for ch in name):
        reject(f"has no letters or digits, so it cannot be screened (got {value[:40]!r})")
    if len(value) > MAX_NAME:
        reject(f"{len(value)} characters is longer than any party name ({MAX_NAME} at most), "
               "so it cannot be screened")
    return name


def _role(value: Any) -> Any:
    if value not in ROLES:
        reject(f"expected one of {', '.join(ROLES)}, got {value!r}")
    return value


def _kind(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        reject(MISSING["kind"])
    return value.strip().lower()


def _flag_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        reject(f"expected a red-flag code or description, got {value!r}")
    return value.strip()


def _flag_list(value: Any) -> Any:
    """A lone string is one flag."""
    if value is None:
        return ()
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list | tuple):
        reject("expected a list of red-flag codes or descriptions")
    return value


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        reject(f"expected text, got {value!r}")
    return value.strip()


def _lower_text(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _optional_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return _date(value)


def _resolution_text(value: Any) -> str:
    text = _text(value)
    if text is None:
        reject(MISSING["by"])
    return text


def _party_ref(value: Any) -> Any:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | str)):
        reject(f"expected a party index or name, got {value!r}")
    return value


# An ownership chain deeper than this in one order is a loop written out.
MAX_OWNERSHIP_DEPTH = 25


def _owner_list(value: Any) -> Any:
    if value is None or value == "":
        return ()
    if not isinstance(value, list | tuple):
        reject("expected a list")
    if _depth(value) > MAX_OWNERSHIP_DEPTH:
        reject(f"ownership nested more than {MAX_OWNERSHIP_DEPTH} levels deep")
    return value


def _depth(owners: Any) -> int:
    """How deep a list of owner objects nests (iterative: a written-out loop must not
    recurse)."""
    deepest, stack = 0, [(owners, 1)]
    while stack:
        level, depth = stack.pop()
        deepest = max(deepest, depth)
        for owner in level:
            inner = owner.get("owners") if isinstance(owner, Mapping) else None
            if isinstance(inner, list) and inner:
                stack.append((inner, depth + 1))
    return deepest


def _shares(owners: tuple[Owner, ...]) -> tuple[Owner, ...]:
    total = sum(o.percent for o in owners if o.percent is not None)
    if total > 100.0001:
        reject(f"shares add up to {total:g} %, more than 100 %")
    return owners


Country = Annotated[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")] | None,
                    BeforeValidator(_country)]
RequiredCountry = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$"),
                            BeforeValidator(_required_country)]
Amount = Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(_amount)]
Percent = Annotated[Annotated[float, Field(ge=0, le=100)] | None, BeforeValidator(_percent)]
Flag = Annotated[bool | None, BeforeValidator(_flag)]
RedFlags = Annotated[tuple[Annotated[str, BeforeValidator(_flag_text)], ...],
                    BeforeValidator(_flag_list)]
Text = Annotated[str | None, BeforeValidator(_text)]
LowerText = Annotated[str | None, BeforeValidator(_lower_text)]
Owners = Annotated[tuple["Owner", ...], AfterValidator(_shares), BeforeValidator(_owner_list)]
_RED_FLAGS = ("Red flags: codes of the documented vocabulary or free text (free text counts as "
              "an unresolved flag). An unresolved red flag on a controlled item is at least "
              "REVIEW.")


class _Contract(BaseModel):
    """Frozen, and refusing keys it does not know (see :mod:`chipexport.model.fields` for how
    the CLI and the engine treat them instead)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Owner(_Contract):
    """A direct owner of a party or of another owner: chains of any depth."""

    name: Annotated[str, BeforeValidator(_owner_name)] = Field(description="The owner's name.")
    percent: Percent = Field(None, description="Share held, 0-100 (none: control without a "
                             "stated share).")
    country: Country = Field(None, description="Where the owner is, ISO-2.")
    hq: Country = Field(None, description="Where the owner's headquarters are, ISO-2.")
    owners: Owners = Field((), description="The owner's own owners (their shares add up to "
                           "100 % at most).")


class Party(_Contract):
    """A transaction party. ``hq`` and ``ultimate_parent_hq`` feed the headquarters rule."""

    role: Annotated[Role, BeforeValidator(_role)] = Field(
        "end_user", description="The party's role in the transaction.")
    name: Annotated[str, BeforeValidator(_party_name)] = Field(
        description=f"The party's name as screened ({MAX_NAME} characters at most).")
    country: Country = Field(None, description="Where the party is, ISO-2.")
    hq: Country = Field(None, description="Where the party's headquarters are, ISO-2.")
    ultimate_parent_hq: Country = Field(None, description="Headquarters of the party's "
                                        "ultimate parent, ISO-2.")
    ultimate_parent: Text = Field(None, description="The party's ultimate parent (the group's "
                                  "top company) by name: recorded with the answer so a reviewer "
                                  "sees whose subsidiary the party is.")
    owners: Owners = Field((), description="Direct owners, each of which may have owners "
                           f"(chains of up to {MAX_OWNERSHIP_DEPTH} levels; shares add up to "
                           "100 % at most).")
    red_flags: RedFlags = Field((), description=_RED_FLAGS)
    # Know-your-customer facts: red flags are derived from them (determine/red_flags.py).
    kind: LowerText = Field(None, description="What the party is: `freight_forwarder`, "
                            "`iaas_provider`, ...")
    incorporated: Annotated[dt.date | None, BeforeValidator(_optional_date)] = Field(
        None, description="Date of incorporation, YYYY-MM-DD.")
    address: Text = Field(None, description="The party's address.")
    address_type: LowerText = Field(None, description="`residential`, `po_box`, `business`, "
                                    "...")
    business: Text = Field(None, description="The party's stated line of business.")
    annual_revenue_usd: Amount = Field(None, description="Annual revenue, US dollars.")


class FlagResolution(_Contract):
    """A person's resolution of a red flag (Supp. 3 to Part 732: inquire, then decide);
    shown with the determination and kept in the audit trail."""

    code: Annotated[str, BeforeValidator(_resolution_text)] = Field(
        description="The red flag's code.")
    by: Annotated[str, BeforeValidator(_resolution_text)] = Field(
        description="Who resolved it.")
    reason: Annotated[str, BeforeValidator(_resolution_text)] = Field(
        description="Why it is resolved.")
    party: Annotated[int | str | None, BeforeValidator(_party_ref)] = Field(
        None, description="The party's index or name (none: a transaction-level flag).")
    evidence: Text = Field(None, description="What the resolution rests on.")


class EndUse(_Contract):
    """What the items will be used for; numeric facts feed the advanced-node test."""

    kind: Annotated[str, BeforeValidator(_kind)] = Field(
        description="`ic_fab`, `supercomputer`, `sme_production`, `military`, ...")
    country: Country = Field(None, description="Where the facility is, when not the "
                             "destination, ISO-2.")
    logic_node_nm: Amount = Field(None, description="Logic production node, nm.")
    non_planar: Flag = Field(None, description="Non-planar transistors (FinFET, GAAFET).")
    dram_half_pitch_nm: Amount = Field(None, description="DRAM half-pitch, nm.")
    dram_cell_area_um2: Amount = Field(None, description="DRAM memory cell area, µm².")
    dram_density_gb_mm2: Amount = Field(None, description="DRAM memory density, Gb/mm².")
    dram_tsv_per_die: Amount = Field(None, description="Through-silicon vias per DRAM die.")
    nand_layers: Amount = Field(None, description="NAND layers.")
    facility_owner_hq: Country = Field(None, description="Headquarters of the facility's "
                                       "owner, ISO-2.")
    # Cloud / IaaS end use (BIS policy statement of May 2025).
    customer_hq: Country = Field(None, description="IaaS: where the provider's customer is "
                                 "headquartered, ISO-2.")
    model_training: Flag = Field(None, description="IaaS: the compute trains AI models.")


class TransactionIn(_Contract):
    """One export transaction: what is shipped, from where to where, to whom, when, and why."""

    id: Annotated[str, BeforeValidator(_id)] = Field(
        description=f"Your reference (text or a number; {MAX_ID_CHARS} characters at most).")
    date: Annotated[dt.date, BeforeValidator(_date)] = Field(
        description="The date of export, YYYY-MM-DD: rules apply as they stood that day.")
    export_from: RequiredCountry = Field(description="The exporting country, ISO-2.")
    destination: RequiredCountry = Field(description="The country of destination, ISO-2.")
    items: Annotated[tuple[ItemIn, ...], BeforeValidator(_items)] = Field(
        description="What is shipped; at least one item.")
    parties: tuple[Party, ...] = Field((), description="Who takes part.")
    end_use: EndUse | None = Field(None, description="What the items will be used for.")
    subject_to_ear: Flag = Field(None, description="The whole shipment is subject to the EAR "
                                 "(e.g. foreign direct products).")
    red_flags: RedFlags = Field((), description=_RED_FLAGS)
    resolved_red_flags: tuple[FlagResolution, ...] = Field(
        (), description="Red flags a person has resolved.")
    payment_terms: Text = Field(None, description="Payment terms (cash for expensive items is a "
                                "red flag).")
    installation_declined: Flag = Field(None, description="Installation, training or warranty "
                                        "declined.")


@dataclass(frozen=True, slots=True)
class Transaction:
    """The engine's view of a valid :class:`TransactionIn`; items as the user wrote them."""

    id: str
    date: dt.date
    export_from: str
    destination: str
    items: tuple[Mapping[str, Any], ...]
    parties: tuple[Party, ...]
    end_use: EndUse | None = None
    subject_to_ear: bool | None = None  # explicit flag: the whole shipment is subject to the EAR
    red_flags: tuple[str, ...] = ()
    resolved_red_flags: tuple[FlagResolution, ...] = ()
    payment_terms: str | None = None
    installation_declined: bool | None = None


def validate_transaction(obj: Any, position: int = 0) -> TransactionIn:
    """``obj`` as a :class:`TransactionIn`; raise :class:`TransactionError` naming every
    problem. Unknown keys are refused here: callers that tolerate them strip them first
    (:func:`chipexport.model.fields.known_only`)."""
    if not isinstance(obj, Mapping):
        raise TransactionError([Problem(field=None,
                                        message=f"transaction {position}: expected a JSON object")])
    try:
        return TransactionIn.model_validate(obj)
    except ValidationError as exc:
        raise TransactionError(problems_from(exc, MISSING)) from None


def parse_transaction(obj: Any, position: int = 0) -> Transaction:
    """The engine's :class:`Transaction` of a transaction object with known keys only."""
    model = validate_transaction(obj, position)
    return Transaction(id=model.id, date=model.date, export_from=model.export_from,
                       destination=model.destination, items=tuple(obj["items"]),
                       parties=model.parties, end_use=model.end_use,
                       subject_to_ear=model.subject_to_ear, red_flags=model.red_flags,
                       resolved_red_flags=model.resolved_red_flags,
                       payment_terms=model.payment_terms,
                       installation_declined=model.installation_declined)
