"""Transaction -> determination: the library call behind ``chipexport check``.

:class:`Engine` validates a transaction, classifies its items (cached per item and date, since
batches repeat the same products), decides which jurisdictions apply, runs each rule module and
assembles the docs/interfaces.md output. Per-transaction problems become ``errors`` with outcome
``ERROR``; they never raise and never read as NLR.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from chipexport.classify.explicit import ac_tier
from chipexport.determine import foreign, us_end_use, us_items, veu
from chipexport.determine.context import Collaborators, Context, ItemView, Screener, party_ref
from chipexport.determine.duties import duties
from chipexport.determine.ownership import index_links
from chipexport.determine.parties import ScreenFn, screen_parties
from chipexport.determine.red_flags import red_flags
from chipexport.determine.types import ERROR, Finding, JurisdictionResult, Outcome, weakest
from chipexport.determine.us_fdp import foreign_direct_product, gp10
from chipexport.model.fields import (
    UnknownField,
    known_only,
    misspelt,
    slip_for,
    unknown_fields,
)
from chipexport.model.ownership import OwnershipLink
from chipexport.model.problems import Problem
from chipexport.model.screening import Match
from chipexport.model.transaction import Transaction, TransactionError, parse_transaction
from chipexport.rules.dated import Confidence, parse_date
from chipexport.rules.provisions import rulebook


class Engine:
    """Determines transactions against the bundled rules.

    ``screener`` is any object with a ``screen`` method (None: parties are not screened, which
    the output says). ``ownership`` are loaded ownership links for the Affiliates rule.
    """

    def __init__(self, screener: Screener | None = None,
                 ownership: Sequence[OwnershipLink] = ()) -> None:
        self.screener = screener
        self.ownership = tuple(ownership)
        self._owned = index_links(self.ownership)
        self.collab = Collaborators.default()
        self._screen_cache: dict[tuple[str, str | None], tuple[Match, ...]] = {}
        self._class_cache: dict[tuple[str, date], tuple[Any, Any]] = {}
        coverage = rulebook("engine").versions("engine.coverage")[0]
        self.earliest = parse_date(coverage.params["earliest_date"], "engine.earliest_date")
        self.current_to = parse_date(coverage.params["current_to"], "engine.current_to")

    # -- collaborators with caches ------------------------------------------------------------
    def _screen(self, name: str, country: str | None) -> tuple[Match, ...]:
        key = (name, country)
        if key not in self._screen_cache:
            assert self.screener is not None
            if len(self._screen_cache) > 200_000:
                self._screen_cache.clear()
            self._screen_cache[key] = tuple(self.screener.screen(name, country=country).matches)
        return self._screen_cache[key]

    def _classify(self, raw: Mapping[str, Any], index: int, day: date) -> tuple[Any, Any]:
        """The parsed item and its classification, both cached by the item's raw form (a
        raw item that parsed once parses the same wherever it stands in a transaction)."""
        key = (json.dumps(raw, sort_keys=True, default=str), day)
        found = self._class_cache.get(key)
        if found is None:
            item = self.collab.parse_item(raw, index)
            if len(self._class_cache) > 100_000:
                self._class_cache.clear()
            found = self._class_cache[key] = (item, self.collab.classify(item, day))
        return found

    # -- validation ----------------------------------------------------------------------------
    def _validate(self, txn: Transaction) -> list[Problem]:
        problems: list[Problem] = []
        if txn.date < self.earliest:
            problems.append(Problem(field="date", message=f"{txn.date} is before "
                                    f"{self.earliest}, where the rules data starts"))
        known = self.collab.is_known_country
        fields: list[tuple[str, str | None]] = [("export_from", txn.export_from),
                                                ("destination", txn.destination)]
        for i, p in enumerate(txn.parties):
            fields += [(f"parties[{i}].country", p.country), (f"parties[{i}].hq", p.hq),
                       (f"parties[{i}].ultimate_parent_hq", p.ultimate_parent_hq)]
            fields += [(f"parties[{i}].owners[{j}].country", o.country)
                       for j, o in enumerate(p.owners)]
        if txn.end_use:
            fields += [("end_use.country", txn.end_use.country),
                       ("end_use.facility_owner_hq", txn.end_use.facility_owner_hq)]
        for name, cc in fields:
            if cc and not known(cc):
                problems.append(Problem(field=name, message=f"unknown country code {cc!r}"))
        return problems

    def _items(self, txn: Transaction, problems: list[Problem], day: date) -> list[ItemView]:
        views: list[ItemView] = []
        for i, raw in enumerate(txn.items):
            if not isinstance(raw, Mapping):
                problems.append(Problem(field=f"items[{i}]", message="expected an object"))
                continue
            clean = {k: v for k, v in raw.items() if k != "subject_to_ear"}
            try:
                item, cls = self._classify(clean, i, day)
            except self.collab.item_error as exc:
                where = getattr(exc, "field", None)
                problems.append(Problem(field=f"items[{i}].{where}" if where else f"items[{i}]",
                                        message=str(getattr(exc, "message", exc))))
                continue
            problems.extend(Problem(field=f"items[{i}]", message=e) for e in cls.errors)
            cls = _with_typo_warnings(item, cls)
            if item.origin and not self.collab.is_known_country(item.origin):
                problems.append(Problem(field=f"items[{i}].origin",
                                        message=f"unknown country code {item.origin!r}"))
            origin = getattr(item, "origin", None) or cls.origin
            subject = bool(txn.export_from == "US" or origin == "US" or txn.subject_to_ear
                           or raw.get("subject_to_ear") is True)
            views.append(ItemView(i, raw, item, cls, subject))
        return views

    # -- determination -------------------------------------------------------------------------
    def check(self, obj: Any, position: int = 0) -> dict[str, Any]:
        """Determine one transaction object; always returns an output object."""
        return self.check_with_problems(obj, position)[0]

    def check_with_problems(self, obj: Any, position: int = 0
                            ) -> tuple[dict[str, Any], list[Problem]]:
        """The output object, and the problems of an ``ERROR`` answer as values (the API
        reports them field by field; the output's ``errors`` are their one-line texts)."""
        unknown = [u for u in unknown_fields(obj) if not u.in_item] \
            if isinstance(obj, Mapping) else []
        txn, shape = _parse(known_only(obj) if unknown else obj, position)
        if txn is None:
            tid = obj.get("id") if isinstance(obj, Mapping) else None
            return error_result(tid if tid is not None else f"#{position}", shape,
                                named_jurisdictions(obj)), shape
        problems = self._validate(txn)
        views = self._items(txn, problems, max(txn.date, self.earliest))
        problems += [p for p in shape if p not in problems]
        if problems:
            return error_result(txn.id, problems, named_jurisdictions(obj)), problems
        screen: ScreenFn | None = self._screen if self.screener is not None else None
        ctx = Context(txn, views, self.collab, self.ownership, screen, self._owned)
        for u in unknown:
            ctx.note(u.warning())
        if txn.date > self.current_to:
            ctx.note(f"date: {txn.date} is after {self.current_to}, when the rules data was "
                     "last brought up to date: rules made since are not applied; check for "
                     "newer notices")
        for v in views:
            for w in v.classification.warnings:
                ctx.note(f"{v.ref}: {w}")
        results = self._jurisdictions(ctx)
        self._onward(ctx, views, results)
        screening = screen_parties(ctx, screen, results)
        red_flags(ctx, results)
        _hold_for_slips(txn, results, [u for u in unknown if slip_for(u.key, sorted(u.known))])
        for res in results.values():
            res.hold_unresolved(txn.date.isoformat())
        outcome = max((r.outcome for r in results.values()), key=lambda o: o.rank,
                      default=Outcome.NLR)
        return {
            "id": txn.id, "outcome": outcome.value,
            "jurisdictions": {k: r.to_json() for k, r in results.items()},
            "screening": screening, "duties": duties(ctx), "warnings": ctx.warnings,
            "date": txn.date.isoformat(), "items": [_item_facts(v) for v in views],
        }, []

    def _jurisdictions(self, ctx: Context) -> dict[str, JurisdictionResult]:
        txn = ctx.txn
        results: dict[str, JurisdictionResult] = {}
        in_country = txn.export_from == txn.destination
        if in_country and txn.destination == "US":
            ctx.note("export_from and destination are both US: the delivery in the US is no "
                     "export (duties only)")
            return results
        if in_country:
            p = rulebook("engine").versions("engine.in_country")[0]
            ctx.note(f"export_from and destination are both {txn.destination}: a transfer "
                     f"within {txn.destination} ({p.citation.rule}); for {txn.destination} "
                     "itself only the EAR is applied, to items subject to it")
        us_views = [v for v in ctx.items if v.subject_to_ear]
        fdp = JurisdictionResult("US")
        foreign_direct_product(ctx, [v for v in ctx.items if not v.subject_to_ear], fdp,
                               self._us)
        gp10(ctx, ctx.items, fdp)
        if us_views or fdp.findings:
            results["US"] = self._us(ctx, us_views)
            for code in fdp.classifications:
                results["US"].classify(code)
            for f in fdp.findings:
                results["US"].add(f)
        runner = {"JP": foreign.japan, "NL": foreign.netherlands, "CN": foreign.china}
        if txn.export_from in runner and not in_country:
            res = JurisdictionResult(txn.export_from)
            runner[txn.export_from](ctx, res)
            if not res.findings:
                base = rulebook(txn.export_from.lower()).on(_BASE[txn.export_from], ctx.day)
                if base is not None:
                    w = base.window_on(ctx.day)
                    assert w is not None
                    res.add(Finding.of(base, w, Outcome.NLR, "no item falls in an entry of the "
                                       f"{txn.export_from} control lists on {ctx.day}"))
            results[txn.export_from] = res
        for code, res in results.items():
            regime = "US" if code == "US" else code
            for v in ctx.items:
                marks = [Confidence(str(c.confidence)) for c in v.controls(regime)
                         if getattr(c, "confidence", None) is not None]
                if marks:
                    res.item_confidence[v.index] = weakest(marks)
        return results

    def _onward(self, ctx: Context, views: list[ItemView],
                results: dict[str, JurisdictionResult]) -> None:
        """Decide the items again for each country a party says they will reach.

        An H100 consigned to a Singapore forwarder for an end user in Shenzhen goes to China:
        deciding it on the stated destination alone would be a silent NLR. Every finding of
        such a leg that asks more than NLR, and more than the findings already made (another
        review policy or licence type counts), is added to the transaction's result, naming
        the party that takes the items there.
        """
        leg = rulebook("engine").versions("engine.ultimate_destination")[0]
        txn = ctx.txn
        resolve = self.collab.resolve
        seen = {resolve(cc, ctx.day) for cc in (txn.destination, txn.export_from)}
        raw_warnings = set(ctx.warnings)
        for i, party in enumerate(txn.parties):
            cc = party.country
            if party.role not in leg.params["roles"] or cc is None \
                    or resolve(cc, ctx.day) in seen:
                continue  # Hong Kong for a destination CN is no further country
            seen.add(resolve(cc, ctx.day))
            onward = Context(dataclasses.replace(txn, destination=cc), views, self.collab,
                             self.ownership, ctx.screen, self._owned, derived=ctx.derived)
            why = (f"{party_ref(i)} ({party.name}, {party.role.replace('_', ' ')}) is located "
                   f"in {cc}, beyond the destination {txn.destination}, so the items are "
                   f"decided for {cc} too")
            facts = {"ultimate_destination": cc, "basis": leg.citation.rule}
            for code, res in self._jurisdictions(onward).items():
                target = results.setdefault(code, JurisdictionResult(code))
                for f in res.findings:
                    if f.outcome == Outcome.NLR or any(_same_ask(f, g) for g in target.findings):
                        continue  # nothing more than what is already asked
                    _govern(target, f, cc)
                    target.item_confidence.update(res.item_confidence)
                    for c in res.classifications:
                        target.classify(c)
                    target.add(dataclasses.replace(
                        f, summary=f"{why}: {f.summary}", facts={**f.facts, **facts},
                        party=i if f.party is None else f.party))
                if not target.findings:
                    del results[code]
            for w in onward.warnings:
                if w not in raw_warnings:
                    raw_warnings.add(w)
                    ctx.note(f"for {cc} ({party_ref(i)}'s country): {w}")

    def _us(self, ctx: Context, views: list[ItemView]) -> JurisdictionResult:
        res = JurisdictionResult("US")
        subject = rulebook("us").versions("us.subject_to_ear")[0]
        res.facts = {"items_subject_to_ear": [v.index for v in views],
                     "destination_groups": sorted(ctx.groups(
                         ctx.collab.resolve(ctx.txn.destination, ctx.day))),
                     "basis": subject.summary}
        for v in views:
            controls = v.controls("US")
            if not controls and _unidentified(v):
                res.add(Finding.of(subject, subject.windows[0], Outcome.REVIEW,
                                   f"{v.ref}{_described(v)} gives no ECCN, catalog product or "
                                   "classification parameters: it cannot be cleared as EAR99",
                                   item=v.index))
                continue
            if not controls:
                ctx.note(f"{v.ref}: no US classification on {ctx.day}; treated as EAR99 "
                         "(confirm)")
                res.classify("EAR99")
            codes = [c.code for c in controls] or ["EAR99"]
            for c in controls:
                res.classify(c.code)
                if ac_tier(c.code):
                    us_items.advanced_computing(ctx, v, c.code, res)
                    if ".z" in c.code:  # NS/MT columns of the host entry still apply (4A004)
                        us_items.chart(ctx, v, c.code, res, columns_only=True)
                else:
                    us_items.sme(ctx, v, c.code, res)
                    us_items.chart(ctx, v, c.code, res)
            us_items.is_informed(ctx, v, res)
            us_items.embargo(ctx, v, codes, res)
            if not any(f.item == v.index for f in res.findings):
                w = subject.windows[0]
                res.add(Finding.of(subject, w, Outcome.NLR,
                                   f"{v.ref} ({', '.join(codes)}): no licence requirement "
                                   f"for {ctx.txn.destination} on the Country Chart or in the "
                                   "dated provisions", item=v.index))
        us_end_use.end_uses(ctx, res, [v.index for v in views])
        veu.apply(ctx, res)
        return res

    def check_many(self, objs: Iterable[Any]) -> Iterator[dict[str, Any]]:
        for n, obj in enumerate(objs):
            yield self.check(obj, n)


def _parse(obj: Any, position: int) -> tuple[Transaction | None, list[Problem]]:
    """The transaction and the problems of its shape. When only items are at fault the rest
    is still read (with the items as given), so that the date, countries and every item are
    checked too and all problems of a transaction are reported at once."""
    try:
        return parse_transaction(obj, position), []
    except TransactionError as exc:
        items_only = all((p.field or "").startswith("items[") for p in exc.problems)
        if not items_only or not isinstance(obj, Mapping):
            return None, exc.problems
        try:
            rest = parse_transaction({**obj, "items": [{} for _ in obj["items"]]}, position)
        except TransactionError:
            return None, exc.problems
        return dataclasses.replace(rest, items=tuple(obj["items"])), exc.problems


def _govern(target: JurisdictionResult, leg: Finding, cc: str) -> None:
    """The items' ultimate destination decides how the licence is reviewed and which exception
    serves: an H100 for Vietnam whose end user is in China is reviewed with China's policy, and
    an MI210 there needs the notified NAC, not ACA. The stated destination's finding under the
    same rule for the same item takes the leg's policy and exceptions."""
    for n, g in enumerate(target.findings):
        if "ultimate_destination" in g.facts or (g.rule, g.item, g.outcome) != \
                (leg.rule, leg.item, leg.outcome):
            continue
        if (g.policy, g.exceptions) != (leg.policy, leg.exceptions):
            target.findings[n] = dataclasses.replace(
                g, policy=leg.policy, exceptions=leg.exceptions,
                facts={**g.facts, "governed_by_ultimate_destination": cc})


def _same_ask(f: Finding, g: Finding) -> bool:
    """Whether two findings ask the same of the exporter (same rule, outcome, policy, licence
    type and subject), whatever country their summaries name."""
    return (f.rule, f.citation, f.item, f.outcome, f.policy, f.exceptions) == \
        (g.rule, g.citation, g.item, g.outcome, g.policy, g.exceptions) \
        and (f.party is None or g.party is None or f.party == g.party)


def _unidentified(v: ItemView) -> bool:
    """Nothing says what the item is (a description or HTS code alone does not): reading it
    as EAR99 would be a silent NLR."""
    item = v.item
    return (getattr(item, "eccn", None) is None
            and getattr(v.classification, "product", None) is None
            and not item.has_parameters()
            and getattr(item, "equipment_type", None) is None)


def _item_facts(v: ItemView) -> dict[str, Any]:
    """What classification said about one item: the facts the reasons rely on."""
    product = getattr(v.classification, "product", None)
    return {
        "item": v.index, "product": getattr(product, "name", None),
        "subject_to_ear": v.subject_to_ear, "hts": v.classification.hts,
        "controls": [{"regime": c.regime, "code": c.code, "summary": c.summary,
                      "rule": c.citation.rule, "in_force": c.in_force.as_json(),
                      "confidence": str(c.confidence), "facts": dict(c.facts or {})}
                     for c in v.classification.controls],
    }


_BASE = {"JP": "jp.fefta.list", "NL": "nl.annex1", "CN": "cn.dual_use"}


def named_jurisdictions(obj: Any) -> tuple[str, ...]:
    """The jurisdictions an answer to ``obj`` speaks for: the US, and the exporting country
    when the engine applies its export controls (a jurisdiction key is the export controls of
    the exporting country, or the EAR; never the destination's)."""
    code = obj.get("export_from") if isinstance(obj, Mapping) else None
    code = code.strip().upper() if isinstance(code, str) else None
    return ("US", code) if code in _BASE else ("US",)


def error_result(tid: Any, problems: Sequence[Problem | str],
                 jurisdictions: Sequence[str] = ("US",)) -> dict[str, Any]:
    """The answer to input that cannot be determined: ``ERROR`` overall and under every
    jurisdiction it names, so an order system reading one jurisdiction's outcome cannot take
    the absence of a finding for ``NLR``."""
    errors = [str(p) for p in problems]
    return {"id": str(tid), "outcome": ERROR,
            "jurisdictions": {code: {"outcome": ERROR, "review_policy": None,
                                     "classifications": [], "reasons": [],
                                     "license_exceptions": []} for code in jurisdictions},
            "screening": [], "duties": [], "warnings": [], "errors": errors}


def check(obj: Any, screener: Screener | None = None,
          ownership: Sequence[OwnershipLink] = ()) -> dict[str, Any]:
    """One-off convenience: determine one transaction with a fresh engine."""
    return Engine(screener, ownership).check(obj)


def _described(view: ItemView) -> str:
    """`` ('packaged logic ICs')``: the user's own words for an item nothing else identifies."""
    text = view.raw.get("description") or view.raw.get("product")
    return f" ('{text}')" if isinstance(text, str) and text.strip() else ""


def _with_typo_warnings(item: Any, cls: Any) -> Any:
    """Warn about item keys that look like misspelt fields (``prodcut``, ``ECCN``,
    ``logic_die_area`` for ``logic_die_area_mm2``).

    Other unknown keys are the order system's own columns (``sku``, ``product_id``,
    ``value_eur``) and pass silently; a near miss is almost always a typo whose value the engine
    would otherwise ignore.
    """
    extra = getattr(item, "extra", None) or {}
    if not extra or not dataclasses.is_dataclass(item):
        return cls
    names = [f.name for f in dataclasses.fields(item) if f.name != "extra"]
    notes = []
    for key in extra:
        near = misspelt(str(key), names)
        if near:
            notes.append(f"unknown field {key!r} ignored: did you mean {near!r}?")
    if not notes:
        return cls
    return dataclasses.replace(cls, warnings=[*notes, *cls.warnings])


def _hold_for_slips(txn: Transaction, results: dict[str, JurisdictionResult],
                    slips: Sequence[UnknownField]) -> None:
    """A transaction, party, owner or end-use key that is a slip for a known field
    (``ultimate_parent_hg``) was not read: its fact could change the answer, so every answer
    is held at REVIEW naming the field (a warning alone would leave a quiet ``NLR``). Keys that
    are no near miss (an order system's ``note``) stay warnings."""
    if not slips:
        return
    rule = rulebook("engine").versions("engine.misspelt_input")[0]
    if not results:
        home = txn.export_from if txn.export_from in ("JP", "NL", "CN") else "US"
        results[home] = JurisdictionResult(home)
    for result in results.values():
        for slip in slips:
            result.add(Finding.of(
                rule, rule.windows[0], Outcome.REVIEW,
                f"{slip.path} was not read{slip.hint()}: correct the field and check again",
                facts={"question": f"What is the intended value of {slip.path}?"}))

