"""15 CFR 744.23 end-use controls and the 744.6 US-person warning.

The advanced-node test is versioned: the 2022 wording measured DRAM by half-pitch, the later
definition by cell area, density and TSV count. When the end use gives only facts the date's
test does not use, the fab's status is *unknown* and the unknown-fab rule (744.23(a)(2)(ii))
applies, with REVIEW for the other items: never a silent NLR.
"""

from __future__ import annotations

from typing import Any

from chipexport.determine.context import Context
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.model.transaction import EndUse
from chipexport.rules.provisions import Provision, rulebook


def advanced_node(eu: EndUse, params: dict[str, Any]) -> tuple[bool | None, list[str]]:
    """Whether the facility produces advanced-node ICs under ``params``; None if unknown."""
    why: list[str] = []
    known = False
    if eu.non_planar is not None or eu.logic_node_nm is not None:
        known = True
        if eu.non_planar and params.get("non_planar"):
            why.append("logic with non-planar transistors")
        if eu.logic_node_nm is not None and eu.logic_node_nm <= params["logic_node_max_nm"]:
            why.append(f"logic at {eu.logic_node_nm:g} nm <= {params['logic_node_max_nm']} nm")
    if eu.nand_layers is not None:
        known = True
        if eu.nand_layers >= params["nand_layers_min"]:
            why.append(f"NAND with {eu.nand_layers:g} layers >= {params['nand_layers_min']}")
    dram_given = any(v is not None for v in (eu.dram_half_pitch_nm, eu.dram_cell_area_um2,
                                             eu.dram_density_gb_mm2, eu.dram_tsv_per_die))
    dram_known = False
    if "dram_half_pitch_max_nm" in params and eu.dram_half_pitch_nm is not None:
        dram_known = True
        if eu.dram_half_pitch_nm <= params["dram_half_pitch_max_nm"]:
            why.append(f"DRAM at {eu.dram_half_pitch_nm:g} nm half-pitch <= "
                       f"{params['dram_half_pitch_max_nm']} nm")
    tests = (("dram_cell_area_max_um2", eu.dram_cell_area_um2, "<", "DRAM cell area"),
             ("dram_density_min_gb_mm2", eu.dram_density_gb_mm2, ">", "DRAM density"),
             ("dram_tsv_min", eu.dram_tsv_per_die, ">", "TSVs per die"))
    for key, value, op, label in tests:
        if key in params and value is not None:
            dram_known = True
            hit = value < params[key] if op == "<" else value > params[key]
            if hit:
                why.append(f"{label} {value:g} {op} {params[key]}")
    if why:
        return True, why
    if dram_given and not dram_known:
        return None, ["the DRAM facts given are not the ones the definition uses on this date"]
    return (False, []) if known or dram_known else (None, ["no node facts given"])


def _items(views: list[Any]) -> str:
    """``"item 1"`` / ``"items 1, 2, 3"``: one finding names every item it covers."""
    idx = [str(v.index + 1) for v in views]
    return f"item {idx[0]}" if len(idx) == 1 else f"items {', '.join(idx)}"


def _policy(ctx: Context, eu: EndUse) -> str:
    p = rulebook("us").on("us.eu.review", ctx.day)
    if p is None:
        return "presumption of denial"
    owner = eu.facility_owner_hq
    scope = {"destinations": p.params["multinational_destinations"],
             "groups_any": p.params["multinational_groups"]}
    if owner and ctx.in_scope(scope, owner):
        return str(p.params["multinational_policy"])
    return str(p.params["policy"])


def _us_person_warning(ctx: Context) -> None:
    p = rulebook("us").on("us.eu.us_person", ctx.day)
    if p:
        ctx.note(f"{p.citation.rule} ({p.citation.notice}): {p.summary}")


def _military(ctx: Context, res: JurisdictionResult, views: list[Any], where: str) -> None:
    """744.21: Supp. 2 items for a military end use/user in the listed countries."""
    p = rulebook("us").on("us.eu.military", ctx.day)
    if p is None or not ctx.in_scope(p.params, where):
        return
    w = p.window_on(ctx.day)
    assert w is not None
    supp2 = rulebook("us").versions(p.params["supp2_provision"])[0].params
    everything = ctx.collab.resolve(where, ctx.day) in supp2["all_items_destinations"]
    for v in views:
        codes = [c.code for c in v.controls("US")] or ["EAR99"]
        listed = [c for c in codes if c.partition(".")[0] in set(supp2["supp2_eccns"])]
        if everything or listed:
            res.add(Finding.of(p, w, Outcome.LICENSE_REQUIRED,
                               f"{v.ref} ({', '.join(codes)}) for a military end use in "
                               f"{where}: {p.summary}", policy=p.params["policy"], item=v.index))
        elif any(c != "EAR99" for c in codes):
            res.add(Finding.of(p, w, Outcome.REVIEW,
                               f"{v.ref} ({', '.join(codes)}) for a military end use in "
                               f"{where}: confirm whether Supp. 2 to Part 744 lists it",
                               item=v.index))


def _unassessed(ctx: Context, res: JurisdictionResult, eu: EndUse) -> bool:
    """REVIEW for an end use no provision assesses; True when it was one."""
    p = rulebook("us").on("us.eu.unassessed", ctx.day)
    if p is None or eu.kind in p.params["assessed"] or eu.kind in p.params["no_rule"]:
        return False
    w = p.window_on(ctx.day)
    assert w is not None
    res.add(Finding.of(p, w, Outcome.REVIEW, f"end use '{eu.kind}': {p.summary}"))
    return True


def _for_place(ctx: Context, key: str, where: str) -> Provision | None:
    """The provision ``key`` in force whose scope takes in ``where``, or its ``<key>.macau``
    supplement: the Jan-2023 rule (88 FR 2821) extended the China-only 2022 end uses to Macau,
    kept apart so the verified China answer keeps its confidence mark."""
    book = rulebook("us")
    for name in (key, f"{key}.macau"):
        p = book.on(name, ctx.day)
        if p is not None and ctx.in_scope(p.params, where):
            return p
    return None


def end_uses(ctx: Context, res: JurisdictionResult, us_items: list[int]) -> None:
    eu = ctx.txn.end_use
    if eu is None or not us_items:
        return
    if _unassessed(ctx, res, eu):
        return
    where = eu.country or ctx.txn.destination
    book = rulebook("us")
    views = [v for v in ctx.items if v.index in us_items]
    if eu.kind in ("ic_fab", "fab", "ic_production"):
        fab = _for_place(ctx, "us.eu.fab", where)
        if fab is None:
            return
        definition = book.on("us.advanced_node", ctx.day)
        assert definition is not None
        status, why = advanced_node(eu, dict(definition.params))
        w = fab.window_on(ctx.day)
        assert w is not None
        facts = {"facility_country": where, "advanced_node": status, "tests": why,
                 "definition": definition.citation.rule}
        if status:
            _us_person_warning(ctx)
            res.add(Finding.of(fab, w, Outcome.LICENSE_REQUIRED,
                               f"{_items(views)} for IC production at an advanced-node facility "
                               f"in {where} ({'; '.join(why)})", policy=_policy(ctx, eu),
                               facts={**facts, "items": [v.index for v in views]}))
            return
        if status is False:
            res.add(Finding.of(fab, w, Outcome.NLR, f"the facility in {where} is not advanced-node "
                               f"under {definition.citation.rule}", facts=facts))
            return
        unknown = _for_place(ctx, "us.eu.fab_unknown", where)
        assert unknown is not None
        uw = unknown.window_on(ctx.day)
        assert uw is not None
        _us_person_warning(ctx)
        for v in views:
            cat3 = [c.code for c in v.controls("US")
                    if c.code.startswith(tuple(unknown.params["eccn_prefixes"]))]
            if cat3:
                res.add(Finding.of(unknown, uw, Outcome.LICENSE_REQUIRED,
                                   f"{', '.join(cat3)} for an IC fab in {where} not known to be "
                                   f"other than advanced-node ({why[0]})", policy=_policy(ctx, eu),
                                   item=v.index, facts=facts))
            else:
                res.add(Finding.of(fab, w, Outcome.REVIEW,
                                   f"{v.ref} for an IC fab in {where} whose advanced-node "
                                   f"status is unknown ({why[0]}): establish the node",
                                   item=v.index, facts=facts))
    elif eu.kind == "supercomputer":
        p = _for_place(ctx, "us.eu.supercomputer", where)
        if p is None:
            return
        w = p.window_on(ctx.day)
        assert w is not None
        for v in views:
            codes = [c.code for c in v.controls("US")]
            hit = p.params.get("any_item") or any(
                c.startswith(tuple(p.params["eccn_prefixes"])) for c in codes)
            if hit:
                res.add(Finding.of(p, w, Outcome.LICENSE_REQUIRED,
                                   f"{v.ref} for a supercomputer in {where}: {p.summary}",
                                   policy=_policy(ctx, eu), item=v.index))
    elif eu.kind in book.versions("us.eu.military")[0].params["end_use_kinds"]:
        _military(ctx, res, views, where)
    elif eu.kind in ("sme_production", "sme"):
        p = book.on("us.eu.sme_production", ctx.day)
        if p is None or not ctx.in_scope(p.params, where):
            return
        w = p.window_on(ctx.day)
        assert w is not None
        _us_person_warning(ctx)
        for v in views:
            codes = [c.code for c in v.controls("US") if c.code != "EAR99"]
            if codes:
                res.add(Finding.of(p, w, Outcome.LICENSE_REQUIRED,
                                   f"{', '.join(codes)} for SME development/production in {where}",
                                   policy=_policy(ctx, eu), item=v.index))
