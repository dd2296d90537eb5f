"""Each party's ultimate parent and its headquarters, derived from every source of ownership.

The headquarters rules (15 CFR 744.23(a)(3), 742.6(a)(6)(iii)(A) and the provisions that reuse
their ``hq_destinations``/``hq_groups`` scope) ask where an entity *or its ultimate parent* is
headquartered. An order rarely says so: it names a Singapore buyer and, at best, its owner. So
the parent is walked up from three sources, in this order of trust:

1. the transaction's ``owners`` (each owner may carry ``country``, ``hq`` and its own
   ``owners``: chains of any depth);
2. ownership links loaded into the store (``chipexport ownership load``), passed to the engine;
3. the restricted-party lists: an Entity List affiliate entry names its parent
   ("Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: X"; "X (a subsidiary of Y)";
   "(Parent Organization: Y)").

A parent is an owner holding more than 50 % (``engine.ultimate_parent``), or the parent a
list entry names. The ultimate parent's headquarters is its ``hq``, else its ``country``,
else the country of the list entry it matches. An owner of exactly 50 % or of unknown share
cannot be ruled out as the parent: it is kept as a *possible* parent, and the rule modules
answer REVIEW when its headquarters would bring the rule in. Cycles, shares above 100 % and
contradictory headquarters facts become warnings naming the field; nothing here raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from chipexport.determine.context import Context, party_ref
from chipexport.determine.ownership import links_of, norm
from chipexport.model.screening import Match
from chipexport.model.transaction import Owner
from chipexport.rules.provisions import rulebook

ScreenFn = Callable[[str, str | None], Sequence[Match]]
_NAMED_PARENT = re.compile(r"\((?:a\s+)?(?:subsidiary of|parent organi[sz]ation:)\s*(.+?)\)",
                           re.I)


@dataclass(frozen=True, slots=True)
class Holder:
    """An owner of one node of the chain, whichever source named it."""

    name: str
    percent: float | None
    country: str | None
    hq: str | None
    owners: tuple[Owner, ...]
    source: str  # "the transaction's owners", "ownership data", "the EL entry '...'"
    named_parent: bool = False  # a list entry names it as the parent (no share stated)


@dataclass(frozen=True, slots=True)
class Possible:
    """An owner that may be the parent (50 % or unknown share) and where it is headquartered."""

    name: str
    percent: float | None
    hq: str | None
    basis: str
    below: str  # the entity it holds


@dataclass(frozen=True, slots=True)
class Parentage:
    """A party's chain of parents (party first) and its ultimate parent's headquarters."""

    chain: tuple[str, ...]
    sources: tuple[str, ...]  # one per link of the chain
    hq: str | None
    hq_basis: str | None
    possible: tuple[Possible, ...] = ()

    @property
    def parent(self) -> str | None:
        return self.chain[-1] if len(self.chain) > 1 else None

    def describe(self) -> str:
        """``ultimate parent SMIC (chain: A → SMIC, from the transaction's owners),
        headquartered in CN (the EL entry 'SMIC')``."""
        if self.parent is None:
            return "no parent known"
        via = "; ".join(dict.fromkeys(self.sources))
        where = f"headquartered in {self.hq} ({self.hq_basis})" if self.hq else \
            "headquarters unknown"
        return f"ultimate parent {self.parent} (chain: {' → '.join(self.chain)}, from {via}), " \
               f"{where}"


@cache
def _params() -> dict[str, Any]:
    return dict(rulebook("engine").versions("engine.ultimate_parent")[0].params)


def _listed(ctx: Context, screen: ScreenFn | None, name: str, country: str | None
            ) -> list[Match]:
    if screen is None:
        return []
    strong = ctx.collab.strong_threshold
    return [m for m in screen(name, country) if m.score >= strong]


def _list_parents(ctx: Context, screen: ScreenFn | None, name: str, country: str | None
                  ) -> list[Holder]:
    """Parents named by the list entries ``name`` matches (affiliate and subsidiary entries)."""
    out: list[Holder] = []
    for m in _listed(ctx, screen, name, country):
        e = m.entry
        named = [e.affiliate_of] if e.affiliate_of else []
        named += [g.group(1) for n in (e.name, *e.aliases) for g in _NAMED_PARENT.finditer(n)]
        for parent in named:
            if parent and norm(parent) != norm(name):
                out.append(Holder(parent.strip(), None, None, None, (),
                                  f"the {e.source} entry '{e.name}'", named_parent=True))
    return out


def _holders(ctx: Context, screen: ScreenFn | None, name: str, country: str | None,
             stated: Sequence[Owner], where: str) -> list[Holder]:
    """Every owner of ``name``: stated, loaded and list-named, de-duplicated by name."""
    found = [Holder(o.name, o.percent, o.country, o.hq, o.owners, "the transaction's owners")
             for o in stated]
    seen = {norm(h.name): h for h in found}
    for link in links_of(ctx, name):
        known = seen.get(norm(link.owner))
        if known is not None:
            if known.percent is not None and link.percent is not None \
                    and abs(known.percent - link.percent) > 0.5:
                ctx.note(f"{where}: {link.owner} holds {known.percent:g} % by the order but "
                         f"{link.percent:g} % by the loaded ownership data; the order's figure "
                         "is used")
            continue
        h = Holder(link.owner, link.percent, link.owner_country, None, (),
                   f"ownership data ({link.source})" if link.source else "ownership data")
        seen[norm(h.name)] = h
        found.append(h)
    loaded = sum(h.percent for h in found if h.percent is not None)
    if loaded > 100.0001:
        ctx.note(f"{where}: the owners of {name} hold {loaded:g} % together, more than 100 %; "
                 "the ownership data is inconsistent (each owner is still followed)")
    for h in _list_parents(ctx, screen, name, country):
        if norm(h.name) not in seen:
            seen[norm(h.name)] = h
            found.append(h)
    return found


def _headquarters(ctx: Context, screen: ScreenFn | None, h: Holder, where: str
                  ) -> tuple[str | None, str | None]:
    """Where ``h`` is headquartered, and on what basis."""
    listed = _listed(ctx, screen, h.name, h.country or h.hq)
    listed_cc = next((m.entry for m in listed if m.entry.countries), None)
    if h.hq:
        if listed_cc and h.hq not in listed_cc.countries:
            ctx.note(f"{where}.hq: {h.name} is given as headquartered in {h.hq}, but the "
                     f"{listed_cc.source} entry '{listed_cc.name}' gives "
                     f"{', '.join(listed_cc.countries)}; {h.hq} is used and both are shown")
        return h.hq, "its hq as given"
    if h.country:
        return h.country, "its country as given; no hq given"
    if listed_cc:
        return listed_cc.countries[0], (f"the address of the {listed_cc.source} entry "
                                        f"'{listed_cc.name}'")
    return None, None


def derive(ctx: Context, index: int, screen: ScreenFn | None) -> Parentage:
    """Walk party ``index`` up to its ultimate parent (see the module docstring)."""
    party = ctx.txn.parties[index]
    threshold = float(_params()["parent_above_percent"])
    where = f"parties[{index}].owners"
    chain, sources = [party.name], []
    seen = {norm(party.name)}
    possible: list[Possible] = []
    name, country, stated = party.name, party.country, party.owners
    top: Holder | None = None
    for _ in range(int(_params()["max_depth"])):
        holders = _holders(ctx, screen, name, country, stated, where)
        parents = [h for h in holders if h.named_parent
                   or (h.percent is not None and h.percent > threshold)]
        for h in holders:
            if h not in parents and (h.percent is None or h.percent >= threshold):
                hq, basis = _headquarters(ctx, screen, h, where)
                possible.append(Possible(h.name, h.percent, hq, basis or "", name))
        if not parents:
            break
        parent = parents[0]
        if norm(parent.name) in seen:
            ctx.note(f"{where}: ownership cycle {' → '.join([*chain, parent.name])}; the chain "
                     f"is cut at {chain[-1]}")
            break
        seen.add(norm(parent.name))
        chain.append(parent.name)
        sources.append(parent.source)
        top = parent
        name, country, stated = parent.name, parent.country, parent.owners
    else:
        ctx.note(f"{where}: ownership chain of {party.name} longer than "
                 f"{_params()['max_depth']} links; cut at {chain[-1]}")
    hq, basis = _headquarters(ctx, screen, top, where) if top else (None, None)
    derived = Parentage(tuple(chain), tuple(sources), hq, basis, tuple(possible))
    if top and hq and party.ultimate_parent_hq and party.ultimate_parent_hq != hq:
        ctx.note(f"parties[{index}].ultimate_parent_hq: given as {party.ultimate_parent_hq}, but "
                 f"{derived.describe()}; both are applied (the stricter answer stands)")
    return derived


def parentage(ctx: Context, index: int) -> Parentage:
    """The party's parentage, derived once per transaction (the Context caches it)."""
    cache: dict[int, Parentage] = ctx.derived.setdefault("parentage", {})
    if index not in cache:
        cache[index] = derive(ctx, index, ctx.screen)
    return cache[index]


def stated_parent_hq(ctx: Context, index: int) -> tuple[str | None, str | None]:
    """Where the party's stated ``ultimate_parent`` (a name) is headquartered when
    ``ultimate_parent_hq`` is blank: from the list entry the name matches."""
    p = ctx.txn.parties[index]
    name = p.ultimate_parent
    if not name or p.ultimate_parent_hq:
        return None, None
    holder = Holder(name, None, None, None, (), "the party's ultimate_parent")
    return _headquarters(ctx, ctx.screen, holder, f"parties[{index}].ultimate_parent")


def hq_countries(ctx: Context, index: int) -> list[tuple[str, str]]:
    """(country, why) for every headquarters the party is tied to: its own ``hq``, the
    ``ultimate_parent_hq`` it states (or that its stated ``ultimate_parent`` has on the lists),
    and the one derived from its chain of owners."""
    p = ctx.txn.parties[index]
    out = [(p.hq, "headquartered there (hq as given)")] if p.hq else []
    if p.ultimate_parent_hq:
        out.append((p.ultimate_parent_hq, "ultimate parent headquartered there "
                                          "(ultimate_parent_hq as given)"))
    stated, basis = stated_parent_hq(ctx, index)
    if stated:
        out.append((stated, f"ultimate parent {p.ultimate_parent} (as given), "
                            f"headquartered in {stated} ({basis})"))
    if p.owners or ctx.ownership or ctx.screen is not None:
        derived = parentage(ctx, index)
        if derived.hq and derived.parent:
            out.append((derived.hq, derived.describe()))
    return out


def hq_doubts(ctx: Context, index: int, in_scope: Callable[[str], bool]) -> list[str]:
    """Questions a person must answer before the headquarters rule can be ruled out for the
    party: a possible parent headquartered in scope, or an ultimate parent of unknown seat."""
    p = ctx.txn.parties[index]
    if not (p.owners or ctx.ownership or ctx.screen is not None
            or p.ultimate_parent):
        return []
    derived = parentage(ctx, index)
    questions = [f"{q.name} holds {'an unknown share' if q.percent is None else f'{q.percent:g} %'}"
                 f" of {q.below} and is headquartered in {q.hq} ({q.basis}): establish whether "
                 f"it is {p.name}'s ultimate parent" for q in derived.possible
                 if q.hq and in_scope(q.hq)]
    if derived.parent and not derived.hq:
        questions.append(f"{derived.describe()}: establish where {derived.parent} is "
                         "headquartered")
    stated = p.ultimate_parent
    if stated and not p.ultimate_parent_hq and stated_parent_hq(ctx, index)[0] is None:
        questions.append(f"the ultimate parent {stated} is named without its headquarters "
                         "(ultimate_parent_hq): establish where it is headquartered")
    return questions


def describe_party(ctx: Context, index: int) -> str:
    """``party 2 (Lion City Semi Pte Ltd)``: how the HQ reasons name a party."""
    return f"{party_ref(index)} ({ctx.txn.parties[index].name})"
