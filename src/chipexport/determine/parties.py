"""Restricted-party consequences: screening every party (any role) and the Affiliates rule.

A near-certain match (score >= the screener's strong threshold) applies the list's consequence
in the jurisdiction that owns the list (``<jur>.list.<SOURCE>`` provisions); a possible match
(reported, but below strong) gives REVIEW. The Entity List entry's own licence requirement and
review policy are shown verbatim, and its FDP footnote is named. Ownership by listed parties is
aggregated over the transaction's ``owners`` and loaded ownership links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from chipexport.determine.context import Context, party_ref
from chipexport.determine.listing_dates import not_yet_listed
from chipexport.determine.ofac import fifty_percent
from chipexport.determine.ownership import norm, owners_of
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.determine.us_fdp import footnote_reach, undecided
from chipexport.model.screening import Match
from chipexport.model.transaction import Party
from chipexport.rules.provisions import JURISDICTIONS, Provision, rulebook

ScreenFn = Callable[[str, str | None], Sequence[Match]]
_FOOTNOTE = re.compile(r"734\.9\((e)\)\s*\(?(\d)\)?|734\.9\((g)\)|EAR\)?\s*(\d+)\.?\s*$")


@cache
def list_provisions() -> dict[str, tuple[str, str]]:
    """Source code -> (jurisdiction code, provision key) for every ``*.list.*`` provision."""
    out: dict[str, tuple[str, str]] = {}
    for name in JURISDICTIONS:
        for key in rulebook(name).provision_keys():
            if ".list." in key:
                out[key.rsplit(".list.", 1)[1]] = (name.upper(), key)
    return out


@cache
def _footnotes() -> tuple[frozenset[str], dict[str, str]]:
    """The Entity List footnotes the rules data knows, and the footnote each FDP paragraph
    stands for: those of ``us.el.footnotes`` and of every ``us.fdp.el_fn*`` provision carrying
    its own ``text`` (and ``paragraph``), so a new footnote is one data record, not code."""
    book = rulebook("us")
    numbers: set[str] = set()
    paragraphs: dict[str, str] = {}
    for p in book.versions("us.el.footnotes"):
        numbers |= {str(n) for n in p.params["footnotes"]}
        paragraphs |= {str(k): str(v) for k, v in (p.params.get("paragraphs") or {}).items()}
    for key in book.provision_keys():
        for p in book.versions(key) if key.startswith("us.fdp.el_fn") else ():
            if p.params.get("text"):
                numbers.add(str(p.params["footnote"]))
            if p.params.get("paragraph"):
                paragraphs[str(p.params["paragraph"])] = str(p.params["footnote"])
    return frozenset(numbers), paragraphs


def footnote_text(ctx: Context, fn: str) -> str | None:
    """What footnote ``fn`` does, on the transaction date: ``us.el.footnotes``, else the text of
    the footnote's own FDP record."""
    notes = rulebook("us").on("us.el.footnotes", ctx.day)
    text = notes.params["footnotes"].get(fn) if notes else None
    own = rulebook("us").on(f"us.fdp.el_fn{fn}", ctx.day) if not text else None
    return text or (str(own.params["text"]) if own and own.params.get("text") else None)


def footnote(requirement: str | None) -> str | None:
    """Entity List FDP footnote number named in a licence-requirement text, if any."""
    if not requirement:
        return None
    m = _FOOTNOTE.search(requirement)
    if not m:
        return None
    numbers, paragraphs = _footnotes()
    if m.group(1):
        return paragraphs.get(f"734.9(e)({m.group(2)})")
    if m.group(3):
        return paragraphs.get("734.9(g)")
    return m.group(4) if m.group(4) in numbers else None


def _provision(ctx: Context, source: str) -> tuple[str, Provision] | None:
    found = list_provisions().get(source)
    if not found:
        return None
    jur, key = found
    p = rulebook(jur.lower()).on(key, ctx.day)
    return (jur, p) if p else None


def _consequence(ctx: Context, m: Match, strong: bool, jur: str, p: Provision,
                 party: int, via: str | None) -> Finding:
    e = m.entry
    w = p.window_on(ctx.day)
    assert w is not None
    who = f"{party_ref(party)} ({ctx.txn.parties[party].name})"
    who += f", owned by {via}" if via else ""
    facts: dict[str, Any] = {"source": e.source, "entry": e.name, "score": round(m.score, 4),
                             "license_requirement": e.license_requirement,
                             "license_policy": e.license_policy,
                             "federal_register_notices": list(e.federal_register_notices)}
    if not strong:
        return Finding.of(p, w, Outcome.REVIEW,
                          f"{who} possibly matches {e.source} entry '{e.name}' (score "
                          f"{m.score:.2f}): a person must confirm or clear the match",
                          party=party, facts=facts)
    outcome = Outcome(p.params["outcome"])
    if p.params.get("dual_use_only") and not any(v.controls(jur) for v in ctx.items):
        outcome = Outcome.REVIEW
    summary = f"{who} matches {e.source} entry '{e.name}': {p.summary}"
    if p.params.get("supp2_eccns") is not None:
        outcome, scope = _listed_items_outcome(ctx, p, party)
        summary += f" ({scope})"
    if e.license_requirement:
        summary += f". Entry's licence requirement: {e.license_requirement}"
    fn = footnote(e.license_requirement) if e.source == "EL" else None
    if fn:
        text = footnote_text(ctx, fn)
        if text:
            summary += f". {text}"
            facts["footnote"] = fn
    limited = re.search(r"\b(except|when|unless|only)\b", (e.license_requirement or "").lower())
    if e.source == "EL" and limited:
        ctx.note(f"{party_ref(party)}: the Entity List requirement is limited "
                 f"('{e.license_requirement}'); applied to every item (conservative): check "
                 "whether the items are excepted")
    citation = "; ".join(e.federal_register_notices[:3]) or p.citation.notice
    return Finding(outcome=outcome, rule=p.citation.rule, citation=citation, in_force=w,
                   confidence=p.confidence, summary=summary, policy=e.license_policy,
                   party=party, facts=facts)


def _listed_items_outcome(ctx: Context, p: Provision, party: int) -> tuple[Outcome, str]:
    """MEU consequence by item: 744.21 reaches only Supp. 2 items (all items for Russia/Belarus).

    An EAR99-only shipment to a Chinese military end user needs no 744.21 licence, so the
    match must not read as LICENSE_REQUIRED; a CCL item the Supp. 2 list here does not name is
    left to a person (the list is from memory).
    """
    prm = p.params
    places = {ctx.collab.resolve(cc, ctx.day)
              for cc in (ctx.txn.destination, ctx.txn.parties[party].country) if cc}
    if places & set(prm.get("all_items_destinations") or ()):
        return Outcome(prm["outcome"]), "every item subject to the EAR for this destination"
    codes = [c.code for v in ctx.items if v.subject_to_ear for c in v.controls("US")]
    listed = [c for c in codes if c.partition(".")[0] in set(prm["supp2_eccns"])]
    if listed:
        return Outcome(prm["outcome"]), f"{', '.join(listed)} listed in Supp. 2 to Part 744"
    other = [c for c in codes if c != "EAR99"]
    if other:
        return Outcome.REVIEW, (f"confirm whether {', '.join(other)} is listed in Supp. 2 to "
                                "Part 744")
    ctx.note(f"{party_ref(party)} is a listed military end user: EAR99 items are outside Supp. 2 "
             "to Part 744, but the match remains a red flag (Supp. 3 to Part 732)")
    return Outcome.NLR, "EAR99 items only: outside Supp. 2 to Part 744"


def _listed(ctx: Context, screen: ScreenFn, name: str, country: str | None,
            sources: Sequence[str]) -> list[Match]:
    strong = ctx.collab.strong_threshold
    return [m for m in screen(name, country) if m.score >= strong and m.entry.source in sources
            and not not_yet_listed(ctx, m.entry)]


def _listed_via_owners(ctx: Context, screen: ScreenFn, name: str, sources: Sequence[str],
                       threshold: float, seen: set[str]) -> Match | None:
    """A listed match for an owner that is itself >= threshold owned by listed parties.

    Indirect ownership: an intermediate company owned 50 % or more by listed parties counts as
    listed when aggregating the next level down (links only; depth bounded by ``seen``).
    """
    key = norm(name)
    if key in seen or len(seen) > 4:
        return None
    seen.add(key)
    total, first = 0.0, None
    for owner in owners_of(ctx, name, ()):
        found = _listed(ctx, screen, owner.name, owner.country, sources) or [
            m for m in [_listed_via_owners(ctx, screen, owner.name, sources, threshold, seen)]
            if m]
        if found and owner.percent is not None:
            total += owner.percent
            first = first or found[0]
    return first if total >= threshold else None


def _affiliates(ctx: Context, screen: ScreenFn, results: dict[str, JurisdictionResult],
                i: int, party: Party) -> None:
    book = rulebook("us")
    rule = book.on("us.affiliates", ctx.day)
    suspended = book.on("us.affiliates.suspension", ctx.day)
    params = (rule or suspended or book.versions("us.affiliates")[0]).params
    sources = params["owner_sources"]
    total, unknown, hits = 0.0, [], []
    for owner in owners_of(ctx, party.name, party.owners):
        matches = _listed(ctx, screen, owner.name, owner.country, sources)
        if not matches and ctx.ownership:
            via = _listed_via_owners(ctx, screen, owner.name, sources,
                                     params["threshold_percent"], {norm(party.name)})
            matches = [via] if via else []
        if not matches:
            continue
        hits.append((owner, matches[0]))
        if owner.percent is None:
            unknown.append(owner.name)
        else:
            total += owner.percent
    if not hits:
        return
    names = ", ".join(f"{o.name} ({m.entry.source}, "
                      f"{o.percent if o.percent is not None else '?'} %)" for o, m in hits)
    facts = {"listed_owners": names, "aggregate_percent": total}
    reached = total >= params["threshold_percent"]
    if rule is None:
        why = (f"{suspended.summary} ({suspended.citation.notice})" if suspended
               else "the Affiliates rule (90 FR 47201) is not in force on this date")
        ctx.note(f"{party_ref(i)} ({party.name}) is owned {total:g} % by listed parties "
                 f"[{names}]: {why}")
        return
    w = rule.window_on(ctx.day)
    assert w is not None
    if "US" not in results:
        ctx.note(f"{party_ref(i)} is owned {total:g} % by listed parties; "
                 "no item is subject to the EAR")
        return
    if reached:
        for owner, m in hits:
            jp = _provision(ctx, m.entry.source)
            if jp:
                f = _consequence(ctx, m, True, jp[0], jp[1], i, f"{owner.name}")
                results["US"].add(Finding(
                    outcome=f.outcome, rule=rule.citation.rule, citation=rule.citation.notice,
                    in_force=w, confidence=rule.confidence,
                    summary=f"{party_ref(i)} ({party.name}) is owned {total:g} % (>= "
                            f"{params['threshold_percent']} %) by listed parties [{names}] and "
                            f"inherits their restrictions: {f.summary}",
                    policy=f.policy, party=i, facts=facts))
    elif unknown:
        results["US"].add(Finding.of(rule, w, Outcome.REVIEW,
                                     f"{party_ref(i)} ({party.name}) has listed owners "
                                     f"with unknown shares [{names}]: establish whether they reach "
                                     f"{params['threshold_percent']} %", party=i, facts=facts))


def _same_entity(ctx: Context, screen: ScreenFn, matches: Sequence[Match],
                 country: str | None) -> list[Match]:
    """Entries of consequence lists naming the entity a strong match on a list without an
    export consequence identified ("SMIC" matches the CMIC entry 'Semiconductor Manufacturing
    International Corporation', which is also on the Entity List under a longer name)."""
    strong = ctx.collab.strong_threshold
    seen = {m.entry.entry_id for m in matches}
    found: list[Match] = []
    for m in matches:
        if m.score < strong or _provision(ctx, m.entry.source) is not None:
            continue
        for other in screen(m.entry.name, country):
            if other.score >= strong and other.entry.entry_id not in seen \
                    and _provision(ctx, other.entry.source) is not None:
                seen.add(other.entry.entry_id)
                found.append(other)
    return found


def screen_parties(ctx: Context, screen: ScreenFn | None,
                   results: dict[str, JurisdictionResult]) -> list[dict[str, Any]]:
    """Screen every party, apply list consequences; returns the ``screening`` output."""
    out: list[dict[str, Any]] = []
    if screen is None:
        if ctx.txn.parties:
            ctx.note("no screening lists loaded: parties were not screened (run "
                     "`chipexport lists load`)")
            unscreened = rulebook("engine").versions("engine.unscreened")[0]
            for result in results.values():
                result.add(Finding.of(unscreened, unscreened.windows[0], Outcome.REVIEW,
                                      "parties not screened: no lists loaded"))
        return out
    if not ctx.txn.parties:
        ctx.note("no parties given: nothing was screened")
        unscreened = rulebook("engine").versions("engine.unscreened")[0]
        for result in results.values():
            result.add(Finding.of(unscreened, unscreened.windows[0], Outcome.REVIEW,
                                  "no parties given: the transaction cannot be cleared"))
    strong = ctx.collab.strong_threshold
    # Findings of the Entity List footnote FDP rules for foreign-made items: kept apart until
    # every party is screened, since "US" in results means "items subject to the EAR" here.
    reach = JurisdictionResult("US")
    unapplied: list[tuple[int, str]] = []
    applied: dict[tuple[int, str, str | None, str | None, bool], Finding] = {}
    for i, party in enumerate(ctx.txn.parties):
        matches = screen(party.name, party.country)
        out.append({"party": i, "name": party.name,
                    "matches": [{**m.to_json(), "strong": m.score >= strong} for m in matches]})
        for m in [*matches, *_same_entity(ctx, screen, matches, party.country)]:
            found = _provision(ctx, m.entry.source)
            if found is None:
                if m.score >= strong:
                    ctx.note(f"{party_ref(i)} matches {m.entry.source} entry "
                             f"'{m.entry.name}' (a list with no export-licence consequence "
                             "encoded): review it")
                continue
            jur, p = found
            later = not_yet_listed(ctx, m.entry)
            if later:
                if m.score >= strong:
                    ctx.note(f"{party_ref(i)} matches {m.entry.source} entry "
                             f"'{m.entry.name}', but the {later}: not listed on {ctx.day}")
                continue
            if jur not in results or undecided(results[jur]):
                if m.score >= strong and not _footnote_reach(ctx, m, i, reach):
                    unapplied.append((i, f"{party_ref(i)} matches {m.entry.source} entry "
                                         f"'{m.entry.name}'; no item is shown to be subject to "
                                         f"the {jur} rules, so the entry is not applied"))
                continue
            key = (i, m.entry.source, m.entry.license_requirement, m.entry.license_policy,
                   m.score >= strong)
            if key in applied:  # Huawei's 15 entries: one reason, the other names in its facts
                applied[key].facts.setdefault("also_matched", []).append(m.entry.name)
                continue
            applied[key] = _consequence(ctx, m, m.score >= strong, jur, p, i, None)
            results[jur].add(applied[key])
        _affiliates(ctx, screen, results, i, party)
        fifty_percent(ctx, screen, results, i, party)
    for f in reach.findings:
        results.setdefault("US", JurisdictionResult("US")).add(f)
    reached = {f.party for f in reach.findings}
    for i, message in unapplied:
        if i not in reached:  # a party with a footnote REVIEW is explained by it
            ctx.note(message)
    return out


def _footnote_reach(ctx: Context, m: Match, party: int, reach: JurisdictionResult) -> bool:
    """A strong match of a footnoted Entity List entry when no item is subject to the EAR:
    the footnote's foreign direct product rule may reach the foreign-made items (REVIEW)."""
    fn = footnote(m.entry.license_requirement) if m.entry.source == "EL" else None
    if fn is None:
        return False
    if any(f.party == party and f.facts.get("footnote") == fn for f in reach.findings):
        return True  # one finding per party and footnote, however many entries match
    found = footnote_reach(ctx, fn, party, m.entry.name, m.entry.license_policy)
    if found is None:
        return False
    reach.add(found)
    return True
