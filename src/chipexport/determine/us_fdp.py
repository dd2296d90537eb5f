"""Whether a foreign-made item is subject to the EAR: de minimis (734.4) and the foreign direct
product rules (734.9), computed from facts an order can carry.

An item neither exported from the US nor of US origin is reached by the EAR when its US-origin
controlled content exceeds the de minimis level (25 %, 10 % for E:1/E:2, none in the 734.4(a)
cases), or when a foreign direct product rule's product scope and reach are both met (734.9(h)
advanced computing, (k) SME, (e)(3) advanced-node facility; the Entity List footnote rules
(e)(1)/(e)(2)/(g) are decided with the party in :func:`footnote_reach`). The item facts are
``us_content_percent``, ``us_technology_direct_product`` and ``contains_us_origin_ic``.

The question is asked only where it matters: the item is first decided as if it were subject
to the EAR, and only when that would need more than NLR are the routes evaluated. Any route met
makes the item subject, and the licence requirements found apply; every route failing is an
NLR finding saying why; otherwise the answer is REVIEW naming the facts a person must supply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from chipexport.classify.explicit import ac_tier
from chipexport.determine.context import Context, ItemView, party_ref
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.determine.us_end_use import advanced_node
from chipexport.determine.us_items import _covers, hq_linked, names_product
from chipexport.rules.provisions import Provision, rulebook

Decide = Callable[[Context, list[ItemView]], JurisdictionResult]
_FAB = frozenset({"ic_fab", "fab", "ic_production"})


@dataclass(frozen=True, slots=True)
class Route:
    """One way the EAR may reach a foreign-made item, and whether the facts say it does."""

    provision: Provision
    met: bool | None  # None: a fact is missing
    why: str
    missing: tuple[str, ...] = ()


def _window(p: Provision, ctx: Context) -> Any:
    w = p.window_on(ctx.day)
    assert w is not None
    return w


def _in_paragraphs(codes: list[str], paragraphs: list[str]) -> bool:
    """Some code lies in (or is too coarse to rule out) one of ``paragraphs``."""
    return any(_covers(c, para) is not False for c in codes for para in paragraphs)


def _fn5_scope(codes: list[str], params: Mapping[str, Any]) -> bool:
    """Category 3B codes under the footnote 5 prefixes, outside the excluded paragraphs."""
    return any(c.startswith(tuple(params["prefixes"]))
               and not any(_covers(c, x) is True for x in params["excluded"]) for c in codes)


def _advanced_fab(ctx: Context, kinds: list[str]) -> bool | None:
    """Whether the end use is a fab producing advanced-node ICs of ``kinds`` (logic, dram)."""
    eu = ctx.txn.end_use
    if eu is None or eu.kind not in _FAB:
        return False
    p = rulebook("us").on("us.advanced_node", ctx.day)
    if p is None:
        return False
    hit, why = advanced_node(eu, dict(p.params))
    if hit is None:
        return None
    found = {"logic" if w.startswith("logic") else "nand" if w.startswith("NAND") else "dram"
             for w in why}
    return bool(found & set(kinds))


def _excluded(ctx: Context, view: ItemView, p: Provision) -> str | None:
    """The equivalent-controls exclusion: the exporter's country lists the item itself."""
    key = p.params.get("exclusion")
    ex = rulebook("us").on(key, ctx.day) if key else None
    src = ctx.txn.export_from
    if ex is None or src not in ex.params["exporters"] or not view.controls(src):
        return None
    return f"exported from {src}, which controls it ({ex.citation.rule})"


def _fact(view: ItemView, name: str) -> Any:
    return getattr(view.item, name, None)


def _direct(p: Provision, view: ItemView, where: str) -> Route:
    dp = _fact(view, "us_technology_direct_product")
    if dp is None:
        return Route(p, None, f"{p.citation.rule} reaches it {where} if it is a direct product "
                     "of US technology or software", ("us_technology_direct_product",))
    return Route(p, bool(dp), f"{'a' if dp else 'not a'} direct product of US technology or "
                 f"software (or of a plant that is), {where} ({p.citation.rule})")


def routes(ctx: Context, view: ItemView) -> list[Route]:
    """Every de minimis and FDP route whose scope the item and transaction meet."""
    book = rulebook("us")
    dest = ctx.txn.destination
    codes = [c.code for c in view.controls("US")]
    out: list[Route] = []
    zero = _zero_de_minimis(ctx, view, codes)
    out.append(zero if zero is not None else _de_minimis(ctx, view))
    fdp = book.on("us.fdp.advanced_computing", ctx.day)
    for code in codes:
        tier = ac_tier(code)
        if fdp is None or tier is None:
            continue
        scope = book.on(fdp.params["scope_keys"][tier], ctx.day)
        hq_rule = book.on(fdp.params["hq_keys"][tier], ctx.day)
        hq = hq_linked(ctx, hq_rule.params) if hq_rule else []
        if scope is not None and ctx.in_scope(scope.params, dest):
            out.append(_direct(fdp, view, f"destined to {dest}"))
        elif hq:
            out.append(_direct(fdp, view, f"destined to {ctx.txn.parties[hq[0]].name} "
                                          "(Macau/D:5 headquarters)"))
        break
    sme = book.on("us.fdp.sme", ctx.day)
    if sme and _in_paragraphs(codes, sme.params["paragraphs"]) \
            and ctx.in_scope(sme.params, dest) and not _excluded(ctx, view, sme):
        out.append(_direct(sme, view, f"destined to {dest}"))
    fab = book.on("us.fdp.advanced_node_facility", ctx.day)
    if fab and _fn5_scope(codes, fab.params) and ctx.in_scope(fab.params, _fab_place(ctx)) \
            and not _excluded(ctx, view, fab):
        known = _advanced_fab(ctx, fab.params["advanced_node"])
        if known is None:
            out.append(Route(fab, None, f"{fab.citation.rule} reaches it if the fab produces "
                             "advanced-node logic or DRAM ICs", ("end_use node facts",)))
        elif known:
            out.append(_direct(fab, view, "for a Macau/D:5 fab producing advanced-node logic "
                                          "or DRAM ICs"))
    return out


def _fab_place(ctx: Context) -> str:
    eu = ctx.txn.end_use
    return (eu.country if eu is not None and eu.country else None) or ctx.txn.destination


def _de_minimis(ctx: Context, view: ItemView) -> Route:
    p = rulebook("us").on("us.de_minimis", ctx.day)
    assert p is not None
    percent, rule = float(p.params["percent"]), str(p.params["default_rule"])
    for row in p.params.get("rows") or ():
        if ctx.in_scope(row, ctx.txn.destination):
            percent, rule = float(row["percent"]), str(row["rule"])
    share = _fact(view, "us_content_percent")
    if share is None:
        return Route(p, None, f"the de minimis level for {ctx.txn.destination} is {percent:g} % "
                     f"({rule})", ("us_content_percent",))
    over = float(share) > percent
    return Route(p, over, f"US-origin controlled content {float(share):g} % is "
                 f"{'above' if over else 'at or below'} the {percent:g} % de minimis level "
                 f"({rule})")


def _zero_de_minimis(ctx: Context, view: ItemView, codes: list[str]) -> Route | None:
    """A 734.4(a) case with no de minimis level whose scope the item and transaction meet."""
    book = rulebook("us")
    place = _fab_place(ctx)
    for key in ("us.de_minimis.zero.3b993f1", "us.de_minimis.zero.sme_ic",
                "us.de_minimis.zero.fn5_ic"):
        p = book.on(key, ctx.day)
        if p is None or _excluded(ctx, view, p):
            continue
        prm = p.params
        in_scope = _in_paragraphs(codes, prm["paragraphs"]) if "paragraphs" in prm \
            else _fn5_scope(codes, prm)
        if not in_scope or not ctx.in_scope(prm, place):
            continue
        if prm.get("advanced_node") and not _advanced_fab(ctx, prm["advanced_node"]):
            continue
        if not prm.get("needs_us_ic"):
            return Route(p, True, f"no de minimis level applies ({p.citation.rule}: "
                         f"{p.summary})")
        ic = _fact(view, "contains_us_origin_ic")
        if ic is None:
            return Route(p, None, f"{p.citation.rule}: no de minimis level if it contains a "
                         "US-origin IC", ("contains_us_origin_ic",))
        if ic:
            return Route(p, True, f"it contains a US-origin IC, for which there is no de "
                         f"minimis level ({p.citation.rule})")
    return None


def foreign_direct_product(ctx: Context, views: list[ItemView], res: JurisdictionResult,
                           decide: Decide) -> None:
    """Decide whether each foreign-made item is subject to the EAR, and what follows."""
    notice = rulebook("us").on("us.is_informed.h20", ctx.day)
    subject = rulebook("us").versions("us.subject_to_ear")[0].citation.rule
    for view in views:
        if notice is not None:
            _informed(ctx, view, notice, res)
        as_if = decide(ctx, [view])
        asks = [f for f in as_if.findings if f.rule != subject]
        top = max((f.outcome for f in asks), key=lambda o: o.rank, default=Outcome.NLR)
        if top == Outcome.NLR:
            continue  # nothing would be required even if the EAR reached it
        found = routes(ctx, view)
        met = [r for r in found if r.met]
        for code in as_if.classifications:
            res.classify(code)
        if met:
            res.add(_joined(met, ctx, top, f"{view.ref} is subject to the EAR: "
                            + "; ".join(x.why for x in met), view.index, {}))
            for f in asks:
                res.add(replace(f, summary=f"{f.summary} (subject to the EAR: "
                                           f"{met[0].provision.citation.rule})"))
            continue
        open_ = [r for r in found if r.met is None]
        if open_:
            missing = sorted({m for r in open_ for m in r.missing})
            res.add(_joined(open_, ctx, Outcome.REVIEW,
                            f"{view.ref} is not shown to be subject to the EAR, but would need "
                            f"{top.value} if it were ({asks[0].rule}); give "
                            f"{' and '.join(missing)}: " + "; ".join(x.why for x in open_),
                            view.index, {"missing": missing, "reach": UNDECIDED}))
            continue
        res.add(_joined(found, ctx, Outcome.NLR, f"{view.ref} is not subject to the EAR: "
                        + "; ".join(x.why for x in found), view.index, {"reach": UNDECIDED}))


# Marks the findings about an item that is *not* shown to be subject to the EAR: a US result
# holding only these does not mean that items subject to the EAR go to the parties.
UNDECIDED = "not shown to be subject to the EAR"


def _joined(found: list[Route], ctx: Context, outcome: Outcome, summary: str, item: int,
            facts: dict[str, Any]) -> Finding:
    """One finding citing every route it rests on (de minimis and each FDP rule)."""
    first = found[0].provision
    f = Finding.of(first, _window(first, ctx), outcome, summary, item=item, facts=facts)
    rules = list(dict.fromkeys(r.provision.citation.rule for r in found))
    notices = list(dict.fromkeys(r.provision.citation.notice for r in found
                                 if r.provision.citation.notice))
    return replace(f, rule="; ".join(rules), citation="; ".join(notices) or None)


def undecided(res: JurisdictionResult) -> bool:
    """True when a US result says only that its items are not shown to be subject to the EAR."""
    return bool(res.findings) and all(f.facts.get("reach") == UNDECIDED for f in res.findings)


def _informed(ctx: Context, view: ItemView, notice: Provision, res: JurisdictionResult) -> None:
    """The H20/MI308 is-informed notice for a product not shown to be subject to the EAR."""
    product = getattr(getattr(view.classification, "product", None), "name", None) or ""
    if any(names_product(product, x) for x in notice.params["products"]) \
            and (ctx.in_scope(notice.params, ctx.txn.destination)
                 or hq_linked(ctx, notice.params)):
        res.add(Finding.of(
            notice, _window(notice, ctx), Outcome.REVIEW,
            f"{view.ref} ({product}) is not shown to be subject to the EAR, but the "
            "is-informed notice covers it when it is (a US-designed chip made abroad "
            "usually is, through the direct product rules): establish, or treat it as "
            "needing a licence", item=view.index))


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


def footnote_reach(ctx: Context, fn: str, party: int, entry: str,
                   policy: str | None = None) -> Finding | None:
    """What a footnoted Entity List party means for the foreign-made items its footnote's
    direct product rule may reach (None when none is reached).

    An item the order declares a direct product of US technology or software (or of a plant
    that is) is subject to the EAR, and the entry's licence requirement applies to it; one
    declared not to be is not reached by the footnote (its US content is decided by de
    minimis elsewhere); REVIEW names the fact when it is not given.
    """
    p = rulebook("us").on(f"us.fdp.el_fn{fn}", ctx.day)
    if p is None:
        return None
    scope = [v for v in ctx.items if not v.subject_to_ear and _in_reach(v, p.params)]
    direct = [v for v in scope if _fact(v, "us_technology_direct_product") is True]
    unknown = [v for v in scope if _fact(v, "us_technology_direct_product") is None]
    w = _window(p, ctx)
    head = f"{party_ref(party)} matches Entity List entry '{entry}' (footnote {fn})"
    if direct:
        refs = ", ".join(v.ref for v in direct)
        return Finding.of(p, w, Outcome.LICENSE_REQUIRED,
                          f"{head}; {refs} declared a direct product of US technology or "
                          f"software: {p.summary}, so the entry's licence requirement applies",
                          party=party, policy=policy, facts={"footnote": fn})
    if not unknown:
        return None
    refs = ", ".join(v.ref for v in unknown)
    return Finding.of(p, w, Outcome.REVIEW,
                      f"{head}; {refs} not shown to be subject to the EAR: {p.summary}. Give "
                      "us_technology_direct_product (whether they are such direct products); "
                      "if so the entry's licence requirement applies", party=party,
                      facts={"footnote": fn, "missing": ["us_technology_direct_product"]})


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
