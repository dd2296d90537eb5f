"""Models that routes document by reference but do not take as a FastAPI body parameter.

``/v1/check`` and ``/v1/screen`` read their body themselves (one object or a list of them, every
object checked before any work, unknown keys refused with a did-you-mean), so FastAPI does not
see their request models. Their schemas, and those of the models they contain, are added to
the OpenAPI components here, where the routes' ``$ref`` point.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

REF = "#/components/schemas/{model}"


def ref(model: type[BaseModel]) -> dict[str, str]:
    """``{"$ref": "#/components/schemas/Name"}`` for a model registered with :func:`install`."""
    return {"$ref": REF.format(model=model.__name__)}


def one_or_many(model: type[BaseModel], example: dict[str, Any] | None = None
                ) -> dict[str, Any]:
    """The ``requestBody`` of a route that takes one object or a non-empty list of them."""
    content: dict[str, Any] = {"schema": {"oneOf": [
        ref(model), {"type": "array", "items": ref(model), "minItems": 1}]}}
    if example is not None:
        content["example"] = example
    return {"requestBody": {"required": True, "content": {"application/json": content}}}


def install(app: FastAPI, *models: type[BaseModel]) -> None:
    """Add ``models`` and the models they hold to ``app``'s OpenAPI components."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = original()
        found = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            body = model.model_json_schema(ref_template=REF)
            for name, definition in body.pop("$defs", {}).items():
                found.setdefault(name, definition)
            found.setdefault(model.__name__, body)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
