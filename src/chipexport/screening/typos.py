"""What a mistyped word may have been, beyond one edit against the lists' own words.

The index finds one-edit typos of list words through a deletion table (:mod:`index`). Two kinds
of error escape it: characters a scanner or a hurried typist swaps for look-alikes (``0`` for
``o``, ``1`` for ``l``, ``rn`` for ``m``: "FABRIK0N", "LIRNITED"), and typos in words the
normaliser rewrites before the lists' vocabulary is built ("COMMODITIEES" is two edits from the
folded "commodity" but one from "commodities"). Both are answered here, pure and cached.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from rapidfuzz.distance import OSA

from chipexport.screening.text import fold_surfaces, fold_token
from chipexport.screening.variants import deletes

# Digits read for the letters they resemble (OCR and typing): O/0, l/I/1, S/5, B/8.
_DIGIT_LOOKALIKES = {"0": "o", "1": "li", "5": "s", "8": "b"}
# Letter pairs read for one letter (OCR of small print): rn/m, cl/d, vv/w.
_PAIR_LOOKALIKES = (("rn", "m"), ("cl", "d"), ("vv", "w"))
_MAX_READINGS = 8
_FOLD_TYPO_MIN_LEN = 5


@lru_cache(maxsize=65536)
def lookalike_readings(tok: str) -> tuple[str, ...]:
    """The word with look-alike digits and letter pairs read back ("fabrik0n" -> "fabrikon").

    Only for words that are mostly letters: "3m", "a2z" or "2024" are what they say. The
    readings are folded like tokens, so "enterprise5" gives "enterprise".
    """
    if tok.isalpha() and not any(pair in tok for pair, _ in _PAIR_LOOKALIKES):
        return ()  # most words: nothing to read back
    letters = sum(c.isalpha() for c in tok)
    if letters < 2:
        return ()
    choices: list[str] = []
    for ch in tok:
        if ch.isdigit():
            if ch not in _DIGIT_LOOKALIKES or 2 * letters < len(tok):
                return ()
            choices.append(_DIGIT_LOOKALIKES[ch])
        else:
            choices.append(ch)
    readings = ["".join(p) for p in itertools.islice(itertools.product(*choices), _MAX_READINGS)]
    for pair, one in _PAIR_LOOKALIKES:
        readings += [r.replace(pair, one) for r in readings if pair in r]
    out = dict.fromkeys(fold_token(r) for r in readings)
    out.pop(tok, None)
    return tuple(out)


@lru_cache(maxsize=1)
def _surface_table() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for surface in fold_surfaces():
        for key in {surface, *deletes(surface)}:
            table.setdefault(key, []).append(surface)
    return table


@lru_cache(maxsize=65536)
def folded_typo(tok: str) -> tuple[str, ...]:
    """What a typo of a folded spelling folds to: "indsutries" -> "industry", "secoond" -> "2".

    One edit, same first letter, words of five or more letters (a shorter word is one edit
    from too many abbreviations).
    """
    if len(tok) < _FOLD_TYPO_MIN_LEN or not tok.isalpha():
        return ()
    table = _surface_table()
    found: set[str] = set()
    for key in {tok, *deletes(tok)}:
        found.update(table.get(key, ()))
    targets = fold_surfaces()
    return tuple(
        sorted(
            {targets[s] for s in found if s != tok and s[0] == tok[0] and OSA.distance(tok, s) <= 1}
        )
    )
