"""The Commerce Country Chart (15 CFR 738 Supp. 1) joined with an ECCN's reasons for control.

For each "X applies to ..." line of the ECCN's License Requirements (CCL JSON), the chart column
it names is looked up in the destination's row; lines that state the destinations in words
("To or within Macau or a destination specified in Country Group D:5") are evaluated against the
destination's Country Groups. Anything the parser cannot settle (paragraph lists it cannot read,
requirements stated only by reference to Part 742) is returned as a *conditional* hit rather
than dropped, so the caller reviews it instead of reading silence as "no licence".
Data is the eCFR issue of 2026-07-23: the chart's history is not modelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from chipexport.errors import ChipexportError
from chipexport.rules.dated import Citation
from chipexport.rules.us.countries.ecfr import ccl_entries, ecfr_issue, load
from chipexport.rules.us.countries.groups import countries, groups_of, resolve

_COLUMN = re.compile(r"\b([A-Z]{2}) Column (\d)\b")
_GROUP = re.compile(r"\b([A-E]):(\d)\b")
_TOKEN = re.compile(r"^[a-z](?:\.[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class ChartHit:
    """One reason for control that requires (or may require) a licence for this destination."""

    eccn: str
    reason: str  # "NS2", "RS1", or "RS" when the requirement is stated in words
    column: str | None  # Country Chart column ("NS 2"), None for worded requirements
    control: str  # the CCL line, e.g. "NS applies to 3B001.a.4, c, d, ..."
    requirement: str  # the CCL text of the requirement ("NS Column 2.", "To or within Macau ...")
    paragraphs: tuple[str, ...] | None  # paragraphs the line covers; None = entire entry/unknown
    conditional: bool  # True: applies only to some paragraphs, or could not be settled here
    citation: Citation


class CountryError(ChipexportError, ValueError):
    """An ISO-2 code the EAR tables do not cover."""


@cache
def _rows() -> dict[str, list[str]]:
    chart = load("country-chart")
    rows = {name: list(v["marks"]) for name, v in chart["countries"].items()}
    for name in chart["embargoed"]:
        rows[name] = []
    return rows


def _paragraphs(applies_to: str, stem: str) -> tuple[str, ...] | None:
    """``"3B001.a.4, c, k to n"`` -> ``("a.4", "c", "k", "l", "m", "n")``; None if unreadable."""
    text = applies_to.replace(f"{stem}.", "").strip().rstrip(".")
    text = text.removeprefix("items controlled by ").strip()
    out: list[str] = []
    for token in re.split(r",\s*(?:and\s+)?|\s+and\s+", text):
        token = token.strip().lstrip(".")  # "4A003.b, .c, and .z.1"
        if " to " in token:
            first, _, last = token.partition(" to ")
            if not (_TOKEN.match(first) and _TOKEN.match(last)):
                return None
            head, _, a = first.rpartition(".")
            head2, _, b = last.rpartition(".")
            if head != head2:
                return None
            if a.isdigit() and b.isdigit():
                span = [str(i) for i in range(int(a), int(b) + 1)]
            elif len(a) == 1 and len(b) == 1:
                span = [chr(c) for c in range(ord(a), ord(b) + 1)]
            else:
                return None
            out += [f"{head}.{s}" if head else s for s in span]
        elif _TOKEN.match(token):
            out.append(token)
        else:
            return None
    return tuple(out)


def _overlaps(asked: str, covered: str) -> bool:
    return asked == covered or asked.startswith(covered + ".") or covered.startswith(asked + ".")


def _worded_hit(requirement: str, cc: str, groups: frozenset[str]) -> bool | None:
    """Whether a worded requirement reaches ``cc``; None when the words cannot be settled."""
    included, _, excluded = requirement.partition("excluding")
    if "worldwide" in included.lower():
        return True
    inc = {f"{a}:{b}" for a, b in _GROUP.findall(included)}
    exc = {f"{a}:{b}" for a, b in _GROUP.findall(excluded)}
    named = {code for code, entry in countries().items()
             if entry.get("chart") and str(entry["chart"]) in included}
    if not inc and not named:
        return None
    # A destination named outright (the UAE, itself in A:5) is not taken out by "excluding".
    return cc in named or (bool(groups & inc) and not groups & exc)


def chart_reasons(eccn: str, cc: str, on: date | None = None) -> list[ChartHit]:
    """Reasons for control of ``eccn`` that the Country Chart marks for destination ``cc``.

    ``eccn`` may be a stem ("3B001") or a paragraph ("3B001.f.1"); EAR99 and ECCNs not on the
    CCL give ``[]``. ``on`` only selects Country Group membership for worded requirements.
    Raises :class:`CountryError` for a code the EAR tables do not cover.
    """
    code = cc.strip().upper()
    if code not in countries():
        raise CountryError(f"unknown country code {cc!r}")
    stem, _, paragraph = eccn.strip().partition(".")
    entry = ccl_entries().get(stem.upper())
    if entry is None:
        return []
    governing = resolve(code, on)
    row_name = str(countries()[governing].get("chart", ""))
    rowless = row_name not in _rows()  # e.g. Hong Kong before 2020-12-23: no current row
    marks = set(_rows().get(row_name, []))
    embargoed = row_name in load("country-chart")["embargoed"]
    groups = groups_of(governing, on or ecfr_issue())
    hits: list[ChartHit] = []
    for line in entry.get("countryChart") or []:
        control, requirement = str(line["control"]), str(line["countryChart"])
        reason = control.split(" ", 1)[0]
        _, _, applies_to = control.partition(" applies to ")
        whole = applies_to.startswith("entire entry")
        paras = None if whole else _paragraphs(applies_to, stem.upper())
        if paragraph and paras is not None and not any(_overlaps(paragraph, p) for p in paras):
            continue
        conditional = ("except" in applies_to) or (not whole and (not paragraph or paras is None))
        column_match = _COLUMN.search(requirement)
        column = f"{column_match.group(1)} {column_match.group(2)}" if column_match else None
        if rowless:
            reached: bool | None = None  # the current chart cannot answer: review, not silence
        elif embargoed:
            reached = True  # no marks: Part 746 governs; never read as permissive
        elif column is not None:
            reached = column in marks
        else:
            reached = _worded_hit(requirement, governing, groups)
        if reached is False:
            continue
        label = column.replace(" ", "") if column else reason
        notice = f"15 CFR 774 Supp. 1, ECCN {stem.upper()} License Requirements: {control}"
        hits.append(ChartHit(
            eccn=eccn, reason=label, column=column, control=control,
            requirement=requirement, paragraphs=paras, conditional=conditional or reached is None,
            citation=Citation("15 CFR 738 Supp. 1", notice)))
    return hits
