"""What the API and the web form refuse in a transaction before the engine sees it.

The engine reads transactions as a library should: an unknown key is answered with a warning
(an order system's own item columns pass silently). A service that *stores* every answer cannot
be that lenient: a misspelt key (``prodcut``, ``logic_die_area`` for ``logic_die_area_mm2``)
silently gives a different answer, so every unknown key is refused by name, with the nearest
known one. Which keys are unknown is decided in one place,
:func:`chipexport.model.fields.unknown_fields`, from the input models; this module adds only
the item keys the classification data reads (equipment and material parameters).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from chipexport.classify.catalog import catalog
from chipexport.classify.criteria import all_criteria
from chipexport.model.fields import unknown_fields
from chipexport.model.items import ITEM_ALIASES, ItemIn
from chipexport.model.problems import Problem
from chipexport.model.transaction import MAX_ID_CHARS

__all__ = ["MAX_ID_CHARS", "item_fields", "transaction_problems"]


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
    """The keys an item may have: the fields of :class:`~chipexport.model.items.ItemIn`, the
    facts the classification criteria test (equipment and material parameters such as
    ``aspect_ratio`` or ``purity_percent`` reach them through ``Item.extra``) and the parameters
    catalog records give (an item may state its own).

    Derived, never listed by hand, so a field added to the item model or a fact added to the
    rules data is accepted at once.
    """
    names = set(ItemIn.model_fields) | ITEM_ALIASES
    for criterion in all_criteria():
        names.update(_facts(criterion.when))
    for record in catalog().records:
        names.update(record.params)
    return frozenset(names)


def transaction_problems(obj: Mapping[str, Any], where: str) -> list[Problem]:
    """A problem for every unknown key, at any depth, of one transaction object.

    ``where`` prefixes the paths (``[2].`` for the third transaction of a list).
    """
    return [u.problem() for u in unknown_fields(obj, item_fields(), where)]
