"""Jinja2 set-up shared by the page routes: templates, filters, and the page context.

Every page gets the signed-in user (for the role and the CSRF token) and the navigation, so
templates never reach into the request themselves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from chipexport.determine.actions import action
from chipexport.determine.memo import confidence_words
from chipexport.model.screening import match_label
from chipexport.screening import STRONG_THRESHOLD
from chipexport.service.web.session import WebUser
from chipexport.store.evidence import evidence_lines, stale_warnings

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

# Most to least restrictive (docs/interfaces.md); the CSS class of each outcome's badge.
OUTCOMES = ("PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "LICENSE_EXCEPTION", "NLR")
NAV = (
    ("check", "/web/check", "Check transaction"),
    ("screen", "/web/screen", "Screen names"),
    ("batch", "/web/batch", "Batch screening"),
    ("cases", "/web/cases", "Review queue"),
    ("lists", "/web/lists", "Lists"),
    ("timeline", "/web/timeline", "Rule timeline"),
)


# States of a provision on the timeline (in force, and whether it is enforced as written).
STATES = ("IN_FORCE", "NOT_IN_FORCE", "NOT_ENFORCED", "SUSPENDED", "COMPLIANCE_NOT_REQUIRED")


def badge_class(outcome: str | None) -> str:
    """``LICENSE_REQUIRED`` -> ``badge b-license_required`` (unknown outcomes look neutral)."""
    value = (outcome or "").upper()
    if value in STATES:
        return "badge b-in_force" if value == "IN_FORCE" else (
            "badge b-not_in_force" if value == "NOT_IN_FORCE" else "badge b-relaxed")
    return f"badge b-{value.lower()}" if value in OUTCOMES else "badge b-other"


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def short_time(value: str | None) -> str:
    """``2026-11-22T04:15:59.123+00:00`` -> ``2026-11-22 04:15 UTC``."""
    if not value:
        return ""
    return value[:16].replace("T", " ") + " UTC"


def unique_parts(text: str | None) -> str:
    """``"presumption of denial; Presumption of denial"`` -> ``"presumption of denial"``."""
    seen: dict[str, str] = {}
    for part in (text or "").split(";"):
        if part.strip():
            seen.setdefault(part.strip().casefold(), part.strip())
    return "; ".join(seen.values())


def match_words(score: float) -> str:
    """The match wording of the CLI, API and memo ("exact match", "strong match", ...)."""
    return match_label(score, score >= STRONG_THRESHOLD)


def match_class(score: float) -> str:
    """Badge colour of a match: red when the list's consequence applies, amber otherwise."""
    return "badge b-prohibited" if score >= STRONG_THRESHOLD else "badge b-review"


templates.env.filters["match_words"] = match_words
templates.env.filters["next_action"] = lambda jur, code: action(code, jur)
templates.env.filters["confidence_words"] = confidence_words
templates.env.filters["match_class"] = match_class
templates.env.filters["evidence_lines"] = evidence_lines
templates.env.filters["badge"] = badge_class
templates.env.filters["unique_parts"] = unique_parts
templates.env.filters["pretty_json"] = pretty_json
templates.env.filters["short_time"] = short_time


def page(
    request: Request,
    name: str,
    user: WebUser | None,
    active: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render template ``name`` with the common page context (and, for a signed-in user,
    the stale-list banner every page shows)."""
    stale = stale_warnings(request.app.state.store.list_status()) if user else []
    return templates.TemplateResponse(
        request,
        name,
        {"user": user, "nav": NAV, "active": active, "stale_lists": stale, **context},
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )
