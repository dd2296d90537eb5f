"""classify_item: catalog lookup, fact gathering, criteria matching, declared-ECCN cross-check.

Within a criteria *family* (mutually exclusive paragraphs such as 3A090.a/.b) the first record
that matches wins. When no record matches but one could, had the item given a missing parameter,
the first such record is returned as an *assumed* classification with a warning: in export
control an unanswerable question must read as "possibly controlled", never as "not controlled".
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any, cast

from chipexport.classify.catalog import SYSTEM_WORDS, CatalogRecord, catalog
from chipexport.classify.criteria import Criterion, criteria_for, evaluate
from chipexport.classify.explicit import declared_entry, matches
from chipexport.classify.facts import NAME_FACTS, Facts, gather, with_params
from chipexport.classify.result import ControlEntry, ItemClassification, Regime
from chipexport.model.items import Item
from chipexport.rules.dated import InForce

# A derived fact counts as "partly given" when any of its inputs is given.
_DERIVED_INPUTS = {
    "performance_density": ("tpp", "logic_die_area_mm2"),
    "memory_bandwidth_density": ("bandwidth_gbps", "package_area_mm2"),
    "mrf_nm": ("wavelength_nm", "numerical_aperture"),
}
_INFER_KIND = (("tpp", "ic"), ("bandwidth_gbps", "hbm"), ("light_source", "lithography"),
               ("material", "material"), ("equipment_type", "equipment"))


def classify_item(item: Item, on: date) -> ItemClassification:
    """Classify ``item`` under every regime's criteria as they stood on ``on``."""
    result = ItemClassification(product=None, controls=[], hts=item.hts, origin=item.origin)
    record = _lookup(item.product, "product", result) if item.product else None
    if record is None and not (item.product or item.eccn or item.kind or item.has_parameters()) \
            and item.description:
        record = catalog().by_family(item.description, strict=False)
        if record is not None:
            result.warnings.append(f"description {item.description!r} names the {record.family} "
                                   f"family: read as {record.name} ({record.source})")
    result.product = record
    kind = item.kind or (record.kind if record else None) or _infer_kind(item)
    result.kind = kind
    contains = item.contains or (record.contains if record else None)
    inner = _lookup(contains, "contains", result) if contains else None
    facts = gather(item, record, inner)
    result.warnings += facts.assumed + [f"parameter differs from catalog: {c}"
                                        for c in facts.conflicts]
    if record is not None:
        result.warnings += list(record.notes)
    derived: list[ControlEntry] = []
    if kind is not None:
        derived = _match(kind, on, facts, result.warnings)
    if item.eccn:
        declared = declared_entry(item.eccn, on, result.warnings)
        us = [c.code for c in derived if c.regime == "US"]
        conflict = False
        if item.has_parameters() or record is not None:
            if us and not any(matches(item.eccn, code) for code in us):
                conflict = True
                result.warnings.append(f"declared ECCN {item.eccn} differs from the parameters' "
                                       f"classification {', '.join(us)}: both are applied "
                                       "until the classification is confirmed")
            elif not us and _is_parametric_family(item.eccn, on):
                result.warnings.append(f"declared ECCN {item.eccn} but the parameters given do "
                                       "not meet it")
        # A declared code replaces the derived US entries it agrees with. One that contradicts
        # what the item's own figures say (an H100 declared 5A992.c or EAR99) is kept beside
        # them: a mistyped or optimistic ECCN in an order system must not clear the item.
        derived = [declared, *(c for c in derived if c.regime != "US" or conflict)]
    result.controls = derived
    if not derived and not result.errors and kind is not None:
        result.warnings.append(f"no control entry matched this {kind} item on {on.isoformat()}; "
                               "confirm its classification (EAR99 or another ECCN)")
    return result


def _lookup(name: str, field_name: str, result: ItemClassification) -> CatalogRecord | None:
    record, near = catalog().lookup(name)
    if record is None:
        found = catalog().by_words(name)
        if found is not None:
            record, extra = found
            result.warnings.append(f"{field_name} {name!r} read as catalog product "
                                   f"{record.name!r}" + (f" (words {', '.join(sorted(extra))} "
                                                         "taken as descriptive)" if extra else ""))
            if extra & SYSTEM_WORDS and record.kind == "ic":
                record = replace(record, name=f"{record.name} system", kind="computer",
                                 params={}, contains=record.name, notes=())
                result.warnings.append(f"{name!r} is read as a computer containing "
                                       f"{record.contains} (4A090 rather than 3A090)")
            return record
    if record is None:
        record = catalog().by_family(name)
        if record is not None:
            result.warnings.append(f"{field_name} {name!r} is not in the catalog; read as its "
                                   f"family {record.family} ({record.name}: "
                                   f"{record.source})")
            return record
    if record is None:
        hint = f"; did you mean: {', '.join(near)}" if near else ""
        result.errors.append(f"unknown product {name!r}{hint}")
    return record


def _infer_kind(item: Item) -> str | None:
    for field_name, kind in _INFER_KIND:
        if getattr(item, field_name) is not None:
            return kind
    return None


def _is_parametric_family(eccn: str, on: date) -> bool:
    return any(matches(eccn, c.code) for kind in ("ic", "hbm", "computer", "lithography")
               for c, _ in criteria_for(kind, on))


def _match(kind: str, on: date, facts: Facts, warnings: list[str]) -> list[ControlEntry]:
    entries: list[ControlEntry] = []
    families: dict[str, list[tuple[Criterion, InForce]]] = {}
    for crit, window in criteria_for(kind, on):
        families.setdefault(crit.family, []).append((crit, window))
    for family, members in families.items():
        assumed: tuple[Criterion, InForce, Mapping[str, Any], set[str], list[str]] | None = None
        unknown_inputs: set[str] = set()
        for crit, window in members:
            local = with_params(facts.values, crit.params)
            ev = evaluate(crit.when, local)
            if ev.value is True:
                entries.append(_entry(crit, window, local, ev.tests, set()))
                assumed = None
                break
            if ev.value is None:
                unknown_inputs |= ev.missing
                if assumed is None and _partly_given(ev.tests, local):
                    assumed = (crit, window, local, ev.missing, ev.tests)
        else:
            if assumed is not None:
                crit, window, found, missing, tests = assumed
                warnings.append(
                    f"{crit.regime} {crit.code}: assumed (most restrictive reading) because "
                    f"{', '.join(sorted(missing))} not given")
                entries.append(_entry(crit, window, found, tests, missing))
            elif unknown_inputs - NAME_FACTS:
                warnings.append(f"cannot test {family}: give {', '.join(sorted(unknown_inputs))}")
    return entries


def _partly_given(tests: list[str], facts: Mapping[str, Any]) -> bool:
    names = {t.split(" ", 1)[0] for t in tests}
    for name in names:
        inputs = _DERIVED_INPUTS.get(name, (name,))
        if any(facts.get(i) is not None for i in inputs):
            return True
    return False


def _entry(crit: Criterion, window: InForce, facts: Mapping[str, Any], tests: list[str],
           missing: set[str]) -> ControlEntry:
    shown = {k: _show(v) for k, v in facts.items() if isinstance(v, int | float | str | bool)}
    used = {name: shown[name] for name in sorted({t.split(" ", 1)[0] for t in tests})
            if name in shown}
    detail: dict[str, Any] = {**crit.facts, **used, "tests": sorted(set(tests)),
                              "criterion": crit.key}
    if missing:
        detail["assumed_missing"] = sorted(missing)
    summary = string.Formatter().vformat(crit.summary, (), _Default(shown))
    return ControlEntry(cast(Regime, crit.regime), crit.code, crit.citation, window,
                        crit.confidence, summary, detail)


def _show(value: Any) -> Any:
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 2)
    return value


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "n/a"
