"""Foreign-made advanced-computing items that the EAR may reach through §734.9(h).

The engine does not compute foreign-direct-product reach (it would need the item's production
history). But a 3A090/4A090 chip made abroad and shipped to China is, in practice, almost always
a direct product of US software or a US-equipped plant, so answering "no US jurisdiction" would
be a silent NLR for exactly the trade the rule targets. Such an item therefore gets a REVIEW
finding in the destination scope of its tier on the date (or for a Macau/D:5-headquartered
party): a person must establish whether it is a direct product, and if so a licence is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chipexport.classify.explicit import ac_tier
from chipexport.determine.context import Context, ItemView, party_ref
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.determine.us_items import hq_linked, names_product
from chipexport.rules.provisions import rulebook


def foreign_direct_product(ctx: Context, views: list[ItemView], res: JurisdictionResult) -> None:
    """Add a REVIEW finding per foreign-made advanced-computing item in scope on the date."""
    book = rulebook("us")
    fdp = book.on("us.fdp.advanced_computing", ctx.day)
    if fdp is None:
        return
    w = fdp.window_on(ctx.day)
    assert w is not None
    dest = ctx.txn.destination
    notice = book.on("us.is_informed.h20", ctx.day)
    for v in views:
        product = getattr(getattr(v.classification, "product", None), "name", None) or ""
        if notice is not None and any(names_product(product, x)
                                      for x in notice.params["products"]) \
                and (ctx.in_scope(notice.params, dest) or hq_linked(ctx, notice.params)):
            nw = notice.window_on(ctx.day)
            assert nw is not None
            res.add(Finding.of(
                notice, nw, Outcome.REVIEW,
                f"{v.ref} ({product}) is not shown to be subject to the EAR, but the "
                "is-informed notice covers it when it is (a US-designed chip made abroad "
                "usually is, through the direct product rules): establish, or treat it as "
                "needing a licence", item=v.index))
        for c in v.controls("US"):
            t = ac_tier(c.code)
            if t is None:
                continue
            scope = book.on(fdp.params["scope_keys"][t], ctx.day)
            hq_rule = book.on(fdp.params["hq_keys"][t], ctx.day)
            in_scope = scope is not None and ctx.in_scope(scope.params, dest)
            hq = hq_linked(ctx, hq_rule.params) if hq_rule else []
            if not (in_scope or hq):
                continue
            res.classify(c.code)
            where = f"to {dest}" if in_scope else \
                f"to {ctx.txn.parties[hq[0]].name} (Macau/D:5 headquarters)"
            res.add(Finding.of(
                fdp, w, Outcome.REVIEW,
                f"{v.ref} ({c.code}) is not shown to be US-origin or exported from the US, "
                f"but is destined {where}: establish whether it is a foreign direct product of US "
                f"technology, software or plant ({fdp.citation.rule}); if so it needs a licence "
                "as a US-origin item would", item=v.index,
                facts={"code": c.code, "destination": dest}))


def gp10(ctx: Context, views: list[ItemView], res: JurisdictionResult) -> None:
    """Huawei Ascend 910B/910C/910D: BIS's 2025 guidance reads any dealing in them, anywhere,
    as presumptively violating General Prohibition 10 without authorization."""
    p = rulebook("us").on("us.gp10.ascend", ctx.day)
    if p is None:
        return
    w = p.window_on(ctx.day)
    assert w is not None
    for v in views:
        product = getattr(getattr(v.classification, "product", None), "name", None) or ""
        if any(names_product(product, x) for x in p.params["products"]):
            for c in v.controls("US"):
                res.classify(c.code)
            res.add(Finding.of(p, w, Outcome(p.params["outcome"]), f"{v.ref} ({product}): "
                               f"{p.summary}", policy=p.params["policy"], item=v.index))


def footnote_reach(ctx: Context, fn: str, party: int, entry: str) -> Finding | None:
    """REVIEW when a footnoted Entity List party receives foreign-made items the footnote's
    direct product rule may reach (None when no item is in the footnote's scope)."""
    p = rulebook("us").on(f"us.fdp.el_fn{fn}", ctx.day)
    if p is None:
        return None
    reached = [v for v in ctx.items if not v.subject_to_ear and _in_reach(v, p.params)]
    if not reached:
        return None
    w = p.window_on(ctx.day)
    assert w is not None
    refs = ", ".join(v.ref for v in reached)
    return Finding.of(p, w, Outcome.REVIEW,
                      f"{party_ref(party)} matches Entity List entry '{entry}' (footnote {fn}); "
                      f"{refs} not shown to be subject to the EAR: {p.summary}. Establish "
                      "whether they are such direct products; if so the entry's licence "
                      "requirement applies", party=party, facts={"footnote": fn})


def _in_reach(view: ItemView, params: Mapping[str, Any]) -> bool:
    """Whether a footnote's FDP rule may reach an item: a CCL code in its prefixes, or no US
    code and a kind such rules are about. A declared EAR99 or a raw material is not reached."""
    codes = [c.code for c in view.controls("US")]
    if codes:
        ccl = [c for c in codes if c != "EAR99"]
        prefixes = params["eccn_prefixes"]
        return bool(ccl) and (prefixes is None or any(
            c.startswith(tuple(prefixes)) for c in ccl))
    kind = getattr(view.classification, "kind", None) or getattr(view.item, "kind", None)
    return kind in params["unclassified_kinds"]
