"""Text normalisation shared by the index and the query side (one way only, see CONTRIBUTING.md).

A name becomes a list of plain ASCII word tokens: Unicode is NFKC-folded, Cyrillic and other
scripts are transliterated with anyascii, Chinese characters go through the business glossary
(``data/zh_glossary.json``) and then pypinyin, initialisms such as ``L.L.C.`` collapse to one
token, apostrophes join (``Xi'an`` -> ``xian``), every other punctuation mark splits, ordinals
lose their suffix (``204th`` -> ``204``), simple plurals are folded and abbreviations expanded.
Legal forms are recognised afterwards, on tokens (:mod:`chipexport.screening.legal_forms`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

from anyascii import anyascii

# Names longer than this are cut before normalising: no list name comes close (the longest CSL
# name is ~600 characters), and it bounds the work a hostile 10,000-character input can cause.
MAX_NAME_CHARS = 1000

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_INITIALISM = re.compile(r"\b(?:[a-z0-9]\.){2,}(?:[a-z0-9]\b\.?)?")
_SPLIT = re.compile(r"[^a-z0-9]+")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_AKA = re.compile(r"\s*(?:-aka-|\ba\.k\.a\.?|\baka\b|\bf\.k\.a\.?|\bfka\b)\s*", re.I)
_TENS = frozenset(str(n) for n in range(20, 100, 10))
_PAREN = re.compile(r"\s*\([^()]*\)")
# Markup pasted or injected into a name: a script or style block with its content (to the end
# when unclosed), any other tag (its text kept: "<b>Huawei</b>"), a javascript: URL. None is
# part of a name, and "alert 1" left over from "<script>alert(1)</script>" matched a listed
# name on those words alone.
_MARKUP = re.compile(
    r"<\s*(script|style)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)|</?[a-z!][^<>]*>|javascript:\S*",
    re.I | re.S,
)


def load_json(name: str) -> Any:
    """Read one of the engine's data files (``chipexport/screening/data``)."""
    return json.loads(resources.files("chipexport.screening").joinpath("data", name).read_text())


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return dict(load_json("abbreviations.json")["map"])


@lru_cache(maxsize=1)
def _glossary() -> tuple[dict[str, str], int]:
    raw: dict[str, str] = load_json("zh_glossary.json")["terms"]
    keys = simplified("\n".join(raw)).split("\n")  # one conversion call: ~20x faster
    terms: dict[str, str] = {}
    for key, english in zip(keys, raw.values(), strict=True):
        terms.setdefault(key, english)
    return terms, max(len(t) for t in terms)


def glossary_terms() -> tuple[dict[str, str], int]:
    """The Chinese glossary (simplified term -> English options "a|b") and its longest term."""
    return _glossary()


@lru_cache(maxsize=1)
def _t2s() -> Any:
    # Imported lazily, like pypinyin: only Chinese-script input needs it (~15 ms to load).
    from opencc import OpenCC

    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Chinese text in simplified characters (OpenCC's t2s tables; other text unchanged).

    Taiwanese, Hong Kong and older mainland documents write 北京理工大學 for 北京理工大学:
    one glossary keyed by simplified forms then serves both.
    """
    return str(_t2s().convert(text)) if has_cjk(text) else text


@lru_cache(maxsize=1)
def org_words() -> frozenset[str]:
    """Generic organisation words (``data/org_words.json``), singular, lower case."""
    return frozenset(w.lower() for w in load_json("org_words.json")["words"])


@lru_cache(maxsize=1)
def glossary_names() -> frozenset[str]:
    """The words of the glossary's place and company names ("beijing", "huawei" ...)."""
    data = load_json("zh_glossary.json")
    values = [data["terms"][k] for k in data["names"]["keys"]]
    return frozenset(t for v in values for option in v.split("|") for t in tokens(option))


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese characters (the glossary/pinyin path applies)."""
    return _CJK.search(text) is not None


def scripts(text: str) -> frozenset[str]:
    """The non-Latin scripts a name is written in (``CYRILLIC``, ``HANGUL``, ``CJK`` ...).

    Transliteration forgets the script: Cyrillic ГУ and the Korean surname Gu both become "gu".
    Rules that only hold in one script (a short legal form) ask for the script here.
    """
    if text.isascii():
        return frozenset()
    found: set[str] = set()
    for ch in unicodedata.normalize("NFKC", text[:MAX_NAME_CHARS]):
        if not ch.isascii() and ch.isalpha():
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script and script != "LATIN":
                found.add(script)
    return frozenset(found)


def _pinyin(run: str) -> str:
    # Imported lazily: pypinyin loads its dictionaries (~0.1 s), needed only for CJK input.
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(run))


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = re.compile(r"第?([零〇一二两三四五六七八九十百]+)(?=[研所院厂廠部室局处中分]|$)")


def _cn_number(text: str) -> int:
    """Chinese numerals up to the hundreds: 三 -> 3, 十二 -> 12, 二十 -> 20, 一百零二 -> 102."""
    total, digit = 0, 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CN_DIGITS[ch]
    return total + digit


def cjk_variants(text: str) -> list[str]:
    """Romanised readings of a Chinese-script name: glossary-English (first and second choices
    of ambiguous terms), then plain pinyin.

    Lists spell Chinese parties either in English ("Huawei Technologies Co., Ltd.") or in pinyin
    ("... Youxian Gongsi"), so the query is tried both ways and the best reading wins. Ordinals
    such as 第三研究院 become digits ("3 academy"), as the lists write "3rd Academy".
    Traditional characters are read as simplified first.
    """
    terms, longest = _glossary()
    text = _CN_NUMBER.sub(lambda m: f" {_cn_number(m.group(1))} ", simplified(text))

    def glossed(run: str, choice: int) -> str:
        out: list[str] = []
        i = 0
        while i < len(run):
            for size in range(min(longest, len(run) - i), 0, -1):
                piece = run[i : i + size]
                if piece in terms:
                    options = terms[piece].split("|")
                    out.append(f" {options[min(choice, len(options) - 1)]} ")
                    i += size
                    break
            else:
                out.append(_pinyin(run[i]))
                i += 1
        return " ".join(out)

    readings = [
        _CJK_RUN.sub(lambda m, c=choice: f" {glossed(m.group(), c)} ", text)  # type: ignore[misc]
        for choice in (0, 1)
    ]
    readings.append(_CJK_RUN.sub(lambda m: f" {_pinyin(m.group())} ", text))
    return list(dict.fromkeys(v for v in readings if v.strip()))


def fold(text: str) -> str:
    """Lower-case ASCII of any-script text (no CJK handling: call :func:`cjk_variants` first)."""
    text = unicodedata.normalize("NFKC", text[:MAX_NAME_CHARS])
    if not text.isascii():
        text = anyascii(text)
    return text.lower()


def fold_token(tok: str) -> str:
    """One lower-case word as both sides keep it: ordinals, abbreviations, org-word plurals."""
    m = _ORDINAL.match(tok)
    if m:
        return m.group(1)
    tok = _abbreviations().get(tok, tok)
    if len(tok) > 4 and tok.endswith("s"):
        stem = tok[:-3] + "y" if tok.endswith("ies") else tok[:-1]
        if stem in org_words():
            return stem
    return tok


def strip_markup(text: str) -> str:
    """``text`` without HTML/script markup (see :data:`_MARKUP`); unchanged when it has none."""
    if "<" not in text and "script:" not in text.lower():
        return text
    return _MARKUP.sub(" ", text)


def tokens(text: str) -> list[str]:
    """The word tokens of a (non-CJK or already romanised) name; markup carries none."""
    low = fold(strip_markup(text)).replace("'", "").replace("`", "").replace("\u2019", "")
    low = _INITIALISM.sub(lambda m: m.group().replace(".", "") + " ", low)
    out = [fold_token(t) for t in _SPLIT.split(low) if t]
    # "forty four" -> 40 4 -> 44
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if a in _TENS and len(b) == 1 and b.isdigit() and b != "0":
            out[i : i + 2] = [str(int(a) + int(b))]
    return out


def fold_surfaces() -> dict[str, str]:
    """Spellings that :func:`fold_token` rewrites, each with what it becomes.

    ``industries`` -> ``industry``, ``intl`` -> ``international``, ``second`` -> ``2``: the
    lists' vocabulary holds only the right-hand sides, so a typo in such a word
    ("indsutries", "secoond") is looked up among these spellings instead.
    """
    return _fold_surfaces()


@lru_cache(maxsize=1)
def _fold_surfaces() -> dict[str, str]:
    spellings = {a for a in _abbreviations() if a.isalpha()}
    for word in org_words():
        spellings.add(word + "s")
        if word.endswith("y"):
            spellings.add(word[:-1] + "ies")
    return {w: fold_token(w) for w in spellings if fold_token(w) != w}


def strip_parentheses(name: str) -> str:
    """The name without its parenthetical parts: users drop "(Shanghai)" or "(CASIC)"."""
    prev = None
    while prev != name:
        prev, name = name, _PAREN.sub("", name)
    return re.sub(r"\s+([,.])", r"\1", name).strip()


def split_aka(name: str) -> list[str]:
    """``"JIE LUO -AKA- IVY LUO"`` -> both names; other names come back alone."""
    parts = [p.strip(" ,;") for p in _AKA.split(name)]
    return [p for p in parts if p]


def is_usable(text: str) -> bool:
    """False for names with nothing to match on: empty, punctuation only, control junk."""
    if has_cjk(text):
        return True
    return any(t for t in tokens(text))


_SOUND_FOLDS = (
    ("x", "ks"),  # Maxim = Maksim
    ("sch", "s"),
    ("ph", "f"),
    ("kh", "h"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "x"),
    ("ch", "x"),
    ("zh", "j"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("z", "s"),
    ("w", "v"),
    ("y", "i"),
)


@lru_cache(maxsize=200_000)
def skeleton(tok: str) -> str:
    """A rough sound key: consonants after folding spelling variants ("Husayn" = "Hussein").

    Transliterations of the same name differ mostly in vowels and in how a sound is spelt
    (sh/ch, z/s, w/v, kh/h), so both are folded away; the first letter is kept (any vowel
    as "a") because names rarely differ there without being different names.
    """
    for a, b in _SOUND_FOLDS:
        tok = tok.replace(a, b)
    if not tok:
        return tok
    head = "a" if tok[0] in "aeiou" else tok[0]
    out = [head]
    for ch in tok[1:]:
        if ch in "aeiou" or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)
