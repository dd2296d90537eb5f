"""What the rule modules share while one transaction is determined.

:class:`Collaborators` are the other core modules the engine relies on (item parser, classifier,
country groups, screening thresholds), wired once by :meth:`Collaborators.default`; the
screener and ownership links are what a caller gives the engine, so it never reaches for a
store. :class:`Context` holds the parsed transaction, each item with its
classification, and a per-date cache of country groups.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from chipexport.model.items import Item, ItemError
from chipexport.model.ownership import OwnershipLink
from chipexport.model.screening import Match, ScreeningResult
from chipexport.model.transaction import Transaction
from chipexport.rules.provisions import Provision


class Screener(Protocol):
    """Anything that screens a name (``chipexport.screening.ScreeningIndex`` does)."""

    def screen(self, name: str, country: str | None = None, threshold: float | None = None,
               sources: Sequence[str] | None = None) -> ScreeningResult: ...


class Control(Protocol):
    """A classification's control entry, as the engine reads it."""

    @property
    def regime(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def facts(self) -> dict[str, Any]: ...


class Classification(Protocol):
    @property
    def controls(self) -> Sequence[Any]: ...
    @property
    def hts(self) -> str | None: ...
    @property
    def origin(self) -> str | None: ...
    @property
    def warnings(self) -> list[str]: ...
    @property
    def errors(self) -> list[str]: ...


class ChartHitLike(Protocol):
    @property
    def reason(self) -> str: ...
    @property
    def column(self) -> str | None: ...
    @property
    def control(self) -> str: ...
    @property
    def requirement(self) -> str: ...
    @property
    def conditional(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Collaborators:
    """The engine's dependencies. :meth:`default` wires the real modules."""

    parse_item: Callable[[Mapping[str, Any], int], Item]
    classify: Callable[[Item, date], Classification]
    groups_of: Callable[[str, date], frozenset[str]]
    resolve: Callable[[str, date], str]
    is_known_country: Callable[[str], bool]
    chart_reasons: Callable[[str, str, date], Sequence[ChartHitLike]]
    is_ccl_eccn: Callable[[str], bool]
    item_error: type[ItemError]
    strong_threshold: float

    @classmethod
    def default(cls) -> Collaborators:
        """The real classifier, country tables and screening thresholds."""
        from chipexport.classify import classify_item
        from chipexport.rules.us.countries import (
            chart_reasons,
            groups_of,
            is_known_country,
            resolve,
        )
        from chipexport.rules.us.countries.ecfr import ccl_entries
        from chipexport.screening import STRONG_THRESHOLD

        def is_ccl(eccn: str) -> bool:
            return eccn.partition(".")[0].upper() in ccl_entries()

        return cls(parse_item=Item.from_json, classify=classify_item, groups_of=groups_of,
                   resolve=resolve, is_known_country=is_known_country,
                   chart_reasons=chart_reasons, is_ccl_eccn=is_ccl, item_error=ItemError,
                   strong_threshold=STRONG_THRESHOLD)


def item_ref(index: int) -> str:
    """How reasons name an item: counted from 1, as the web form, the memo and people do.

    The JSON fields ``item`` and ``party`` stay 0-based indexes (docs/interfaces.md); only prose,
    which a compliance officer reads next to a numbered list, counts from 1.
    """
    return f"item {index + 1}"


def party_ref(index: int) -> str:
    """How reasons name a party: counted from 1 (see :func:`item_ref`)."""
    return f"party {index + 1}"


@dataclass(slots=True)
class ItemView:
    """One item of the transaction with its classification and EAR status."""

    index: int
    raw: Mapping[str, Any]
    item: Any
    classification: Classification
    subject_to_ear: bool

    @property
    def ref(self) -> str:
        """``"item 2"``: this item as reasons name it."""
        return item_ref(self.index)

    def controls(self, regime: str) -> list[Any]:
        return [c for c in self.classification.controls if c.regime == regime]

    def fact(self, name: str) -> Any:
        """A parameter from the item, else its control facts, extra keys, or catalog record.

        The catalog comes last but must be read: a figure such as an H200's DRAM bandwidth is
        not a classification test, yet a review policy (91 FR 1684) depends on it.
        """
        value = getattr(self.item, name, None)
        if value is not None:
            return value
        for c in self.classification.controls:
            if name in (c.facts or {}):
                return c.facts[name]
        extra = getattr(self.item, "extra", None) or {}
        if extra.get(name) is not None:
            return extra[name]
        product = getattr(self.classification, "product", None)
        return (getattr(product, "params", None) or {}).get(name)


@dataclass(slots=True)
class Context:
    txn: Transaction
    items: list[ItemView]
    collab: Collaborators
    ownership: Sequence[OwnershipLink] = ()
    # The engine's (cached) screening, for facts the lists hold (a listed parent's seat).
    screen: Callable[[str, str | None], Sequence[Match]] | None = None
    # ``ownership`` by normalised asset name (determine/ownership.py: index_links), built once
    # per engine: a scan of every loaded link for every party would grow with the data.
    ownership_index: Mapping[str, Sequence[OwnershipLink]] | None = None
    warnings: list[str] = field(default_factory=list)
    _groups: dict[str, frozenset[str]] = field(default_factory=dict)
    # Facts derived once per transaction by the rule modules (determine/hq.py: parentage).
    derived: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> date:
        return self.txn.date

    def groups(self, cc: str) -> frozenset[str]:
        if cc not in self._groups:
            self._groups[cc] = self.collab.groups_of(cc, self.day)
        return self._groups[cc]

    def in_scope(self, params: Mapping[str, Any], cc: str | None) -> bool:
        """Whether ``cc`` falls in a provision's destination scope on the transaction date.

        Scope params: ``destinations`` (named countries), ``groups_any`` (any of these Country
        Groups) minus ``groups_none``; ``worldwide`` covers every destination. Codes resolve
        first (Hong Kong is treated as China from 2020-12-23).
        """
        if cc is None:
            return False
        if params.get("worldwide"):
            return True
        code = self.collab.resolve(cc, self.day)
        if code in (params.get("destinations") or ()) or cc in (params.get("destinations") or ()):
            return True
        groups = self.groups(code)
        any_of = set(params.get("groups_any") or ())
        none_of = set(params.get("groups_none") or ())
        return bool(any_of & groups) and not (none_of & groups)

    def note(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def applies(p: Provision | None, day: date) -> bool:
    return p is not None and p.window_on(day) is not None
