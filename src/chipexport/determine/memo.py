"""The ``--explain`` memo: a determination as a reviewer reads it."""

from __future__ import annotations

from typing import Any


def _reason(r: dict[str, Any]) -> list[str]:
    start, end = r["in_force"]
    span = f"in force {start} to {end or 'today'}"
    cite = f"{r['rule']}" + (f" ({r['citation']})" if r.get("citation") else "")
    lines = [f"  - [{r['outcome']}] {r['summary']}",
             f"      rule: {cite}; {span}; confidence: {r['confidence']}"]
    if r.get("review_policy"):
        lines.append(f"      review policy: {r['review_policy']}")
    if r.get("license_exceptions"):
        lines.append(f"      licence exceptions: {', '.join(r['license_exceptions'])}")
    if r.get("facts"):
        facts = "; ".join(f"{k}={v}" for k, v in r["facts"].items() if v not in (None, [], ""))
        if facts:
            lines.append(f"      facts: {facts}")
    return lines


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
                         + (f" [{c['rule']}; confidence {c['confidence']}]" if c["rule"] else ""))
    for code, jur in result.get("jurisdictions", {}).items():
        lines.append("")
        lines.append(f"{code}: {jur['outcome']} (confidence {jur['confidence']})")
        if jur.get("classifications"):
            lines.append(f"  classifications: {', '.join(jur['classifications'])}")
        if jur.get("review_policy"):
            lines.append(f"  review policy: {jur['review_policy']}")
        if jur.get("license_exceptions"):
            lines.append(f"  licence exceptions: {', '.join(jur['license_exceptions'])}")
        lines.append("  reasons:")
        for r in jur.get("reasons", []):
            lines.extend(_reason(r))
    for s in result.get("screening", []):
        if s["matches"]:
            lines.append("")
            lines.append(f"Screening, party {s['party'] + 1} ({s.get('name', '')}):")
            for m in s["matches"]:
                kind = "match" if m.get("strong") else "possible match"
                lines.append(f"  - {kind}: {m['source']} '{m['name']}' score {m['score']}")
    for d in result.get("duties", []):
        amount = f", {d['amount_usd']} USD" if d.get("amount_usd") is not None else ""
        lines.append(f"Duty: item {d['item'] + 1} HTS {d['hts']}: {d['rate_percent']} % "
                     f"({d['authority']}, {d.get('citation')}){amount}")
    for w in result.get("warnings", []):
        lines.append(f"Warning: {w}")
    return "\n".join(lines)
