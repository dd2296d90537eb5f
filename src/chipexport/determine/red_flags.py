"""Red flags: declared by the user, derived from the order's facts, resolved by a person.

Supp. No. 3 to Part 732 asks an exporter to look for red flags, inquire, and not go ahead
while one is unresolved. The vocabulary is data (``rules/data/red_flags.yaml``: code, title,
citation, dates, confidence, questions). Flags come from

* ``red_flags`` on the transaction and on each party: vocabulary codes, or free text, which
  counts as an unresolved flag with a warning (a code-like word that is no code gets a
  did-you-mean warning and counts as free text, never as nothing);
* the facts (``derived: true`` flags): a freight forwarder as the only consignee or as end
  user, an end user outside the destination, a newly incorporated buyer, an order out of line
  with the buyer's stated business, cash terms, declined installation, a residential or PO-box
  address, an undisclosed end use, a GPU-cloud/IaaS buyer of advanced computing items, IaaS
  compute for a Macau/D:5-headquartered customer, a destination named for diversion.

A flag on an item within its scope (``controlled``: any item with a CCL entry;
``advanced_computing``: 3A090/4A090) makes the US answer at least REVIEW, naming the flag, its
citation and the questions a person must answer. ``resolved_red_flags`` (who, why, evidence;
recorded in the audit trail by the adapters) clear a flag: it is then shown, not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from chipexport.classify.explicit import ac_tier
from chipexport.determine.context import Context, party_ref
from chipexport.determine.ownership import norm
from chipexport.determine.types import Finding, JurisdictionResult, Outcome
from chipexport.errors import did_you_mean
from chipexport.model.transaction import FlagResolution, Party
from chipexport.rules.provisions import Provision, rulebook

FREE_TEXT = "declared"  # the code free-text flags are reported under
_CODE_LIKE = re.compile(r"^[a-z0-9]+(?:[_\-.][a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Raised:
    """One red flag raised on the transaction (``party`` None) or on one party."""

    code: str
    party: int | None
    why: str
    declared: bool


@cache
def vocabulary() -> dict[str, list[Provision]]:
    """Flag code -> its dated versions."""
    out: dict[str, list[Provision]] = {}
    for p in rulebook("red_flags").provisions:
        out.setdefault(str(p.params["code"]), []).append(p)
    return out


@lru_cache(maxsize=8192)
def flag_on(code: str, day: date) -> Provision | None:
    """The version of flag ``code`` in force on ``day`` (None: not on that date)."""
    return next((p for p in vocabulary().get(code, ()) if p.window_on(day)), None)


def normalise(text: str) -> str:
    return re.sub(r"[\s\-.]+", "_", text.strip().casefold())


def _declared(ctx: Context, where: str, flags: Iterable[str], party: int | None,
              out: list[Raised]) -> None:
    for n, text in enumerate(flags):
        code = normalise(text)
        if code in vocabulary():
            out.append(Raised(code, party, f"declared in {where}", True))
            continue
        if _CODE_LIKE.match(text.strip().casefold()) and " " not in text.strip():
            ctx.note(f"{where}[{n}]: unknown red-flag code {text!r}"
                     f"{did_you_mean(code, vocabulary())}; counted as an unresolved red flag")
        else:
            ctx.note(f"{where}[{n}]: free-text red flag {text!r} is not in the vocabulary; it "
                     "counts as unresolved until a person resolves it")
        out.append(Raised(FREE_TEXT, party, f"declared in {where}: '{text}'", True))


@cache
def _pattern(words: tuple[str, ...], whole: bool) -> re.Pattern[str]:
    """One regex for a word list: each word must start a word (and end one if ``whole``)."""
    end = r"(?![a-z0-9])" if whole else ""
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(w) for w in words) + ")" + end)


def _words(text: str | None, words: Iterable[str], whole: bool = False) -> str | None:
    """The first of ``words`` that starts a word of ``text`` (case-insensitive)."""
    if not text:
        return None
    m = _pattern(tuple(words), whole).search(text.casefold())
    return m.group(1) if m else None


def recognised(party: Party, params: Any) -> str | None:
    """Why ``party`` is what a flag's ``kinds``/``name_words`` describe (None: it is not)."""
    if party.kind and normalise(party.kind) in params["kinds"]:
        return f"kind '{party.kind}'"
    word = _words(party.name, params["name_words"], whole=True)
    return f"'{word}' in its name" if word else None


def _derived(ctx: Context, out: list[Raised]) -> None:
    txn, day = ctx.txn, ctx.day
    resolve = ctx.collab.resolve
    parties = list(enumerate(txn.parties))

    def on(code: str) -> Any:
        p = flag_on(code, day)
        return p.params if p else None

    if (prm := on("forwarder_destination")) is not None:
        users = [(i, p) for i, p in parties if p.role == "end_user"]
        for i, p in users:
            if (why := recognised(p, prm)):
                out.append(Raised("forwarder_destination", i, f"the end user is a freight "
                                  f"forwarder ({why})", False))
        if not users:
            for i, p in parties:
                if p.role == "consignee" and (why := recognised(p, prm)):
                    out.append(Raised("forwarder_destination", i, "no end user is named and the "
                                      f"consignee is a freight forwarder ({why})", False))
    if (prm := on("end_user_elsewhere")) is not None:
        dest = resolve(txn.destination, day)
        for i, p in parties:
            if p.role == "end_user" and p.country and resolve(p.country, day) != dest \
                    and not ctx.groups(resolve(p.country, day)) & set(prm["except_groups"]):
                out.append(Raised("end_user_elsewhere", i, f"the end user is in {p.country}, "
                                  f"the destination is {txn.destination}", False))
    if (prm := on("newly_incorporated")) is not None:
        for i, p in parties:
            if p.incorporated is None:
                continue
            age = (day - p.incorporated).days
            if age < 0:
                ctx.note(f"parties[{i}].incorporated: {p.incorporated} is after the "
                         f"transaction date {day}; the buyer is treated as newly incorporated")
            if age < prm["max_age_days"]:
                out.append(Raised("newly_incorporated", i, f"incorporated {p.incorporated}, "
                                  f"{max(age, 0)} days before the transaction", False))
    if (prm := on("residential_address")) is not None:
        for i, p in parties:
            kind = normalise(p.address_type) if p.address_type else None
            hit = next((pat for pat in prm["address_patterns"]
                        if p.address and re.search(pat, p.address, re.I)), None)
            if kind in prm["address_types"] or hit:
                seen = f"address_type '{p.address_type}'" if kind in prm["address_types"] \
                    else f"address '{p.address}'"
                out.append(Raised("residential_address", i, seen, False))
    if (prm := on("cash_payment")) is not None and (word := _words(txn.payment_terms,
                                                                    prm["words"])):
        out.append(Raised("cash_payment", None, f"payment terms '{txn.payment_terms}' "
                          f"('{word}')", False))
    if on("installation_declined") is not None and txn.installation_declined:
        out.append(Raised("installation_declined", None, "installation_declined is true", False))
    eu = txn.end_use
    if on("end_use_undisclosed") is not None and eu is not None \
            and eu.kind in _UNDISCLOSED:
        out.append(Raised("end_use_undisclosed", None, f"end_use.kind '{eu.kind}'", False))
    _business(ctx, on("inconsistent_with_business"), out)
    if (prm := on("diversion_destination")) is not None:
        places = {resolve(cc, day) for cc in [txn.destination] + [
            p.country for p in txn.parties if p.role in ("end_user", "consignee") and p.country]}
        named = sorted(places & set(prm["destinations"]))
        if named:
            out.append(Raised("diversion_destination", None, f"{', '.join(named)} named for "
                              "diversion of advanced computing items", False))
    if (prm := on("end_user_unnamed")) is not None \
            and not any(p.role == "end_user" for p in txn.parties) \
            and resolve(txn.destination, day) in prm["destinations"]:
        out.append(Raised("end_user_unnamed", None, f"no end user named for a shipment to "
                          f"{txn.destination}", False))
    if (prm := on("iaas_provider")) is not None:
        for i, p in parties:
            if p.role in ("end_user", "consignee", "purchaser") and (why := recognised(p, prm)):
                out.append(Raised("iaas_provider", i, f"a GPU-cloud/IaaS provider ({why})",
                                  False))
    if (prm := on("iaas_d5_training")) is not None and eu is not None \
            and eu.kind in prm["end_use_kinds"]:
        scope = {"destinations": prm["hq_destinations"], "groups_any": prm["hq_groups"]}
        training = {True: "to train AI models", False: "not for training (as stated)",
                    None: "training not stated"}[eu.model_training]
        if eu.customer_hq is None:
            out.append(Raised("iaas_d5_training", None, f"IaaS end use '{eu.kind}' with the "
                              f"customer's headquarters not given ({training})", False))
        elif ctx.in_scope(scope, eu.customer_hq):
            out.append(Raised("iaas_d5_training", None, f"IaaS end use '{eu.kind}' for a "
                              f"customer headquartered in {eu.customer_hq} ({training})", False))


_UNDISCLOSED = frozenset({"undisclosed", "unknown", "not_disclosed", "refused", "withheld",
                          "not disclosed", "not given"})


def _business(ctx: Context, prm: Any, out: list[Raised]) -> None:
    """Quantity or value out of line with the buyer's stated business or revenue."""
    if prm is None:
        return
    value = sum(float(v.raw.get("value_usd") or 0) for v in ctx.items
                if isinstance(v.raw.get("value_usd"), int | float))
    ac_qty = sum(float(v.raw.get("quantity") or 1) for v in ctx.items
                 if isinstance(v.raw.get("quantity") or 1, int | float)
                 and any(ac_tier(c.code) for c in v.controls("US")))
    for i, p in enumerate(ctx.txn.parties):
        if p.role not in ("end_user", "purchaser"):
            continue
        if p.annual_revenue_usd and value > prm["revenue_share"] * p.annual_revenue_usd:
            out.append(Raised("inconsistent_with_business", i, f"order value {value:,.0f} USD "
                              f"against stated annual revenue {p.annual_revenue_usd:,.0f} USD",
                              False))
        elif p.business and ac_qty >= prm["ac_quantity"] \
                and not _words(p.business, prm["ac_business_words"]):
            out.append(Raised("inconsistent_with_business", i, f"{ac_qty:g} advanced computing "
                              f"items for a business described as '{p.business}'", False))


def _scope_items(ctx: Context, scope: str) -> list[int]:
    views = [v for v in ctx.items if v.subject_to_ear]
    if scope == "advanced_computing":
        return [v.index for v in views if any(ac_tier(c.code) for c in v.controls("US"))]
    return [v.index for v in views if any(c.code != "EAR99" for c in v.controls("US"))]


def _resolution(ctx: Context, flag: Raised) -> FlagResolution | None:
    for r in ctx.txn.resolved_red_flags:
        if normalise(r.code) != flag.code and not (flag.code == FREE_TEXT
                                                    and normalise(r.code) == FREE_TEXT):
            continue
        if r.party is None or r.party == flag.party or (
                flag.party is not None and isinstance(r.party, str)
                and norm(r.party) == norm(ctx.txn.parties[flag.party].name)):
            return r
    return None


def red_flags(ctx: Context, results: dict[str, JurisdictionResult]) -> None:
    """Raise, resolve and apply every red flag of the transaction (see the module docstring)."""
    raised: list[Raised] = []
    _declared(ctx, "red_flags", ctx.txn.red_flags, None, raised)
    for i, p in enumerate(ctx.txn.parties):
        _declared(ctx, f"parties[{i}].red_flags", p.red_flags, i, raised)
    _derived(ctx, raised)
    for n, r in enumerate(ctx.txn.resolved_red_flags):
        if normalise(r.code) not in vocabulary():
            ctx.note(f"resolved_red_flags[{n}].code: unknown red-flag code {r.code!r}"
                     f"{did_you_mean(normalise(r.code), vocabulary())}")
    seen: set[tuple[str, int | None]] = set()
    for flag in raised:
        key = (flag.code if flag.code != FREE_TEXT else flag.why, flag.party)
        if key in seen:
            continue
        seen.add(key)
        _apply(ctx, flag, results)


def _apply(ctx: Context, flag: Raised, results: dict[str, JurisdictionResult]) -> None:
    p = flag_on(flag.code, ctx.day) or vocabulary()[flag.code][0]
    w = p.window_on(ctx.day) or p.windows[0]
    who = f"{party_ref(flag.party)} ({ctx.txn.parties[flag.party].name})" \
        if flag.party is not None else "the transaction"
    title = p.summary if flag.code != FREE_TEXT else flag.why
    resolved = _resolution(ctx, flag)
    if resolved is not None:
        ctx.note(f"red flag '{flag.code}' on {who} ({flag.why}) resolved by {resolved.by}: "
                 f"{resolved.reason}" + (f" [evidence: {resolved.evidence}]"
                                         if resolved.evidence else ""))
        if "US" in results:
            results["US"].facts.setdefault("resolved_red_flags", []).append(
                {"code": flag.code, "party": flag.party, "by": resolved.by,
                 "reason": resolved.reason, "evidence": resolved.evidence})
        return
    items = _scope_items(ctx, str(p.params["scope"]))
    if items and p.params.get("severity") == "advisory":
        ctx.note(f"advisory red flag '{flag.code}' on {who}: {title} ({flag.why}; "
                 f"{p.citation.rule}; confidence {p.confidence.value}). Ask: "
                 f"{' '.join(p.params.get('questions') or ())}")
        return
    if "US" not in results or not items:
        ctx.note(f"red flag '{flag.code}' on {who}: {title} ({flag.why}; {p.citation.rule}); "
                 f"no {'advanced computing' if p.params['scope'] != 'controlled' else 'controlled'}"
                 " item subject to the EAR, so it does not change the answer")
        return
    questions = list(p.params.get("questions") or ())
    results["US"].add(Finding.of(
        p, w, Outcome.REVIEW,
        f"unresolved red flag '{flag.code}' on {who}: {title} ({flag.why}). A person must "
        f"answer: {' '.join(questions)} Record the resolution (who, why, evidence) before "
        "shipping", party=flag.party,
        facts={"red_flag": flag.code, "declared": flag.declared, "questions": questions,
               "items": items}))
