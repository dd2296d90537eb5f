"""Large synthetic restricted-party lists built around the real bundled entries.

Why: users load far more than the ~27k bundled entries (OpenSanctions' default collection holds
over a million), and screening must find the same real parties in a list of any size. Such lists
are not ours to ship, so this module grows one from the bundled entries' own words: each
generated entry copies the shape of a random real entry (its punctuation, word count, legal
form, "SURNAME, Given" order, country, entity type) and replaces most of its words by words
drawn from the real names of the same kind (organisation or person), as often as the real
lists use them, with a one-letter change now and then (large lists are full of one-edit
neighbours: ``MARINE`` beside ``PARINE``). Seeded: the same arguments give the same list.

``python -m bench.synthetic_lists 400000 > big.csv`` writes such a list as a CSL CSV file that
``chipexport lists load --source csl-csv=big.csv`` loads; :func:`scaled_entries` is what the
benchmarks and the scale test call.
"""

from __future__ import annotations

import csv
import random
import re
import string
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from chipexport.lists import bundled_snapshots
from chipexport.model import ListEntry

SOURCE = "SYN"
WORD = re.compile(r"[^\W\d_]{3,}")  # letter runs of three or more: the words that are replaced
REPLACE_SHARE = 0.6  # of a template's words replaced by a word drawn from the pool
TYPO_SHARE = 0.02  # of the words (four letters or more) given a one-letter change
ALIAS_SHARE = 0.3  # of generated entries that get one alias


def real_entries() -> list[ListEntry]:
    """The bundled list entries (CSL + UN), in bundle order."""
    return [e for snap in bundled_snapshots() for e in snap.entries]


def _is_person(e: ListEntry) -> bool:
    return (e.entity_type or "").lower() == "individual"


def _pools(real: Sequence[ListEntry]) -> tuple[list[str], list[str]]:
    """Every word occurrence in organisations' and in persons' names (frequency-weighted)."""
    orgs: list[str] = []
    persons: list[str] = []
    for e in real:
        pool = persons if _is_person(e) else orgs
        for name in e.all_names:
            pool.extend(WORD.findall(name))
    return orgs, persons


def one_letter_change(rng: random.Random, word: str) -> str:
    """One insertion, deletion or substitution, keeping the first letter and the case."""
    i = rng.randrange(1, len(word))
    letter = rng.choice(string.ascii_lowercase)
    letter = letter.upper() if word.isupper() else letter
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + letter + word[i:]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + letter + word[i + 1 :]


def _rewrite(rng: random.Random, name: str, pool: Sequence[str]) -> str:
    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        if rng.random() < REPLACE_SHARE:
            new = rng.choice(pool)
            word = new.upper() if word.isupper() else new.capitalize() if word.istitle() else new
        if len(word) >= 4 and rng.random() < TYPO_SHARE:
            word = one_letter_change(rng, word)
        return word

    return WORD.sub(swap, name)


def synthetic_entries(real: Sequence[ListEntry], n: int, seed: int = 18) -> Iterator[ListEntry]:
    """``n`` generated entries in the likeness of ``real`` (source ``SYN``, ids ``syn-N``)."""
    rng = random.Random(seed)
    orgs, persons = _pools(real)
    for i in range(n):
        template = rng.choice(real)
        pool = persons if _is_person(template) else orgs
        name = _rewrite(rng, template.name, pool)
        aliases: tuple[str, ...] = ()
        if template.aliases and rng.random() < ALIAS_SHARE:
            aliases = (_rewrite(rng, rng.choice(template.aliases), pool),)
        yield ListEntry(
            source=SOURCE,
            entry_id=f"syn-{i}",
            name=name,
            aliases=aliases,
            entity_type=template.entity_type,
            countries=template.countries,
        )


def scaled_entries(size: int, seed: int = 18) -> list[ListEntry]:
    """The real entries plus generated ones, ``size`` entries in all (at least the real ones)."""
    real = real_entries()
    return [*real, *synthetic_entries(real, max(0, size - len(real)), seed)]


FLAT_CSL = [
    "source", "source_code", "entity_number", "type", "programs", "name", "alt_names",
    "address_countries", "license_requirement", "license_policy", "federal_register_notice",
    "source_list_url",
]


def write_csl_csv(entries: Iterable[ListEntry], out: TextIO) -> None:
    """Entries in the flat Consolidated Screening List CSV layout that ``chipexport lists load
    --source csl-csv=FILE`` reads (names, aliases, type, countries; other fields left empty)."""
    w = csv.writer(out)
    w.writerow(FLAT_CSL)
    for e in entries:
        w.writerow(
            [e.source, e.source, e.entry_id, e.entity_type or "", "", e.name,
             "; ".join(e.aliases), "; ".join(e.countries), "", "", "", ""]
        )


def main(argv: list[str]) -> int:
    """``python -m bench.synthetic_lists SIZE > list.csv``: the real entries and generated ones."""
    write_csl_csv(scaled_entries(int(argv[0]) if argv else 400_000), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
