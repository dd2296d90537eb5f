"""A ``check`` transaction as docs/interfaces.md describes it: the determination engine's input.

Parsing only checks shape (required fields, types, ISO formats) and collects *every* problem
as a one-line message naming the field, so a user fixes a file in one pass. Whether a country
code is known to the EAR, a date is inside the rules data, or an item's parameters are possible
is decided by the engine, which owns that data. Items stay raw mappings here: the item parser
belongs to classification.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chipexport.errors import ChipexportError

ROLES = ("end_user", "consignee", "intermediate_consignee", "purchaser", "importer")
# The longest name or alias on the 2026-07-31 Consolidated Screening List has 381 characters; a
# name far beyond that is a pasted document, and screening it would read as "clear".
MAX_NAME = 1000


class TransactionError(ChipexportError, ValueError):
    """The transaction cannot be determined; ``problems`` holds one line per field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class Owner:
    """A direct owner of a party as the transaction states it, with its own owners in turn
    (chains of any depth): the headquarters rule follows them to the ultimate parent."""

    name: str
    percent: float | None
    country: str | None = None
    hq: str | None = None
    owners: tuple[Owner, ...] = ()


@dataclass(frozen=True, slots=True)
class FlagResolution:
    """A person's resolution of a red flag (Supp. 3 to Part 732: inquire, then decide).

    ``party`` is the party's index or name (None: a transaction-level flag); ``by``, ``reason``
    and ``evidence`` are shown with the determination and kept in the audit trail.
    """

    code: str
    by: str
    reason: str
    party: int | str | None = None
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A transaction party. ``hq`` and ``ultimate_parent_hq`` feed the headquarters rule."""

    role: str
    name: str
    country: str | None = None
    hq: str | None = None
    ultimate_parent_hq: str | None = None
    owners: tuple[Owner, ...] = ()
    # Know-your-customer facts (determine/red_flags.py derives red flags from them).
    red_flags: tuple[str, ...] = ()
    kind: str | None = None  # what the party is: "freight_forwarder", "iaas_provider", ...
    incorporated: date | None = None
    address: str | None = None
    address_type: str | None = None  # "residential", "po_box", "business", ...
    business: str | None = None  # the party's stated line of business
    annual_revenue_usd: float | None = None


@dataclass(frozen=True, slots=True)
class EndUse:
    """What the items will be used for; numeric facts feed the advanced-node test."""

    kind: str
    country: str | None = None  # where the facility is, when not the destination
    logic_node_nm: float | None = None
    non_planar: bool | None = None
    dram_half_pitch_nm: float | None = None
    dram_cell_area_um2: float | None = None
    dram_density_gb_mm2: float | None = None
    dram_tsv_per_die: float | None = None
    nand_layers: float | None = None
    facility_owner_hq: str | None = None
    # Cloud / IaaS end use: where the provider's customer is headquartered and whether the
    # compute trains AI models (BIS policy statement of 2025-05-13).
    customer_hq: str | None = None
    model_training: bool | None = None


@dataclass(frozen=True, slots=True)
class Transaction:
    id: str
    date: date
    export_from: str
    destination: str
    items: tuple[Mapping[str, Any], ...]
    parties: tuple[Party, ...]
    end_use: EndUse | None = None
    subject_to_ear: bool | None = None  # explicit flag: the whole shipment is subject to the EAR
    red_flags: tuple[str, ...] = ()
    resolved_red_flags: tuple[FlagResolution, ...] = ()
    payment_terms: str | None = None  # "cash" is a Supp. 3 red flag for expensive items
    installation_declined: bool | None = None  # installation, training or warranty declined


_END_USE_NUMBERS = ("logic_node_nm", "dram_half_pitch_nm", "dram_cell_area_um2",
                    "dram_density_gb_mm2", "dram_tsv_per_die", "nand_layers")


def _cc(value: Any, field: str, problems: list[str], required: bool) -> str | None:
    if value is None or value == "":
        if required:
            problems.append(f"{field}: missing (an ISO-2 country code is required)")
        return None
    if not isinstance(value, str) or len(value.strip()) != 2 or not value.strip().isalpha():
        problems.append(f"{field}: expected an ISO-2 country code, got {value!r}")
        return None
    return value.strip().upper()


def _number(value: Any, field: str, problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{field}: expected a number, got {value!r}")
        return None
    if value < 0:
        problems.append(f"{field}: must not be negative, got {value!r}")
        return None
    return float(value)


def _flag(value: Any, field: str, problems: list[str]) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    problems.append(f"{field}: expected true or false, got {value!r}")
    return None


def _party(raw: Any, i: int, problems: list[str]) -> Party | None:
    where = f"parties[{i}]"
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: expected an object")
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}.name: missing")
        name = ""
    elif not any(ch.isalnum() for ch in name):
        problems.append(f"{where}.name: has no letters or digits, so it cannot be screened "
                        f"(got {name[:40]!r})")
    elif len(name) > MAX_NAME:
        problems.append(f"{where}.name: {len(name)} characters is longer than any party name "
                        f"({MAX_NAME} at most), so it cannot be screened")
    role = raw.get("role", "end_user")
    if role not in ROLES:
        problems.append(f"{where}.role: expected one of {', '.join(ROLES)}, got {role!r}")
    owners = _owners(raw.get("owners"), f"{where}.owners", problems, 0)
    kyc = _kyc(raw, where, problems)
    return Party(
        role=str(role), name=name.strip(),
        country=_cc(raw.get("country"), f"{where}.country", problems, False),
        hq=_cc(raw.get("hq"), f"{where}.hq", problems, False),
        ultimate_parent_hq=_cc(raw.get("ultimate_parent_hq"), f"{where}.ultimate_parent_hq",
                               problems, False),
        owners=owners, **kyc,
    )


_MAX_DEPTH = 25  # an ownership chain deeper than this in one order is a loop written out


def _owners(raw_owners: Any, where: str, problems: list[str], depth: int) -> tuple[Owner, ...]:
    """Owners, and their owners in turn; shares above 100 % in total are an input error."""
    if raw_owners is None or raw_owners == "" or raw_owners == []:
        return ()
    if not isinstance(raw_owners, list):
        problems.append(f"{where}: expected a list")
        return ()
    if depth > _MAX_DEPTH:
        problems.append(f"{where}: ownership nested more than {_MAX_DEPTH} levels deep")
        return ()
    owners: list[Owner] = []
    for j, o in enumerate(raw_owners):
        ow = f"{where}[{j}]"
        name_ok = isinstance(o, Mapping) and isinstance(o.get("name"), str) and o["name"].strip()
        if not name_ok:
            problems.append(f"{ow}.name: missing")
            continue
        pct = _number(o.get("percent"), f"{ow}.percent", problems)
        if pct is not None and pct > 100:
            problems.append(f"{ow}.percent: must be at most 100, got {pct:g}")
        owners.append(Owner(o["name"].strip(), pct,
                            _cc(o.get("country"), f"{ow}.country", problems, False),
                            _cc(o.get("hq"), f"{ow}.hq", problems, False),
                            _owners(o.get("owners"), f"{ow}.owners", problems, depth + 1)))
    total = sum(o.percent for o in owners if o.percent is not None)
    if total > 100.0001:
        problems.append(f"{where}: shares add up to {total:g} %, more than 100 %")
    return tuple(owners)


def _flags(raw: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    """``red_flags``: a list of codes or free-text descriptions (a lone string is one flag)."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        problems.append(f"{where}: expected a list of red-flag codes or descriptions")
        return ()
    out: list[str] = []
    for n, f in enumerate(raw):
        if not isinstance(f, str) or not f.strip():
            problems.append(f"{where}[{n}]: expected a red-flag code or description, "
                            f"got {f!r}")
            continue
        out.append(f.strip())
    return tuple(out)


def _text(value: Any, field: str, problems: list[str]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        problems.append(f"{field}: expected text, got {value!r}")
        return None
    return value.strip()


def _kyc(raw: Mapping[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    """The know-your-customer fields of a party."""
    incorporated = None
    if raw.get("incorporated") not in (None, ""):
        try:
            incorporated = date.fromisoformat(str(raw["incorporated"]))
        except ValueError:
            problems.append(f"{where}.incorporated: expected YYYY-MM-DD, got "
                            f"{raw['incorporated']!r}")
    kind = _text(raw.get("kind"), f"{where}.kind", problems)
    address_type = _text(raw.get("address_type"), f"{where}.address_type", problems)
    return {"red_flags": _flags(raw.get("red_flags"), f"{where}.red_flags", problems),
            "kind": kind.lower() if kind else None, "incorporated": incorporated,
            "address": _text(raw.get("address"), f"{where}.address", problems),
            "address_type": address_type.lower() if address_type else None,
            "business": _text(raw.get("business"), f"{where}.business", problems),
            "annual_revenue_usd": _number(raw.get("annual_revenue_usd"),
                                          f"{where}.annual_revenue_usd", problems)}


def _resolutions(raw: Any, problems: list[str]) -> tuple[FlagResolution, ...]:
    """``resolved_red_flags``: [{code, party?, by, reason, evidence?}]."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append("resolved_red_flags: expected a list")
        return ()
    out: list[FlagResolution] = []
    for n, r in enumerate(raw):
        where = f"resolved_red_flags[{n}]"
        if not isinstance(r, Mapping):
            problems.append(f"{where}: expected an object with code, by and reason")
            continue
        vals = {k: _text(r.get(k), f"{where}.{k}", problems) for k in ("code", "by", "reason")}
        missing = [k for k, v in vals.items() if not v]
        if missing:
            problems.append(f"{where}.{missing[0]}: missing (a resolution names the flag, who "
                            "resolved it and why)")
            continue
        party = r.get("party")
        if party is not None and (isinstance(party, bool)
                                  or not isinstance(party, int | str)):
            problems.append(f"{where}.party: expected a party index or name, got {party!r}")
            continue
        out.append(FlagResolution(code=str(vals["code"]), by=str(vals["by"]),
                                  reason=str(vals["reason"]), party=party,
                                  evidence=_text(r.get("evidence"), f"{where}.evidence",
                                                 problems)))
    return tuple(out)


def _end_use(raw: Any, problems: list[str]) -> EndUse | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        problems.append("end_use: expected an object")
        return None
    kind = raw.get("kind")
    if not isinstance(kind, str) or not kind.strip():
        problems.append("end_use.kind: missing (e.g. \"ic_fab\", \"supercomputer\")")
        return None
    nums = {f: _number(raw.get(f), f"end_use.{f}", problems) for f in _END_USE_NUMBERS}
    return EndUse(kind=kind.strip().lower(),
                  country=_cc(raw.get("country"), "end_use.country", problems, False),
                  non_planar=_flag(raw.get("non_planar"), "end_use.non_planar", problems),
                  facility_owner_hq=_cc(raw.get("facility_owner_hq"),
                                        "end_use.facility_owner_hq", problems, False),
                  customer_hq=_cc(raw.get("customer_hq"), "end_use.customer_hq", problems,
                                  False),
                  model_training=_flag(raw.get("model_training"), "end_use.model_training",
                                       problems),
                  **nums)


def parse_transaction(obj: Any, position: int = 0) -> Transaction:
    """Parse one transaction object; raise :class:`TransactionError` listing every problem."""
    if not isinstance(obj, Mapping):
        raise TransactionError([f"transaction {position}: expected a JSON object"])
    problems: list[str] = []
    tid = obj.get("id")
    if tid is None or (isinstance(tid, str) and not tid.strip()):
        problems.append("id: missing")
        tid = f"#{position}"
    raw_date = obj.get("date")
    day = date.min
    if raw_date is None:
        problems.append("date: missing (the date of export, YYYY-MM-DD)")
    else:
        try:
            day = date.fromisoformat(str(raw_date))
        except ValueError:
            problems.append(f"date: expected YYYY-MM-DD, got {raw_date!r}")
    export_from = _cc(obj.get("export_from"), "export_from", problems, True)
    destination = _cc(obj.get("destination"), "destination", problems, True)
    items = obj.get("items")
    if not isinstance(items, list) or not items:
        problems.append("items: missing or empty (at least one item is required)")
        items = []
    raw_parties = obj.get("parties", [])
    if not isinstance(raw_parties, list):
        problems.append("parties: expected a list")
        raw_parties = []
    parties = [p for i, r in enumerate(raw_parties) if (p := _party(r, i, problems))]
    end_use = _end_use(obj.get("end_use"), problems)
    subject = _flag(obj.get("subject_to_ear"), "subject_to_ear", problems)
    flags = _flags(obj.get("red_flags"), "red_flags", problems)
    resolved = _resolutions(obj.get("resolved_red_flags"), problems)
    terms = _text(obj.get("payment_terms"), "payment_terms", problems)
    declined = _flag(obj.get("installation_declined"), "installation_declined", problems)
    if problems:
        raise TransactionError(problems)
    assert export_from is not None and destination is not None
    return Transaction(id=str(tid), date=day, export_from=export_from, destination=destination,
                       items=tuple(items), parties=tuple(parties), end_use=end_use,
                       subject_to_ear=subject, red_flags=flags, resolved_red_flags=resolved,
                       payment_terms=terms, installation_declined=declined)
