"""Ukrainian and Belarusian Cyrillic: a second reading with their own letter values.

anyascii reads every Cyrillic text as Russian: г is "g", и is "i". Ukrainian and Belarusian
names are romanised on the lists by their own national systems (Ukrainian: Cabinet of Ministers
resolution 55 of 2010; Belarusian: the 2007 instruction, without diacritics), where г is "h",
Ukrainian и is "y", є/ї/ю/я are "ie/i/iu/ia" inside a word and "ye/yi/yu/ya" at its start,
and Belarusian ў is "u": Сергій is "Serhii", Сяргей "Siarhei", Зубкоў "Zubkou". A name holding
a letter only these alphabets have (і ї є ґ ў) is read both ways; the better reading wins.
"""

from __future__ import annotations

import re

_MARKERS = frozenset("іїєґўІЇЄҐЎ")
# letter -> (at the start of a word, elsewhere)
_LETTERS: dict[str, tuple[str, str]] = {
    "а": ("a", "a"), "б": ("b", "b"), "в": ("v", "v"), "г": ("h", "h"), "ґ": ("g", "g"),
    "д": ("d", "d"), "е": ("e", "e"), "є": ("ye", "ie"), "ж": ("zh", "zh"), "з": ("z", "z"),
    "и": ("y", "y"), "і": ("i", "i"), "ї": ("yi", "i"), "й": ("y", "i"), "к": ("k", "k"),
    "л": ("l", "l"), "м": ("m", "m"), "н": ("n", "n"), "о": ("o", "o"), "п": ("p", "p"),
    "р": ("r", "r"), "с": ("s", "s"), "т": ("t", "t"), "у": ("u", "u"), "ў": ("u", "u"),
    "ф": ("f", "f"), "х": ("kh", "kh"), "ц": ("ts", "ts"), "ч": ("ch", "ch"),
    "ш": ("sh", "sh"), "щ": ("shch", "shch"), "ь": ("", ""), "ъ": ("", ""), "ы": ("y", "y"),
    "э": ("e", "e"), "ю": ("yu", "iu"), "я": ("ya", "ia"), "ё": ("yo", "io"),
    "'": ("", ""), "’": ("", ""),
}  # fmt: skip
_WORD = re.compile(r"[\w'’]+")


def is_ukrainian_or_belarusian(text: str) -> bool:
    """True when the text has a letter of the Ukrainian or Belarusian alphabet only."""
    return not _MARKERS.isdisjoint(text)


def national_reading(text: str) -> str:
    """The text romanised with Ukrainian/Belarusian letter values (other text unchanged)."""

    def word(m: re.Match[str]) -> str:
        out = []
        for i, ch in enumerate(m.group()):
            low = ch.lower()
            if low in _LETTERS:
                out.append(_LETTERS[low][0 if i == 0 else 1])
            else:
                out.append(ch)
        return "".join(out)

    return _WORD.sub(word, text)
