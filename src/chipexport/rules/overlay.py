"""A rules overlay folder: provisions and criteria an analyst adds or overrides without a release.

``CHIPEXPORT_RULES_DIR`` (or ``--rules-dir`` on ``check``, ``serve`` and ``rules``) names a
folder of YAML files. A file named after a rules book (``us.yaml``, ``nl.yaml``, ...; see
:data:`chipexport.rules.provisions.JURISDICTIONS`) may hold ``provisions:`` for that book; any
file may hold ``records:``, criteria records in the layout of ``classify/data/criteria_*.yaml``.

Records are matched by ``key``: an overlay key replaces every bundled version of that key (give
all versions again to keep older ones), a new key is added. The result is checked exactly as
the bundled data is (``chipexport rules check``), so an overlay cannot silently switch a rule off
by misspelling a parameter. Reading happens once per process, when the rules are first needed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chipexport.errors import ChipexportError
from chipexport.yamldata import load_yaml_text

ENV = "CHIPEXPORT_RULES_DIR"


class OverlayError(ChipexportError, ValueError):
    """An overlay folder or file that cannot be read (names the file)."""


@dataclass(frozen=True, slots=True)
class OverlayFile:
    """One YAML file of the overlay: its name, its ``provisions`` and its criteria ``records``."""

    path: Path
    provisions: tuple[Mapping[str, Any], ...]
    records: tuple[Mapping[str, Any], ...]


def overlay_dir() -> Path | None:
    """The folder ``CHIPEXPORT_RULES_DIR`` names, or None when no overlay is in use."""
    raw = os.environ.get(ENV, "").strip()
    return Path(raw) if raw else None


def read_overlay(folder: Path, books: Iterable[str]) -> tuple[OverlayFile, ...]:
    """Every ``*.yaml`` / ``*.yml`` file of ``folder``, in name order, checked for its layout."""
    if not folder.is_dir():
        raise OverlayError(f"{folder}: rules overlay folder not found")
    known = set(books)
    out = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            doc = load_yaml_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise OverlayError(f"{path}: not readable YAML ({first})") from None
        if not isinstance(doc, Mapping):
            raise OverlayError(f"{path}: expected a mapping with 'provisions' and/or 'records'")
        extra = sorted(set(doc) - {"provisions", "records"})
        if extra:
            raise OverlayError(f"{path}: unknown top-level key '{extra[0]}' "
                               "(expected 'provisions' and/or 'records')")
        provisions = _records(doc, "provisions", path)
        if provisions and path.stem not in known:
            raise OverlayError(f"{path}: provisions belong in a file named after a rules book "
                               f"({', '.join(sorted(known))}.yaml)")
        out.append(OverlayFile(path, provisions, _records(doc, "records", path)))
    return tuple(out)


def _records(doc: Mapping[str, Any], name: str, path: Path) -> tuple[Mapping[str, Any], ...]:
    raw = doc.get(name) or []
    if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
        raise OverlayError(f"{path}: '{name}' must be a list of mappings")
    for n, record in enumerate(raw):
        if "key" not in record:
            raise OverlayError(f"{path}: {name}[{n}]: missing 'key'")
    return tuple(raw)


def merge_by_key(bundled: Iterable[Mapping[str, Any]], added: Iterable[Mapping[str, Any]]
                 ) -> list[Mapping[str, Any]]:
    """Bundled records with every key the overlay gives replaced by the overlay's versions
    (kept at the place of the key's first bundled version); new keys appended in overlay order."""
    added = list(added)
    replaced = {str(r["key"]) for r in added}
    out: list[Mapping[str, Any]] = []
    placed: set[str] = set()
    for record in bundled:
        key = str(record["key"])
        if key not in replaced:
            out.append(record)
        elif key not in placed:
            out.extend(r for r in added if str(r["key"]) == key)
            placed.add(key)
    out.extend(r for r in added if str(r["key"]) not in placed)
    return out
