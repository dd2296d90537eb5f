"""The product catalog: named products with the parameters the criteria need.

Users type product names loosely ("h100", "NVIDIA H100 SXM"), so names are matched after folding
case, spaces, hyphens and underscores, with or without the vendor prefix, and through aliases.
A name that still does not match gets up to three near names (rapidfuzz) in the error, because
an unknown product must never silently classify as "not controlled".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from chipexport.classify.data_files import load_yaml
from chipexport.errors import ChipexportError
from chipexport.rules.dated import Confidence


@dataclass(frozen=True, slots=True)
class CatalogRecord:
    """One product as the catalog describes it."""

    name: str
    kind: str
    params: Mapping[str, Any]
    source: str
    confidence: Confidence
    vendor: str | None = None
    aliases: tuple[str, ...] = ()
    contains: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    family: str | None = None  # a generation word ("HBM3E") free text may name instead


class CatalogError(ChipexportError, ValueError):
    """A malformed catalog file (names the record and field)."""

    status = 500  # the bundled data is broken: the server's fault, not the request's


def fold(name: str) -> str:
    """The match key of a name: lower case without spaces, hyphens, underscores or dots."""
    return re.sub(r"[\s\-_.]+", "", name.lower())


# Words that name a brand, not a product: ignored when matching by words.
BRANDS = frozenset({"nvidia", "amd", "intel", "habana", "huawei", "hisilicon", "asml", "geforce",
                    "instinct", "twinscan", "radeon", "tesla"})
# Words that describe a product without changing which product it is; "system" words turn an
# IC into a computer containing it (SYSTEM_WORDS).
SYSTEM_WORDS = frozenset({"hgx", "dgx", "server", "system", "baseboard", "platform", "node"})
DESCRIPTIVE = frozenset({"pcie", "sxm", "oam", "mezzanine", "module", "card", "gpu", "gpgpu",
                         "accelerator", "board", "tensor", "core", "datacenter", "data", "center",
                         "edition", "founders", "graphics", "chip", "processor", "npu", "ai",
                         "the", "with", "stack", "memory", "unit", "series", "new"}
                        | SYSTEM_WORDS)
_MEMORY_SIZE = re.compile(r"^\d+(?:gb|g|tb)$")
# Words a memory-stack name carries besides its generation: vendors, brand names of a
# generation, stack height ("12-Hi", "8H", "16-high").
FAMILY_WORDS = frozenset({"sk", "hynix", "samsung", "micron", "shinebolt", "icebolt",
                          "flashbolt", "hi", "high", "dram", "hbm", "gen", "jedec"})
_STACK_HEIGHT = re.compile(r"^\d+(?:h|hi|high)?$")


def words(name: str) -> frozenset[str]:
    """The lower-case words of a product name, brands left out."""
    return frozenset(w for w in re.split(r"[^0-9a-z]+", name.lower()) if w and w not in BRANDS)


@dataclass(frozen=True, slots=True)
class Catalog:
    records: tuple[CatalogRecord, ...]
    index: Mapping[str, tuple[CatalogRecord, ...]]

    def lookup(self, name: str) -> tuple[CatalogRecord | None, list[str]]:
        """The record for ``name``, or None with up to three near catalog names."""
        hits = self.index.get(fold(name), ())
        if len(hits) == 1:
            return hits[0], []
        if len(hits) > 1:
            return None, [r.name for r in hits[:3]]
        return None, self.near(name)

    def by_words(self, name: str) -> tuple[CatalogRecord, frozenset[str]] | None:
        """The one record whose name (or alias) words all appear in ``name``, most specific first.

        Users write "A800 80GB PCIe" or "Instinct MI250X OAM accelerator": same product, other
        word order or extra descriptive words. A match needs every word of a catalog name, and
        the leftover words must be descriptive (:data:`DESCRIPTIVE`, memory sizes): a leftover
        model number ("SXM6", "H200") means another product, which stays unknown. Returns the
        record and the leftover words, or None when no single record fits.
        """
        asked = words(name)
        best: dict[str, tuple[int, CatalogRecord]] = {}
        for rec in self.records:
            for alias in (rec.name, *rec.aliases):
                have = words(alias)
                if have and have <= asked:
                    size = max(len(have), best.get(rec.name, (0, rec))[0])
                    best[rec.name] = (size, rec)
        if not best:
            return None
        top = max(size for size, _ in best.values())
        winners = [rec for size, rec in best.values() if size == top]
        if len(winners) != 1:
            return None
        rec = winners[0]
        extra = asked - max((words(a) for a in (rec.name, *rec.aliases) if words(a) <= asked),
                            key=len)
        if any(not (w in DESCRIPTIVE or _MEMORY_SIZE.match(w)) for w in extra):
            return None
        return rec, frozenset(extra)

    def by_family(self, name: str, strict: bool = True) -> CatalogRecord | None:
        """The generic record of the one product family ``name`` names ("HBM3E"), when no
        other product does and every other word only describes it (vendor, stack height,
        capacity): "SK hynix HBM3E 16-high 48GB" is an HBM3E stack, but "H200 with HBM3E" is
        not a memory stack and stays unknown. ``strict=False`` reads a free-text description:
        other words are allowed, but not one naming another catalog product."""
        asked = words(name)
        generic = {rec.family.lower(): rec for rec in self.records
                   if rec.family and rec.vendor is None}
        named = [generic[w] for w in asked if w in generic]
        if len(named) != 1:
            return None
        extra = asked - {named[0].family.lower() if named[0].family else ""}
        if not strict:  # free text: any words, but no other product may be named in it
            others = [r for r in self.records if not r.family
                      for a in (r.name, *r.aliases) if words(a) and words(a) <= asked]
            return None if others else named[0]
        if any(not (w in DESCRIPTIVE or w in FAMILY_WORDS or _MEMORY_SIZE.match(w)
                    or _STACK_HEIGHT.match(w)) for w in extra):
            return None
        return named[0]

    def near(self, name: str, limit: int = 3) -> list[str]:
        """Catalog names closest to ``name`` (best first), via every indexed key."""
        keys = list(self.index)
        best: dict[str, float] = {}
        for key, score, _ in process.extract(fold(name), keys, scorer=fuzz.WRatio,
                                             limit=limit * 4):
            for rec in self.index[key]:
                best[rec.name] = max(best.get(rec.name, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        return [n for n, _ in ranked[:limit]]


def _record(raw: Mapping[str, Any], n: int) -> CatalogRecord:
    where = f"catalog.yaml: products[{n}] ({raw.get('name', '?')})"
    try:
        return CatalogRecord(
            name=str(raw["name"]),
            kind=str(raw["kind"]),
            params=dict(raw.get("params") or {}),
            source=str(raw["source"]),
            confidence=Confidence(str(raw["confidence"])),
            vendor=raw.get("vendor"),
            aliases=tuple(str(a) for a in raw.get("aliases") or ()),
            contains=raw.get("contains"),
            notes=tuple(str(x) for x in raw.get("notes") or ()),
            family=raw.get("family"),
        )
    except KeyError as missing:
        raise CatalogError(f"{where}: missing field {missing}") from None
    except ValueError as exc:
        raise CatalogError(f"{where}: {exc}") from None


def build_catalog(raw_products: list[Mapping[str, Any]]) -> Catalog:
    records = tuple(_record(r, n) for n, r in enumerate(raw_products))
    index: dict[str, list[CatalogRecord]] = {}
    for rec in records:
        names = [rec.name, *rec.aliases]
        if rec.vendor:
            prefix = rec.vendor.lower() + " "
            names += [n[len(prefix):] for n in names if n.lower().startswith(prefix)]
            names += [f"{rec.vendor} {a}" for a in rec.aliases]
        for key in {fold(n) for n in names}:
            bucket = index.setdefault(key, [])
            if rec not in bucket:
                bucket.append(rec)
    return Catalog(records, {k: tuple(v) for k, v in index.items()})


@cache
def catalog() -> Catalog:
    """The bundled catalog (classify/data/catalog.yaml)."""
    doc = load_yaml("catalog.yaml")
    return build_catalog(list(doc["products"]))
