"""Country names as lists write them ("Korea, North", "Iran (Islamic Republic of)") -> ISO-2.

``ListEntry.countries`` holds ISO 3166-1 alpha-2 codes because screening filters on the
``country`` a user gives as ISO-2. The name table is data (``data/lists/country_names.json``,
built by bench/build_bundle.py), not code, so a new spelling is a one-line data change.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

# Codes the lists use that are not (or no longer) ISO 3166-1 but name a real place.
_EXTRA_CODES = frozenset({"XK", "AN"})


def _key(name: str) -> str:
    """Case-folded, '&' read as 'and', punctuation dropped (same rule as the build script)."""
    name = name.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", name).split())


@cache
def _table() -> dict[str, str]:
    path = resources.files("chipexport") / "data" / "lists" / "country_names.json"
    table: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return table


@cache
def iso_codes() -> frozenset[str]:
    """Every alpha-2 code the table knows."""
    return frozenset(_table().values()) | _EXTRA_CODES


def country_code(value: str | None) -> str | None:
    """ISO-2 code for a code or an English country name; None when unknown or blank.

    A two-letter value is accepted only if it is a known code: "NM" in the DPL's Country
    column is New Mexico typed in the wrong cell, not a country.
    """
    if not value:
        return None
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        code = value.upper()
        return code if code in iso_codes() else None
    return _table().get(_key(value))


def screening_country(value: str | None) -> tuple[str | None, str | None]:
    """``(ISO-2 code or None, warning or None)`` for a batch row's ``country`` cell.

    One reading for the CLI and the web upload: a code or an English name ("China") gives the
    code; anything else gives no country and a warning that says so. The row is screened either
    way, without country evidence: skipping a party is the worse failure.
    """
    value = (value or "").strip()
    if not value:
        return None, None
    code = country_code(value)
    if code is None:
        return None, (f"field 'country' {value!r} is not a country code or name we know; "
                      "screened without a country")
    return code, None
