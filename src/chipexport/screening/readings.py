"""The romanised readings of a name as typed, per script: what the index prepares and scores.

Latin, Cyrillic, Greek ... names have one reading (the normaliser transliterates them). Chinese
script has several (glossary English, its second choices, plain pinyin: :func:`cjk_variants`);
and one where transcribed foreign names are Mandarin sound keys (:mod:`.mandarin`);
Arabic and Persian script one whose words are consonant keys matched by sound
(:mod:`chipexport.screening.arabic`); Ukrainian and Belarusian names are also read with their
own letter values (:mod:`chipexport.screening.cyrillic`). Every reading is scored and the best
wins per entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from chipexport.screening.arabic import has_arabic
from chipexport.screening.arabic import reading as arabic_reading
from chipexport.screening.cyrillic import is_ukrainian_or_belarusian, national_reading
from chipexport.screening.mandarin import sound_reading
from chipexport.screening.text import cjk_variants, has_cjk


@dataclass(frozen=True, slots=True)
class Reading:
    """One romanised reading of a query.

    ``translated``: a glossary reading of Chinese script (word substitutions are expected).
    ``sounds``: words of the reading that are sound keys, each with every key it stands for,
    matched against the lists' words with those keys rather than by spelling.
    """

    text: str
    translated: bool = False
    sounds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    system: str = "arabic"  # whose keys ``sounds`` holds: "arabic" or "mandarin"


def script_readings(name: str) -> list[Reading]:
    """Every reading of ``name`` worth scoring (at least the name itself)."""
    if name.isascii():  # most names: no script to read (one check, no regex)
        return [Reading(name)]
    if has_cjk(name):
        out = [Reading(text, translated=True) for text in cjk_variants(name)]
        by_sound = sound_reading(name)
        if by_sound is not None:
            out.append(Reading(by_sound[0], True, by_sound[1], "mandarin"))
        return out
    if has_arabic(name):
        text, keys = arabic_reading(name)
        return [Reading(text, sounds=keys)]
    if is_ukrainian_or_belarusian(name):
        return [Reading(name), Reading(national_reading(name))]
    return [Reading(name)]
