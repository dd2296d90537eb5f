"""When a restricted-party list entry started to apply, read from its Federal Register citations.

The list snapshot is today's, but a transaction is judged on its own date: YMTC (listed
2022-12-16) was not a listed party in June 2022. An entry's earliest FR citation is its
addition; a citation in ``us.list.dates`` gives the effective date, any other one only its year
(the FR volume) and a lower bound: the date of the latest known citation on an earlier page of
the same volume. An export before that bound is before the listing; after it, within the year,
the answer stays "listed" with a warning, because the exact date is not known here.
"""

from __future__ import annotations

import re
from datetime import date

from chipexport.determine.context import Context
from chipexport.model import ListEntry
from chipexport.rules.dated import parse_date
from chipexport.rules.provisions import rulebook

_FR = re.compile(r"(\d+)\s*FR\s*(\d+)")


def first_citation(entry: ListEntry) -> tuple[int, int] | None:
    """(volume, page) of the entry's earliest FR citation, or None."""
    cites = [(int(v), int(p)) for n in entry.federal_register_notices for v, p in _FR.findall(n)]
    return min(cites) if cites else None


def not_yet_listed(ctx: Context, entry: ListEntry) -> str | None:
    """Why ``entry`` did not apply on the transaction date, or None if it did (or may have)."""
    p = rulebook("us").on("us.list.dates", ctx.day)
    if p is None or entry.source not in p.params["sources"]:
        return None
    first = first_citation(entry)
    if first is None:
        return None
    cite = f"{first[0]} FR {first[1]}"
    known = p.params["known"].get(cite)
    if known is not None:
        start = parse_date(known, cite)
        return None if ctx.day >= start else f"entry added by {cite}, effective {start}"
    year = p.params["fr_volume_year_offset"] + first[0]
    if ctx.day < date(year, 1, 1):
        return f"entry added by {cite} (Federal Register of {year})"
    after = _later_than(p.params["known"], first)
    if after is not None and ctx.day < after[1]:
        return (f"entry added by {cite}, a later page of the {year} Federal Register than "
                f"{after[0]} (effective {after[1]})")
    if ctx.day.year == year:
        ctx.note(f"{entry.source} entry '{entry.name}' was added by {cite} during {year}; its "
                 "effective date is not known here: confirm it preceded the export")
    return None


def _later_than(known: dict[str, object], cite: tuple[int, int]) -> tuple[str, date] | None:
    """The latest known citation on an earlier page of the same FR volume, with its date.

    FR pages are numbered through the year in publication order, so an entry first cited at
    84 FR 43495 was published after the rule at 84 FR 22963 (effective 2019-05-16): it cannot
    have applied before that date.
    """
    best: tuple[str, date] | None = None
    for text, when in known.items():
        m = _FR.fullmatch(text.strip())
        if not m or int(m.group(1)) != cite[0] or int(m.group(2)) > cite[1]:
            continue
        day = parse_date(when, text)
        if best is None or day > best[1]:
            best = (text, day)
    return best
