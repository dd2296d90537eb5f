"""US licence requirements that follow from what the items are (CCL entries and destination).

Advanced computing (3A090/4A090 and the .z paragraphs) and the SME paragraphs are decided by
the dated provisions in ``rules/data/us.yaml`` because their destination scope changed over
time; every other ECCN goes through the Commerce Country Chart (eCFR issue 2026-07-23).
Comprehensive embargoes (Part 746) apply to every item, EAR99 included.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from chipexport.classify.explicit import BARE_AC as _BARE_AC
from chipexport.classify.explicit import ac_tier
from chipexport.determine import hq
from chipexport.determine.context import Context, ItemView, party_ref
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.rules.provisions import Provision, rulebook

# ECCNs whose worded (non-column) requirements the dated provisions below decide.
_DATED_STEMS = ("3A090", "4A090", "3B001", "3B002", "3B993", "3B994", "3B903", "3B904")


def _covers(code: str, paragraph: str) -> bool | None:
    """True if ``code`` lies in ``paragraph``; None if ``code`` is coarser (may or may not)."""
    if code == paragraph or code.startswith(paragraph + "."):
        return True
    if paragraph.startswith(code + ".") or (len(code) == 5 and paragraph.startswith(code)):
        return None
    return False


def hq_linked(ctx: Context, params: Any) -> list[int]:
    """Indices of parties headquartered (or ultimately owned) in the HQ-rule scope: stated
    or derived from their chain of owners (determine/hq.py)."""
    return [i for i in range(len(ctx.txn.parties)) if hq_why(ctx, params, i)]


def hq_why(ctx: Context, params: Any, index: int) -> str | None:
    """Why party ``index`` falls in the HQ scope of ``params`` (None: it does not)."""
    scope = {"destinations": params.get("hq_destinations"), "groups_any": params.get("hq_groups")}
    return next((f"{why}" for cc, why in hq.hq_countries(ctx, index)
                 if ctx.in_scope(scope, cc)), None)


def hq_questions(ctx: Context, params: Any) -> list[tuple[int, str]]:
    """(party, question) where the HQ scope cannot be ruled out from the facts given."""
    scope = {"destinations": params.get("hq_destinations"), "groups_any": params.get("hq_groups")}
    return [(i, q) for i in range(len(ctx.txn.parties)) if not hq_why(ctx, params, i)
            for q in hq.hq_doubts(ctx, i, lambda cc: ctx.in_scope(scope, cc))]


def _review_policy(ctx: Context, view: ItemView, hq: bool) -> tuple[str, Provision | None]:
    """The licence review policy for an advanced-computing item.

    The provision is returned too when the policy is its own addition (the 2026 case-by-case
    policy of 91 FR 1684), not one it carries over from the rule that requires the licence.
    """
    p = rulebook("us").on("us.ac.review", ctx.day)
    if p is None:
        return "presumption of denial", None
    cbc = p.params.get("case_by_case")
    dest = ctx.txn.destination
    if cbc and ctx.in_scope({"destinations": cbc["destinations"]}, dest) \
            and ctx.txn.export_from in cbc["export_from"]:
        tpp = view.fact("tpp")
        bw = view.fact("dram_bandwidth_gbps")
        if tpp is not None and bw is not None and float(tpp) < cbc["tpp_below"] \
                and float(bw) < cbc["dram_bandwidth_below_gbps"]:
            return str(cbc["policy"]), p
    for row in p.params.get("rows", []):
        if ctx.in_scope(row, dest):
            return str(row["policy"]), None
    if hq and p.params.get("hq_policy"):
        return str(p.params["hq_policy"]), None
    return str(p.params.get("default", "presumption of denial")), None


def _exception(ctx: Context, view: ItemView, t: str, hq: bool) -> str | None:
    """NAC/ACA for 3A090.b-level items and non-datacenter 3A090.a-level items."""
    datacenter = view.fact("datacenter")
    if not (t == "b" or (t == "a" and datacenter is False)):
        return None
    book = rulebook("us")
    nac = book.on("us.le.nac", ctx.day)
    aca = book.on("us.le.aca", ctx.day)
    dest = ctx.txn.destination
    if nac and (nac.params.get("all_in_scope") or ctx.in_scope(nac.params, dest)
                or (hq and nac.params.get("hq_linked"))):
        return (f"NAC ({nac.citation.rule}; prior notification {nac.params.get('notify_days')} "
                "days before shipment where Macau/D:5 is involved)")
    # ACA is for parties with no Macau/D:5 headquarters: an HQ-linked party needs the notified
    # NAC even in a D:1/D:4 destination.
    if aca and not hq and ctx.in_scope(aca.params, dest) \
            and dest not in aca.params["not_destinations"]:
        return f"ACA ({aca.citation.rule})"
    return None


def advanced_computing(ctx: Context, view: ItemView, code: str, res: JurisdictionResult) -> None:
    t = ac_tier(code)
    if t is None:
        return
    book = rulebook("us")
    dest = ctx.txn.destination
    if code in _BARE_AC:
        ctx.note(f"{view.ref}: {code} given without a paragraph; read as {code}.a, the "
                 "widest destination scope (give .a, .b or .c to narrow it)")
    scope_key, hq_key = ("us.hbm.scope", "us.hq_rule.hbm") if t == "c" else ("us.ac.scope",
                                                                             "us.hq_rule")
    scope = book.on(scope_key, ctx.day)
    hq_rule = book.on(hq_key, ctx.day)
    hq_parties = hq_linked(ctx, hq_rule.params) if hq_rule else []
    facts = {"code": code, "destination": dest,
             "destination_groups": sorted(ctx.groups(ctx.collab.resolve(dest, ctx.day)))}
    fired: list[tuple[Provision, str]] = []
    if scope and ctx.in_scope(scope.params, dest):
        fired.append((scope, f"{code} to {dest}: {scope.summary}"))
    if hq_rule and hq_parties:
        names = "; ".join(f"{party_ref(i)} {ctx.txn.parties[i].name}: "
                          f"{hq_why(ctx, hq_rule.params, i)}" for i in hq_parties)
        fired.append((hq_rule, f"{code} destined to a party headquartered (or whose ultimate "
                               f"parent is headquartered) in Macau/D:5 [{names}]: "
                               f"{hq_rule.summary}"))
    elif hq_rule:
        hw = hq_rule.window_on(ctx.day)
        assert hw is not None
        for i, question in hq_questions(ctx, hq_rule.params):
            res.add(Finding.of(hq_rule, hw, Outcome.REVIEW, f"{code} for {party_ref(i)} "
                               f"({ctx.txn.parties[i].name}): {question} ({hq_rule.summary})",
                               item=view.index, party=i, facts=facts))
    if not fired:
        if scope:
            w = scope.window_on(ctx.day)
            assert w is not None
            res.add(Finding.of(scope, w, Outcome.NLR,
                               f"{code}: destination {dest} is outside the scope on this date "
                               f"({scope.summary})", item=view.index, facts=facts))
        ww = book.on("us.ac.worldwide", ctx.day)
        if ww and t == "a":
            enf = ww.enforcement_on(ctx.day)
            if enf:
                ctx.note(f"{view.ref}: {ww.citation.rule} ({ww.citation.notice}) requires a "
                         f"licence worldwide for {code} in the text, but {enf.note}")
        return
    for provision, summary in fired:
        w = provision.window_on(ctx.day)
        assert w is not None
        hq = provision is hq_rule
        enf = provision.enforcement_on(ctx.day)
        if t == "c":
            le = book.on("us.le.hbm", ctx.day)
            bw, area = view.fact("bandwidth_gbps"), view.fact("package_area_mm2")
            mbd = view.fact("memory_bandwidth_density") or (
                float(bw) / float(area) if bw and area else None)
            if le and mbd is not None and mbd < le.params["max_memory_bandwidth_density"]:
                res.add(Finding.of(le, le.window_on(ctx.day) or w, Outcome.LICENSE_EXCEPTION,
                                   f"{summary}; memory bandwidth density {mbd:.2f} GB/s/mm2 is "
                                   f"below {le.params['max_memory_bandwidth_density']}",
                                   exceptions=(f"HBM ({le.citation.rule})",), item=view.index,
                                   policy="presumption of denial", facts=facts))
                continue
        linked = bool(hq_parties)  # the review policy and NAC/ACA look at every party
        policy, basis = _review_policy(ctx, view, linked)
        exc = _exception(ctx, view, t, linked) if t != "c" else None
        outcome = Outcome.LICENSE_EXCEPTION if exc else Outcome.LICENSE_REQUIRED
        if enf and enf.status == "compliance_not_required":
            outcome, summary = Outcome.REVIEW, f"{summary} ({enf.note})"
        res.add(Finding.of(provision, w, outcome, summary, policy=policy,
                           exceptions=(exc,) if exc else (), item=view.index,
                           party=hq_parties[0] if hq and hq_parties else None, facts=facts))
        if outcome == Outcome.LICENSE_REQUIRED and basis is not None:
            _policy_reason(ctx, view, code, policy, basis, res)


def _policy_reason(ctx: Context, view: ItemView, code: str, policy: str, basis: Provision,
                   res: JurisdictionResult) -> None:
    """Name the provision behind the review policy when it is not the one requiring the licence
    (the 2026 case-by-case policy of 91 FR 1684 for an H200 is why 2026 differs from 2025)."""
    if any(f.item == view.index and f.rule == basis.citation.rule for f in res.findings):
        return
    w = basis.window_on(ctx.day)
    assert w is not None
    res.add(Finding.of(basis, w, Outcome.LICENSE_REQUIRED,
                       f"{view.ref} ({code}): licence applications are reviewed with a "
                       f"{policy} policy ({basis.summary})", policy=policy, item=view.index))


# The 'is-informed' letters the rules data models, each a dated provision naming its products.
IS_INFORMED = ("us.is_informed.2022", "us.is_informed.h20")


def is_informed(ctx: Context, view: ItemView, res: JurisdictionResult) -> None:
    """Product-specific 'is-informed' licence requirements (A100/H100/MI250 letters of
    2022-08-26 until the October 2022 rule; H20/MI308 from 2025-04-09)."""
    for key in IS_INFORMED:
        p = rulebook("us").on(key, ctx.day)
        if p is not None:
            _informed_by(ctx, view, p, res)


def _informed_by(ctx: Context, view: ItemView, p: Provision, res: JurisdictionResult) -> None:
    """A named product gets the letter's licence requirement; an IC given by figures that
    reach the named class's (``class_limits``, see :func:`h20_class`) gets REVIEW, since the
    letter binds the exporters BIS informed and a person must establish whether that includes
    this one."""
    product = getattr(view.classification, "product", None)
    name = getattr(product, "name", None) or getattr(view.item, "product", None) or ""
    named = any(names_product(name, x) for x in p.params["products"])
    reached = [] if named or "class_limits" not in p.params else h20_class(view, p)
    if not (named or reached):
        return
    if ctx.txn.export_from == ctx.txn.destination:
        return  # the letters require a licence to export *to* the destination
    hq = hq_linked(ctx, p.params) if p.params.get("hq_destinations") or \
        p.params.get("hq_groups") else []
    if not (ctx.in_scope(p.params, ctx.txn.destination) or hq):
        return
    w = p.window_on(ctx.day)
    assert w is not None
    if named:
        res.add(Finding.of(p, w, Outcome.LICENSE_REQUIRED, f"{name}: {p.summary}",
                           policy=p.params["policy"], item=view.index))
        return
    res.add(Finding.of(p, w, Outcome(p.params["class_outcome"]),
                       f"{view.ref} reaches the {p.params['class_of']}'s {' and '.join(reached)}: "
                       f"{p.summary}; confirm whether the exporter was informed",
                       policy=p.params["policy"], item=view.index))


def h20_class(view: ItemView, p: Provision) -> list[str]:
    """The H20 figures a datacenter IC outside 3A090 reaches ("memory bandwidth 4000 GB/s")."""
    if any(ac_tier(c.code) for c in view.controls("US")) or view.fact("datacenter") is False \
            or view.fact("tpp") is None:
        return []  # in 3A090 already, or no processing figures (a switch ASIC is no H20)
    labels = {"dram_bandwidth_gbps": "memory bandwidth", "bidirectional_io_gbps": "interconnect"}
    out = []
    for fact, limit in p.params["class_limits"].items():
        value = view.fact(fact)
        if value is not None and float(value) >= float(limit):
            out.append(f"{labels.get(fact, fact)} ({float(value):g} >= {float(limit):g} GB/s)")
    return out


def names_product(name: str, product: str) -> bool:
    """``name`` is ``product`` or a variant of it ("NVIDIA H20 96GB"), not a longer model
    number that happens to share the prefix ("NVIDIA H200")."""
    name, product = name.casefold().strip(), product.casefold().strip()
    return name == product or name.startswith(product + " ")


def sme(ctx: Context, view: ItemView, code: str, res: JurisdictionResult) -> None:
    """The dated SME paragraphs: Macau/D:5 set, the worldwide set and 3B993/3B994."""
    book = rulebook("us")
    for key in ("us.sme.macau_d5", "us.sme.worldwide", "us.sme.3b993"):
        p = book.on(key, ctx.day)
        if p is None:
            continue
        covered = [_covers(code, para) for para in p.params["paragraphs"]]
        if not any(c is not False for c in covered):
            continue
        w = p.window_on(ctx.day)
        assert w is not None
        if not _sme_scope(ctx, p, ctx.txn.destination):
            continue
        if True in covered:
            outcome, summary = Outcome.LICENSE_REQUIRED, f"{code}: {p.summary}"
        else:
            outcome = Outcome.REVIEW
            summary = f"{code} may fall in {', '.join(p.params['paragraphs'])}: give the paragraph"
        exc = (str(p.params["exception"]),) if p.params.get("exception") else ()
        res.add(Finding.of(p, w, outcome, summary, policy=p.params.get("policy"),
                           item=view.index, facts={"code": code, "potential_exceptions": list(exc)}
                           if exc else {"code": code}))


def _sme_scope(ctx: Context, p: Provision, dest: str) -> bool:
    """Destination scope of an SME provision: named/grouped, or a Country Chart column."""
    probe = p.params.get("chart_probe")
    if probe:
        column = p.params["chart_column"]
        return any(h.column == column for h in ctx.collab.chart_reasons(probe, dest, ctx.day))
    return ctx.in_scope(p.params, dest)


def chart(ctx: Context, view: ItemView, code: str, res: JurisdictionResult,
          columns_only: bool = False) -> None:
    """Commerce Country Chart reasons for ordinary ECCNs.

    ``columns_only``: only the column lines (NS 2, MT 1 ...), for a .z code whose worded RS
    lines the dated advanced-computing provisions decide.
    """
    if code == "EAR99":
        return
    if not ctx.collab.is_ccl_eccn(code):
        ctx.note(f"{view.ref}: {code} is not an ECCN of the CCL (eCFR 2026-07-23)")
        res.add(Finding.of(_chart_provision(), _chart_provision().windows[0], Outcome.REVIEW,
                           f"{code} is not on the Commerce Control List: check the classification",
                           item=view.index))
        return
    stem = code.partition(".")[0]
    p = _chart_provision()
    for hit in ctx.collab.chart_reasons(code, ctx.txn.destination, ctx.day):
        if hit.column is None and (columns_only or stem in _DATED_STEMS):
            continue  # decided by the dated provisions
        if _only_z_paragraphs(hit.control) and not _is_z(code):
            continue  # a .z line: the dated advanced-computing provisions decide .z items
        outcome = Outcome.REVIEW if hit.conditional else Outcome.LICENSE_REQUIRED
        how = f"Country Chart column {hit.column}" if hit.column else hit.requirement
        extra = " (only some paragraphs are controlled: confirm the paragraph)" \
            if hit.conditional else ""
        res.add(Finding.of(p, p.windows[0], outcome,
                           f"{code} ({hit.control}) to {ctx.txn.destination}: {how}{extra}",
                           item=view.index, facts={"code": code, "reason": hit.reason}))
    if ctx.day < _chart_text_date():
        ctx.note("Country Chart reasons use the eCFR text of 2026-07-23; its history before "
                 "that date is not modelled")





_ECCN_REF = re.compile(r"\b\d[A-E]\d{3}(?:\.[a-z0-9]+)+")


def _only_z_paragraphs(control: str) -> bool:
    """A CCL line that names only ``.z`` paragraphs ("RS applies to items controlled by
    5A992.z.1"): it cannot reach a code in another paragraph (5A992.c)."""
    refs = _ECCN_REF.findall(control)
    return bool(refs) and all(".z" in r for r in refs)


def _is_z(code: str) -> bool:
    """True for a .z code, and for a bare stem (which may be a .z item: left to review)."""
    _, _, para = code.partition(".")
    return not para or para.startswith("z")


def _chart_text_date() -> date:
    """The eCFR issue the chart data comes from (the provision's citation notice)."""
    notice = _chart_provision().citation.notice or ""
    return date.fromisoformat(notice.rsplit(" ", 1)[-1])


def _chart_provision() -> Provision:
    return rulebook("us").versions("us.chart")[0]


def embargo(ctx: Context, view: ItemView, codes: list[str], res: JurisdictionResult) -> None:
    book = rulebook("us")
    for key in ("us.embargo", "us.russia"):
        p = book.on(key, ctx.day)
        if p is None or not ctx.in_scope(p.params, ctx.txn.destination):
            continue
        w = p.window_on(ctx.day)
        assert w is not None
        ear99 = all(c == "EAR99" for c in codes) or not codes
        outcome = Outcome(p.params.get("ear99", "LICENSE_REQUIRED")) if ear99 \
            else Outcome.LICENSE_REQUIRED
        res.add(Finding.of(p, w, outcome, f"{view.ref} to {ctx.txn.destination}: "
                           f"{p.summary}", policy=p.params.get("policy"), item=view.index))
