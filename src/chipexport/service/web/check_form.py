"""The check form <-> the ``chipexport check`` transaction object (docs/interfaces.md).

The form is flat (``item-0-product``, ``party-1-role`` ...), so that it works as a plain HTML
form; this module turns it into exactly the object the CLI and ``POST /v1/check`` read, and a
stored transaction back into form rows (the "edit and re-check" link). Item parameters are typed
as ``key=value`` words (``kind=ic tpp=2896 datacenter=true``) so any item field of the
transaction format can be given without a form field per parameter.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from typing import Any

ITEM_FIELDS = ("product", "description", "eccn", "hts", "origin", "value_usd")
PARTY_FIELDS = ("role", "name", "country")
END_USE_NUMBERS = ("logic_node_nm", "dram_half_pitch_nm", "nand_layers")
END_USE_KINDS = ("ic_fab", "supercomputer", "sme_production", "military")
EXPORT_FROM = ("US", "JP", "NL", "CN", "KR", "TW", "DE", "GB")
ROLES = ("end_user", "consignee", "intermediate_consignee", "purchaser", "importer")
MAX_ROWS = 20
_ROW = re.compile(r"^(item|party)-(\d{1,2})-([a-z_]+)$")


class FormProblem(ValueError):
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


def to_transaction(form: Mapping[str, str], default_id: str) -> dict[str, Any]:
    """The transaction object of a submitted check form; empty rows are skipped."""
    txn: dict[str, Any] = {
        "id": form.get("id", "").strip() or default_id,
        "date": form.get("date", "").strip(),
        "export_from": form.get("export_from", "").strip().upper(),
        "destination": form.get("destination", "").strip().upper(),
        "items": [],
    }
    for n, row in enumerate(_rows(form, "item")):
        item: dict[str, Any] = {}
        for key in ITEM_FIELDS:
            if row.get(key):
                item[key] = _scalar(row[key]) if key == "value_usd" else row[key]
        if row.get("params"):
            item.update(parse_params(row["params"], f"item {n + 1} parameters"))
        if item:
            txn["items"].append(item)
    parties = []
    for row in _rows(form, "party"):
        if row.get("name"):
            party = {"role": row.get("role") or "end_user", "name": row["name"]}
            if row.get("country"):
                party["country"] = row["country"].upper()
            parties.append(party)
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
        "non_planar": bool(form.get("non_planar")),
    }
