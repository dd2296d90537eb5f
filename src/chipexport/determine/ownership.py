"""A party's owners: those the transaction states plus loaded ownership links active on the date.

Shared by the Affiliates rule (parties.py) and OFAC's 50 percent rule (ofac.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from chipexport.determine.context import Context
from chipexport.model.ownership import OwnershipLink
from chipexport.model.screening import Match
from chipexport.model.transaction import Owner


def norm(name: str) -> str:
    """Names compared for ownership links: lower case, punctuation folded to spaces."""
    return re.sub(r"[^0-9a-z]+", " ", name.casefold()).strip()


def index_links(links: Sequence[OwnershipLink]) -> dict[str, list[OwnershipLink]]:
    """Links by normalised asset name (built once per engine)."""
    out: dict[str, list[OwnershipLink]] = {}
    for link in links:
        out.setdefault(norm(link.asset), []).append(link)
    return out


def links_of(ctx: Context, name: str) -> list[OwnershipLink]:
    """The loaded links whose asset is ``name`` and that hold on the transaction date."""
    key = norm(name)
    found = ctx.ownership_index.get(key, ()) if ctx.ownership_index is not None else [
        link for link in ctx.ownership if norm(link.asset) == key]
    return [link for link in found if link.active_on(ctx.day)]


def owners_of(ctx: Context, party_name: str, given: Sequence[Owner]) -> list[Owner]:
    owners = list(given)
    for link in links_of(ctx, party_name):
        owners.append(Owner(name=link.owner, percent=link.percent, country=link.owner_country))
    return owners


def owners_screened(links: Sequence[OwnershipLink], name: str, day: date,
                    screen: Callable[[str, str | None], Sequence[Match]]) -> list[dict[str, Any]]:
    """The loaded owners of ``name`` on ``day``, each with its own list matches: what
    ``chipexport screen`` adds, since a clean name owned by a listed company is not clean."""
    key = norm(name)
    return [{"name": link.owner, "percent": link.percent, "country": link.owner_country,
             "source": link.source, "matches": [m.to_json() for m in screen(link.owner,
                                                                             link.owner_country)]}
            for link in links if norm(link.asset) == key and link.active_on(day)]
