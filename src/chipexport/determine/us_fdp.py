"""Foreign-made advanced-computing items that the EAR may reach through §734.9(h).

The engine does not compute foreign-direct-product reach (it would need the item's production
history). But a 3A090/4A090 chip made abroad and shipped to China is, in practice, almost always
a direct product of US software or a US-equipped plant, so answering "no US jurisdiction" would
be a silent NLR for exactly the trade the rule targets. Such an item therefore gets a REVIEW
finding in the destination scope of its tier on the date (or for a Macau/D:5-headquartered
party): a person must establish whether it is a direct product, and if so a licence is needed.
"""

from __future__ import annotations

from chipexport.determine.context import Context, ItemView, party_ref
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.determine.us_items import hq_linked, names_product, tier
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
            t = tier(c.code)
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
    prefixes = p.params["eccn_prefixes"]
    # A foreign item declared EAR99 is no direct product of listed US technology; one with a
    # CCL code, or that nothing classifies (a foundry-made chip), may be.
    reached = [v for v in ctx.items if not v.subject_to_ear
               and not (v.controls("US") and all(c.code == "EAR99" for c in v.controls("US")))
               and (prefixes is None
                    or any(c.code.startswith(tuple(prefixes)) for c in v.controls("US")))]
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
