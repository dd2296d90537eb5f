"""What a route needs from the running application, as FastAPI dependencies.

Routes declare ``settings: SettingsDep``, ``store: StoreDep`` or ``index: IndexDep`` instead of
reaching into ``request.app.state``: the signature says what a route uses, and a test can
override one dependency (``app.dependency_overrides``) without building the whole state.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from chipexport.service.settings import Settings
from chipexport.service.state import IndexHolder
from chipexport.store import Store


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _index(request: Request) -> IndexHolder:
    index: IndexHolder = request.app.state.index
    return index


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[Store, Depends(_store)]
IndexDep = Annotated[IndexHolder, Depends(_index)]
