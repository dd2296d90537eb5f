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

from chipexport.service.web.session import WebUser

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
    """Render template ``name`` with the common page context."""
    return templates.TemplateResponse(
        request,
        name,
        {"user": user, "nav": NAV, "active": active, **context},
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )
