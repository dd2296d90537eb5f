"""Export controls of Japan, the Netherlands and China, applied when the export leaves there.

Classification says which national entries an item falls in on the date (with their own
citations); these functions add what that means for the destination: Japan's bulk vs individual
licences, the EU boundary for Dutch licences, and China's licence duty, US ban and military ban.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from chipexport.determine.context import Context
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.rules.dated import InForce, parse_date
from chipexport.rules.provisions import Provision, rulebook


def _member(params: dict[str, Any], list_key: str, cc: str, day: date) -> bool:
    """Membership of ``cc`` in a destination list whose members may have dated windows."""
    if cc not in params[list_key]:
        return False
    spans = (params.get("windows") or {}).get(cc)
    if not spans:
        return True
    return any(InForce(parse_date(a, cc), parse_date(b, cc) if b else None).covers(day)
               for a, b in spans)


def _cited(f: Finding, control: Any) -> Finding:
    """The finding with the control entry's own citation beside the general provision's."""
    cit = control.citation
    return replace(f, rule=f"{f.rule}; {cit.rule}", citation=cit.notice or f.citation)


def _window(p: Provision, day: date) -> InForce:
    w = p.window_on(day)
    assert w is not None
    return w


# US ECCNs numbered like the Wassenaar list (category, group, 0xx) are on the EU Annex I and on
# Japan's list under the same number; 3A090/4A090/3B090 and .z paragraphs are US-only. US-only
# SME entries (3B99x) may be caught by the national measures (Japan 2023, Netherlands 2023).
_WASSENAAR = re.compile(r"^\d[A-E]0\d\d(?:\.[a-y][0-9a-z.]*)?$")
_US_ONLY = ("3A090", "4A090", "3B090")
_US_SME = re.compile(r"^3[BDE]99[0-9]")


def _declared(ctx: Context, res: JurisdictionResult, v: Any, base: Provision | None,
              national: Provision | None, regime: str) -> None:
    """An item known only by a declared US ECCN: read it against the national list."""
    eccn = getattr(v.item, "eccn", None)
    if not eccn or v.controls(regime) or base is None:
        return
    if _WASSENAAR.match(eccn) and not eccn.startswith(_US_ONLY):
        res.classify(eccn)
        policy = None
        if "bulk_destinations" in base.params:  # Japan: bulk vs individual licence
            bulk = _member(dict(base.params), "bulk_destinations", ctx.txn.destination, ctx.day)
            policy = str(base.params["bulk_policy" if bulk else "individual_policy"])
        res.add(Finding.of(base, _window(base, ctx.day), Outcome.LICENSE_REQUIRED,
                           f"declared ECCN {eccn} to {ctx.txn.destination}: the same entry of "
                           f"the Wassenaar-based {regime} list ({base.summary})", policy=policy,
                           item=v.index, facts={"declared_eccn": eccn}))
    elif _US_SME.match(eccn) and national is not None:
        res.add(Finding.of(national, _window(national, ctx.day), Outcome.REVIEW,
                           f"declared ECCN {eccn} is a US-only SME entry; {regime}'s national "
                           f"measure may cover the tool ({national.summary}): classify it "
                           "under that measure", item=v.index, facts={"declared_eccn": eccn}))


def japan(ctx: Context, res: JurisdictionResult) -> None:
    book = rulebook("jp")
    dest = ctx.txn.destination
    for v in ctx.items:
        _declared(ctx, res, v, book.on("jp.fefta.list", ctx.day), book.on("jp.sme23", ctx.day),
                  "JP")
        for c in v.controls("JP"):
            res.classify(c.code)
            add = book.on("jp.additions2024", ctx.day)
            sme = book.on("jp.sme23", ctx.day)
            if add and c.code in add.params["codes"]:
                res.add(_cited(Finding.of(add, _window(add, ctx.day), Outcome.LICENSE_REQUIRED,
                                          f"{c.code}: {add.summary}", policy=add.params["policy"],
                                          item=v.index, facts={"control": c.summary}), c))
                continue
            p = sme if sme and c.code.startswith("JP-ME-ART6-17") else book.on("jp.fefta.list",
                                                                               ctx.day)
            if p is None:
                continue
            bulk = _member(dict(p.params), "bulk_destinations", dest, ctx.day)
            policy = p.params["bulk_policy"] if bulk else p.params["individual_policy"]
            res.add(_cited(Finding.of(p, _window(p, ctx.day), Outcome.LICENSE_REQUIRED,
                                      f"{c.code} to {dest}: {p.summary} ({c.summary})",
                                      policy=policy, item=v.index,
                                      facts={"bulk_licence_destination": bulk}), c))


def netherlands(ctx: Context, res: JurisdictionResult) -> None:
    book = rulebook("nl")
    dest = ctx.txn.destination
    annex = book.on("nl.annex1", ctx.day)
    national = [p for k in book.provision_keys() if k.startswith("nl.national.")
                if (p := book.on(k, ctx.day))]
    policy_p = book.on("nl.euv_policy", ctx.day)
    for v in ctx.items:
        if annex is not None and not _member(dict(annex.params), "eu_members", dest, ctx.day):
            _declared(ctx, res, v, annex, book.on("nl.national.2023", ctx.day), "NL")
        for c in v.controls("NL"):
            res.classify(c.code)
            p = next((n for n in national if c.code in n.params["codes"]), None) \
                if c.code.startswith("NL-") else annex
            if p is None or annex is None:
                continue
            inside = _member(dict(annex.params), "eu_members", dest, ctx.day)
            if inside:
                res.add(Finding.of(p, _window(p, ctx.day), Outcome.NLR,
                                   f"{c.code}: {dest} is inside the EU on this date (no export "
                                   "licence for intra-EU transfer of these items)", item=v.index))
                continue
            policy = None
            if policy_p and ctx.in_scope(policy_p.params, dest) and any(
                    c.code.startswith(x) for x in policy_p.params["paragraphs"]):
                policy = str(policy_p.params["policy"])
            res.add(_cited(Finding.of(p, _window(p, ctx.day), Outcome.LICENSE_REQUIRED,
                                      f"{c.code} to {dest} (outside the EU): {p.summary} "
                                      f"({c.summary})", policy=policy, item=v.index), c))


def china(ctx: Context, res: JurisdictionResult) -> None:
    book = rulebook("cn")
    dest = ctx.txn.destination
    base = book.on("cn.dual_use", ctx.day)
    ban = book.on("cn.ann46.us_ban", ctx.day)
    pause = book.on("cn.ann46.suspension", ctx.day)
    military = book.on("cn.ann46.military", ctx.day)
    kind = ctx.txn.end_use.kind if ctx.txn.end_use else None
    for v in ctx.items:
        for c in v.controls("CN"):
            res.classify(c.code)
            if base is None:
                continue
            res.add(_cited(Finding.of(base, _window(base, ctx.day), Outcome.LICENSE_REQUIRED,
                                      f"{c.code} to {dest}: {base.summary} ({c.summary})",
                                      policy="MOFCOM licence review", item=v.index), c))
            if ban and ctx.in_scope(ban.params, dest) and c.code in ban.params["codes"]:
                res.add(Finding.of(ban, _window(ban, ctx.day), Outcome.PROHIBITED,
                                   f"{c.code} to {dest}: {ban.summary}",
                                   policy="in principle no licence", item=v.index))
            elif pause and ctx.in_scope(pause.params, dest) and c.code in pause.params["codes"]:
                ctx.note(f"{v.ref}: {pause.summary} ({pause.citation.notice}, until "
                         f"{_window(pause, ctx.day).as_json()[1]})")
            if military and kind in military.params["end_use_kinds"] \
                    and ctx.in_scope(military.params, dest):
                res.add(Finding.of(military, _window(military, ctx.day), Outcome.PROHIBITED,
                                   f"{c.code} for a military end use/user in {dest}: "
                                   f"{military.summary}", item=v.index))
