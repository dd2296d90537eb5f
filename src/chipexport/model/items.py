"""One traded item as a ``check`` transaction describes it (docs/interfaces.md ``items``).

An item may name a catalog product, give an ECCN, give raw parameters, or any mix; the
classifier decides what they mean. :class:`ItemIn` is the item's contract: it checks that each
value *could* be a real parameter (a TPP cannot be negative, an area cannot be zero) so that a
typo fails loudly at the input edge with the item's index and field, instead of silently
classifying as "not controlled". Other keys are allowed and kept in :attr:`Item.extra` because
users' order systems add their own columns (which keys are warned about or refused is decided
in :mod:`chipexport.model.fields`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from chipexport.errors import ChipexportError
from chipexport.model.problems import problems_from, reject

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


def _number(raw: object, *, allow_zero: bool) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        reject(f"expected a number, got {raw!r}")
    try:
        value = float(raw)
    except ValueError:
        reject(f"expected a number, got {raw!r}")
    if not math.isfinite(value):
        reject(f"expected a finite number, got {raw!r}")
    if value < 0 or (value == 0 and not allow_zero):
        bound = "zero or more" if allow_zero else "more than zero"
        reject(f"must be {bound}, got {raw!r}")
    return value


def _positive(raw: object) -> float | None:
    return _number(raw, allow_zero=False)


def _non_negative(raw: object) -> float | None:
    return _number(raw, allow_zero=True)


def _percent(raw: object) -> float | None:
    value = _number(raw, allow_zero=True)
    if value is not None and value > 100:
        reject(f"a share of the item's value is 0-100, got {raw!r}")
    return value


def _flag(raw: object) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in {"true", "yes", "1", "false", "no", "0"}:
        return raw.strip().lower() in {"true", "yes", "1"}
    reject(f"expected true or false, got {raw!r}")


def _text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        reject(f"expected text, got {raw!r}")
    text = str(raw).strip()
    if not text:
        reject("must not be empty")
    return text


def _kind(raw: object) -> str | None:
    if raw is not None and not isinstance(raw, str):
        reject(f"expected a kind name such as \"ic\", got {raw!r}")
    text = _text(raw)
    return text.lower() if text else None


def _origin(raw: object) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    origin = text.upper()
    if len(origin) != 2 or not origin.isalpha():
        reject(f"expected an ISO-2 country code, got {origin!r}")
    return origin


# An ECCN is digit, category letter A-E, three digits, then dotted paragraphs ("3B001.f.1.b.2").
_ECCN_FORM = re.compile(r"^(?:EAR99|\d[A-E]\d{3}(?:\.[a-z0-9]+)*)$")


def normalise_eccn(text: str) -> str:
    """``" 3a090.A "`` -> ``"3A090.a"``: the CCL writes the stem upper-case, paragraphs lower."""
    text = text.strip()
    if text.upper() == "EAR99":
        return "EAR99"
    return text[:5].upper() + text[5:].lower()


def _eccn(raw: object) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    eccn = normalise_eccn(text)
    if not _ECCN_FORM.match(eccn):
        reject(f"expected an ECCN such as 3A090.a, 5A992.c or EAR99, got {raw!r}")
    return eccn


Text = Annotated[str | None, BeforeValidator(_text)]
Positive = Annotated[Annotated[float, Field(gt=0)] | None, BeforeValidator(_positive)]
NonNegative = Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(_non_negative)]
Percent = Annotated[Annotated[float, Field(ge=0, le=100)] | None, BeforeValidator(_percent)]
Flag = Annotated[bool | None, BeforeValidator(_flag)]


class ItemIn(BaseModel):
    """An item of a transaction. Every field is optional; give what you know.

    Numbers may be written as JSON numbers or numeric text, flags as ``true``/``false``.
    Keys not listed here are kept (an order system's own columns) and ignored by the rules.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    product: Text = Field(None, description="A catalog product name (`NVIDIA H100 SXM5 80GB`).")
    eccn: Annotated[str | None, BeforeValidator(_eccn)] = Field(
        None, description="An ECCN such as `3A090.a`, `5A992.c` or `EAR99`.")
    description: Text = Field(None, description="The item in your own words; for `kind: "
                              "technology` or `software`, what the technology or software is.")
    kind: Annotated[str | None, BeforeValidator(_kind)] = Field(
        None, description="What the item is: " + ", ".join(f"`{k}`" for k in sorted(KNOWN_KINDS))
        + ".")
    tpp: Positive = Field(None, description="Total processing performance (3A090).")
    logic_die_area_mm2: Positive = Field(None, description="Applicable die area, mm².")
    datacenter: Flag = Field(None, description="Designed or marketed for datacenters.")
    bidirectional_io_gbps: NonNegative = Field(None, description="Aggregate bidirectional "
                                               "transfer rate, GB/s.")
    bandwidth_gbps: Positive = Field(None, description="HBM memory bandwidth, GB/s.")
    dram_bandwidth_gbps: Positive = Field(None, description="An IC's total DRAM bandwidth, GB/s "
                                          "(also accepted as `memory_bandwidth_gbps`).")
    package_area_mm2: Positive = Field(None, description="HBM package or stack area, mm².")
    light_source: Text = Field(None, description="Lithography light source: `EUV`, `ArF`, "
                               "`KrF`, `i-line`.")
    immersion: Flag = Field(None, description="Immersion lithography.")
    numerical_aperture: Positive = Field(None, description="Numerical aperture.")
    chuck_overlay_nm: Positive = Field(None, description="Maximum dedicated chuck overlay, nm.")
    model: Text = Field(None, description="The maker's model name.")
    material: Text = Field(None, description="A material (`gallium`, `germanium`).")
    equipment_type: Text = Field(None, description="Equipment type (`etch`, `deposition`).")
    contains: Text = Field(None, description="Product name of the IC inside a computer or "
                           "assembly.")
    hts: Text = Field(None, description="Harmonized Tariff Schedule code (`8542.31`).")
    origin: Annotated[str | None, BeforeValidator(_origin)] = Field(
        None, description="Country of origin, ISO-2.")
    value_usd: NonNegative = Field(None, description="Value in US dollars.")
    quantity: NonNegative = Field(None, description="Quantity.")
    us_content_percent: Percent = Field(None, description="US-origin controlled content as % "
                                        "of the item's value (de minimis).")
    us_technology_direct_product: Flag = Field(
        None, description="The item, or the plant or major component that made it, is a direct "
        "product of US technology or software (foreign direct product rules).")
    contains_us_origin_ic: Flag = Field(None, description="The item contains a US-origin IC.")
    subject_to_ear: Flag = Field(None, description="This item is subject to the EAR whatever "
                                 "its origin (e.g. a foreign direct product).")

    @model_validator(mode="before")
    @classmethod
    def _other_names(cls, obj: Any) -> Any:
        """``memory_bandwidth_gbps`` is another name for ``dram_bandwidth_gbps``."""
        if isinstance(obj, Mapping) and obj.get("dram_bandwidth_gbps") is None \
                and obj.get("memory_bandwidth_gbps") is not None:
            obj = {**{k: v for k, v in obj.items() if k != "memory_bandwidth_gbps"},
                   "dram_bandwidth_gbps": obj["memory_bandwidth_gbps"]}
        return obj


# Keys an item may use that are not fields of :class:`ItemIn`.
ITEM_ALIASES = frozenset({"memory_bandwidth_gbps"})


@dataclass(frozen=True, slots=True)
class Item:
    """The parsed item the classifier reads. Numbers are floats, flags are bools or None."""

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
    # Facts for de minimis (15 CFR 734.4) and the foreign direct product rules (734.9): the
    # US-origin controlled content as a percentage of the item's value, whether the item (or
    # the plant or major plant component that made it) is a direct product of US technology or
    # software, and whether it contains a US-origin integrated circuit.
    us_content_percent: float | None = None
    us_technology_direct_product: bool | None = None
    contains_us_origin_ic: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_json(cls, obj: Mapping[str, Any], index: int) -> Item:
        """Parse one item object (docs/interfaces.md); :class:`ItemError` for impossible values."""
        if not isinstance(obj, Mapping):
            raise ItemError(index, "(item)", f"expected an object, got {type(obj).__name__}")
        try:
            model = ItemIn.model_validate(obj)
        except ValidationError as exc:
            first = problems_from(exc)[0]
            raise ItemError(index, first.field or "(item)", first.message) from None
        return cls.from_model(model)

    @classmethod
    def from_model(cls, model: ItemIn) -> Item:
        """The classifier's view of a validated item (``subject_to_ear`` is the engine's)."""
        values = {name: getattr(model, name) for name in _ITEM_FIELDS
                  if getattr(model, name) is not None}
        return cls(**values, extra=MappingProxyType(dict(model.model_extra or {})))

    def has_parameters(self) -> bool:
        """True when any classification parameter (not just a name or ECCN) was given."""
        return any(getattr(self, n) is not None for n in _PARAMETERS)


_ITEM_FIELDS = tuple(f.name for f in fields(Item) if f.name != "extra")
# Figures that classify an item. An IC's DRAM bandwidth is not one (it only feeds a review
# policy and the H20-class notice): an item known by it alone is still unidentified.
_PARAMETERS = (
    "tpp", "logic_die_area_mm2", "datacenter", "bidirectional_io_gbps", "bandwidth_gbps",
    "package_area_mm2", "light_source", "immersion", "numerical_aperture", "chuck_overlay_nm",
    "material",
)
