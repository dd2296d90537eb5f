"""Reader for the compact Consolidated Screening List JSON (interned string tables).

Layout (trade.gov's bulk JSON, compacted): ``entries[]`` with short keys ``n`` name, ``a``
aliases, ``s`` source index, ``t`` type, ``c`` countries, ``e`` entity number, ``lr``/``lp``
licence requirement/policy index, ``pg`` programme index, ``fr`` FR notice, ``u`` url index.
"""

from __future__ import annotations

from typing import Any

from chipexport.lists.common import (
    name_problem,
    source_code,
    split_affiliate,
    split_citations,
    split_list,
    split_names,
    stable_id,
)
from chipexport.lists.errors import ListFormatError
from chipexport.lists.snapshots import UNKNOWN_VERSION, build_snapshots
from chipexport.lists.text import decode_text, json_document
from chipexport.model import ListEntry, ListSnapshot

_TABLES = ("sources", "licenceRequirements", "licencePolicies", "programmes", "urls")


def _lookup(table: list[str], idx: Any, path: str, line: int, field: str) -> str | None:
    if idx is None:
        return None
    if not isinstance(idx, int) or isinstance(idx, bool) or not 0 <= idx < len(table):
        raise ListFormatError(path, f"index {idx!r} outside its table", line=line, field=field)
    return table[idx]


def _strings(value: Any, path: str, line: int, field: str) -> list[str]:
    """A list-of-strings field; anything else is a wrong type, named as such."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ListFormatError(path, "expected a list of strings", line=line, field=field)
    return value


def _optional_str(value: Any, path: str, line: int, field: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and field == "e":
        return str(value)
    if not isinstance(value, str):
        raise ListFormatError(path, f"expected text, got {type(value).__name__}", line, field)
    return value


def _tables(doc: dict[str, Any], origin: str) -> dict[str, list[str]]:
    tables = doc["tables"]
    if not isinstance(tables, dict):
        raise ListFormatError(origin, "expected an object of string tables", field="tables")
    out: dict[str, list[str]] = {}
    for name in _TABLES:
        table = tables.get(name, [])
        if not isinstance(table, list) or not all(isinstance(v, str) for v in table):
            raise ListFormatError(origin, "expected a list of strings", field=f"tables.{name}")
        out[name] = table
    return out


def parse_csl_compact(data: bytes, origin: str, checksum: str) -> list[ListSnapshot]:
    """Parse the compact CSL JSON into one snapshot per list source.

    ``line`` in errors is the 1-based position of the entry in ``entries[]`` (the file is
    one JSON document, so the entry number is what a user can find).
    """
    doc = json_document(decode_text(data, origin), origin)
    if not isinstance(doc, dict) or "entries" not in doc or "tables" not in doc:
        raise ListFormatError(origin, "not a compact CSL file (no 'entries'/'tables')")
    if not isinstance(doc["entries"], list):
        raise ListFormatError(origin, "expected a list of entries", field="entries")
    tables = _tables(doc, origin)
    stamp = doc.get("sourceGeneratedAt") or doc.get("retrievedAt")
    version = str(stamp)[:10] if stamp else UNKNOWN_VERSION
    entries: list[ListEntry] = []
    titles: dict[str, str] = {}
    for i, raw in enumerate(doc["entries"], start=1):
        if not isinstance(raw, dict):
            raise ListFormatError(origin, "entry is not an object", line=i)
        name = raw.get("n")
        if not isinstance(name, str):
            raise ListFormatError(origin, "expected the name as text", line=i, field="n")
        if problem := name_problem(name):
            raise ListFormatError(origin, problem, line=i, field="n")
        title = _lookup(tables["sources"], raw.get("s"), origin, i, "s")
        if title is None:
            raise ListFormatError(origin, "missing source", line=i, field="s")
        code = source_code(title)
        titles[code] = title
        parent, affiliate = split_affiliate(name)
        program = _lookup(tables["programmes"], raw.get("pg"), origin, i, "pg")
        number = _optional_str(raw.get("e"), origin, i, "e")
        entries.append(
            ListEntry(
                source=code,
                entry_id=f"{code}-{number}" if number else stable_id(code, name),
                name=name,
                aliases=split_names(_strings(raw.get("a"), origin, i, "a")),
                entity_type=_optional_str(raw.get("t"), origin, i, "t"),
                countries=tuple(_strings(raw.get("c"), origin, i, "c")),
                programs=split_list(program),
                license_requirement=_lookup(
                    tables["licenceRequirements"], raw.get("lr"), origin, i, "lr"
                ),
                license_policy=_lookup(tables["licencePolicies"], raw.get("lp"), origin, i, "lp"),
                federal_register_notices=split_citations(
                    _optional_str(raw.get("fr"), origin, i, "fr")
                ),
                affiliate_name=affiliate,
                affiliate_of=parent,
                source_list_url=_lookup(tables["urls"], raw.get("u"), origin, i, "u"),
                raw=raw,
            )
        )
    if not entries:
        raise ListFormatError(origin, "no entries", field="entries")
    return build_snapshots(entries, origin, checksum, version=version, titles=titles)
