"""What the API and the web form refuse in a transaction before the engine sees it.

The engine reads transactions leniently, as a library should: unknown keys are ignored (an
order system's own columns stay in ``Item.extra``) and an id is whatever ``str()`` makes of
it. A service that *stores* every answer cannot be that lenient:

* a misspelt key (``prodcut``, ``logic_die_area`` for ``logic_die_area_mm2``) silently gives a
  different answer, so every unknown key is refused by name, with the nearest known one;
* an id is stored in the audit record's ``subject`` (``transaction:ID``) and ``ref`` columns,
  which PostgreSQL holds to 255 characters, so ids are limited to :data:`MAX_ID_CHARS`.

Engine errors are ``field: message`` lines; :func:`engine_problems` splits them so the error
body names the field as every other 422 does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from chipexport.classify.catalog import catalog
from chipexport.classify.criteria import all_criteria
from chipexport.errors import did_you_mean
from chipexport.model.items import Item
from chipexport.model.transaction import EndUse, Owner, Party, Transaction

# ``transaction:`` + id must fit the audit columns (255); a round limit well inside them.
MAX_ID_CHARS = 200
# Item keys the engine reads beside the Item fields: ``subject_to_ear`` (stripped before
# classifying) and ``memory_bandwidth_gbps`` (Item.from_json's other name for
# ``dram_bandwidth_gbps``).
_ENGINE_ITEM_KEYS = frozenset({"subject_to_ear", "memory_bandwidth_gbps"})
_KNOWN = {
    "": frozenset(f.name for f in dataclasses.fields(Transaction)),
    "parties": frozenset(f.name for f in dataclasses.fields(Party)),
    "end_use": frozenset(f.name for f in dataclasses.fields(EndUse)),
    "owners": frozenset(f.name for f in dataclasses.fields(Owner)),
}
# "items[0].tpp: expected a number" -> ("items[0].tpp", "expected a number")
_FIELD_LINE = re.compile(
    r"^(?P<field>[a-z_]\w*(?:\[\d+\])*(?:\.\(?\w+\)?(?:\[\d+\])*)*): (?P<msg>.+)$"
)

Problem = tuple[str | None, str]


def _facts(cond: Mapping[str, Any]) -> Iterator[str]:
    """Every fact name a criterion's condition tree compares."""
    for combinator in ("all", "any"):
        for sub in cond.get(combinator) or ():
            yield from _facts(sub)
    if "not" in cond:
        yield from _facts(cond["not"])
    if "fact" in cond:
        yield str(cond["fact"])


@cache
def item_fields() -> frozenset[str]:
    """The keys an item may have: the fields of :class:`~chipexport.model.items.Item`, the
    facts the classification criteria test (equipment and material parameters such as
    ``aspect_ratio`` or ``purity_percent`` reach them through ``Item.extra``), the parameters
    catalog records give (an item may state its own), and what the engine reads itself.

    Derived, never listed by hand, so a field added to ``Item`` or a fact added to the rules
    data is accepted at once.
    """
    names = {f.name for f in dataclasses.fields(Item)} - {"extra"}
    for criterion in all_criteria():
        names.update(_facts(criterion.when))
    for record in catalog().records:
        names.update(record.params)
    return frozenset(names | _ENGINE_ITEM_KEYS)


def _unknown(obj: Mapping[str, Any], known: frozenset[str], at: str) -> list[Problem]:
    """``at`` + key, "unknown field", for every key of ``obj`` not in ``known``."""
    problems: list[Problem] = []
    for key in (k for k in obj if k not in known):
        problems.append((f"{at}{key}", f"unknown field{did_you_mean(str(key), known)}"))
    return problems


def _id_problems(obj: Mapping[str, Any], where: str) -> list[Problem]:
    tid = obj.get("id")
    if tid is None:
        return []  # the engine says "id: missing"
    if isinstance(tid, bool) or not isinstance(tid, str | int | float):
        return [(f"{where}id", f"expected text, got {type(tid).__name__}")]
    if len(str(tid)) > MAX_ID_CHARS:
        return [(f"{where}id", f"{len(str(tid))} characters; an id has at most {MAX_ID_CHARS}")]
    return []


def transaction_problems(obj: Mapping[str, Any], where: str) -> list[Problem]:
    """(field path, message) for every unknown key and an unusable id in one transaction.

    ``where`` prefixes the paths (``[2].`` for the third transaction of a list).
    """
    problems = _id_problems(obj, where)
    problems += _unknown(obj, _KNOWN[""], where)
    items = obj.get("items")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, Mapping):  # the engine names an item that is not an object
            problems += _unknown(item, item_fields(), f"{where}items[{i}].")
    parties = obj.get("parties")
    for i, party in enumerate(parties if isinstance(parties, list) else []):
        if not isinstance(party, Mapping):
            continue
        at = f"{where}parties[{i}]."
        problems += _unknown(party, _KNOWN["parties"], at)
        owners = party.get("owners")
        for j, owner in enumerate(owners if isinstance(owners, list) else []):
            if isinstance(owner, Mapping):
                problems += _unknown(owner, _KNOWN["owners"], f"{at}owners[{j}].")
    end_use = obj.get("end_use")
    if isinstance(end_use, Mapping):
        problems += _unknown(end_use, _KNOWN["end_use"], f"{where}end_use.")
    return problems


def engine_problems(errors: list[str], where: str) -> list[Problem]:
    """The engine's ``field: message`` lines as (field path, message), prefixed by ``where``.

    A line that names no field (``transaction 0: expected a JSON object``) keeps the whole
    transaction as its place: ``[2]`` in a list, ``(body)`` for a single one.
    """
    out: list[Problem] = []
    for line in errors:
        m = _FIELD_LINE.match(line)
        if m:
            out.append((f"{where}{m['field']}", m["msg"]))
        else:
            out.append((where.rstrip(".") or "(body)", line))
    return out
