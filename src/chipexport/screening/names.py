"""Person-name facts the scorer uses: patronymics, Chinese syllables, initials of words.

- A patronymic (Stanislavovich, Anatoliyovych, Yaugenavich, Ivanovna) is the part of an East
  Slavic name that users leave out: "Maxim Oreshkin" is "ORESHKIN, Maxim Stanislavovich".
  Left out, it weighs little; typed and different, it still counts.
- Two Chinese syllables one letter apart are two names, not a typo: Yang is not Ying, Li is
  not Lu. With names of two syllables, a "typo" would otherwise carry half the name.
- Initials: "VO" on one side and "Vneshneekonomicheskoe Obedinenie" on the other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from chipexport.screening.text import load_json

_PATRONYMIC_ENDS = ("vich", "vych", "ovna", "evna", "ivna", "ichna")
_PATRONYMIC = re.compile(r"^[a-z]{3,}(?:ovich|evich|ovych|evych|avich|ovna|evna|ivna|ichna)$")
PATRONYMIC_WEIGHT = 0.2  # share of its rarity a left-out patronymic still costs


def is_patronymic(tok: str) -> bool:
    """True for a Russian, Ukrainian or Belarusian patronymic as romanised ("stanislavovich")."""
    # endswith first: the scorer asks for every left-out word of every candidate
    return tok.endswith(_PATRONYMIC_ENDS) and _PATRONYMIC.match(tok) is not None


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    return frozenset(load_json("pinyin_syllables.json")["syllables"])


def both_syllables(a: str, b: str) -> bool:
    """True when both words are (toneless) pinyin syllables: different names, not typos."""
    syllables = _syllables()
    return a in syllables and b in syllables


def initials_of(words: Sequence[str], start: int, acronym: str) -> bool:
    """True when the words from ``start`` on begin with the letters of ``acronym``."""
    n = len(acronym)
    if start + n > len(words):
        return False
    return all(words[start + k][:1] == acronym[k] for k in range(n))
