"""Country Group membership (15 CFR 740 Supp. 1) as of any date.

Current membership comes from the bundled eCFR issue of 2026-07-23. Changes we can source are
dated records in ``data/group_changes.yaml``; for every other (country, group) pair the current
membership is assumed for the whole horizon and marked ``from_memory`` before the eCFR issue date,
because nobody checked the history. Hong Kong is governed by the China entry from 2020-12-23
(85 FR 83788); Liechtenstein follows Switzerland (738.3(b)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from chipexport.rules.dated import Citation, Confidence, InForce, in_force_on, parse_date
from chipexport.rules.us.countries.ecfr import ecfr_issue, load
from chipexport.yamldata import load_yaml_text


@dataclass(frozen=True, slots=True)
class Membership:
    """One country's membership of one group over some windows."""

    country: str
    group: str
    windows: tuple[InForce, ...]
    citation: Citation
    confidence: Confidence
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.country}:{self.group}"


@cache
def _data(name: str) -> Any:
    text = resources.files("chipexport.rules.us.countries").joinpath("data", name).read_text(
        "utf-8")
    return load_yaml_text(text)


def horizon() -> date:
    """Earliest date answered for (``data/countries.yaml``; same as classify's constants)."""
    return parse_date(_data("countries.yaml")["horizon"], "countries.yaml: horizon")


@cache
def countries() -> Mapping[str, Mapping[str, Any]]:
    """ISO-2 -> the names the eCFR files use (``data/countries.yaml``)."""
    table: dict[str, Mapping[str, Any]] = _data("countries.yaml")["countries"]
    return table


@cache
def memberships() -> tuple[Membership, ...]:
    """Every dated membership record (the static range check runs over these)."""
    start = horizon()
    issue = ecfr_issue()
    out: list[Membership] = []
    sourced: set[tuple[str, str]] = set()
    for n, raw in enumerate(_data("group_changes.yaml")["memberships"]):
        where = f"group_changes.yaml: memberships[{n}]"
        windows = tuple(InForce(parse_date(s, where), None if e is None else parse_date(e, where))
                        for s, e in raw["in_force"])
        cit = raw["citation"]
        out.append(Membership(raw["country"], raw["group"], windows,
                              Citation(cit["rule"], cit.get("notice")),
                              Confidence(raw["confidence"]), raw.get("note", "")))
        sourced.add((raw["country"], raw["group"]))
    groups: dict[str, list[str]] = load("country-groups")["groups"]
    for code, names in countries().items():
        own = set(names.get("groups") or ())
        for group, members in groups.items():
            if (code, group) in sourced or not own.intersection(members):
                continue
            cit = Citation(f"15 CFR 740 Supp. 1, Country Group {group}",
                           f"eCFR {issue.isoformat()}")
            out.append(Membership(code, group, (InForce(start, issue),), cit,
                                  Confidence.FROM_MEMORY,
                                  "history not sourced: current membership assumed"))
            out.append(Membership(code, group, (InForce(issue),), cit, Confidence.VERIFIED))
    return tuple(out)


@cache
def _by_country() -> Mapping[str, tuple[Membership, ...]]:
    index: dict[str, list[Membership]] = {}
    for m in memberships():
        index.setdefault(m.country, []).append(m)
    return {k: tuple(v) for k, v in index.items()}


def is_known_country(cc: str) -> bool:
    """True for an ISO-2 code the EAR tables cover (directly or through another entry)."""
    return cc.strip().upper() in countries()


def country_name(cc: str) -> str:
    """The EAR's name for ``cc`` ("China", "Korea, South"); the code itself if unknown."""
    entry = countries().get(cc.strip().upper())
    return str(entry["name"]) if entry else cc


def resolve(cc: str, on: date | None = None) -> str:
    """The country whose entries govern ``cc`` on ``on`` (HK -> CN from 2020-12-23)."""
    code = cc.strip().upper()
    entry = countries().get(code, {})
    parent = entry.get("inherits")
    if parent:
        since = entry.get("inherits_from")
        if since is None or on is None or on >= parse_date(since, f"{code}.inherits_from"):
            return str(parent)
    return code


def group_memberships(cc: str, on: date) -> list[Membership]:
    """The membership records of ``cc`` in force on ``on`` (with citation and confidence)."""
    code = cc.strip().upper()
    entry = countries().get(code)
    if entry is None:
        return []
    governing = resolve(code, on)
    if governing != code:
        return group_memberships(governing, on)
    if entry.get("inherits") and entry.get("before_groups"):  # before inheritance began
        end = parse_date(entry["inherits_from"], f"{code}.inherits_from")
        cit = Citation("15 CFR 740 Supp. 1", str(entry.get("citation", "")))
        conf = Confidence(entry.get("confidence", "from_memory"))
        return [Membership(code, g, (InForce(horizon(), end),), cit, conf)
                for g in entry["before_groups"]]
    source = str(entry.get("groups_from", code))
    return [m for m in _by_country().get(source, ()) if in_force_on(m, on) is not None]


def groups_of(cc: str, on: date) -> frozenset[str]:
    """Country Groups of ``cc`` on ``on``: ``{"D:1", "D:3", "D:4", "D:5"}`` for CN."""
    return frozenset(m.group for m in group_memberships(cc, on))
