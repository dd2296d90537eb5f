"""Keys a transaction gives that its contract does not know: found in one place, from the models.

A misspelt key (``countyr``, ``ultimate_parent_hg``, ``prodcut``) silently gives a different
answer, so it must never pass without a word. What is done about it depends on who reads:

* the API stores every answer, so it refuses every unknown key with a 422 naming it;
* the engine (``chipexport check``) is a library and a batch tool fed by order systems: it
  answers, and lists each unknown transaction, party, owner or end-use key in ``warnings``
  with a did-you-mean. Items are different: order systems add their own columns to items
  (``sku``, ``product_id``, ``value_eur``), so an unknown item key is warned about only when it
  looks like a slip for a field (:func:`misspelt`), as it always was.

Both read :func:`unknown_fields`, which walks the input beside the pydantic models of
:mod:`chipexport.model.transaction`, so a field added to a model is known everywhere at once.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel
from rapidfuzz.distance import DamerauLevenshtein

from chipexport.errors import did_you_mean
from chipexport.model.items import ITEM_ALIASES, ItemIn
from chipexport.model.problems import Problem
from chipexport.model.transaction import TransactionIn


@dataclass(frozen=True, slots=True)
class UnknownField:
    """``key`` at ``path`` (``parties[0].countyr``) is not a field; ``known`` are the fields."""

    path: str
    key: str
    known: frozenset[str]
    in_item: bool

    def hint(self) -> str:
        """`` (did you mean 'country'?)``, or "" when no field is near."""
        hint = did_you_mean(self.key, self.known)
        if not hint and (near := misspelt(self.key, sorted(self.known))):
            hint = f" (did you mean {near!r}?)"
        return hint

    def problem(self) -> Problem:
        """The API's refusal: ``unknown field (did you mean 'country'?)``."""
        return Problem(field=self.path, message=f"unknown field{self.hint()}")

    def warning(self) -> str:
        """The engine's note: the key was ignored, and what it may have meant."""
        return f"{self.path}: unknown field ignored{self.hint()}"


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``Owner | None``, ``tuple[Owner, ...]``, ``Annotated[...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) is typing.Annotated:
        return _submodel(typing.get_args(annotation)[0])
    for arg in typing.get_args(annotation):
        if arg is not Ellipsis and arg is not types.NoneType and (found := _submodel(arg)):
            return found
    return None


@cache
def _layout(model: type[BaseModel]) -> tuple[frozenset[str], dict[str, type[BaseModel] | None]]:
    """A model's field names and the model inside each field (None: a plain value), read
    once per model: the walk runs for every transaction of a batch."""
    subs = {name: _submodel(info.annotation) for name, info in model.model_fields.items()}
    known = frozenset(subs) | (ITEM_ALIASES if model is ItemIn else frozenset())
    return known, subs


def _walk(obj: Mapping[str, Any], model: type[BaseModel], at: str,
          item_keys: frozenset[str], found: list[UnknownField]) -> None:
    in_item = model is ItemIn
    known, subs = _layout(model)
    for key, value in obj.items():
        if key not in known:
            if in_item and key in item_keys:
                continue
            found.append(UnknownField(f"{at}{key}", str(key), known | item_keys
                                      if in_item else known, in_item))
            continue
        sub = subs.get(key)
        if sub is None:
            continue
        if isinstance(value, Mapping):
            _walk(value, sub, f"{at}{key}.", item_keys, found)
        elif isinstance(value, list):
            for i, element in enumerate(value):
                if isinstance(element, Mapping):
                    _walk(element, sub, f"{at}{key}[{i}].", item_keys, found)


def unknown_fields(obj: Mapping[str, Any], item_keys: frozenset[str] = frozenset(),
                   at: str = "") -> list[UnknownField]:
    """Every key of a transaction object, at any depth, that its models do not know.

    ``item_keys`` are further keys an item may use (the facts the classification criteria
    read, which the core's models cannot list without importing the classifier); ``at``
    prefixes the paths (``[2].`` for the third transaction of a list).
    """
    found: list[UnknownField] = []
    _walk(obj, TransactionIn, at, item_keys, found)
    return found


def known_only(obj: Mapping[str, Any]) -> dict[str, Any]:
    """``obj`` without the unknown keys outside items (items keep their extra columns)."""
    stripped: dict[str, Any] = _strip(obj, TransactionIn)
    return stripped


def _strip(value: Any, model: type[BaseModel]) -> Any:
    if isinstance(value, list):
        return [_strip(element, model) for element in value]
    if not isinstance(value, Mapping) or model is ItemIn:
        return value
    known, subs = _layout(model)
    out: dict[str, Any] = {}
    for key, element in value.items():
        if key in known:
            sub = subs.get(key)
            out[key] = element if sub is None else _strip(element, sub)
    return out


_UNIT_SUFFIXES = ("_mm2", "_gbps", "_usd", "_nm", "_um2")


def misspelt(key: str, names: list[str]) -> str | None:
    """The field ``key`` is a slip for: other case, one or two edits (by length), or the
    field without its unit suffix. A key that contains a field as a word is its own column
    (``product_id``, ``value_eur``), which is why items warn only through this test."""
    folded = key.casefold().strip().replace("-", "_").replace(" ", "_")
    for name in names:
        if folded == name or any(folded == name.removesuffix(u) for u in _UNIT_SUFFIXES
                                 if name.endswith(u)):
            return name
    for name in names:
        if name in folded.split("_") or folded.startswith(name + "_") \
                or folded.endswith("_" + name):
            return None
    return slip_for(folded, names)


def slip_for(key: str, names: list[str]) -> str | None:
    """The field ``key`` is one or two edits (by length) away from, or None. Unlike
    :func:`misspelt` it does not excuse a key that contains a field as a word: outside items
    no order-system column is expected, and ``ultimate_parent_hg`` is a slip, not a column."""
    folded = key.casefold().strip().replace("-", "_").replace(" ", "_")
    if not names:
        return None
    limit = 1 if len(folded) <= 6 else 2
    distance, _, best = min((DamerauLevenshtein.distance(folded, n), i, n)
                            for i, n in enumerate(names))  # ties: the first field
    return best if distance <= limit else None
