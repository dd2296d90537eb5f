"""Bounded work per request: size limits on what one request may ask, and a cost budget per key.

Body bytes and objects per request were capped, but not what one object may hold: one 570 KB
``/v1/check`` with 30,000 items took 103 s of server time under a viewer key and cut another
client's throughput tenfold. Every request that screens or determines is therefore measured
before any work starts:

* per transaction: :data:`MAX_ITEMS` items, :data:`MAX_PARTIES` parties, :data:`MAX_OWNERS`
  owners per party counted through nested ``owners`` chains, chains at most
  :data:`MAX_OWNER_DEPTH` deep; per request: :data:`MAX_REQUEST_ITEMS` items and
  :data:`MAX_REQUEST_NAMES` names (parties and owners, or screened rows). Over a count: 413
  naming the limit. A name over :data:`MAX_NAME_CHARS` characters: 422 naming the field.
* per API key: a budget of cost units (one per name screened and per item determined) that
  refills at ``CHIPEXPORT_KEY_COST_PER_S`` units a second up to ``CHIPEXPORT_KEY_COST_BURST``.
  A request costing more than what is left is refused with 429 and ``Retry-After`` (seconds
  until the budget covers it). One key cannot starve the others; a refused request costs
  nothing. The budget lives in the server process (each ``serve`` keeps its own).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from chipexport.screening.text import MAX_NAME_CHARS
from chipexport.service.errors import ApiError

MAX_ITEMS = 100
MAX_PARTIES = 50
MAX_OWNERS = 100
MAX_OWNER_DEPTH = 10
MAX_REQUEST_ITEMS = 2_000
MAX_REQUEST_NAMES = 5_000


def _too_many(at: str, count: int, what: str, limit: int) -> ApiError:
    return ApiError(413, f"{at}: {count} {what} (limit {limit})", at)


def _long_name(at: str, value: Any) -> ApiError | None:
    if isinstance(value, str) and len(value) > MAX_NAME_CHARS:
        return ApiError(422, f"{at}: {len(value)} characters (limit {MAX_NAME_CHARS})", at)
    return None


def _owners(party: Mapping[str, Any], where: str) -> Iterator[tuple[str, Any, int]]:
    """``(field, owner, depth)`` for every owner of ``party`` through nested ``owners``
    (iterative, so a chain nested thousands deep is measured, not recursed into)."""
    stack: list[tuple[str, Any, int]] = [(where, party, 0)]
    while stack:
        path, node, depth = stack.pop()
        owners = node.get("owners") if isinstance(node, Mapping) else None
        if not isinstance(owners, list):
            continue
        for i, owner in enumerate(owners):
            at = f"{path}.owners[{i}]"
            yield at, owner, depth + 1
            stack.append((at, owner, depth + 1))


def transaction_cost(obj: Mapping[str, Any], where: str = "") -> int:
    """Check one transaction against the limits; returns its cost (items + names)."""
    items = obj.get("items")
    n_items = len(items) if isinstance(items, list) else 0
    if n_items > MAX_ITEMS:
        raise _too_many(f"{where}items", n_items, "items in one transaction", MAX_ITEMS)
    parties = obj.get("parties")
    parties = parties if isinstance(parties, list) else []
    if len(parties) > MAX_PARTIES:
        raise _too_many(f"{where}parties", len(parties), "parties in one transaction",
                        MAX_PARTIES)
    names = 0
    for p, party in enumerate(parties):
        here = f"{where}parties[{p}]"
        if not isinstance(party, Mapping):
            continue
        names += 1
        if (problem := _long_name(f"{here}.name", party.get("name"))) is not None:
            raise problem
        count = 0
        for at, owner, depth in _owners(party, here):
            count += 1
            if depth > MAX_OWNER_DEPTH:
                raise _too_many(at, depth, "levels of owners", MAX_OWNER_DEPTH)
            if count > MAX_OWNERS:
                raise _too_many(f"{here}.owners", count, "owners of one party (nested "
                                "included), or more", MAX_OWNERS)
            name = owner.get("name") if isinstance(owner, Mapping) else None
            if (problem := _long_name(f"{at}.name", name)) is not None:
                raise problem
        names += count
    return n_items + names


def check_request_cost(data: list[Any], single: bool) -> int:
    """Check every transaction of a ``/v1/check`` body; returns the request's cost."""
    items = names = 0
    for i, obj in enumerate(data):
        if not isinstance(obj, Mapping):
            continue
        where = "" if single else f"[{i}]."
        cost = transaction_cost(obj, where)
        n_items = len(obj["items"]) if isinstance(obj.get("items"), list) else 0
        items, names = items + n_items, names + cost - n_items
    if items > MAX_REQUEST_ITEMS:
        raise _too_many("(body)", items, "items in one request", MAX_REQUEST_ITEMS)
    if names > MAX_REQUEST_NAMES:
        raise _too_many("(body)", names, "party and owner names in one request",
                        MAX_REQUEST_NAMES)
    return items + names


@dataclass
class CostBudget:
    """A token bucket per API key name, in cost units (see the module doc)."""

    per_second: float
    burst: float
    _left: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (units, at)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def spend(self, key: str, cost: int) -> None:
        """Take ``cost`` units from ``key``'s budget, or refuse with 429 and Retry-After."""
        if cost > self.burst:
            raise ApiError(413, f"(body): this request costs {cost} units, more than a key may "
                           f"spend at once ({self.burst:g}); split it", "(body)")
        now = time.monotonic()
        with self._lock:
            units, at = self._left.get(key, (self.burst, now))
            units = min(self.burst, units + (now - at) * self.per_second)
            if units < cost:
                self._left[key] = (units, now)
                wait = math.ceil((cost - units) / self.per_second)
                raise ApiError(
                    429, f"(key): key {key!r} is over its cost budget ({self.per_second:g} "
                    f"units/s, {self.burst:g} at once): retry in {wait} s", "(key)",
                    headers={"Retry-After": str(wait)})
            self._left[key] = (units - cost, now)
