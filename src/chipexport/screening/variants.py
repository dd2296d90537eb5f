"""What the index stores per entry: the names users may type for it, and a compact row.

Kept apart from the index so that the rules "which names does an entry answer to" and "how is an
entry cached" can be read (and tested) on their own.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from chipexport.model import ListEntry
from chipexport.screening.text import split_aka, strip_parentheses


def typo_similarity(tok: str) -> float:
    """Credit for a one-edit typo: one wrong letter in a long word matters less."""
    return max(0.8, 1.0 - 0.8 / len(tok))


def deletes(tok: str) -> set[str]:
    """Every one-letter deletion of ``tok`` (the deletion-neighbourhood typo lookup)."""
    return {tok[:i] + tok[i + 1 :] for i in range(len(tok))}


def name_variants(entry: ListEntry) -> list[tuple[str, str]]:
    """(text, how it relates to the entry) for every name a user might type for this entry."""
    out: list[tuple[str, str]] = []
    for name in entry.all_names:
        if name == entry.name:
            kind = "primary name"
        elif name == entry.affiliate_name:
            kind = "affiliate name"
        else:
            kind = "alias"
        parts = split_aka(name)
        for part in [name, *parts] if len(parts) > 1 else [name]:
            out.append((part, kind))
            bare = strip_parentheses(part)
            if bare and bare != part:
                out.append((bare, f"{kind} without its parenthesised part"))
    return out


# Every ListEntry field but the verbatim ``raw``, in declaration order; dates travel as ISO text
# so that the cached index is plain marshal-able data.
ROW_FIELDS = tuple(f.name for f in fields(ListEntry) if f.name != "raw")
SOURCE, TYPE, COUNTRIES = (ROW_FIELDS.index(k) for k in ("source", "entity_type", "countries"))


def to_row(e: ListEntry) -> tuple[object, ...]:
    values = (getattr(e, k) for k in ROW_FIELDS)
    return tuple(v.isoformat() if isinstance(v, date) else v for v in values)


def from_row(row: tuple[object, ...]) -> ListEntry:
    kwargs: dict[str, Any] = dict(zip(ROW_FIELDS, row, strict=True))
    for key in ("listed_on", "ends_on"):
        if isinstance(kwargs.get(key), str):
            kwargs[key] = date.fromisoformat(kwargs[key])
    return ListEntry(**kwargs)
