"""Turning an item (plus its catalog record) into the named facts the criteria compare.

Derived quantities follow the definitions in the control text: performance density is TPP over
applicable (logic) die area (3A090 Technical Note 4); memory bandwidth density is bandwidth over
package or stack area (note to 3A090.c); the minimum resolvable feature (MRF) is wavelength x k /
NA, with the k-factor taken from the criterion version being tested, since it differs between
versions. Physical constants (wavelengths, default apertures) come from constants.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chipexport.classify.catalog import CatalogRecord
from chipexport.classify.data_files import load_yaml
from chipexport.classify.equipment import known_types, read_type
from chipexport.model.items import Item

ITEM_FACTS = (
    "tpp", "logic_die_area_mm2", "datacenter", "bidirectional_io_gbps", "bandwidth_gbps",
    "dram_bandwidth_gbps", "package_area_mm2", "light_source", "immersion", "numerical_aperture",
    "chuck_overlay_nm", "material", "equipment_type", "model",
)
# String facts compared against lists of snake_case names in the criteria.
NAME_FACTS = frozenset({"material", "equipment_type", "element", "graphite_form"})


def snake(text: str) -> str:
    """``"Gallium Nitride"`` -> ``"gallium_nitride"``."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


@dataclass(slots=True)
class Facts:
    values: dict[str, Any]
    assumed: list[str] = field(default_factory=list)  # defaults the classifier had to supply
    conflicts: list[str] = field(default_factory=list)  # item value differs from catalog value


def gather(item: Item, record: CatalogRecord | None, inner: CatalogRecord | None = None) -> Facts:
    """Facts from the catalog record(s), overridden by anything the item itself states."""
    values: dict[str, Any] = {}
    conflicts: list[str] = []
    for rec in (inner, record):  # the contained IC first, the product's own figures on top
        if rec is not None:
            values.update(rec.params)
    for key, val in item.extra.items():
        if isinstance(val, bool | int | float | str) and key not in values:
            values[key] = val
    for name in ITEM_FACTS:
        val = getattr(item, name)
        if val is None:
            continue
        if name in values and values[name] != val and record is not None:
            conflicts.append(
                f"{name}: item says {val}, catalog ({record.name}) says {values[name]}")
        values[name] = val
    if isinstance(values.get("material"), str):
        values["material_element"] = material_element(values["material"])
    for name in NAME_FACTS:
        if isinstance(values.get(name), str):
            values[name] = snake(values[name])
    facts = Facts(values, conflicts=conflicts)
    given = values.get("equipment_type")
    if isinstance(given, str):
        read = read_type(given)
        if read is not None and read != given:
            values["equipment_type"] = read
            facts.assumed.append(f"equipment_type {given!r} read as {read!r}")
        elif read is None:
            facts.assumed.append(f"equipment_type {given!r} is not a type the criteria know "
                                 f"(e.g. {', '.join(sorted(known_types())[:6])}, ...): "
                                 "confirm the tool's classification")
    _derive(facts)
    return facts


def material_element(text: str) -> str:
    """The first controlled element a material's words or formula name ("" if none).

    "germanium wafers" -> "germanium"; "GaAs substrate" -> "gallium"; symbols are matched with
    their case ("In" is indium, "in" is a word).
    """
    table = load_yaml("constants.yaml")["material_elements"]
    by_symbol = {sym: name for name, syms in table.items() for sym in syms}
    for token in re.split(r"[^0-9A-Za-z]+", text):
        if token.lower() in table:
            return str(token.lower())
        if re.fullmatch(r"(?:[A-Z][a-z]?\d*)+", token):
            for sym in re.findall(r"[A-Z][a-z]?", token):
                if sym in by_symbol:
                    return str(by_symbol[sym])
    return ""


def _derive(facts: Facts) -> None:
    v = facts.values
    if v.get("tpp") is not None and v.get("logic_die_area_mm2"):
        v["performance_density"] = v["tpp"] / v["logic_die_area_mm2"]
    if v.get("bandwidth_gbps") is not None and v.get("package_area_mm2"):
        v["memory_bandwidth_density"] = v["bandwidth_gbps"] / v["package_area_mm2"]
    source = v.get("light_source")
    if isinstance(source, str):
        constants = load_yaml("constants.yaml")
        wavelengths = {k.lower(): float(x) for k, x in constants["wavelength_nm"].items()}
        canon = {k.lower(): k for k in constants["wavelength_nm"]}
        key = source.strip().lower()
        if key in wavelengths and v.get("wavelength_nm") is None:
            v["wavelength_nm"] = wavelengths[key]
        if v.get("numerical_aperture") is None and key in canon:
            defaults = constants["default_numerical_aperture"]
            name = canon[key]
            if name == "ArF":
                immersion = v.get("immersion")
                name = None if immersion is None else ("ArF_immersion" if immersion else "ArF_dry")
            if name is not None and name in defaults:
                v["numerical_aperture"] = float(defaults[name])
                facts.assumed.append(
                    f"numerical aperture {defaults[name]} assumed for {name.replace('_', ' ')} "
                    f"({defaults['confidence']})")


def with_params(facts: Mapping[str, Any], params: Mapping[str, float]) -> dict[str, Any]:
    """Facts that depend on the criterion version (the MRF k-factor) added to ``facts``."""
    out = dict(facts)
    k = params.get("mrf_k_factor")
    if k is not None and out.get("wavelength_nm") and out.get("numerical_aperture"):
        out["mrf_nm"] = out["wavelength_nm"] * k / out["numerical_aperture"]
    return out
