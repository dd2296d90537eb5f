"""Reader for the compact Consolidated Screening List JSON (interned string tables).

Layout (see ../shared/data/PROVENANCE.md §1): ``entries[]`` with short keys ``n`` name, ``a``
aliases, ``s`` source index, ``t`` type, ``c`` countries, ``e`` entity number, ``lr``/``lp``
licence requirement/policy index, ``pg`` programme index, ``fr`` FR notice, ``u`` url index.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from chipexport.lists.common import (
    dedupe_ids,
    source_code,
    split_affiliate,
    split_citations,
    stable_id,
)
from chipexport.lists.errors import ListFormatError
from chipexport.model import ListEntry, ListSnapshot


def _lookup(table: list[str], idx: Any, path: str, line: int, field: str) -> str | None:
    if idx is None:
        return None
    if not isinstance(idx, int) or not 0 <= idx < len(table):
        raise ListFormatError(path, f"index {idx!r} outside its table", line=line, field=field)
    return table[idx]


def parse_csl_compact(data: bytes, origin: str, checksum: str) -> list[ListSnapshot]:
    """Parse the compact CSL JSON into one snapshot per list source.

    ``line`` in errors is the 1-based position of the entry in ``entries[]`` (the file is
    one JSON document, so the entry number is what a user can find).
    """
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ListFormatError(origin, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ListFormatError(origin, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    if not isinstance(doc, dict) or "entries" not in doc or "tables" not in doc:
        raise ListFormatError(origin, "not a compact CSL file (no 'entries'/'tables')")
    tables = doc["tables"]
    version = str(doc.get("sourceGeneratedAt") or doc.get("retrievedAt") or "")[:10] or "unknown"
    grouped: dict[str, list[ListEntry]] = defaultdict(list)
    titles: dict[str, str] = {}
    for i, raw in enumerate(doc["entries"], start=1):
        if not isinstance(raw, dict):
            raise ListFormatError(origin, "entry is not an object", line=i)
        name = raw.get("n")
        if not isinstance(name, str) or not name.strip():
            raise ListFormatError(origin, "empty name", line=i, field="n")
        title = _lookup(tables.get("sources", []), raw.get("s"), origin, i, "s")
        if title is None:
            raise ListFormatError(origin, "missing source", line=i, field="s")
        code = source_code(title)
        titles[code] = title
        parent, affiliate = split_affiliate(name)
        program = _lookup(tables.get("programmes", []), raw.get("pg"), origin, i, "pg")
        number = raw.get("e")
        grouped[code].append(
            ListEntry(
                source=code,
                entry_id=f"{code}-{number}" if number else stable_id(code, name),
                name=name,
                aliases=tuple(a for a in raw.get("a") or () if isinstance(a, str) and a.strip()),
                entity_type=raw.get("t"),
                countries=tuple(raw.get("c") or ()),
                programs=tuple(p.strip() for p in program.split(";")) if program else (),
                license_requirement=_lookup(
                    tables.get("licenceRequirements", []), raw.get("lr"), origin, i, "lr"
                ),
                license_policy=_lookup(
                    tables.get("licencePolicies", []), raw.get("lp"), origin, i, "lp"
                ),
                federal_register_notices=split_citations(raw.get("fr")),
                affiliate_name=affiliate,
                affiliate_of=parent,
                source_list_url=_lookup(tables.get("urls", []), raw.get("u"), origin, i, "u"),
                raw=raw,
            )
        )
    snapshots = []
    for code, entries in sorted(grouped.items()):
        ids = dedupe_ids(e.entry_id for e in entries)
        fixed = tuple(
            e if e.entry_id == new else replace(e, entry_id=new)
            for e, new in zip(entries, ids, strict=True)
        )
        snapshots.append(
            ListSnapshot(code, version, fixed, origin=origin, checksum=checksum, title=titles[code])
        )
    return snapshots


def read_csl_compact(path: Path) -> list[ListSnapshot]:
    """Read a compact CSL JSON file from disk."""
    data = path.read_bytes()
    return parse_csl_compact(data, str(path), hashlib.sha256(data).hexdigest())
