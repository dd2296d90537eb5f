"""Legal-form canonicalisation: "Co., Ltd." = "Company Limited" = 有限公司 = OOO = LLC.

Forms come from rigour's org-type table (MIT, copied in ``data/org_types_rigour.json``) plus our
``data/legal_forms_extra.json``. Each alias is tokenised exactly like a name and mapped to a
*class* (rigour's ``generic`` where it has one: LLC, JSC, LP ...). The scorer compares classes,
never spellings, and gives legal forms little weight: they say what kind of company it is, not
which one. Typos inside multi-word forms ("Limted Liability Compayn") are repaired first, so a
mistyped form is still recognised instead of counting as rare, name-bearing words.

Short forms written in another script are not Latin forms: transliterated, Cyrillic ГУ, РО, ДП
and Korean (유), ㈜ become "gu", "ro", "dp", "yu", "ju", which are Korean and Chinese surnames
and given names ("YU, Kwang Ho", "ZHANG, Yu"). Such a form counts only in a name written in
its own script; the transliterations the lists do write in Latin letters (OOD, EAD, TOV ...)
are listed, vetted, in ``legal_forms_extra.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from chipexport.screening.text import load_json, org_words, scripts, tokens
from chipexport.screening.typos import lookalike_readings

# Single-token forms this short ("SA", "AO", "AG") are also ordinary name words ("Pak Ho"), so
# they count as legal forms only at the start or the end of a name, where forms are written.
_EDGE_ONLY_LEN = 3
_MAX_PHRASE = 8
# Classes that never tell two parties apart: corporate filler words and personal titles.
IGNORABLE = frozenset({"CO", "TITLE"})


@dataclass(frozen=True, slots=True)
class FormTable:
    """Alias token tuples -> class, and the words from which multi-word forms are built."""

    phrases: dict[tuple[str, ...], str]  # recognised in a name written in any script
    # short forms of non-Latin scripts, recognised only in a name holding that script:
    # ("gu",) -> {"CYRILLIC": "SOE"}
    scripted: dict[tuple[str, ...], dict[str, str]]
    form_words: dict[str, int]  # word of a multi-word form -> how many aliases use it
    canon: dict[str, str]  # rare misspelt form word -> the word it misspells
    near: dict[str, list[str]]  # deletion variant -> form words (one-edit lookup)


@lru_cache(maxsize=1)
def form_table() -> FormTable:
    """Build the alias table once per process (cached in the pickled index too)."""
    phrases: dict[tuple[str, ...], str] = {}
    scripted: dict[tuple[str, ...], dict[str, str]] = {}

    def add(alias: str, cls: str, replace: bool) -> None:
        key = tuple(tokens(alias))
        if not key or len(key) > _MAX_PHRASE:
            return
        short = len(key) == 1 and is_short_form(key[0])
        written_in = scripts(alias) if short else frozenset()
        if written_in:
            for script in written_in:
                scripted.setdefault(key, {}).setdefault(script, cls)
        elif replace:
            phrases[key] = cls
        else:
            phrases.setdefault(key, cls)

    for group in load_json("org_types_rigour.json"):
        cls = group.get("generic") or group.get("compare") or group.get("display")
        if cls:
            for alias in group["aliases"]:
                add(alias, str(cls).upper(), replace=False)
    extra = load_json("legal_forms_extra.json")
    for group in extra["groups"]:
        for alias in group["aliases"]:
            add(alias, group["class"], replace=True)
    for alias in extra["not_forms"]["aliases"]:
        phrases.pop(tuple(tokens(alias)), None)
    words: dict[str, int] = {}
    for key in phrases:
        if len(key) > 1:
            for w in key:
                if len(w) >= 5 and w.isalpha():
                    words[w] = words.get(w, 0) + 1
    # rigour lists common misspellings as aliases ("Limitted", "Compnay"). Fold each rare
    # spelling into the frequent word one edit away, so that "Private Limitted" still forms
    # "private limited" and a user's other misspellings are repaired towards the real word.
    near = _neighbourhood(words)
    canon = {w: _closest(w, words, near, exclude_self=True) for w in words if words[w] <= 2}
    canon = {w: c for w, c in canon.items() if c != w and words[c] >= 5 * words[w]}
    phrases = {tuple(canon.get(w, w) for w in k): v for k, v in phrases.items()} | phrases
    return FormTable(phrases, scripted, words, canon, near)


def _neighbourhood(words: dict[str, int]) -> dict[str, list[str]]:
    """Deletion-neighbourhood of the form words: finds one-edit variants without a scan."""
    table: dict[str, list[str]] = {}
    for word in words:
        for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            table.setdefault(key, []).append(word)
    return table


def _closest(
    tok: str, words: dict[str, int], table: dict[str, list[str]], exclude_self: bool = False
) -> str:
    """The most used word one edit away from ``tok`` (``tok`` itself when there is none)."""
    found: set[str] = set()
    for key in {tok, *(tok[:i] + tok[i + 1 :] for i in range(len(tok)))}:
        found.update(table.get(key, ()))
        if key != tok and key in words:
            found.add(key)
    near = [
        (words[word], word)
        for word in found
        if (word[0] == tok[0] or len(tok) >= 6)
        and (word != tok or not exclude_self)
        and OSA.distance(tok, word) <= 1
    ]
    return max(near)[1] if near else tok


@lru_cache(maxsize=65536)
def _repair(tok: str) -> str:
    """A one-edit typo of a legal-form word ("compayn", "limtied") becomes that word, as does
    one with look-alike characters ("lirnited", "cornpany", "1imited")."""
    table = form_table()
    if tok in table.canon:
        return table.canon[tok]
    if tok in table.form_words:
        return tok
    for reading in lookalike_readings(tok):
        if reading in table.form_words:
            return reading
    if len(tok) < 5 or not tok.isalpha():
        return tok
    # The most used form word wins: "limoted" is one edit from both "limited" and the rare typo
    # alias "limted", and only "limited" goes on to form "limited liability company".
    found = _closest(tok, table.form_words, table.near)
    return table.canon.get(found, found)


@lru_cache(maxsize=65536)
def _repair_short(tok: str) -> str:
    """The form word a short word is one edit from ("jont" -> "joint", "sock" -> "stock").

    Short words are one edit from too many others to be repaired alone ("join", "sock" are
    words): :func:`split_forms` takes this repair only where it completes a multi-word form.
    """
    table = form_table()
    if not 3 <= len(tok) < 5 or not tok.isalpha() or tok in table.form_words:
        return tok
    return _closest(tok, table.form_words, table.near)


def is_short_form(phrase: str) -> bool:
    """A one-word form of at most three letters ("sa", "ag", "na"): as often a name syllable."""
    return " " not in phrase and len(phrase) <= _EDGE_ONLY_LEN


def word_form(word: str) -> str | None:
    """The class of a one-word legal form written in Latin letters ("ag" -> "JSC"), or None."""
    return form_table().phrases.get((word,))


def _scripted(table: FormTable, key: tuple[str, ...], written_in: frozenset[str]) -> str | None:
    by_script = table.scripted.get(key, {})
    return next((by_script[s] for s in sorted(written_in) if s in by_script), None)


def split_forms(
    toks: list[str], written_in: frozenset[str] = frozenset(), person: bool = False
) -> tuple[list[str], list[str], list[str]]:
    """Split name tokens into (core tokens, legal-form classes, the form phrases as found).

    ``written_in`` are the name's non-Latin scripts (:func:`text.scripts`): their short forms
    count. For a ``person`` (a "SURNAME, Given" name, an individual's list entry) short
    single-word forms are name syllables ("CHU, Na", "GHALI, Iyad ag"), not legal forms;
    titles still come out. When a name is nothing but legal-form words ("Limited Liability
    Company"), the words stay core tokens: an empty name cannot be matched.
    """
    table = form_table()
    fixed = [_repair(t) for t in toks]
    # "jont stock company": short words repaired only inside a phrase, so only next to a form word
    near_form = any(t in table.form_words for t in fixed)
    loose = [_repair_short(t) for t in fixed] if near_form else fixed
    phrases = table.phrases
    core: list[str] = []
    classes: list[str] = []
    found: list[str] = []
    i, n = 0, len(fixed)
    while i < n:
        for size in range(min(_MAX_PHRASE, n - i), 0, -1):
            key = tuple(fixed[i : i + size])
            cls = phrases.get(key)
            if cls is None and written_in:
                cls = _scripted(table, key, written_in)
            if cls is None and size > 1 and loose is not fixed:
                repaired = tuple(loose[i : i + size])
                if repaired != key and (cls := phrases.get(repaired)) is not None:
                    key = repaired
            if cls is None:
                continue
            short = size == 1 and is_short_form(key[0])
            if short and person and cls != "TITLE":
                continue
            edge = i == 0 or i + size == n
            if short and not edge:
                continue
            classes.append(cls)
            found.append(" ".join(key))
            i += size
            break
        else:
            core.append(toks[i])
            i += 1
    if not core:
        return list(fixed), [], []
    return core, classes, found


_SURNAME_FIRST = re.compile(r"^([^,]+),([^,]+)$")
_DOTTED = re.compile(r"(?:\b[A-Za-z]\.){2,}")


def person_shaped(name: str) -> bool:
    """True for "SURNAME, Given Names", the way the lists write individuals ("YU, Kwang Ho").

    Not for "Acme, Inc." or "Citibank, N.A.": a legal form of three or more letters, a dotted
    form, an organisation word or a number rules a person out. A surname that is a short form
    by itself ("PAO, Yu Liang") does not.
    """
    m = _SURNAME_FIRST.match(name.strip())
    if m is None:
        return False
    surname, given = tokens(m[1]), tokens(m[2])
    if not (1 <= len(surname) <= 3 and 1 <= len(given) <= 4) or _DOTTED.search(m[2]):
        return False
    words = org_words()
    if any(t in words or t.isdigit() for t in (*surname, *given)):
        return False
    table = form_table()
    parts = [given] if len(surname) == 1 else [surname, given]
    for part in parts:
        fixed = [_repair(t) for t in part]
        for i in range(len(fixed)):
            for j in range(i + 1, len(fixed) + 1):
                key = tuple(fixed[i:j])
                cls = table.phrases.get(key)
                if cls and cls != "TITLE" and (j - i > 1 or len(key[0]) > 2):
                    return False
    return True


def compatible(a: list[str], b: list[str]) -> bool:
    """Two names' legal forms agree when either has none or they share a non-generic class."""
    sa = {c for c in a if c not in IGNORABLE}
    sb = {c for c in b if c not in IGNORABLE}
    return not sa or not sb or bool(sa & sb)
