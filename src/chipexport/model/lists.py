"""Restricted-party list entries, normalised from every supported list format.

Every reader in :mod:`chipexport.lists` produces :class:`ListEntry` objects so that screening,
storage and display never need to know which file format an entry came from. The original
record is kept verbatim in ``raw`` because auditors ask to see exactly what the list said.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One entry of a restricted-party list.

    ``source`` is the short code the Consolidated Screening List uses (``EL``, ``SDN``, ``MEU``,
    ``UVL``, ``DPL``, ...) or a code of ours for other lists (``UN``, ``CN-UEL``, ...).
    ``entry_id`` is stable across list versions where the list gives an id; otherwise it is
    derived from the source and name so that re-screening can tell modified entries from new ones.
    """

    source: str
    entry_id: str
    name: str
    aliases: tuple[str, ...] = ()
    entity_type: str | None = None  # "Entity", "Individual", "Vessel", "Aircraft" or None
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    addresses: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register_notices: tuple[str, ...] = ()
    listed_on: date | None = None
    # When the listing stops applying (a DPL denial order's expiry, a suspended countermeasure).
    # Kept rather than dropping the entry: an order dated before the end is still affected.
    ends_on: date | None = None
    # For Entity List rows written "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Y":
    # ``affiliate_name`` is Y and ``affiliate_of`` is the part before "Affiliated Entity".
    affiliate_name: str | None = None
    affiliate_of: str | None = None
    source_list_url: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def all_names(self) -> tuple[str, ...]:
        """Primary name, affiliate name and aliases, de-duplicated, in that order."""
        seen: dict[str, None] = {}
        for n in (self.name, self.affiliate_name, *self.aliases):
            if n and n not in seen:
                seen[n] = None
        return tuple(seen)

    @property
    def federal_register_notice(self) -> str | None:
        """The citations joined as the CSL writes them (``"; "``), or None."""
        return "; ".join(self.federal_register_notices) or None

    def content_hash(self) -> str:
        """A digest of everything but ``raw``: equal hashes mean an unchanged entry."""
        payload = {
            "source": self.source,
            "entry_id": self.entry_id,
            "name": self.name,
            "aliases": list(self.aliases),
            "entity_type": self.entity_type,
            "countries": list(self.countries),
            "addresses": list(self.addresses),
            "programs": list(self.programs),
            "license_requirement": self.license_requirement,
            "license_policy": self.license_policy,
            "federal_register_notices": list(self.federal_register_notices),
            "listed_on": self.listed_on.isoformat() if self.listed_on else None,
        }
        # Only when set: adding the key for every entry would change every stored hash and make
        # each unchanged entry look modified after an upgrade.
        if self.ends_on is not None:
            payload["ends_on"] = self.ends_on.isoformat()
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """All entries of one list source as read from one file, with where they came from.

    ``version`` is the list's own date or generation stamp when the file states one
    (e.g. the CSL ``sourceGeneratedAt``), else the newest date found in the entries.
    """

    source: str
    version: str
    entries: tuple[ListEntry, ...]
    origin: str  # file path or URL the snapshot was read from
    checksum: str  # sha256 of the bytes read
    title: str | None = None
    # What a lenient read tolerated (a cut last row, an absurd date left out of ``version``), so
    # that ``lists load`` can show it instead of hiding it.
    warnings: tuple[str, ...] = ()
