"""Parse a "one object or a list of them" JSON body, as docs/interfaces.md says /v1/screen and
/v1/check take, checking every object before any work starts (so nothing partial is stored)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from chipexport.json_input import JsonInputError, parse_json, unstorable
from chipexport.service.errors import ApiError, validation_error


def load_json(body: bytes) -> Any:
    """The decoded body, or a 422 saying where the JSON breaks (or that it nests too deep)."""
    if not body.strip():
        raise ApiError(422, "(body): empty request body; expected JSON", "(body)")
    try:
        text = body.decode("utf-8")  # JSON is UTF-8 (RFC 8259); no guessing
    except UnicodeDecodeError:
        raise ApiError(422, "(body): not UTF-8 text", "(body)") from None
    try:
        data = parse_json(text)
    except JsonInputError as exc:
        raise ApiError(422, f"(body): {exc.message}", "(body)") from None
    bad = unstorable(data)
    if bad is not None:
        raise ApiError(422, f"{bad[0]}: {bad[1]}", bad[0])
    return data


def objects(body: bytes, max_batch: int) -> tuple[list[Any], bool]:
    """The body's objects and whether it was a single object (answered by a single object)."""
    data = load_json(body)
    if isinstance(data, dict):
        return [data], True
    if not isinstance(data, list):
        raise ApiError(422, "(body): expected a JSON object or a list of objects", "(body)")
    if not data:
        raise ApiError(422, "(body): empty list", "(body)")
    if len(data) > max_batch:
        raise ApiError(
            413, f"(body): {len(data)} objects in one request (limit {max_batch})", "(body)"
        )
    return data, False


def validate_all(data: list[Any], single: bool, model: type[BaseModel]) -> list[Any]:
    """Every object validated against ``model``; all problems of all objects in one 422."""
    problems: list[Any] = []
    items = []
    for i, obj in enumerate(data):
        try:
            items.append(model.model_validate(obj))
        except ValidationError as exc:
            problems.extend(
                {**err, "loc": (() if single else (i,)) + tuple(err["loc"])} for err in exc.errors()
            )
    if problems:
        raise validation_error(problems)
    return items
