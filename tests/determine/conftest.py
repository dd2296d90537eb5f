"""Fixtures for the engine tests: a tiny fake screener."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from chipexport.model import ListEntry, Match, ScreeningResult


class NameScreener:
    """Exact-name screener: ``{name: (source, score)}``; enough to drive list consequences."""

    def __init__(self, listed: dict[str, tuple[str, float]]) -> None:
        self.listed = {k.casefold(): v for k, v in listed.items()}
        self.calls = 0

    def screen(self, name: str, country: str | None = None, threshold: float | None = None,
               sources: Sequence[str] | None = None) -> ScreeningResult:
        self.calls += 1
        hit = self.listed.get(name.casefold())
        if not hit:
            return ScreeningResult(name, country)
        entry = ListEntry(source=hit[0], entry_id=f"{hit[0]}-1", name=name,
                          license_requirement="For all items subject to the EAR. (See §744.11)",
                          license_policy="Presumption of denial")
        return ScreeningResult(name, country, (Match(entry, hit[1], name),))


@pytest.fixture()
def name_screener() -> type[NameScreener]:
    return NameScreener
