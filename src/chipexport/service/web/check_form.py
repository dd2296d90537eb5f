"""The check form <-> the ``chipexport check`` transaction object (docs/interfaces.md).

The form is flat (``item-0-product``, ``party-1-role`` ...), so that it works as a plain HTML
form; this module turns it into exactly the object the CLI and ``POST /v1/check`` read, and a
stored transaction back into form rows (the "edit and re-check" link). Item parameters are typed
as ``key=value`` words (``kind=ic tpp=2896 datacenter=true``) so any item field of the
transaction format can be given without a form field per parameter.

Countries may be typed as ISO-2 codes or English names ("China" -> CN), read by the same
:func:`~chipexport.lists.countries.country_code` the CLI and the batch upload use; a value that
is neither is refused by field, never dropped: a party without its country or headquarters is
screened and determined as a different party.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from typing import Any

from chipexport.errors import ChipexportError
from chipexport.lists.countries import country_code

ITEM_FIELDS = ("product", "description", "eccn", "hts", "origin", "value_usd")
PARTY_FIELDS = ("role", "name", "country", "hq", "ultimate_parent", "ultimate_parent_hq")
PARTY_COUNTRIES = ("country", "hq", "ultimate_parent_hq")
OWNER_FIELDS = ("party", "name", "percent", "country")
END_USE_NUMBERS = ("logic_node_nm", "dram_half_pitch_nm", "nand_layers")
END_USE_KINDS = ("ic_fab", "supercomputer", "sme_production", "military")
EXPORT_FROM = ("US", "JP", "NL", "CN", "KR", "TW", "DE", "GB")
ROLES = ("end_user", "consignee", "intermediate_consignee", "purchaser", "importer")
MAX_ROWS = 20
_ROW = re.compile(r"^(item|party|owner)-(\d{1,2})-([a-z_]+)$")
_FIELD_WORDS = {"country": "country", "hq": "headquarters",
                "ultimate_parent_hq": "ultimate parent's headquarters"}


class FormProblem(ChipexportError, ValueError):
    """A form value that cannot become part of a transaction (names the field)."""


def _scalar(text: str) -> Any:
    """``true`` -> True, ``2896`` -> 2896, ``0.5`` -> 0.5, anything else stays text."""
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("null", "none"):
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def parse_params(text: str, where: str) -> dict[str, Any]:
    """``kind=ic tpp=2896 "light_source=ArF"`` -> ``{"kind": "ic", "tpp": 2896, ...}``."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise FormProblem(f"{where}: {exc}") from None
    out: dict[str, Any] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not re.fullmatch(r"[a-z_][a-z0-9_]*", key.strip()):
            raise FormProblem(f"{where}: {word!r} is not key=value (e.g. tpp=2896)")
        out[key.strip()] = _scalar(value.strip())
    return out


def _rows(form: Mapping[str, str], prefix: str) -> list[dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for name, value in form.items():
        m = _ROW.match(name)
        if m and m.group(1) == prefix and int(m.group(2)) < MAX_ROWS:
            found.setdefault(int(m.group(2)), {})[m.group(3)] = value.strip()
    return [found[n] for n in sorted(found)]


def country(value: str, where: str) -> str | None:
    """ISO-2 for a typed code or English name; None for blank; :class:`FormProblem` otherwise."""
    value = value.strip()
    if not value:
        return None
    code = country_code(value)
    if code is None:
        raise FormProblem(f"{where}: {value!r} is not a country we know "
                          "(an ISO-2 code such as CN, or an English name such as China)")
    return code


def _percent(text: str, where: str) -> float | int | None:
    if not text:
        return None
    value = _scalar(text.rstrip("% "))
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 100:
        raise FormProblem(f"{where}: {text!r} is not a percentage between 0 and 100")
    return value


def _parties(form: Mapping[str, str]) -> list[dict[str, Any]]:
    """Party rows with a name, with their owner rows (``owner-N-party`` is the party's number
    as the form shows it, from 1)."""
    rows = _rows(form, "party")
    parties: list[dict[str, Any] | None] = []
    for n, row in enumerate(rows):
        if not row.get("name"):
            parties.append(None)
            continue
        party: dict[str, Any] = {"role": row.get("role") or "end_user", "name": row["name"]}
        for key in PARTY_COUNTRIES:
            code = country(row.get(key, ""), f"party {n + 1} {_FIELD_WORDS[key]}")
            if code:
                party[key] = code
        if row.get("ultimate_parent"):
            party["ultimate_parent"] = row["ultimate_parent"]
        parties.append(party)
    for m, row in enumerate(_rows(form, "owner")):
        if not row.get("name"):
            continue
        where = f"owner {m + 1}"
        number = _scalar(row.get("party") or "1")
        if not isinstance(number, int) or not 1 <= number <= len(parties) or \
                parties[number - 1] is None:
            raise FormProblem(f"{where}: party {row.get('party')!r} is not a party row with a "
                              "name")
        owner: dict[str, Any] = {"name": row["name"]}
        pct = _percent(row.get("percent", ""), f"{where} percent")
        if pct is not None:
            owner["percent"] = pct
        code = country(row.get("country", ""), f"{where} country")
        if code:
            owner["country"] = code
        target = parties[number - 1]
        assert target is not None
        target.setdefault("owners", []).append(owner)
    return [p for p in parties if p is not None]


def to_transaction(form: Mapping[str, str], default_id: str) -> dict[str, Any]:
    """The transaction object of a submitted check form; empty rows are skipped."""
    txn: dict[str, Any] = {
        "id": form.get("id", "").strip() or default_id,
        "date": form.get("date", "").strip(),
        "export_from": form.get("export_from", "").strip().upper(),
        "destination": country(form.get("destination", ""), "destination")
        or form.get("destination", "").strip().upper(),
        "items": [],
    }
    for n, row in enumerate(_rows(form, "item")):
        item: dict[str, Any] = {}
        for key in ITEM_FIELDS:
            if row.get(key) and key == "origin":
                item[key] = country(row[key], f"item {n + 1} origin")
            elif row.get(key):
                item[key] = _scalar(row[key]) if key == "value_usd" else row[key]
        if row.get("params"):
            item.update(parse_params(row["params"], f"item {n + 1} parameters"))
        if item:
            txn["items"].append(item)
    parties = _parties(form)
    if parties:
        txn["parties"] = parties
    kind = form.get("end_use_kind", "").strip()
    if kind:
        end_use: dict[str, Any] = {"kind": kind}
        for key in END_USE_NUMBERS:
            if form.get(key, "").strip():
                value = _scalar(form[key].strip())
                if not isinstance(value, int | float) or isinstance(value, bool):
                    raise FormProblem(f"end use {key}: {form[key]!r} is not a number")
                end_use[key] = value
        if form.get("non_planar"):
            end_use["non_planar"] = True
        txn["end_use"] = end_use
    return txn


def to_form(txn: Mapping[str, Any]) -> dict[str, Any]:
    """Form rows for a stored transaction (prefills the form for "edit and re-check")."""
    items = []
    for raw in txn.get("items") or []:
        row = {k: str(raw[k]) for k in ITEM_FIELDS if raw.get(k) is not None}
        rest = {k: v for k, v in raw.items() if k not in ITEM_FIELDS}
        row["params"] = " ".join(
            f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in rest.items()
        )
        items.append(row)
    end_use = txn.get("end_use") or {}
    return {
        "id": txn.get("id", ""),
        "date": txn.get("date", ""),
        "export_from": txn.get("export_from", "US"),
        "destination": txn.get("destination", ""),
        "items": items,
        "parties": [
            {k: str(p.get(k) or "") for k in PARTY_FIELDS} for p in txn.get("parties") or []
        ],
        "owners": [
            {"party": str(n + 1), "name": str(o.get("name") or ""),
             "percent": "" if o.get("percent") is None else str(o["percent"]),
             "country": str(o.get("country") or "")}
            for n, p in enumerate(txn.get("parties") or []) for o in p.get("owners") or []
        ],
        "end_use_kind": end_use.get("kind", ""),
        **{k: end_use.get(k) if end_use.get(k) is not None else "" for k in END_USE_NUMBERS},
        "non_planar": bool(end_use.get("non_planar")),
    }


def echo(form: Mapping[str, str]) -> dict[str, Any]:
    """Form values exactly as typed, for showing a form that could not be read back."""
    return {
        **{k: form.get(k, "") for k in ("id", "date", "export_from", "destination",
                                          "end_use_kind", *END_USE_NUMBERS)},
        "items": _rows(form, "item"),
        "parties": _rows(form, "party"),
        "owners": _rows(form, "owner"),
        "non_planar": bool(form.get("non_planar")),
    }
