"""``chipexport rules check``: the rules data (bundled, plus an overlay folder) checked as a whole.

Loading already refuses a malformed record: unknown fields, parameters no code reads
(``rules/data/params.yaml``), bad dates or confidence marks. This adds what needs every record
at once: gaps and overlaps between the versions of a provision or criterion, and references
between records — a provision naming another provision or a criteria code that does not exist,
a Dutch national criteria code no ``nl.national.*`` measure lists (it would classify but never
decide), and an Entity List footnote without its foreign direct product record or the reverse.
Each problem is one line naming the file and the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from chipexport.classify.criteria import Criterion, all_criteria
from chipexport.errors import ChipexportError
from chipexport.rules.dated import range_problems
from chipexport.rules.provisions import (
    JURISDICTIONS,
    Provision,
    all_provisions,
    overlay_files,
    rulebook,
)

# Parameters whose values name other provisions, and those that name criteria codes.
PROVISION_REFS = ("supp2_provision", "hq_keys", "scope_keys")
CODE_REFS = ("codes", "individual_everywhere_codes")
FOOTNOTES = "us.el.footnotes"
FOOTNOTE_FDP = "us.fdp.el_fn"


def check_rules(folder: Path | None = None) -> list[str]:
    """Every problem of the rules (with ``folder``'s overlay, else ``CHIPEXPORT_RULES_DIR``'s),
    one line each; empty when the rules are sound."""
    try:
        provisions = list(all_provisions(folder))
        criteria = list(all_criteria(folder))
    except ChipexportError as exc:
        return [str(exc)]
    origin = _origins(folder)
    problems = [f"{origin(_key(line))}: {line}" for line in _date_problems(provisions, criteria)]
    keys = {p.key for p in provisions}
    codes = {c.code for c in criteria}
    for p in provisions:
        for ref in _values(p.params, PROVISION_REFS):
            if ref not in keys:
                problems.append(f"{origin(p.key)}: {p.key}: params name provision '{ref}', "
                                "which no rules file defines")
        for code in _values(p.params, CODE_REFS):
            if code not in codes:
                problems.append(f"{origin(p.key)}: {p.key}: params name criteria code '{code}', "
                                "which no criteria record defines")
    problems += _unused_national_codes(provisions, criteria, origin)
    problems += _footnote_problems(folder, keys, origin)
    return problems


def _date_problems(provisions: Sequence[Provision], criteria: Sequence[Criterion]) -> list[str]:
    return [*range_problems([p for p in provisions if p.contiguous]),
            *range_problems([p for p in provisions if not p.contiguous], contiguous=False),
            *range_problems(criteria, contiguous=False)]


def _key(line: str) -> str:
    return line.partition(":")[0]


def _values(params: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    """The strings under ``names`` in ``params``: a string, a list, or a mapping's values."""
    out: list[str] = []
    for name in names:
        value = params.get(name)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, Mapping):
            out.extend(str(v) for v in value.values())
        elif isinstance(value, list):
            out.extend(str(v) for v in value)
    return out


def _unused_national_codes(provisions: Sequence[Provision], criteria: Sequence[Criterion],
                           origin: Any) -> list[str]:
    listed = {c for p in provisions if p.key.startswith("nl.national.")
              for c in _values(p.params, ("codes",))}
    return [f"{origin(c.key)}: {c.key}: Dutch national code '{c.code}' is listed by no "
            "nl.national.* provision, so it would never decide" for c in criteria
            if c.regime == "NL" and c.code.startswith("NL-") and c.code not in listed]


def _footnote_problems(folder: Path | None, keys: set[str], origin: Any) -> list[str]:
    problems = []
    numbers: set[str] = set()
    book = rulebook("us", folder)
    for key in keys:  # a footnote's FDP record may carry its own text
        if key.startswith(FOOTNOTE_FDP):
            numbers |= {str(p.params["footnote"]) for p in book.versions(key)
                        if p.params.get("text")}
    for p in book.versions(FOOTNOTES):
        numbers |= {str(n) for n in p.params["footnotes"]}
        for paragraph, n in (p.params.get("paragraphs") or {}).items():
            if str(n) not in {str(x) for x in p.params["footnotes"]}:
                problems.append(f"{origin(FOOTNOTES)}: {FOOTNOTES}: paragraph {paragraph} "
                                f"names footnote {n}, which has no text")
    fdp = {k.removeprefix(FOOTNOTE_FDP) for k in keys if k.startswith(FOOTNOTE_FDP)}
    for key in sorted(keys):
        for p in book.versions(key) if key.startswith(FOOTNOTE_FDP) else ():
            if str(p.params.get("footnote")) != key.removeprefix(FOOTNOTE_FDP):
                problems.append(f"{origin(key)}: {key}: params.footnote is "
                                f"{p.params.get('footnote')!r}, not the key's number")
    for n in sorted(numbers - fdp):
        problems.append(f"{origin(FOOTNOTES)}: {FOOTNOTES}: footnote {n} has no "
                        f"{FOOTNOTE_FDP}{n} provision saying what its direct product rule reaches")
    for n in sorted(fdp - numbers):
        problems.append(f"{origin(FOOTNOTE_FDP + n)}: {FOOTNOTE_FDP}{n}: footnote {n} has no "
                        f"text (in {FOOTNOTES} or its own params.text), so no Entity List "
                        "entry is read as naming it")
    return problems


def _origins(folder: Path | None) -> Any:
    """key -> the file its record comes from (the overlay file when the overlay gives it)."""
    where: dict[str, str] = {}
    for name in JURISDICTIONS:
        for p in rulebook(name, folder).provisions:
            where.setdefault(p.key, f"rules/data/{name}.yaml")
    for c in all_criteria(folder):
        where.setdefault(c.key, "classify/data (criteria)")
    for f in overlay_files(folder):
        for record in (*f.provisions, *f.records):
            where[str(record["key"])] = str(f.path)

    def origin(key: str) -> str:
        return where.get(key, "rules")

    return origin
