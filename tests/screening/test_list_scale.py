"""What screening finds must not depend on how many other entries the list holds.

A large list is grown around the real bundled entries (bench/synthetic_lists.py: generated
organisations and persons made of the real names' own words, with one-letter neighbours such as
``MARINE`` beside ``PARINE``); a fixed batch of names of real entries, as written and with one
typo, is screened against the real entries alone and against the large list. Every real entry
matched at the bundled size must still be matched. A word's weight is its rarity within the list,
so scores may move by a hair as the list grows: the larger list is screened at the default
threshold less :data:`DRIFT`.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from chipexport.model import ListEntry
from chipexport.screening import DEFAULT_THRESHOLD, ScreeningIndex, build_index

GENERATED = 60_000
QUERIES = 700
DRIFT = 0.03


def _generator() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "synthetic_lists.py"
    spec = importlib.util.spec_from_file_location("synthetic_lists", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _generator()


@pytest.fixture(scope="module")
def real(gen: ModuleType) -> list[ListEntry]:
    entries: list[ListEntry] = gen.real_entries()
    return entries


@pytest.fixture(scope="module")
def queries(gen: ModuleType, real: list[ListEntry]) -> list[tuple[str, str | None]]:
    """Real entries' names as written (with their country) and with one letter changed."""
    rng = random.Random(18)
    out: list[tuple[str, str | None]] = []
    for e in rng.sample(real, QUERIES):
        out.append((e.name, e.countries[0] if e.countries else None))
        words = e.name.split()
        j = rng.randrange(len(words))
        if len(words[j]) >= 5:
            words[j] = gen.one_letter_change(rng, words[j])
            out.append((" ".join(words), None))
    return out


def _found(index: ScreeningIndex, name: str, cc: str | None, threshold: float) -> set[str]:
    return {
        m.entry.entry_id
        for m in index.screen(name, cc, threshold=threshold).matches
        if m.entry.source != "SYN"
    }


@pytest.mark.slow
def test_real_matches_survive_a_larger_list(
    gen: ModuleType, real: list[ListEntry], queries: list[tuple[str, str | None]]
) -> None:
    small = build_index(real)
    before = [_found(small, q, cc, DEFAULT_THRESHOLD) for q, cc in queries]
    assert sum(map(len, before)) > len(queries) // 2  # the batch does find real entries
    del small
    big = build_index([*real, *gen.synthetic_entries(real, GENERATED)])
    assert len(big) == len(real) + GENERATED
    lost = [
        (q, sorted(want - got))
        for (q, cc), want in zip(queries, before, strict=True)
        if want - (got := _found(big, q, cc, DEFAULT_THRESHOLD - DRIFT))
    ]
    assert not lost, f"{len(lost)} names lost real matches in the larger list: {lost[:5]}"


def test_generator_is_seeded_and_shaped_like_the_lists(
    gen: ModuleType, real: list[ListEntry]
) -> None:
    first = list(gen.synthetic_entries(real, 300, seed=3))
    assert first == list(gen.synthetic_entries(real, 300, seed=3))
    assert first != list(gen.synthetic_entries(real, 300, seed=4))
    assert {e.entity_type for e in first} >= {"Individual", "Entity"}
    names = {e.name for e in real}
    assert sum(e.name in names for e in first) < len(first) // 5  # mostly new, not copies
