"""Parametric criteria as data: loading the YAML records and evaluating their conditions.

A criterion is one version of one control paragraph ("3A090.a as of 2023-11-17") with its
citation, in-force window and confidence. Its ``when`` is a small condition tree over *facts*
(numbers and names computed from the item in :mod:`chipexport.classify.facts`)::

    {fact: tpp, ge: 4800}          comparisons: eq ne lt le gt ge in
    {all: [...]} {any: [...]}      {not: {...}}

Evaluation is three-valued: a comparison on a fact the item does not give is *unknown* (None),
so the classifier can tell "not controlled" from "cannot tell without the die area" and answer
the latter conservatively. Thresholds therefore live only in the YAML, next to their citation.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from chipexport.errors import ChipexportError, did_you_mean
from chipexport.rules.dated import Citation, Confidence, InForce, parse_windows
from chipexport.rules.overlay import merge_by_key
from chipexport.rules.provisions import overlay_files
from chipexport.yamldata import load_yaml_text

CRITERIA_FILES = ("criteria_us.yaml", "criteria_intl.yaml", "criteria_cn.yaml")

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge, "in": lambda a, b: a in b,
}
_SYMBOL = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "in": "in"}


class CriteriaError(ChipexportError, ValueError):
    """A malformed criteria file: names the file, record and field."""

    status = 500  # the bundled data is broken: the server's fault, not the request's


@dataclass(frozen=True, slots=True)
class Criterion:
    """One version of one control paragraph, with the condition that puts an item in it."""

    key: str
    family: str
    regime: str
    code: str
    kinds: frozenset[str]
    windows: tuple[InForce, ...]
    citation: Citation
    confidence: Confidence
    summary: str
    when: Mapping[str, Any]
    params: Mapping[str, float] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Evaluation:
    """Outcome of one condition tree: True, False or None (unknown), and what was looked at."""

    value: bool | None
    missing: set[str] = field(default_factory=set)
    tests: list[str] = field(default_factory=list)


def evaluate(cond: Mapping[str, Any], facts: Mapping[str, Any]) -> Evaluation:
    """Kleene three-valued evaluation of ``cond`` against ``facts``."""
    out = Evaluation(None)
    out.value = _eval(cond, facts, out)
    return out


def _eval(cond: Mapping[str, Any], facts: Mapping[str, Any], out: Evaluation) -> bool | None:
    if "all" in cond:
        results = [_eval(c, facts, out) for c in cond["all"]]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if "any" in cond:
        results = [_eval(c, facts, out) for c in cond["any"]]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if "not" in cond:
        inner = _eval(cond["not"], facts, out)
        return None if inner is None else not inner
    name = cond["fact"]
    (op, threshold), = ((k, v) for k, v in cond.items() if k != "fact")
    out.tests.append(f"{name} {_SYMBOL[op]} {threshold}")
    value = facts.get(name)
    if value is None:
        out.missing.add(name)
        return None
    try:
        return bool(_COMPARE[op](value, threshold))
    except TypeError:
        return False


def _check_condition(cond: object, where: str) -> None:
    if not isinstance(cond, Mapping):
        raise CriteriaError(f"{where}: condition must be a mapping, got {cond!r}")
    for combinator in ("all", "any"):
        if combinator in cond:
            items = cond[combinator]
            if not isinstance(items, list) or not items:
                raise CriteriaError(f"{where}: {combinator} needs a non-empty list")
            for n, c in enumerate(items):
                _check_condition(c, f"{where}.{combinator}[{n}]")
            return
    if "not" in cond:
        _check_condition(cond["not"], f"{where}.not")
        return
    ops = [k for k in cond if k != "fact"]
    if "fact" not in cond or len(ops) != 1 or ops[0] not in _COMPARE:
        raise CriteriaError(f"{where}: expected {{fact: NAME, <op>: VALUE}}, got {dict(cond)!r}")


def _windows(raw: object, where: str) -> tuple[InForce, ...]:
    try:
        return parse_windows(raw, where)
    except ValueError as exc:
        raise CriteriaError(str(exc)) from None


def parse_citation(raw: object, where: str) -> Citation:
    """``{rule, notice?, url?}`` to :class:`Citation`."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("rule"), str):
        raise CriteriaError(f"{where}.citation: expected {{rule: ..., notice: ...}}")
    return Citation(rule=raw["rule"], notice=raw.get("notice"), url=raw.get("url"))


def parse_confidence(raw: object, where: str) -> Confidence:
    try:
        return Confidence(str(raw))
    except ValueError:
        choices = ", ".join(c.value for c in Confidence)
        raise CriteriaError(f"{where}.confidence: {raw!r} is not one of {choices}") from None


FIELDS = frozenset({"key", "family", "regime", "code", "kinds", "in_force", "citation",
                    "confidence", "summary", "when", "params", "facts"})


def _record(raw: Mapping[str, Any], where: str) -> Criterion:
    for name in raw:
        if name not in FIELDS:
            raise CriteriaError(f"{where}, field '{name}': unknown field"
                                f"{did_you_mean(str(name), FIELDS)}")
    try:
        when = raw["when"]
        _check_condition(when, f"{where}.when")
        return Criterion(
            key=str(raw["key"]),
            family=str(raw["family"]),
            regime=str(raw["regime"]),
            code=str(raw["code"]),
            kinds=frozenset(raw["kinds"]),
            windows=_windows(raw["in_force"], where),
            citation=parse_citation(raw["citation"], where),
            confidence=parse_confidence(raw["confidence"], where),
            summary=str(raw["summary"]),
            when=when,
            params=dict(raw.get("params") or {}),
            facts=dict(raw.get("facts") or {}),
        )
    except KeyError as missing:
        raise CriteriaError(f"{where}: missing field {missing}") from None
    except ValueError as exc:
        if isinstance(exc, CriteriaError):
            raise
        raise CriteriaError(f"{where}: {exc}") from None


def _raw_records(text: str, source: str) -> list[Mapping[str, Any]]:
    try:
        doc = load_yaml_text(text)
    except (yaml.YAMLError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CriteriaError(f"{source}: not valid YAML ({first})") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("records"), list):
        raise CriteriaError(f"{source}: expected a mapping with a 'records' list")
    for n, r in enumerate(doc["records"]):
        if not isinstance(r, Mapping) or "key" not in r:
            raise CriteriaError(f"{source}: records[{n}]: missing field 'key'")
    return list(doc["records"])


def load_criteria_text(text: str, source: str) -> list[Criterion]:
    """Parse one criteria YAML document (exposed for tests of malformed files)."""
    return [_record(r, f"{source}: records[{n}] ({r.get('key', '?')})")
            for n, r in enumerate(_raw_records(text, source))]


@cache
def all_criteria(folder: Path | None = None) -> tuple[Criterion, ...]:
    """Every criterion, in file order (which is the priority order within a family): the bundled
    files with the overlay folder's records (``folder``, else ``CHIPEXPORT_RULES_DIR``) replacing
    records of the same key or added after them (:mod:`chipexport.rules.overlay`)."""
    where: dict[int, str] = {}
    bundled: list[Mapping[str, Any]] = []
    for name in CRITERIA_FILES:
        text = resources.files("chipexport.classify").joinpath("data", name).read_text("utf-8")
        records = _raw_records(text, name)
        where.update({id(r): f"{name}: records[{n}]" for n, r in enumerate(records)})
        bundled.extend(records)
    added: list[Mapping[str, Any]] = []
    for f in overlay_files(folder):
        where.update({id(r): f"{f.path}: records[{n}]" for n, r in enumerate(f.records)})
        added.extend(f.records)
    return tuple(_record(r, f"{where[id(r)]} ({r['key']})") for r in merge_by_key(bundled, added))


def criteria_for(kind: str, day: date, records: Sequence[Criterion] | None = None
                 ) -> list[tuple[Criterion, InForce]]:
    """The criteria for items of ``kind`` in force on ``day``, with the covering window."""
    result = []
    for c in records if records is not None else all_criteria():
        if kind not in c.kinds:
            continue
        for w in c.windows:
            if w.covers(day):
                result.append((c, w))
                break
    return result
