"""Arabic and Persian script: names read as consonant keys that Latin spellings share.

Why keys and not a transliteration: Arabic script leaves short vowels unwritten, so محمد is
"Muhammad", "Mohammed", "Mohamad" or "Muhamed" on the lists, and no single romanisation (ICU's
and anyascii's both give the skeleton "mhmd") meets them. Instead each side is reduced to the
same *key*: the consonants, with the letters that romanisations spell in several ways folded
into one (kh/h, th/t, dh/d, z/s, q/k, p/b, v/w), vowels and the long-vowel letters و ي ا
inside a word dropped, double letters collapsed, a final h or ة dropped (Fatima = Fatimah).
``Abd al-`` compounds key as ``abd`` + the name (Abdullah = عبد الله = عبدالله = "bdl").

The article ال is kept as the word ``al`` (the lists write "AL-DARI", "el-", "ad-Din" ...),
business words go through a small glossary (``data/ar_glossary.json``: شركة company, بنك bank
...), and every other word is its key; the index looks each key up among the lists' words with
the same key (:meth:`chipexport.screening.query.QueryLookup.sound_near`).
Persian letters (پ چ ژ گ ک ی) and Arabic presentation forms (NFKC) fold into the same keys.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from chipexport.screening.text import load_json

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel

# Arabic and Persian letters -> the consonant class a Latin spelling of them keys to.
# "" = not written in Latin consistently (ain, hamza) or a vowel letter (handled below).
_LETTERS = {
    "ب": "b", "پ": "b", "ت": "t", "ث": "t", "ج": "j", "چ": "x", "ح": "h", "خ": "h",
    "د": "d", "ذ": "d", "ر": "r", "ز": "s", "ژ": "j", "س": "s", "ش": "x", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "d", "ع": "", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
    "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "h", "ۀ": "h",
    "ە": "h", "و": "w", "ؤ": "w", "ي": "y", "ی": "y", "ى": "y", "ئ": "y", "ې": "y",
    "ا": "", "أ": "", "إ": "", "آ": "", "ٱ": "", "ء": "",
}  # fmt: skip
_VOWEL_LETTERS = frozenset("wy")
# Letters the lists romanise two ways: the second class is tried too (Uthman/Osman,
# Zahir/Dhahir, Jamal/Gamal, Qasim/Gasim). At most this many keys per word.
_ALTERNATIVES = {"ث": "s", "ذ": "s", "ظ": "s", "ج": "g", "ق": "g", "ض": "s"}
MAX_KEYS = 4
# Latin spellings -> the same classes (longest first).
_LATIN_FOLDS = (
    ("dj", "j"), ("kh", "h"), ("gh", "g"), ("sh", "x"), ("ch", "x"), ("th", "t"),
    ("dh", "d"), ("zh", "j"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("c", "k"),
    ("z", "s"), ("p", "b"), ("v", "w"), ("x", "x"), ("e", "a"), ("i", "a"), ("o", "a"),
    ("u", "a"),
)  # fmt: skip
# "Abdul", "Abdel", "Abdur" (sun letters), "Abdullah", "Abdurrahman": the article goes.
_ABD = re.compile(r"^abd[aeiou]?(?:l|r(?=r)|s(?=s)|n(?=n)|d(?=d)|t(?=t)|z(?=z))")
_ABD_ALONE = re.compile(r"^abd[aeiou]?[lrsndtz]$")
# The article as the lists write it, with sun-letter assimilation ("ad-Din", "ash-Sham").
ARTICLES = ("al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an", "adh")


def has_arabic(text: str) -> bool:
    """True when the text holds Arabic-script letters (Arabic, Persian, Urdu...)."""
    return _ARABIC.search(text) is not None


def collapse(letters: str) -> str:
    """Consonant classes to a key: drop vowels (a leading one too) and inner w/y, collapse
    doubles, drop a final h (ة, "Fatimah" = "Fatima") when two consonants remain."""
    out: list[str] = []
    for i, ch in enumerate(letters):
        if ch == "a" or (ch in _VOWEL_LETTERS and i > 0) or (out and ch == out[-1]):
            continue
        out.append(ch)
    if len(out) > 2 and out[-1] == "h":
        out.pop()
    return "".join(out)


@lru_cache(maxsize=300_000)
def latin_key(tok: str) -> str:
    """The key of one Latin token as the normaliser wrote it ("mohammed" -> "mhmd")."""
    tok = "abd" if _ABD_ALONE.match(tok) else _ABD.sub("abd", tok)
    for a, b in _LATIN_FOLDS:
        tok = tok.replace(a, b)
    return collapse(tok)


def _arabic_keys(word: str) -> tuple[str, ...]:
    """The word's key, then its keys with the alternative classes (see _ALTERNATIVES)."""
    keys = [""]
    for i, ch in enumerate(word):
        mapped = _LETTERS.get(ch)
        if mapped is None:
            continue
        if mapped in _VOWEL_LETTERS and i > 0:
            mapped = "a"  # a long vowel inside a word
        options = [mapped or "a"]
        alternative = _ALTERNATIVES.get(ch) or ("a" if i == 0 and ch == "و" else None)
        if alternative and len(keys) * 2 <= MAX_KEYS:  # an initial و is also "Ou" (Ould)
            options.append(alternative)
        keys = [k + o for k in keys for o in options]
    return tuple(dict.fromkeys(k for k in map(collapse, keys) if k))


@lru_cache(maxsize=1)
def _glossary() -> dict[str, str]:
    return dict(load_json("ar_glossary.json")["terms"])


def normalise(text: str) -> str:
    """NFKC (presentation forms to letters), without vowel marks and tatweel."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", text)).replace("\u200c", "")


def reading(text: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    """The text with each Arabic-script word replaced by its key, glossary word or ``al``.

    Returns the reading and, for each key in it, every key it stands for (its alternatives):
    only those words are looked up by sound (a Latin word in the same name keeps the ordinary
    matching). ``عبدالرحيم`` becomes two words, ``bd rhm``, as the lists write "Abd al-Rahim".
    """
    glossary = _glossary()
    keys: dict[str, tuple[str, ...]] = {}

    def add(w: str, parts: list[str]) -> None:
        found = _arabic_keys(w)
        if found:
            keys.setdefault(found[0], found)
            parts.append(found[0])

    def word(m: re.Match[str]) -> str:
        w = m.group()
        if w in glossary:
            return f" {glossary[w]} "
        parts: list[str] = []
        if w == "الله":  # Allah: written into the name before it ("Khayrallah", "Abdullah")
            add("له", parts)
        elif w.startswith("عبدال") and len(w) > 6:
            add("عبد", parts)
            add(w[5:], parts)
        else:
            for prefix in ("وال", "بال", "لل", "ال"):
                if w.startswith(prefix) and len(w) > len(prefix) + 1:
                    rest = w[len(prefix) :]
                    if rest in glossary:
                        return f" {glossary[rest]} "
                    parts.append("al")
                    w = rest
                    break
            add(w, parts)
        return f" {' '.join(parts)} "

    return _ARABIC_WORD.sub(word, normalise(text)), keys
