"""The ``--explain`` memo: a determination as a reviewer reads it."""

from __future__ import annotations

from typing import Any

from chipexport.determine.actions import action
from chipexport.model.screening import match_label

# The confidence marks of the rules data (rules/dated.py) in the words a reader needs: how far
# the rule behind a reason has been checked. JSON keeps the codes; text shows these.
CONFIDENCE_WORDS = {
    "verified": "verified against the regulation's text",
    "secondary": "from reliable secondary sources (law-firm or trade-press summaries)",
    "from_memory": "not yet confirmed from a published source: confirm before relying on it",
    "unresolved": "unresolved: sources disagree or are missing, a person must check",
}


def confidence_words(mark: str | None) -> str:
    """``from_memory`` -> "not yet confirmed from a published source: ..."."""
    return CONFIDENCE_WORDS.get(str(mark), str(mark))


def _reason(r: dict[str, Any]) -> list[str]:
    start, end = r["in_force"]
    span = f"in force {start} to {end or 'today'}"
    cite = f"{r['rule']}" + (f" ({r['citation']})" if r.get("citation") else "")
    lines = [f"  - [{r['outcome']}] {r['summary']}",
             f"      rule: {cite}; {span}",
             f"      confidence: {confidence_words(r['confidence'])}"]
    if r.get("review_policy"):
        lines.append(f"      review policy: {r['review_policy']}")
    if r.get("license_exceptions"):
        lines.append(f"      licence exceptions: {', '.join(r['license_exceptions'])}")
    if r.get("facts"):
        facts = "; ".join(f"{k}={v}" for k, v in r["facts"].items() if v not in (None, [], ""))
        if facts:
            lines.append(f"      facts: {facts}")
    return lines


def evidence_lines(ev: dict[str, Any]) -> list[str]:
    """A ``screening_evidence`` object in words: which lists (and versions) were searched,
    when they were loaded, at what threshold, when; and any stale-list warning. "No match"
    means nothing without it."""
    lists = ev.get("lists") or []
    if not lists:
        return ["Screened against: no lists were loaded; nothing was screened."]
    names = ", ".join(f"{x['source']} {x['version']}" for x in lists)
    loaded = sorted({str(x["loaded_at"])[:16].replace("T", " ") for x in lists})
    lines = [
        f"Screened against {len(lists)} list{'s' if len(lists) != 1 else ''}: {names}.",
        f"Lists loaded {', '.join(loaded)} UTC; threshold {ev['threshold']:.2f}; "
        f"screened {str(ev['screened_at'])[:16].replace('T', ' ')} UTC.",
    ]
    return lines + [f"Warning: {w}" for w in ev.get("stale_lists") or []]


def memo(result: dict[str, Any]) -> str:
    """A plain-text memo of one output object (reasons, citations, dates, facts, confidence)."""
    lines = [f"Transaction {result['id']}" + (f" ({result['date']})" if result.get("date") else "")
             + f": {result['outcome']}"]
    for err in result.get("errors", []):
        lines.append(f"  error: {err}")
    for it in result.get("items", []):
        name = f" {it['product']}" if it.get("product") else ""
        lines.append(f"Item {it['item'] + 1}{name}:")
        if not it["controls"]:
            lines.append("  no control entry on this date")
        for c in it["controls"]:
            lines.append(f"  {c['regime']} {c['code']}: {c['summary']}"
                         + (f" [{c['rule']}; {confidence_words(c['confidence'])}]"
                            if c["rule"] else ""))
    for code, jur in result.get("jurisdictions", {}).items():
        lines.append("")
        lines.append(f"{code}: {jur['outcome']} (confidence: "
                     f"{confidence_words(jur['confidence'])})")
        if jur.get("classifications"):
            lines.append(f"  classifications: {', '.join(jur['classifications'])}")
        if jur.get("review_policy"):
            lines.append(f"  review policy: {jur['review_policy']}")
        if jur.get("license_exceptions"):
            lines.append(f"  licence exceptions: {', '.join(jur['license_exceptions'])}")
        if jur.get("outcome") != "ERROR":
            todo = action(code, jur)
            lines.append(f"  what to do: {todo['title']}")
            lines.extend(f"    - {step}" for step in todo["steps"])
            if todo["cite"]:
                lines.append(f"    (rests on: {todo['cite']})")
        lines.append("  reasons:")
        for r in jur.get("reasons", []):
            lines.extend(_reason(r))
    for s in result.get("screening", []):
        lines.append("")
        if s["matches"]:
            lines.append(f"Screening, party {s['party'] + 1} ({s.get('name', '')}):")
            for m in s["matches"]:
                lines.append(f"  - {match_label(m['score'], m.get('strong'))}: {m['source']} "
                             f"'{m['name']}' score {m['score']:.2f}")
        else:
            lines.append(f"Screening, party {s['party'] + 1} ({s.get('name', '')}): "
                         "no list match at or above the threshold.")
    if result.get("screening_evidence"):
        lines.append("")
        lines.extend(evidence_lines(result["screening_evidence"]))
    for d in result.get("duties", []):
        amount = f", {d['amount_usd']} USD" if d.get("amount_usd") is not None else ""
        lines.append(f"Duty: item {d['item'] + 1} HTS {d['hts']}: {d['rate_percent']} % "
                     f"({d['authority']}, {d.get('citation')}){amount}")
    for w in result.get("warnings", []):
        lines.append(f"Warning: {w}")
    return "\n".join(lines)
