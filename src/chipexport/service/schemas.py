"""Request bodies, as pydantic models that refuse unknown fields.

A misspelt field (``"countyr"``) would otherwise be ignored and a party screened without its
country, so every model forbids extra keys; the 422 names the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from chipexport.json_input import unstorable
from chipexport.lists.countries import iso_codes
from chipexport.model.answers import ListMatch
from chipexport.model.problems import Problem
from chipexport.screening.batch import row_problem
from chipexport.screening.text import MAX_NAME_CHARS
from chipexport.store.vocabulary import MAX_REASON_CHARS, MIN_REASON_CHARS

# The audit record's ``ref`` column holds 255 characters (PostgreSQL enforces it).
MAX_REF_CHARS = 255


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        """No NUL in any string, no NaN or Infinity (see json_input.unstorable)."""
        bad = unstorable(data)
        if bad is not None:
            raise ValueError(f"{bad[0]}: {bad[1]}")
        return data


class ScreenItem(_Strict):
    """One party to screen, as a row of ``chipexport screen --input`` (``data`` is carried)."""

    id: str = Field(
        min_length=1, max_length=MAX_REF_CHARS, description="Your reference for the row."
    )
    name: str = Field(max_length=MAX_NAME_CHARS, description="The party's name.")
    country: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 country."
    )
    data: dict[str, Any] | None = Field(
        default=None, description="Anything to carry through to the output and the audit record."
    )

    @field_validator("name")
    @classmethod
    def _usable(cls, value: str) -> str:
        problem = row_problem(value)
        if problem:
            raise ValueError(problem.replace("field 'name' ", ""))
        return value

    @field_validator("country")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        """Upper-cased, and a code that exists: "XX" would screen as if no country were known
        while the record says one was (``/v1/check`` refuses unknown codes too)."""
        if not value:
            return None
        if value.upper() not in iso_codes():
            raise ValueError(f"unknown country code {value!r} (ISO 3166 alpha-2)")
        return value.upper()


class ScreenMatch(ListMatch):
    """A possible match as ``/v1/screen`` answers it: the list entry, and its review case."""

    strong: bool | None = Field(None, description="A match strong enough to act on.")
    case: dict[str, Any] | None = Field(None, description="The review case the match opened, "
                                        "reopened or is under (`id`, `status`).")


class ScreenAnswer(BaseModel):
    """One screened row (docs/interfaces.md ``screen`` output), as recorded."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Your reference for the row.")
    name: str = Field(description="The name as screened.")
    country: str | None = Field(description="The country given, ISO-2.")
    data: dict[str, Any] | None = Field(None, description="What you sent to carry through.")
    matches: list[ScreenMatch] = Field(description="Possible matches at or above the "
                                       "threshold, best first.")
    cleared_matches: list[dict[str, Any]] = Field(
        description="Matches an unexpired false-positive decision clears for this exact entry "
        "content.")
    warnings: list[str] | None = Field(None, description="What the screening could not do.")
    audit: dict[str, Any] = Field(description="The audit record: `seq` and `hash`.")


class Disposition(_Strict):
    """An analyst's decision on a case."""

    decision: Literal["true_match", "false_positive", "escalate"]
    reason: str = Field(min_length=MIN_REASON_CHARS, max_length=MAX_REASON_CHARS,
                        description="Why, in the analyst's words.")
    evidence: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="References to what the decision rests on (documents, URLs, registry ids).",
    )
    expires_at: datetime | None = Field(
        default=None,
        description="When a false-positive decision stops clearing the match (default: "
        "CHIPEXPORT_GOOD_GUY_DAYS from now). It also ends when the list entry changes.",
    )

    @field_validator("expires_at", mode="before")
    @classmethod
    def _a_date_string(cls, value: Any) -> Any:
        """An ISO 8601 string, as documented: a number (``0``) would be read as seconds since
        1970 and ``true`` as 1 s after it; neither is a date a person meant."""
        if value is not None and not isinstance(value, str | datetime):
            raise ValueError("must be an ISO 8601 date-time string, e.g. 2027-01-31T00:00:00Z")
        return value

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("evidence")
    @classmethod
    def _short(cls, value: list[str]) -> list[str]:
        if any(len(v) > 2000 for v in value):
            raise ValueError("each evidence reference is at most 2000 characters")
        return value


class ListUpdate(_Strict):
    """Fetch the Consolidated Screening List (CSV) and swap it in, as ``lists update``."""

    url: str | None = Field(default=None, description="Where to fetch the CSL CSV.")
    force: bool = Field(default=False, description="Load even if lists shrink by over half.")
    timeout: float = Field(default=120.0, gt=0, le=600)


class ErrorDetail(BaseModel):
    status: int
    message: str = Field(description="One line naming the field at fault.")
    field: str | None
    problems: list[Problem]


class ErrorBody(BaseModel):
    """The one shape of every error answer (see ``chipexport.service.errors``)."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting the error answers an endpoint can give."""
    meaning = {
        401: "missing, unknown or revoked API key",
        403: "the key's role is too low",
        404: "no such record or case",
        409: "refused as implausible (lists would shrink); send force",
        413: "body or batch too large",
        422: "invalid input; the message names the field",
        429: "this key is over its cost budget; see Retry-After",
        502: "the list download failed",
        503: "no lists loaded",
    }
    return {s: {"model": ErrorBody, "description": meaning[s]} for s in statuses}
