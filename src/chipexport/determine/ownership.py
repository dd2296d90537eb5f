"""A party's owners: those the transaction states plus loaded ownership links active on the date.

Shared by the Affiliates rule (parties.py) and OFAC's 50 percent rule (ofac.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chipexport.determine.context import Context
from chipexport.model.transaction import Owner


def norm(name: str) -> str:
    """Names compared for ownership links: lower case, punctuation folded to spaces."""
    return re.sub(r"[^0-9a-z]+", " ", name.casefold()).strip()


def owners_of(ctx: Context, party_name: str, given: Sequence[Owner]) -> list[Owner]:
    owners = list(given)
    key = norm(party_name)
    for link in ctx.ownership:
        if norm(link.asset) == key and link.active_on(ctx.day):
            owners.append(Owner(name=link.owner, percent=link.percent))
    return owners
