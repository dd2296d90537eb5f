"""Equipment types as people write them, read as the names the criteria use.

Order systems say "HAR dielectric etcher" or "Single-wafer wet cleaner", while the criteria
test ``equipment_type in [dielectric_etch]``. A type no criterion names would classify as
nothing, and a Japanese etcher would read as uncontrolled: a silent NLR. So a type the criteria
do not know is matched word by word against ``data/equipment_types.yaml``; the reading is
reported as a warning, never applied silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from chipexport.classify.criteria import all_criteria
from chipexport.classify.data_files import load_yaml


def _named_types(node: Any) -> Iterator[str]:
    """Every ``equipment_type`` value a criteria condition tree names."""
    if isinstance(node, dict):
        if node.get("fact") == "equipment_type":
            yield from (str(v) for v in node.get("in") or [node.get("eq")] if v is not None)
        for value in node.values():
            yield from _named_types(value)
    elif isinstance(node, list):
        for value in node:
            yield from _named_types(value)


_KNOWN: dict[int, frozenset[str]] = {}


def known_types() -> frozenset[str]:
    """The equipment types the criteria in use test for (bundled and overlay records)."""
    records = all_criteria()
    if id(records) not in _KNOWN:  # all_criteria is cached: one scan per set of records
        _KNOWN[id(records)] = frozenset(t for c in records for t in _named_types(c.when))
    return _KNOWN[id(records)]


@cache
def _rules() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    out = []
    for rule in load_yaml("equipment_types.yaml")["rules"]:
        terms = tuple(tuple(t) if isinstance(t, list) else (str(t),) for t in rule["all"])
        out.append((str(rule["type"]), terms))
    return tuple(out)


def read_type(value: str) -> str | None:
    """The criteria's name for a snake_case equipment type, or None when no rule reads it.
    A type the criteria already know is returned unchanged."""
    if value in known_types():
        return value
    words = [w for w in value.split("_") if w]
    for canonical, terms in _rules():
        if all(any(w.startswith(alt) for w in words for alt in alts) for alts in terms):
            return canonical
    return None
