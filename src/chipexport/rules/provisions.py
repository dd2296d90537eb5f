"""Provisions as data: the loader for ``rules/data/*.yaml`` and the record the engine reads.

A provision is one cited legal rule (or one version of it) with the windows it was in force,
the enforcement posture where that differs from the text (BIS said it would not enforce the AI
Diffusion rule; MOFCOM suspended parts of Announcement No. 46), a confidence mark and the
parameters the engine needs (destinations, thresholds, ECCN paragraphs). Keeping these in YAML
means a date or threshold is never a Python literal and a lawyer can review one file per
jurisdiction. Successive versions share a ``key``; :func:`chipexport.rules.dated.range_problems`
checks them for gaps and overlaps.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from chipexport.errors import ChipexportError, did_you_mean
from chipexport.rules.dated import (
    Citation,
    Confidence,
    InForce,
    in_force_on,
    parse_windows,
)
from chipexport.rules.overlay import OverlayFile, merge_by_key, overlay_dir, read_overlay
from chipexport.yamldata import load_yaml_text

JURISDICTIONS = ("engine", "us", "jp", "nl", "cn", "tariffs", "red_flags")


class RuleDataError(ChipexportError, ValueError):
    """A rules file that does not describe a provision properly (file, provision, field)."""

    status = 500  # the bundled data is broken: the server's fault, not the request's


@dataclass(frozen=True, slots=True)
class Enforcement:
    """A period in which the text is in force but not applied as written."""

    window: InForce
    status: str  # "not_enforced", "suspended", "compliance_not_required"
    note: str


@dataclass(frozen=True, slots=True)
class Provision:
    """One version of one cited rule."""

    key: str
    version: str
    citation: Citation
    windows: tuple[InForce, ...]
    confidence: Confidence
    summary: str
    params: Mapping[str, Any] = field(default_factory=dict)
    enforcement: tuple[Enforcement, ...] = ()
    contiguous: bool = True  # versions of this key must leave no gap between them

    def window_on(self, day: date) -> InForce | None:
        return in_force_on(self, day)

    def enforcement_on(self, day: date) -> Enforcement | None:
        """The enforcement exception covering ``day``, if any (None: enforced as written)."""
        for e in self.enforcement:
            if e.window.covers(day):
                return e
        return None


def _windows(raw: Any, where: str) -> tuple[InForce, ...]:
    try:
        return parse_windows(raw, where)
    except ValueError as exc:
        raise RuleDataError(str(exc)) from None


FIELDS = frozenset({"key", "version", "rule", "notice", "url", "in_force", "confidence",
                    "contiguous", "summary", "params", "enforcement"})


@cache
def param_schema() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """``rules/data/params.yaml``: allowed parameter keys per exact provision key and per family
    pattern of keys."""
    doc = load_yaml_text(_bundled_text("params"))
    return ({k: frozenset(v) for k, v in doc["exact"].items()},
            {k: frozenset(v) for k, v in doc["families"].items()})


def allowed_params(key: str) -> frozenset[str] | None:
    """The parameter keys a provision of ``key`` may carry; None when no code reads ``key``."""
    exact, families = param_schema()
    if key in exact:
        return exact[key]
    return next((v for pattern, v in families.items() if fnmatch.fnmatchcase(key, pattern)), None)


def _check_params(key: str, params: Mapping[str, Any], where: str) -> None:
    allowed = allowed_params(key)
    if allowed is None:
        raise RuleDataError(f"{where}: no code reads provision key '{key}' (known keys and "
                            "families: rules/data/params.yaml)")
    for name in params:
        if name not in allowed:
            raise RuleDataError(f"{where}, field 'params.{name}': unknown parameter of '{key}'"
                                f"{did_you_mean(str(name), allowed)}")


def _provision(raw: Mapping[str, Any], where: str, engine_book: bool = True) -> Provision:
    for required in ("key", "rule", "in_force", "confidence", "summary"):
        if required not in raw:
            raise RuleDataError(f"{where}: missing '{required}'")
    key = str(raw["key"])
    where = f"{where} ({key})"
    for name in raw:
        if name not in FIELDS:
            raise RuleDataError(f"{where}, field '{name}': unknown field"
                                f"{did_you_mean(str(name), FIELDS)}")
    if not isinstance(raw.get("params") or {}, Mapping):
        raise RuleDataError(f"{where}, field 'params': expected a mapping")
    if engine_book:  # a book the engine reads: only the parameters its code reads
        _check_params(key, raw.get("params") or {}, where)
    try:
        confidence = Confidence(raw["confidence"])
    except ValueError:
        raise RuleDataError(f"{where}: unknown confidence {raw['confidence']!r}") from None
    enforcement = tuple(
        Enforcement(_windows([e["window"]], f"{where}.enforcement")[0], str(e["status"]),
                    str(e.get("note", "")))
        for e in raw.get("enforcement") or ()
    )
    return Provision(
        key=key,
        version=str(raw.get("version", "")),
        citation=Citation(str(raw["rule"]), raw.get("notice"), raw.get("url")),
        windows=_windows(raw["in_force"], where),
        confidence=confidence,
        summary=str(raw["summary"]).strip(),
        params=dict(raw.get("params") or {}),
        enforcement=enforcement,
        contiguous=bool(raw.get("contiguous", True)),
    )


@dataclass(frozen=True, slots=True)
class RuleBook:
    """All provisions of one jurisdiction file, looked up by key and date."""

    name: str
    provisions: tuple[Provision, ...]
    # Versions by key, built once: the engine looks provisions up tens of times per transaction.
    by_key: Mapping[str, tuple[Provision, ...]] = field(default_factory=dict, compare=False,
                                                        repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[Provision]] = {}
        for p in self.provisions:
            index.setdefault(p.key, []).append(p)
        object.__setattr__(self, "by_key", {k: tuple(v) for k, v in index.items()})

    def versions(self, key: str) -> list[Provision]:
        found = self.by_key.get(key)
        if not found:
            raise KeyError(f"rules/{self.name}: no provision {key!r}")
        return list(found)

    def on(self, key: str, day: date) -> Provision | None:
        """The version of ``key`` in force on ``day`` (None: not in force then)."""
        found = self.by_key.get(key)
        if not found:
            raise KeyError(f"rules/{self.name}: no provision {key!r}")
        for p in found:
            if p.window_on(day) is not None:
                return p
        return None

    def provision_keys(self) -> list[str]:
        return list(dict.fromkeys(p.key for p in self.provisions))


def parse_rulebook(name: str, text: str, overlay: Sequence[OverlayFile] = ()) -> RuleBook:
    """Parse one rules YAML document (a mapping with a ``provisions`` list), with the overlay's
    provisions for this book replacing or adding to it (:mod:`chipexport.rules.overlay`)."""
    doc = load_yaml_text(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("provisions"), list):
        raise RuleDataError(f"rules/{name}.yaml: expected a mapping with a 'provisions' list")
    for n, raw in enumerate(doc["provisions"]):
        if not isinstance(raw, Mapping) or "key" not in raw:
            raise RuleDataError(f"rules/{name}.yaml provisions[{n}]: missing 'key'")
    where = {id(p): f"rules/{name}.yaml provisions[{i}]" for i, p in enumerate(doc["provisions"])}
    for f in overlay:
        if f.path.stem == name:
            where.update({id(p): f"{f.path} provisions[{i}]" for i, p in enumerate(f.provisions)})
    added = [p for f in overlay if f.path.stem == name for p in f.provisions]
    merged = merge_by_key(doc["provisions"], added)
    engine_book = name in JURISDICTIONS
    return RuleBook(name, tuple(_provision(p, where[id(p)], engine_book) for p in merged))


def _bundled_text(name: str) -> str:
    return resources.files("chipexport.rules").joinpath("data", f"{name}.yaml").read_text("utf-8")


@cache
def overlay_files(folder: Path | None = None) -> tuple[OverlayFile, ...]:
    """The overlay folder's files (``folder``, else ``CHIPEXPORT_RULES_DIR``), read once."""
    folder = folder or overlay_dir()
    return read_overlay(folder, JURISDICTIONS) if folder else ()


@cache
def rulebook(name: str, folder: Path | None = None) -> RuleBook:
    """The rules of ``name`` (one of :data:`JURISDICTIONS`): the bundled file with the overlay
    folder's provisions (``folder``, else ``CHIPEXPORT_RULES_DIR``), parsed once."""
    return parse_rulebook(name, _bundled_text(name), overlay_files(folder))


def all_provisions(folder: Path | None = None) -> Sequence[Provision]:
    return [p for n in JURISDICTIONS for p in rulebook(n, folder).provisions]


def markdown_table(name: str) -> str:
    """The provisions of one rules file as the Markdown table docs/rules.md shows."""
    rows = ["| key | version | rule | notice | in force | confidence | enforcement |",
            "|---|---|---|---|---|---|---|"]
    for p in rulebook(name).provisions:
        wins = ", ".join(f"{w.start}–{w.end or '…'}" for w in p.windows)
        enf = "; ".join(f"{e.status} {e.window.start}–{e.window.end or '…'}"
                        for e in p.enforcement)
        rows.append(f"| `{p.key}` | {p.version} | {p.citation.rule} | {p.citation.notice or ''} "
                    f"| {wins} | {p.confidence.value} | {enf} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m chipexport.rules.provisions: tables for docs/rules.md
    for _name in JURISDICTIONS[1:]:
        print(f"\n### {_name.upper()} (`rules/data/{_name}.yaml`)\n\n{markdown_table(_name)}")
