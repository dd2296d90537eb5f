"""Authorization Validated End-User (15 CFR 748.15, Supp. No. 7 to Part 748).

A VEU's named facilities may receive its eligible items under a general authorization instead
of a licence. Samsung's Xi'an NAND fab held one from 2013 until BIS revoked it effective
2025-12-31: a tool shipped there in 2024 needed no licence, and the same tool in 2026 does. So
each authorization is a dated record in ``rules/data/us.yaml`` (``us.veu.*``) and this module,
run after the US licence requirements are found, turns the ones an authorization covers into
``LICENSE_EXCEPTION`` naming VEU. After an authorization ended, the answer stays a licence
requirement and a reason says when the VEU began, when it ended and why, since the order
system may still carry the old authorization.

Only item-level requirements are covered: an Entity List or other list-based requirement on a
party is never lifted by a VEU.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from chipexport.determine.context import Context, party_ref
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.rules.provisions import Provision, rulebook

_ROLES = frozenset({"end_user", "consignee"})
_END_USE = ("744.23", "744.6")  # requirements that follow from the fab end use (Part 744)


def _norm(text: str) -> str:
    """Lower-case words separated by single spaces: "Samsung (China) Semiconductor Co., Ltd."
    -> "samsung china semiconductor co ltd"."""
    return " ".join(re.findall(r"[0-9a-z]+", text.casefold()))


@cache
def _names(key: str, version: str) -> tuple[str, ...]:
    """The authorization's names, normalised, padded for whole-word containment."""
    p = next(v for v in rulebook("us").versions(key) if v.version == version)
    return tuple(f" {_norm(n)} " for n in p.params.get("names") or ())


def _holder(ctx: Context, p: Provision) -> int | None:
    """The index of the end user or consignee the authorization names, if any."""
    names = _names(p.key, p.version)
    if not names:
        return None
    countries = set(p.params.get("countries") or ())
    for i, party in enumerate(ctx.txn.parties):
        if party.role not in _ROLES:
            continue
        padded = f" {_norm(party.name)} "
        if not any(n in padded for n in names):
            continue
        where = ctx.collab.resolve(party.country or ctx.txn.destination, ctx.day)
        if not countries or where in countries:
            return i
    return None


def _eligible(ctx: Context, finding: Finding, params: Mapping[str, Any]) -> bool:
    """Whether a licence requirement is one the authorization replaces: an item's CCL-based
    requirement for an eligible ECCN, or (once covered) the fab end-use requirement, which may
    name several items at once. A party's list-based requirement never is."""
    if finding.outcome != Outcome.LICENSE_REQUIRED or finding.party is not None:
        return False
    covers = set(params.get("covers") or ())
    if any(x in finding.rule for x in _END_USE):
        return "end_use" in covers
    if finding.item is None:
        return False
    prefixes = tuple(params.get("eccn_prefixes") or ())
    return "ccl" in covers and any(c.startswith(prefixes) for c in _codes(ctx, finding.item))


@cache
def _keys() -> tuple[str, ...]:
    return tuple(k for k in rulebook("us").provision_keys() if k.startswith("us.veu."))


@cache
def _all_names() -> tuple[str, ...]:
    """Every name of every authorization, normalised: a quick test that no party is a VEU."""
    return tuple(n for key in _keys() for p in rulebook("us").versions(key)
                 for n in _names(p.key, p.version))


def apply(ctx: Context, res: JurisdictionResult) -> None:
    """Replace covered item licence requirements by the VEU exception; explain ended ones."""
    if not any(f.outcome == Outcome.LICENSE_REQUIRED for f in res.findings):
        return
    parties = [f" {_norm(p.name)} " for p in ctx.txn.parties if p.role in _ROLES]
    if not any(n in padded for padded in parties for n in _all_names()):
        return
    book = rulebook("us")
    for key in _keys():
        current, latest = book.on(key, ctx.day), book.versions(key)[-1]
        if current is not None:
            holder = _holder(ctx, current)
            if holder is not None:
                _cover(ctx, res, current, holder)
            continue
        ended = latest.params.get("ended")
        if ended and ctx.day >= ended["on"]:
            holder = _holder(ctx, latest)
            if holder is not None:
                _ended(ctx, res, latest, holder)


def _codes(ctx: Context, item: int) -> list[str]:
    view = next(v for v in ctx.items if v.index == item)
    return [c.code for c in view.controls("US")] or ["EAR99"]


def _cover(ctx: Context, res: JurisdictionResult, p: Provision, holder: int) -> None:
    window = p.window_on(ctx.day)
    assert window is not None
    name = str(p.params["authorization"])
    label = f"VEU ({name}; 15 CFR 748.15)"
    covered: list[int | None] = []
    for n, f in enumerate(res.findings):
        if not _eligible(ctx, f, p.params):
            continue
        res.findings[n] = dataclasses.replace(
            f, outcome=Outcome.LICENSE_EXCEPTION, exceptions=(label,),
            summary=f"{f.summary}; authorized under {name} instead of a licence",
            facts={**f.facts, "veu": name})
        covered.append(f.item)
    if covered:
        res.add(Finding.of(p, window, Outcome.LICENSE_EXCEPTION,
                           f"{party_ref(holder)} ({ctx.txn.parties[holder].name}) holds this "
                           f"authorization. {p.summary}; authorized {_since(p)} to "
                           f"{_until(p)}", exceptions=(label,), party=holder,
                           facts={"veu": name, "since": _since(p).isoformat(),
                                  "until": _until(p),
                                  "items": sorted({i for i in covered if i is not None})}))


def _since(p: Provision) -> date:
    """When BIS first authorized the VEU (before the engine's horizon for the older ones)."""
    designated = p.params.get("designated")
    return designated if isinstance(designated, date) \
        else rulebook("us").versions(p.key)[0].windows[0].start


def _until(p: Provision) -> str:
    ended = p.params.get("ended")
    return ended["on"].isoformat() if ended else "no end date known"


def _ended(ctx: Context, res: JurisdictionResult, p: Provision, holder: int) -> None:
    """The authorization ended before the date: its covered requirements stand, and say so."""
    ended = p.params["ended"]
    first = _since(p)
    items = [f.item for f in res.findings if _eligible(ctx, f, p.params)]
    name = str(p.params["authorization"])
    if items:
        res.add(Finding.of(p, p.windows[-1], Outcome.LICENSE_REQUIRED,
                           f"{party_ref(holder)} ({ctx.txn.parties[holder].name}) held {name} "
                           f"from {first} until {ended['on']} ({ended['notice']}: "
                           f"{ended['why']}); from {ended['on']} a licence is required again",
                           party=holder,
                           facts={"veu": name, "since": first.isoformat(),
                                  "ended": ended["on"].isoformat(),
                                  "items": sorted({i for i in items if i is not None})}))
    if items:
        ctx.note(f"{name} ended on {ended['on']} ({ended['notice']}): shipments to "
                 f"{ctx.txn.parties[holder].name} need a licence again")
