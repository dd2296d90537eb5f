"""Legal-form canonicalisation: "Co., Ltd." = "Company Limited" = 有限公司 = OOO = LLC.

Forms come from rigour's org-type table (MIT, copied in ``data/org_types_rigour.json``) plus our
``data/legal_forms_extra.json``. Each alias is tokenised exactly like a name and mapped to a
*class* (rigour's ``generic`` where it has one: LLC, JSC, LP ...). The scorer compares classes,
never spellings, and gives legal forms little weight: they say what kind of company it is, not
which one. Typos inside multi-word forms ("Limted Liability Compayn") are repaired first, so a
mistyped form is still recognised instead of counting as rare, name-bearing words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from chipexport.screening.text import load_json, tokens

# Single-token forms this short ("SA", "AO", "AG") are also ordinary name words ("Pak Ho"), so
# they count as legal forms only at the start or the end of a name, where forms are written.
_EDGE_ONLY_LEN = 3
_MAX_PHRASE = 8
# Classes that never tell two parties apart: corporate filler words and personal titles.
IGNORABLE = frozenset({"CO", "TITLE"})


@dataclass(frozen=True, slots=True)
class FormTable:
    """Alias token tuples -> class, and the words from which multi-word forms are built."""

    phrases: dict[tuple[str, ...], str]
    form_words: dict[str, int]  # word of a multi-word form -> how many aliases use it
    canon: dict[str, str]  # rare misspelt form word -> the word it misspells
    near: dict[str, list[str]]  # deletion variant -> form words (one-edit lookup)


@lru_cache(maxsize=1)
def form_table() -> FormTable:
    """Build the alias table once per process (cached in the pickled index too)."""
    phrases: dict[tuple[str, ...], str] = {}
    for group in load_json("org_types_rigour.json"):
        cls = group.get("generic") or group.get("compare") or group.get("display")
        if not cls:
            continue
        for alias in group["aliases"]:
            key = tuple(tokens(alias))
            if key and len(key) <= _MAX_PHRASE:
                phrases.setdefault(key, str(cls).upper())
    for group in load_json("legal_forms_extra.json")["groups"]:
        for alias in group["aliases"]:
            key = tuple(tokens(alias))
            if key:
                phrases[key] = group["class"]
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
    return FormTable(phrases, words, canon, near)


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
    """A one-edit typo of a legal-form word ("compayn", "limtied") becomes that word."""
    table = form_table()
    if tok in table.canon:
        return table.canon[tok]
    if len(tok) < 5 or tok in table.form_words or not tok.isalpha():
        return tok
    # The most used form word wins: "limoted" is one edit from both "limited" and the rare typo
    # alias "limted", and only "limited" goes on to form "limited liability company".
    found = _closest(tok, table.form_words, table.near)
    return table.canon.get(found, found)


def split_forms(toks: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split name tokens into (core tokens, legal-form classes, the form phrases as found).

    When a name is nothing but legal-form words ("Limited Liability Company"), the words stay
    core tokens: an empty name cannot be matched.
    """
    table = form_table()
    fixed = [_repair(t) for t in toks]
    core: list[str] = []
    classes: list[str] = []
    found: list[str] = []
    i, n = 0, len(fixed)
    while i < n:
        for size in range(min(_MAX_PHRASE, n - i), 0, -1):
            key = tuple(fixed[i : i + size])
            cls = table.phrases.get(key)
            if cls is None:
                continue
            edge = i == 0 or i + size == n
            if size == 1 and len(key[0]) <= _EDGE_ONLY_LEN and not edge:
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


def compatible(a: list[str], b: list[str]) -> bool:
    """Two names' legal forms agree when either has none or they share a non-generic class."""
    sa = {c for c in a if c not in IGNORABLE}
    sb = {c for c in b if c not in IGNORABLE}
    return not sa or not sb or bool(sa & sb)
