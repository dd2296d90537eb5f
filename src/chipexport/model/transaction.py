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
    """A direct owner of a party as the transaction states it."""

    name: str
    percent: float | None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A transaction party. ``hq`` and ``ultimate_parent_hq`` feed the headquarters rule."""

    role: str
    name: str
    country: str | None = None
    hq: str | None = None
    ultimate_parent_hq: str | None = None
    owners: tuple[Owner, ...] = ()


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
    owners: list[Owner] = []
    raw_owners = raw.get("owners") or []
    if not isinstance(raw_owners, list):
        problems.append(f"{where}.owners: expected a list")
        raw_owners = []
    for j, o in enumerate(raw_owners):
        ow = f"{where}.owners[{j}]"
        name_ok = isinstance(o, Mapping) and isinstance(o.get("name"), str) and o["name"].strip()
        if not name_ok:
            problems.append(f"{ow}.name: missing")
            continue
        pct = _number(o.get("percent"), f"{ow}.percent", problems)
        if pct is not None and pct > 100:
            problems.append(f"{ow}.percent: must be at most 100, got {pct:g}")
        owners.append(Owner(o["name"].strip(), pct, _cc(o.get("country"), f"{ow}.country",
                                                          problems, False)))
    return Party(
        role=str(role), name=name.strip(),
        country=_cc(raw.get("country"), f"{where}.country", problems, False),
        hq=_cc(raw.get("hq"), f"{where}.hq", problems, False),
        ultimate_parent_hq=_cc(raw.get("ultimate_parent_hq"), f"{where}.ultimate_parent_hq",
                               problems, False),
        owners=tuple(owners),
    )


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
    if problems:
        raise TransactionError(problems)
    assert export_from is not None and destination is not None
    return Transaction(id=str(tid), date=day, export_from=export_from, destination=destination,
                       items=tuple(items), parties=tuple(parties), end_use=end_use,
                       subject_to_ear=subject)
