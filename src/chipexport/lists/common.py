"""Helpers every list reader shares: source codes, stable ids, affiliate names, citations.

Kept in one place so that two readers never derive an id or split a citation differently
(an entry read from the CSL JSON and from the CSL CSV must come out identical).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

# The CSL's source titles end in "(CODE)" or "(CODE List)"; the code is what users filter on.
_SOURCE_CODE = re.compile(r"\(([A-Z][A-Z-]*)(?: List)?\)")
_AFFILIATE = re.compile(r"^(?P<parent>.+?)\.?\s+Affiliated Entity:\s*(?P<affiliate>.+?)\s*$")
# Citations are joined with ";" and sometimes "," or ". " ("84 FR 22963, 84 FR 43495",
# "85 FR 51603, 8/20/20. 85 FR 52901"), or only a space ("76 FR 78146 (12/16/11) 77 FR 58006").
# A comma, full stop or space only separates when the next part starts a new "NN FR" citation,
# so dates and "(no. 182)" stay with their citation.
# The longest primary name in the bundled lists has 381 characters (an Entity List ministry and
# its armed forces). A "name" far beyond that is a broken file (a column shift, a pasted blob);
# screening also reads only the first 1,000 characters of a query, so it could never match.
MAX_LISTED_NAME_CHARS = 1000
_DATE_ONLY = re.compile(r"^[\d/.\-()\s]+$")
_FR_SPLIT = re.compile(r"\s*;\s*|[,.]\s*(?=\d+\s*FR\b)|\s+(?=\d+\s+FR\s+\d)", re.I)


def source_code(title: str) -> str:
    """``"Entity List (EL) - Bureau of Industry and Security"`` -> ``"EL"``.

    A bare code (``"EL"``) is returned as is, upper-cased.
    """
    m = _SOURCE_CODE.search(title)
    if m:
        return m.group(1)
    return title.strip().upper()


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a listed party's primary name, or None when it can.

    Every reader checks its primary names here, so a list file with an empty, punctuation-only or
    absurdly long name is refused the same way whatever its format (naming line and field),
    instead of loading an entry that screening can never match.
    """
    if not name.strip():
        return "empty name"
    if len(name) > MAX_LISTED_NAME_CHARS:
        return f"name is {len(name)} characters long (limit {MAX_LISTED_NAME_CHARS})"
    if not any(c.isalnum() for c in name):
        return f"name {name[:40]!r} has no letters or digits"
    return None


def split_affiliate(name: str) -> tuple[str | None, str | None]:
    """Split an Entity List name written ``"X. Affiliated Entity: Y"`` into (X, Y).

    Returns ``(None, None)`` for ordinary names. Screening indexes Y so that the affiliate is
    findable by its own name, which is how users type it.
    """
    m = _AFFILIATE.match(name)
    if not m:
        return None, None
    return m.group("parent").strip(), m.group("affiliate").strip()


def split_list(value: str | None, sep: str = ";") -> tuple[str, ...]:
    """Split a joined CSL cell (``"a; b"``), dropping blanks and keeping order."""
    if not value:
        return ()
    return tuple(p.strip() for p in value.split(sep) if p.strip())


def split_citations(value: str | None) -> tuple[str, ...]:
    """Federal Register citations as the CSL joins them (``"73 FR 54504; 84 FR 43493"``)."""
    if not value:
        return ()
    parts: list[str] = []
    for part in _FR_SPLIT.split(value.strip()):
        if not part:
            continue
        if parts and _DATE_ONLY.match(part):
            parts[-1] = f"{parts[-1]}; {part}"  # "79 FR 24566; 5/1/14": the date is not a citation
        else:
            parts.append(part)
    return tuple(parts)


def stable_id(source: str, *parts: str) -> str:
    """An id for entries the list gives none (the Entity List, the UN list without DATAID...).

    Derived from the source and the primary name so that the same entry keeps its id across
    list versions, which re-screening relies on to tell modified entries from new ones.
    """
    digest = hashlib.sha1("\x1f".join((source, *parts)).encode("utf-8")).hexdigest()
    return f"{source}-{digest[:12]}"


def dedupe_ids(ids: Iterable[str]) -> list[str]:
    """Make ids unique by suffixing repeats with ``~2``, ``~3`` ... in order of appearance."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for i in ids:
        n = seen.get(i, 0) + 1
        seen[i] = n
        out.append(i if n == 1 else f"{i}~{n}")
    return out


def split_names(values: Iterable[str]) -> tuple[str, ...]:
    """Aliases as a clean tuple: split on ``;``, stripped, blanks and repeats dropped.

    The CSL joins aliases with ``"; "`` but a few upstream aliases contain a bare ``;``
    (``"NPO Izhmash OAO;OJSC Concern Kalashnikov"``), i.e. two names. Splitting every alias the
    same way in every reader keeps the JSON and CSV forms of the CSL identical.
    """
    seen: dict[str, None] = {}
    for value in values:
        for part in value.split(";"):
            part = part.strip()
            if part:
                seen.setdefault(part, None)
    return tuple(seen)


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty values, first occurrence kept, order preserved."""
    seen: dict[str, None] = {}
    for v in values:
        if v:
            seen.setdefault(v, None)
    return tuple(seen)


def country_from_address(address: str) -> str | None:
    """The ISO-2 code a CSL address ends with (``"..., Beijing, 100033, CN"`` -> ``"CN"``)."""
    from chipexport.lists.countries import iso_codes  # local: countries loads a data file

    last = address.rsplit(",", 1)[-1].strip()
    return last if len(last) == 2 and last in iso_codes() else None
