"""ECCNs the user declares: honoured as given, checked against the CCL and the date."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from chipexport.classify.criteria import parse_citation, parse_confidence
from chipexport.classify.data_files import load_yaml
from chipexport.classify.result import ControlEntry
from chipexport.rules.dated import Citation, Confidence, InForce, parse_date
from chipexport.rules.us.countries.ecfr import ccl_entries, ecfr_issue

_AC = re.compile(r"^(3A090|4A090)\.([abc])|^[345][A-E]\d{3}\.z(?:\.\d+)?\.([ab])")
BARE_AC = ("3A090", "4A090")
# Entries whose .z paragraphs carry no .a/.b level: z.1 holds the 3A090.a-level items and z.2
# the .b-level ones (eCFR 2026-07-23 chart lines "RS applies to 5A992.z.1" worldwide and
# "... 5A992.z.2" to the UAE or D:1/D:4/D:5).
_FLAT_Z = re.compile(r"^(4A004|4A005|5A992|5D992)\.z\.([12])\b")


def ac_tier(code: str) -> str | None:
    """The advanced-computing level of an ECCN: ``"3A090.b"`` -> ``"b"``; ``"3A001.z.1.a"``,
    ``"5A992.z.1"`` and ``"4A090.a"`` -> ``"a"``; ``"3A090.c"`` -> ``"c"``; None for other codes.

    Codes of one level share the destination scope, the headquarters rule and NAC/ACA, so a
    declared 4A090.a or 5A992.z.1 agrees with a chip the figures put in 3A090.a.
    """
    if code in BARE_AC:
        return "a"  # paragraph not given: the most restrictive reading (its scope is widest)
    flat = _FLAT_Z.match(code)
    if flat:
        return "a" if flat.group(2) == "1" else "b"
    m = _AC.match(code)
    if not m:
        return None
    return m.group(2) or m.group(3)


@cache
def _dated_stems() -> dict[str, tuple[list[InForce], Citation, Confidence]]:
    doc = load_yaml("eccns.yaml")
    out = {}
    for n, raw in enumerate(doc["eccns"]):
        where = f"eccns.yaml: eccns[{n}]"
        windows = [InForce(parse_date(s, where), None if e is None else parse_date(e, where))
                   for s, e in raw["in_force"]]
        out[raw["stem"]] = (windows, parse_citation(raw["citation"], where),
                            parse_confidence(raw["confidence"], where))
    return out


def _horizon() -> date:
    return parse_date(load_yaml("constants.yaml")["horizon"]["date"], "constants.yaml: horizon")


def declared_entry(eccn: str, on: date, warnings: list[str]) -> ControlEntry:
    """The entry for a declared ECCN; warns when the CCL never had it or it did not exist yet."""
    if eccn == "EAR99":
        raw = load_yaml("eccns.yaml")["ear99"]
        return ControlEntry("US", "EAR99", parse_citation(raw["citation"], "eccns.yaml: ear99"),
                            InForce(_horizon()), parse_confidence(raw["confidence"], "ear99"),
                            "EAR99 as declared: subject to the EAR, not on the CCL",
                            {"declared": True})
    stem = eccn[:5]
    dated = _dated_stems().get(stem)
    if dated is not None:
        windows, citation, confidence = dated
        window = next((w for w in windows if w.covers(on)), None)
        if window is None:
            warnings.append(f"ECCN {eccn} was not on the CCL on {on.isoformat()} "
                            f"(in force {', '.join(str(w.as_json()) for w in windows)})")
            window = windows[0]
    else:
        if stem not in ccl_entries():
            issue = ecfr_issue().isoformat()
            warnings.append(f"ECCN {eccn} is not in the Commerce Control List (eCFR {issue})")
        citation = Citation(f"15 CFR 774 Supp. 1, ECCN {stem}")
        confidence = Confidence.SECONDARY
        window = InForce(_horizon())
    heading = ccl_entries().get(stem, {}).get("heading") or "not in the current CCL"
    return ControlEntry("US", eccn, citation, window, confidence,
                        f"ECCN {eccn} as declared by the user ({heading[:80]})",
                        {"declared": True})


def matches(declared: str, derived: str) -> bool:
    """True when one code is the other or a paragraph of it (3A090 ~ 3A090.a), or both are of
    the same advanced-computing level (4A090.a ~ 3A090.a, see :func:`ac_tier`)."""
    if derived.startswith(declared) or declared.startswith(derived):
        return True
    level = ac_tier(declared)
    return level is not None and level == ac_tier(derived) and declared not in BARE_AC
