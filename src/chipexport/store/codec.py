"""Turn :class:`ListEntry` objects into table rows and back, losslessly.

The normalised attributes go into one JSON column (``fields``) rather than a column each: the
entry shape grows as readers learn new list formats, and a JSON column absorbs that without a
migration while the columns that are queried (source, entry_id, name, content_hash) stay real.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import typing
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from chipexport.model import ListEntry

# Every ListEntry attribute except the ones that are columns of their own (and raw), derived
# from the model so that a field added to ListEntry is stored without touching this module.
_COLUMNS = ("source", "entry_id", "name", "raw")
_HINTS = typing.get_type_hints(ListEntry)
_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(ListEntry) if f.name not in _COLUMNS)
_TUPLE_FIELDS = frozenset(n for n in _FIELD_NAMES if typing.get_origin(_HINTS[n]) is tuple)
_DATE_FIELDS = frozenset(n for n in _FIELD_NAMES if date in typing.get_args(_HINTS[n]))


def json_default(value: Any) -> Any:
    """Raw records from XML or CSV readers may hold dates, tuples or read-only mappings."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> str:
    """The JSON serialiser the store's engines use for JSON columns."""
    return json.dumps(value, default=json_default, ensure_ascii=False)


def entry_fields(entry: ListEntry) -> dict[str, Any]:
    """The normalised attributes of ``entry`` that are not table columns of their own."""
    fields: dict[str, Any] = {}
    for name in _FIELD_NAMES:
        value = getattr(entry, name)
        if name in _TUPLE_FIELDS:
            value = list(value)
        elif name in _DATE_FIELDS and value is not None:
            value = value.isoformat()
        fields[name] = value
    return fields


def entry_row(entry: ListEntry, version_id: int, ordinal: int) -> dict[str, Any]:
    """The ``list_entries`` row for ``entry``; ``raw`` is serialised by :func:`dumps`."""
    return {
        "version_id": version_id,
        "ordinal": ordinal,
        "source": entry.source,
        "entry_id": entry.entry_id,
        "name": entry.name,
        "content_hash": entry.content_hash(),
        "fields": entry_fields(entry),
        "raw": entry.raw,
    }


def entry_from_row(
    source: str, entry_id: str, name: str, fields: Mapping[str, Any], raw: Mapping[str, Any]
) -> ListEntry:
    """Rebuild the :class:`ListEntry` stored by :func:`entry_row`.

    Fields missing from an older row take the model's default.
    """
    kwargs: dict[str, Any] = {}
    for field_name in _FIELD_NAMES:
        if field_name not in fields:
            continue
        value = fields[field_name]
        if field_name in _TUPLE_FIELDS:
            value = tuple(value or ())
        elif field_name in _DATE_FIELDS and value is not None:
            value = date.fromisoformat(value)
        kwargs[field_name] = value
    return ListEntry(source=source, entry_id=entry_id, name=name, raw=raw, **kwargs)


def content_digest(rows: Iterable[Mapping[str, Any]]) -> str:
    """sha256 over the rows' entry ids, content hashes and raw records, in list order.

    Two loads of a source with equal digests hold the same entries, so the second is a no-op
    even when it came from a different file (a fresh download of an unchanged list).
    """
    digest = hashlib.sha256()
    for row in rows:
        digest.update(row["entry_id"].encode())
        digest.update(row["content_hash"].encode())
        raw = json.dumps(row["raw"], sort_keys=True, default=json_default, ensure_ascii=False)
        digest.update(raw.encode())
        digest.update(b"\x1e")
    return digest.hexdigest()
