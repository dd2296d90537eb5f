"""What to do next: a short, cited action per jurisdiction's answer, in the reader's terms.

An outcome code alone leaves the reader to work out the consequence ("LICENSE_REQUIRED" to an
Entity List party whose entry says "policy of denial" means: do not ship, a licence is
unlikely). The actions here are fixed sentences keyed by outcome and by what decided it (an
SDN match, a denial policy, an unresolved question), each with the provision it rests on.
They restate consequences of the reasons already given; they decide nothing themselves.
"""

from __future__ import annotations

from typing import Any

# Who grants export licences in each jurisdiction the engine answers for.
_LICENSING = {"US": "BIS (SNAP-R)", "JP": "METI", "NL": "the Dutch Central Import and Export "
              "Office (CDIU)", "CN": "MOFCOM"}


def _deciding(jur: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in jur.get("reasons") or [] if r.get("outcome") == jur.get("outcome")]


def _cite(reasons: list[dict[str, Any]]) -> str:
    rules = dict.fromkeys(r["rule"] + (f" ({r['citation']})" if r.get("citation") else "")
                          for r in reasons if r.get("rule"))
    return "; ".join(list(rules)[:2])


def action(code: str, jur: dict[str, Any]) -> dict[str, Any]:
    """``{kind, title, steps, cite}`` for one jurisdiction's answer (``kind`` is ``stop``,
    ``review``, ``licence`` or ``go``: how urgent the box looks)."""
    outcome, deciding = jur.get("outcome"), _deciding(jur)
    policy = (jur.get("review_policy") or "").lower()
    text = " ".join(f"{r.get('rule', '')} {r.get('summary', '')}" for r in deciding)
    who = _LICENSING.get(code, "the licensing authority")
    if outcome == "PROHIBITED" and ("SDN" in text or "blocked" in text.lower()):
        return {"kind": "stop", "title": "Blocked party: no dealings",
                "steps": ["Do not ship, pay, receive payment or provide any service; the "
                          "party's property and interests are blocked.",
                          "Report blocked property to OFAC within 10 business days."],
                "cite": "31 CFR 501.603; " + _cite(deciding)}
    if outcome == "PROHIBITED":
        return {"kind": "stop", "title": "Prohibited: do not ship",
                "steps": ["Stop the transaction; no licence can authorise it as it stands."],
                "cite": _cite(deciding)}
    if outcome == "LICENSE_REQUIRED" and "denial" in policy:
        return {"kind": "stop", "title": "Do not ship: a licence is required and unlikely",
                "steps": [f"A licence from {who} is required; the review policy is "
                          f"{jur.get('review_policy')}, so approval is unlikely.",
                          "Do not ship while an application is pending; consider declining "
                          "the order."],
                "cite": _cite(deciding)}
    if outcome == "LICENSE_REQUIRED":
        return {"kind": "licence", "title": "Licence required before shipping",
                "steps": [f"Apply to {who} citing the classification and reasons below; ship "
                          "only once the licence is granted, within its terms."]
                + ([f"Review policy: {jur['review_policy']}."] if jur.get("review_policy")
                   else []),
                "cite": _cite(deciding)}
    if outcome == "REVIEW":
        questions = [r["facts"]["question"] for r in deciding
                     if isinstance(r.get("facts"), dict) and r["facts"].get("question")]
        others = [r["summary"] for r in deciding
                  if not (isinstance(r.get("facts"), dict) and r["facts"].get("question"))]
        return {"kind": "review", "title": "Hold: a person must answer first",
                "steps": list(dict.fromkeys(questions + others))[:4],
                "cite": _cite(deciding)}
    if outcome == "LICENSE_EXCEPTION":
        used = ", ".join(jur.get("license_exceptions") or []) or "the exception below"
        return {"kind": "go", "title": f"May ship under licence exception {used}",
                "steps": ["Check every condition of the exception and record it in the "
                          "export filing and your records."],
                "cite": _cite(deciding)}
    return {"kind": "go", "title": "No licence required on this route and date",
            "steps": ["Keep this record with the export documents (five years)."],
            "cite": "15 CFR 762.6" if code == "US" else _cite(deciding)}


def actions(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The action for every jurisdiction of an output object, by jurisdiction code."""
    return {code: action(code, jur) for code, jur in (result.get("jurisdictions") or {}).items()
            if jur.get("outcome") != "ERROR"}
