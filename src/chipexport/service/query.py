"""Refuse query parameters a ``/v1`` endpoint does not take.

Unknown body fields are refused by name; a query parameter was silently ignored, so
``?treshold=0.5`` screened at the default threshold and the caller never knew. The known
names are the ones the route declares, read from FastAPI's own view of it.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from chipexport.errors import did_you_mean
from chipexport.service.errors import ApiError


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:  # the key check and other dependencies may read some
        names |= _query_names(sub)
    return names



def refuse_unknown_query(request: Request) -> None:
    """A dependency for the API routers: a 422 naming the first unknown query parameter."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route.dependant)  # a few objects: cheaper than any cache key
    for name in request.query_params:
        if name not in known:
            raise ApiError(422, f"query:{name}: unknown query parameter"
                           f"{did_you_mean(name, known)}", f"query:{name}")
