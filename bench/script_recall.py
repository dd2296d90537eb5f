"""Recall per script: list parties' names written in Arabic, Cyrillic, Chinese ... script.

Run: ``python -m bench script_recall`` (reads ../shared/data; prints a table, writes nothing).

Sets, all from ../shared/data (CC BY-NC 4.0 OpenSanctions data: read here, never copied):

- every entity of the OpenSanctions stratified pairs sample that carries a name in a non-Latin
  script: that name is the query, and the entity's Latin-script names are indexed as one extra
  entry beside the bundled lists (a hit must beat every list name). Entities are split in two
  halves by a hash of their id: ``dev`` was looked at while the engine was changed, ``held``
  was not;
- the cn_sanctions Chinese names (mostly sound transcriptions of US/EU names);
- clean names: real companies on no list (the screening benchmark's negatives) and person
  names written out here from common given names and surnames of many countries. A clean name
  "alerts" when any match reaches the default threshold.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from collections import defaultdict

from bench.screening_cases import DATA, cjk_sets, negative_names
from chipexport.lists import bundled_snapshots
from chipexport.model import ListEntry
from chipexport.screening import DEFAULT_THRESHOLD, build_index

NAME_PROPS = ("name", "alias", "weakAlias", "previousName")

# Typed out here (not read from the engine): common given names and surnames, many cultures.
_GIVEN = [
    "James",
    "Maria",
    "Wei",
    "Li",
    "Yan",
    "Jun",
    "Hiroshi",
    "Yuki",
    "Min-jun",
    "Ji-woo",
    "Olga",
    "Sergei",
    "Dmitri",
    "Anna",
    "Pieter",
    "Sanne",
    "Lars",
    "Ingrid",
    "Pierre",
    "Sophie",
    "Giuseppe",
    "Giulia",
    "Carlos",
    "Lucia",
    "Ahmed",
    "Fatima",
    "Omar",
    "Leila",
    "Rajesh",
    "Priya",
    "Amit",
    "Sunita",
    "Kwame",
    "Amara",
    "Tunde",
    "Chinedu",
    "Mehmet",
    "Ayse",
    "Nguyen",
    "Thi",
    "Somchai",
    "Ploy",
    "Joao",
    "Ana",
    "Thomas",
    "Laura",
    "Michael",
    "Sarah",
    "Daniel",
    "Emma",
    "Hassan",
    "Zainab",
    "Ali",
    "Reza",
    "Maryam",
    "Kenji",
]
_FAMILY = [
    "Smith",
    "Garcia",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Tanaka",
    "Suzuki",
    "Kim",
    "Park",
    "Lee",
    "Ivanova",
    "Petrov",
    "Jansen",
    "de",
    "Vries",
    "Bakker",
    "Hansen",
    "Larsen",
    "Dubois",
    "Martin",
    "Rossi",
    "Russo",
    "Fernandez",
    "Lopez",
    "Hassan",
    "Haddad",
    "Khan",
    "Patel",
    "Sharma",
    "Gupta",
    "Singh",
    "Mensah",
    "Okafor",
    "Adeyemi",
    "Yilmaz",
    "Demir",
    "Tran",
    "Le",
    "Wongsakul",
    "Silva",
    "Santos",
    "Mueller",
    "Schmidt",
    "Weber",
    "Johnson",
    "Brown",
    "Rahimi",
    "Karimi",
    "Nakamura",
    "Sato",
]


def _scripts(text: str) -> frozenset[str]:
    found = {
        unicodedata.name(ch, "?").split()[0] for ch in text if ch.isalpha() and not ch.isascii()
    }
    return frozenset(found - {"LATIN"})


def _half(entity_id: str) -> str:
    return "dev" if hashlib.sha1(entity_id.encode()).digest()[0] % 2 == 0 else "held"


def pair_sets() -> dict[str, list[tuple[str, list[str], str | None]]]:
    """``{"ARABIC dev": [(query, latin names, entity type)], ...}`` from the pairs sample."""
    pairs = json.loads(
        (DATA / "matching_pairs" / "opensanctions_pairs_sample1000_stratified.json").read_text()
    )
    seen: set[str] = set()
    out: dict[str, list[tuple[str, list[str], str | None]]] = defaultdict(list)
    for pair in pairs:
        for side in ("left", "right"):
            entity = pair[side]
            if entity["id"] in seen:
                continue
            seen.add(entity["id"])
            names = [n for k in NAME_PROPS for n in entity["properties"].get(k, [])]
            latin = [n for n in names if not _scripts(n)]
            if not latin:
                continue
            for n in dict.fromkeys(names):
                found = _scripts(n)
                if len(found) == 1:
                    (script,) = found
                    kind = "Individual" if entity["schema"] == "Person" else None
                    out[f"{script} {_half(entity['id'])}"].append((n, latin, kind))
    return dict(sorted(out.items()))


def extra_entries(label: str, items: list[tuple[str, list[str], str | None]]) -> list[ListEntry]:
    """The sets' targets as one extra list (cn_sanctions: the third field is a country)."""
    typed = not label.startswith("cn_")
    return [
        ListEntry(
            source="XS-TEST",
            entry_id=f"x{i}",
            name=names[0],
            aliases=tuple(names[1:]),
            entity_type=extra if typed else None,
        )
        for i, (_, names, extra) in enumerate(items)
    ]


def person_negatives() -> list[str]:
    """Given name + surname pairs, both orders and "SURNAME, Given" (deterministic)."""
    out = []
    for i, given in enumerate(_GIVEN):
        for j in range(3):
            family = _FAMILY[(i * 7 + j * 13) % len(_FAMILY)]
            out.append([f"{given} {family}", f"{family.upper()}, {given}", f"{family} {given}"][j])
    return out


def run(only: list[str] | None = None) -> str:
    """The per-script table and the clean-name alert rates, as Markdown."""
    entries = [e for s in bundled_snapshots() for e in s.entries]
    sets = pair_sets()
    for label, items in cjk_sets().items():
        if label.startswith("cn_sanctions"):
            sets[label] = items
    lines = [
        "## Names in other scripts",
        "",
        "Command: `python -m bench script_recall`. A query counts when the entity's Latin-script "
        "names, indexed as one extra entry beside the bundled lists, are reported at the default "
        "threshold. `dev` halves were looked at while the rules were written, `held` were not.",
        "",
        "| set | queries | found | recall |",
        "|---|---|---|---|",
    ]
    for label, items in sets.items():
        if only and not any(o in label for o in only):
            continue
        index = build_index([*entries, *extra_entries(label, items)])
        hits = sum(
            any(m.entry.entry_id == f"x{i}" for m in index.screen(q).matches)
            for i, (q, _, _) in enumerate(items)
        )
        lines.append(f"| {label} | {len(items)} | {hits} | **{hits / max(1, len(items)):.2f}** |")
    index = build_index(entries)
    companies = list(negative_names())
    alerts = [n for n, cc in companies if index.screen(n, cc).matches]
    persons = person_negatives()
    p_alerts = [n for n in persons if index.screen(n).matches]
    lines += [
        "",
        f"Clean names alerted at {DEFAULT_THRESHOLD}: companies {len(alerts)}/{len(companies)} "
        f"({len(alerts) / len(companies):.2%}), persons {len(p_alerts)}/{len(persons)} "
        f"({len(p_alerts) / len(persons):.2%}).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    print(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
