"""``Problem(field, message)``: what is wrong with an input, and where, as a value.

Every layer passes problems on as these values (the API's 422 body lists them, the CLI prints
``str(problem)``) instead of writing ``"field: message"`` text that a later layer has to split
again. The input models raise :func:`reject` with the project's own one-line wording; pydantic's
own errors (a missing key, an object where a list belongs) are put into the same wording by
:func:`problems_from`, so a user reads one style whichever check caught the mistake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

# The error type of :func:`reject`: its message is already the user's line.
_OWN = "chipexport"
# Pydantic error types and the project's wording for them; ``{got}`` is the offending value.
_WORDING = {
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "dict_type": "expected an object",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "string_type": "expected text, got {got!r}",
    "float_type": "expected a number, got {got!r}",
    "float_parsing": "expected a number, got {got!r}",
    "bool_type": "expected true or false, got {got!r}",
    "bool_parsing": "expected true or false, got {got!r}",
}


class Problem(BaseModel):
    """One thing wrong with an input: ``field`` is its path (``parties[0].owners[1].percent``,
    ``[2].id`` in a list, ``query:threshold``, ``(body)``), ``message`` says what is wrong."""

    model_config = ConfigDict(frozen=True)

    field: str | None = Field(description="Where: `parties[0].name`, `[2].id`, `(body)`.")
    message: str = Field(description="What is wrong, in one line.")

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def under(self, prefix: str) -> Problem:
        """The same problem inside a larger document (``[2].`` for the third of a list)."""
        if not prefix:
            return self
        return Problem(field=f"{prefix}{self.field}" if self.field else prefix.rstrip("."),
                       message=self.message)


def reject(message: str) -> NoReturn:
    """Fail a field validator with ``message`` exactly as the user should read it."""
    raise PydanticCustomError(_OWN, "{message}", {"message": message})


def path(loc: Sequence[Any]) -> str:
    """``("parties", 0, "name")`` -> ``parties[0].name``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problems_from(exc: ValidationError, missing: Mapping[str, str] | None = None
                  ) -> list[Problem]:
    """The problems of a failed model validation, in the project's wording.

    ``missing`` gives the message for a required field that is absent, by field name (the
    date of export says which format it wants); any other absent field is ``missing``.
    """
    found: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = [part for part in err["loc"] if not _is_branch(part)]
        kind = err["type"]
        if kind == _OWN:
            message = str(err["ctx"]["message"])
        elif kind == "missing":
            name = str(loc[-1]) if loc else ""
            message = (missing or {}).get(name, "missing")
        elif kind in _WORDING:
            message = _WORDING[kind].format(got=err.get("input"))
        else:
            message = str(err["msg"])
        problem = Problem(field=path(loc) or None, message=message)
        if problem not in found:
            found.append(problem)
    return found


def _is_branch(part: Any) -> bool:
    """Pydantic names the branch of a union it tried (``float``, ``function-before[...]``)
    in the location; the user's field path has no such step."""
    return isinstance(part, str) and (part in ("float", "int", "str", "bool", "none")
                                      or "[" in part or part.startswith("function-"))
