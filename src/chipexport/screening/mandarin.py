"""Chinese transcriptions of foreign names, matched by sound (洛克希德·马丁 = Lockheed Martin).

Chinese writes a foreign name with characters chosen for their sound (the Xinhua transcription
tables): 洛克希德 is "luo ke xi de". Neither the glossary nor pinyin spelling meets "Lockheed";
the sounds do. Both sides are reduced to a coarse *Mandarin key* in which the distinctions
Mandarin transcription loses are folded: voicing (t/d, p/b, k/g), l/r, the sibilants (s, sh,
ch, j, z; pinyin x, q, zh, c), h, vowels, an r before a consonant (Martin = 马丁 "ma ding"),
a final "ng" (= n). Keys one edit apart still meet (Lockheed "lgd" ~ 洛克希德 "lgsd").

Only runs of characters that transcriptions use (``data/zh_transcription.json``: characters of
the Xinhua tables that are rare in Chinese words), or parts separated by the middle dot "·",
are read this way; a Chinese name such as 张伟 keeps its pinyin and glossary readings only.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chipexport.screening.text import glossary_terms, load_json, simplified

_DOTS = re.compile(r"[·•・‧∙\-—]")  # between the words of a foreign name
_FOLDS = (
    ("tch", "s"), ("sch", "s"), ("ph", "f"), ("ck", "k"), ("sh", "s"), ("ch", "s"),
    ("zh", "s"), ("ts", "s"), ("x", "s"), ("q", "s"), ("j", "s"), ("z", "s"), ("c", "s"),
    ("t", "d"), ("p", "b"), ("k", "g"), ("r", "l"), ("v", "w"), ("ng", "n"), ("h", ""),
)  # fmt: skip
_SOFT_C = re.compile(r"c(?=[eiy])")
_FINAL_TH = re.compile(r"th$")
_R_BEFORE_CONSONANT = re.compile(r"(?<=[aeiouy])r(?=[^aeiouy]|$)")
MIN_RUN = 2
TRANSCRIPTION_SHARE = 0.75


@lru_cache(maxsize=1)
def _transcription_chars() -> frozenset[str]:
    return frozenset(load_json("zh_transcription.json")["characters"])


def _key(letters: str) -> str:
    for a, b in _FOLDS:
        letters = letters.replace(a, b)
    out: list[str] = []
    for ch in letters:
        if (ch in "aeiouyw" and ch != "w") or (out and ch == out[-1]):
            continue
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=300_000)
def latin_key(word: str) -> str:
    """The Mandarin key of a Latin word as the normaliser wrote it ("lockheed" -> "lgd")."""
    word = _SOFT_C.sub("s", word).replace("ck", "k").replace("c", "k").replace("q", "k")
    word = _FINAL_TH.sub("s", word).replace("x", "ks")
    word = _R_BEFORE_CONSONANT.sub("", word)
    return _key(word)


def pinyin_key(syllables: str) -> str:
    """The Mandarin key of toneless pinyin written without spaces ("luokexide" -> "lgsd")."""
    return _key(syllables)


def transcription_parts(run: str) -> list[str]:
    """The parts of a run of Chinese characters that read as a transcription, if it is one.

    A run qualifies when it has a middle dot, or when most of its characters are
    transcription characters; each dot-separated part is one foreign word.
    """
    chars = _transcription_chars()
    parts = [p for p in _DOTS.split(run) if p]
    if len(parts) > 1:
        return parts
    letters = [c for c in run if not c.isspace()]
    if len(letters) < MIN_RUN:
        return []
    share = sum(c in chars for c in letters) / len(letters)
    return [run] if share >= TRANSCRIPTION_SHARE else []


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·•・‧∙—]+")


def _pinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return list(lazy_pinyin(text))


def sound_reading(text: str) -> tuple[str, dict[str, tuple[str, ...]]] | None:
    """The name with glossary words in English and transcribed parts as Mandarin keys.

    None when no part of it reads as a transcription (the ordinary readings suffice).
    """
    terms, longest = glossary_terms()
    keys: dict[str, tuple[str, ...]] = {}

    def flush(pending: list[str], out: list[str]) -> None:
        segment = "".join(pending)
        pending.clear()
        if not segment.strip("·•・‧∙-—"):
            return
        parts = transcription_parts(segment)
        if not parts:
            out.extend(_pinyin(_DOTS.sub("", segment)))
            return
        for part in parts:
            key = pinyin_key("".join(_pinyin(part)))
            if len(key) >= 2:
                keys.setdefault(key, (key,))
                out.append(key)

    def run(m: re.Match[str]) -> str:
        chunk, i = m.group(), 0
        out: list[str] = []
        pending: list[str] = []
        while i < len(chunk):
            for size in range(min(longest, len(chunk) - i), 0, -1):
                piece = chunk[i : i + size]
                if piece in terms:
                    flush(pending, out)
                    out.append(terms[piece].split("|")[0])
                    i += size
                    break
            else:
                pending.append(chunk[i])
                i += 1
        flush(pending, out)
        return f" {' '.join(out)} "

    reading = _CJK_RUN.sub(run, simplified(text))
    return (reading, keys) if keys else None
