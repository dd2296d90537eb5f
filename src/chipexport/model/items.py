"""One traded item as a ``check`` transaction describes it (docs/interfaces.md ``items``).

An item may name a catalog product, give an ECCN, give raw parameters, or any mix; the
classifier decides what they mean. This module only checks that each value *could* be a real
parameter (a TPP cannot be negative, an area cannot be zero) so that a typo fails loudly at the
input edge with the item's index and field, instead of silently classifying as "not controlled".
Unknown keys are kept in :attr:`Item.extra` because users' order systems add their own columns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from chipexport.errors import ChipexportError

# Kinds the classifier knows. An unknown *string* kind is allowed (it classifies as nothing and
# warns); a kind that is not a string is an input error.
KNOWN_KINDS = frozenset(
    {"ic", "hbm", "computer", "lithography", "equipment", "material", "software", "technology",
     "other"}
)


class ItemError(ChipexportError, ValueError):
    """A parameter no real item can have; one line naming the item index and field."""

    def __init__(self, index: int, field_name: str, message: str) -> None:
        self.index = index
        self.field = field_name
        self.message = message
        super().__init__(f"items[{index}].{field_name}: {message}")


@dataclass(frozen=True, slots=True)
class Item:
    """The parsed item. Every field is optional; numbers are floats, flags are bools or None."""

    product: str | None = None
    eccn: str | None = None
    description: str | None = None
    kind: str | None = None
    tpp: float | None = None
    logic_die_area_mm2: float | None = None
    datacenter: bool | None = None
    bidirectional_io_gbps: float | None = None
    bandwidth_gbps: float | None = None  # HBM memory bandwidth, GB/s
    # An IC's total DRAM bandwidth, GB/s (the 2026 review policy and the H20-class notice
    # read it); ``memory_bandwidth_gbps`` is accepted as another name for it.
    dram_bandwidth_gbps: float | None = None
    package_area_mm2: float | None = None  # HBM package or stack area
    light_source: str | None = None  # "EUV", "ArF", "KrF", "i-line"
    immersion: bool | None = None
    numerical_aperture: float | None = None
    chuck_overlay_nm: float | None = None  # maximum 'dedicated chuck overlay'
    model: str | None = None
    material: str | None = None
    equipment_type: str | None = None  # "etch", "deposition", ... (free text, for messages)
    contains: str | None = None  # product name of the IC inside a computer/assembly
    hts: str | None = None
    origin: str | None = None
    value_usd: float | None = None
    quantity: float | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_json(cls, obj: Mapping[str, Any], index: int) -> Item:
        """Parse one CONTRACTS item object; raise :class:`ItemError` for impossible values."""
        if not isinstance(obj, Mapping):
            raise ItemError(index, "(item)", f"expected an object, got {type(obj).__name__}")
        known = {f.name for f in fields(cls)} - {"extra"}
        if obj.get("dram_bandwidth_gbps") is None and obj.get("memory_bandwidth_gbps") is not None:
            obj = {**{k: v for k, v in obj.items() if k != "memory_bandwidth_gbps"},
                   "dram_bandwidth_gbps": obj["memory_bandwidth_gbps"]}
        values: dict[str, Any] = {}
        for name in known:
            if name not in obj or obj[name] is None:
                continue
            raw = obj[name]
            if name in _POSITIVE:
                values[name] = _number(raw, index, name, allow_zero=False)
            elif name in _NON_NEGATIVE:
                values[name] = _number(raw, index, name, allow_zero=True)
            elif name in _BOOLS:
                values[name] = _flag(raw, index, name)
            else:
                values[name] = _text(raw, index, name)
        if "kind" in values:
            values["kind"] = values["kind"].lower()
        if "origin" in values:
            origin = values["origin"].upper()
            if len(origin) != 2 or not origin.isalpha():
                raise ItemError(index, "origin", f"expected an ISO-2 country code, got {origin!r}")
            values["origin"] = origin
        if "eccn" in values:
            values["eccn"] = normalise_eccn(values["eccn"])
            if not _ECCN_FORM.match(values["eccn"]):
                raise ItemError(index, "eccn", f"expected an ECCN such as 3A090.a, 5A992.c or "
                                f"EAR99, got {obj['eccn']!r}")
        extra = {k: v for k, v in obj.items() if k not in known}
        return cls(**values, extra=MappingProxyType(extra))

    def has_parameters(self) -> bool:
        """True when any classification parameter (not just a name or ECCN) was given."""
        return any(getattr(self, n) is not None for n in _PARAMETERS)


_POSITIVE = frozenset(
    {"tpp", "logic_die_area_mm2", "bandwidth_gbps", "package_area_mm2", "numerical_aperture",
     "chuck_overlay_nm", "dram_bandwidth_gbps"}
)
_NON_NEGATIVE = frozenset({"bidirectional_io_gbps", "value_usd", "quantity"})
_BOOLS = frozenset({"datacenter", "immersion"})
# Figures that classify an item. An IC's DRAM bandwidth is not one (it only feeds a review
# policy and the H20-class notice): an item known by it alone is still unidentified.
_PARAMETERS = (
    "tpp", "logic_die_area_mm2", "datacenter", "bidirectional_io_gbps", "bandwidth_gbps",
    "package_area_mm2", "light_source", "immersion", "numerical_aperture", "chuck_overlay_nm",
    "material",
)


def _number(raw: object, index: int, name: str, *, allow_zero: bool) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ItemError(index, name, f"expected a number, got {raw!r}")
    try:
        value = float(raw)
    except ValueError:
        raise ItemError(index, name, f"expected a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise ItemError(index, name, f"expected a finite number, got {raw!r}")
    if value < 0 or (value == 0 and not allow_zero):
        bound = "zero or more" if allow_zero else "more than zero"
        raise ItemError(index, name, f"must be {bound}, got {raw!r}")
    return value


def _flag(raw: object, index: int, name: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in {"true", "yes", "1", "false", "no", "0"}:
        return raw.strip().lower() in {"true", "yes", "1"}
    raise ItemError(index, name, f"expected true or false, got {raw!r}")


# An ECCN is digit, category letter A-E, three digits, then dotted paragraphs ("3B001.f.1.b.2").
_ECCN_FORM = re.compile(r"^(?:EAR99|\d[A-E]\d{3}(?:\.[a-z0-9]+)*)$")


def normalise_eccn(text: str) -> str:
    """``" 3a090.A "`` -> ``"3A090.a"``: the CCL writes the stem upper-case, paragraphs lower."""
    text = text.strip()
    if text.upper() == "EAR99":
        return "EAR99"
    return text[:5].upper() + text[5:].lower()


def _text(raw: object, index: int, name: str) -> str:
    if name == "kind" and not isinstance(raw, str):
        raise ItemError(index, name, f"expected a kind name such as \"ic\", got {raw!r}")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ItemError(index, name, f"expected text, got {raw!r}")
    text = str(raw).strip()
    if not text:
        raise ItemError(index, name, "must not be empty")
    return text
