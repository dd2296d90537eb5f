"""OFAC's 50 percent rule: an entity owned 50 % or more, in aggregate, by blocked persons is
itself blocked, whether or not it is named on the SDN List.

This is Treasury's rule, independent of BIS's Affiliates rule and of its suspension: a company
60 % owned by an SDN in 2024 is blocked although the Affiliates rule was not yet in force.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chipexport.determine.context import Context, party_ref
from chipexport.determine.listing_dates import not_yet_listed
from chipexport.determine.ownership import owners_of
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.model.screening import Match
from chipexport.model.transaction import Party
from chipexport.rules.provisions import rulebook

ScreenFn = Callable[[str, str | None], Sequence[Match]]


def fifty_percent(ctx: Context, screen: ScreenFn, results: dict[str, JurisdictionResult],
                  i: int, party: Party) -> None:
    """PROHIBITED in the US result when SDN owners reach the threshold on the date."""
    p = rulebook("us").on("us.ofac.fifty_percent", ctx.day)
    if p is None or "US" not in results:
        return
    total, names = 0.0, []
    for owner in owners_of(ctx, party.name, party.owners):
        hit = [m for m in screen(owner.name, owner.country)
               if m.score >= ctx.collab.strong_threshold
               and m.entry.source in p.params["owner_sources"] and not not_yet_listed(ctx, m.entry)]
        if hit and owner.percent is not None:
            total += owner.percent
            names.append(f"{owner.name} ({hit[0].entry.source} '{hit[0].entry.name}', "
                         f"{owner.percent:g} %)")
    if total < p.params["threshold_percent"]:
        return
    w = p.window_on(ctx.day)
    assert w is not None
    results["US"].add(Finding.of(
        p, w, Outcome(p.params["outcome"]),
        f"{party_ref(i)} ({party.name}) is owned {total:g} % by blocked persons "
        f"[{'; '.join(names)}]: "
        f"{p.summary}", policy="blocked property", party=i,
        facts={"aggregate_percent": total}))
