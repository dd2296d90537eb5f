"""From a query text to a :class:`PreparedQuery` against an index's vocabulary.

Kept apart from the index's building and candidate search: this is where one query word meets
the lists' words, exactly, by one edit, two edits for long unknown words, look-alike characters
and folded spellings (:mod:`chipexport.screening.typos`), and where a query is read once more
as a person's name when only a syllable made it look like a company.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from rapidfuzz.distance import OSA

from chipexport.screening.arabic import ARTICLES, collapse, latin_key
from chipexport.screening.arrays import HashedLists
from chipexport.screening.legal_forms import person_shaped, split_forms
from chipexport.screening.mandarin import latin_key as mandarin_key
from chipexport.screening.scorer import SIM_SOLE_SHORT_TYPO, PreparedQuery, weigh_evidence
from chipexport.screening.text import glossary_names, org_words, scripts, tokens
from chipexport.screening.typos import folded_typo, lookalike_readings
from chipexport.screening.variants import deletes, typo_similarity

MAX_QUERY_TOKENS = 48
FUZZY_MIN_LEN = 4
FUZZY2_MIN_LEN = 8
NEAR_MEMO_WORDS = 200_000  # typo lookups remembered per process before starting afresh
# Credit for a list word with the same consonant key as an Arabic-script word: the vowels
# are a guess, so less than an exact word but enough for the review band.
SIM_SCRIPT_SOUND = 0.9
SIM_SCRIPT_SOUND_SHORT = 0.85  # keys of one or two consonants ("Ali" = "l")
SIM_ARTICLE = 0.95
# Mandarin keys of a transcribed foreign name (洛克希德 ~ Lockheed): coarser than Arabic keys.
SIM_MANDARIN = 0.88
SIM_MANDARIN_NEAR = 0.82
MANDARIN_FUZZY_LEN = 3  # keys one edit apart meet when both are this long (same first letter)
MANDARIN_MAX_DF = 300
MANDARIN_SOLE_MIN = 4  # consonants a transcribed word needs to be matched on its own


class QueryLookup:
    """The query side of :class:`chipexport.screening.index.ScreeningIndex` (a mixin)."""

    idf: Mapping[str, float]
    df: Mapping[str, int]
    max_idf: float
    deletes: HashedLists  # deletion variant -> vocabulary words
    syllable_forms: list[str]
    _by_initial: dict[str, list[str]] | None
    joined_postings: Mapping[str, Any]  # two adjacent name words joined -> names

    def _near(self, tok: str) -> list[tuple[str, float]]:
        """Vocabulary tokens one edit (insert, delete, substitute, swap) away from ``tok``.

        An unknown word is also read with look-alike characters put back ("fabrik0n",
        "lirnited") and looked up among the spellings the normaliser folds ("indsutries" ->
        "industry"): see :mod:`chipexport.screening.typos`. Remembered per word: a batch
        repeats the same words ("trading", "ltd", "beijing") thousands of times.
        """
        memo: dict[str, list[tuple[str, float]]] | None = getattr(self, "_near_memo", None)
        if memo is None or len(memo) >= NEAR_MEMO_WORDS:
            memo = {}
            self._near_memo = memo
        found = memo.get(tok)
        if found is None:
            found = memo[tok] = self._lookup_near(tok)
        return list(found)

    def _lookup_near(self, tok: str) -> list[tuple[str, float]]:
        near = self._one_edit(tok) if len(tok) >= FUZZY_MIN_LEN and tok.isalpha() else []
        if tok not in self.idf:
            have = {v for v, _ in near}
            sim = typo_similarity(tok)
            for v in (*lookalike_readings(tok), *folded_typo(tok)):
                if v in self.idf and v not in have:
                    near.append((v, sim))
                    have.add(v)
        return near

    def sound_near(self, keys: tuple[str, ...], system: str = "arabic") -> list[tuple[str, float]]:
        """The lists' words with one of these sound keys ("mhmd": muhammad, mohamed).

        Arabic keys (:mod:`.arabic`): the article ``al`` meets its other spellings ("el",
        "ad", "ash" ...). Mandarin keys (:mod:`.mandarin`) also meet keys one edit away, with
        less credit. Each key table is built from the vocabulary on the first such query (a
        fraction of a second).
        """
        if system == "arabic" and keys == ("al",):
            return [(a, SIM_ARTICLE) for a in ARTICLES if a != "al" and a in self.idf]
        table = self._sound_table(system)
        if system == "arabic":
            sim = SIM_SCRIPT_SOUND if len(keys[0]) >= 3 else SIM_SCRIPT_SOUND_SHORT
            found = dict.fromkeys(v for key in keys for v in table.get(key, ()))
            return [(v, sim) for v in found]
        out: dict[str, float] = {}
        for key in keys:
            for v in table.get(key, ()):
                out[v] = SIM_MANDARIN
            if len(key) >= MANDARIN_FUZZY_LEN:
                for near in {key, *deletes(key)}:
                    for k2 in table.get("\0" + near, ()):
                        if (
                            k2 != key
                            and min(len(k2), len(key)) >= MANDARIN_FUZZY_LEN
                            and k2[0] == key[0]
                            and OSA.distance(k2, key) <= 1
                        ):
                            for v in table.get(k2, ()):
                                out.setdefault(v, SIM_MANDARIN_NEAR)
        return list(out.items())

    def _sound_table(self, system: str) -> dict[str, list[str]]:
        """Sound key -> vocabulary words (and, for Mandarin, "\\0" + a deletion -> keys)."""
        tables: dict[str, dict[str, list[str]]] = self.__dict__.setdefault("_sound_tables", {})
        if system not in tables:
            keyer = latin_key if system == "arabic" else mandarin_key
            table: dict[str, list[str]] = defaultdict(list)
            generic = org_words()
            for v in self.idf:
                # transcribed names meet names, not the lists' everyday words ("trade")
                if v.isalpha() and (
                    system == "arabic" or (v not in generic and self.df[v] <= MANDARIN_MAX_DF)
                ):
                    table[keyer(v)].append(v)
            if system == "mandarin":
                for key in list(table):
                    if len(key) >= MANDARIN_FUZZY_LEN:
                        for d in {key, *deletes(key)}:
                            table["\0" + d].append(key)
            tables[system] = dict(table)
        return tables[system]

    def _one_edit(self, tok: str) -> list[tuple[str, float]]:
        keys = (tok, *deletes(tok))
        found = self.deletes.words(keys)
        found.update(k for k in keys[1:] if k in self.idf)
        sim = typo_similarity(tok)
        # Users rarely mistype the first letter; a different first letter is more often a
        # different word ("Melements" is not "Element").
        near = [
            (v, sim if v[0] == tok[0] or v[:2] == tok[1::-1] else sim - 0.1)
            for v in found
            if v != tok and OSA.distance(tok, v) <= 1
        ]
        if tok not in self.idf and len(tok) >= FUZZY2_MIN_LEN:
            have = {v for v, _ in near}
            near += [(v, s) for v, s in self._near2(tok, self._initials()) if v not in have]
        return near

    def _initials(self) -> dict[str, list[str]]:
        if self._by_initial is None:
            self._by_initial = _buckets(self.idf)
        return self._by_initial

    def _joined_initials(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] | None = getattr(self, "_joined_by_initial", None)
        if found is None:
            found = self._joined_by_initial = _buckets(self.joined_postings)
        return found

    @staticmethod
    def _near2(tok: str, buckets: dict[str, list[str]]) -> list[tuple[str, float]]:
        """Two-edit neighbours of an unknown long word, among words with the same first letter.

        Only for words the lists do not know at all (rare in clean input), so the slower
        C++ scan over one initial's bucket does not cost throughput.
        """
        from rapidfuzz import process

        hits = process.extract(
            tok, buckets.get(tok[0], []), scorer=OSA.distance, score_cutoff=2, limit=3
        )
        return [(v, 0.9 if d <= 1 else 0.8) for v, d, _ in hits]

    def prepare(
        self,
        text: str,
        country: str | None,
        written_in: frozenset[str] | None = None,
        person: bool | None = None,
        translated: bool = False,
        sounds: Mapping[str, tuple[str, ...]] | None = None,
        system: str = "arabic",
    ) -> PreparedQuery | None:
        """Tokenise, split off legal forms, and look up typos and joins for one query variant.

        ``written_in``: the scripts of the name as typed, when ``text`` is a romanised reading.
        ``person``: read short forms as name syllables (default: when "SURNAME, Given").
        ``translated``: ``text`` is a reading of Chinese script; the place and company names
        the glossary put in are exact (nobody mistyped them), so they get no typo or similar
        matches: 北京 is "beijing", never "beihang".
        """
        core, forms, found = split_forms(
            tokens(text)[:MAX_QUERY_TOKENS],
            scripts(text) if written_in is None else written_in,
            person=person_shaped(text) if person is None else person,
        )
        if not core:
            return None
        q = PreparedQuery(core=core, weights=[], forms=forms, form_text=found, country=country)
        q.translated = translated
        certain = glossary_names() if translated else frozenset()
        q.exact_only = frozenset(i for i, t in enumerate(core) if t in certain)
        q.by_sound = frozenset(i for i, t in enumerate(core) if sounds and t in sounds)
        q.romanised = bool(scripts(text) if written_in is None else written_in)
        for i, t in enumerate(core):
            q.positions.setdefault(t, []).append(i)
            if sounds and (t in sounds or (t == "al" and system == "arabic")):
                near = self.sound_near(sounds.get(t, (t,)), system)
            else:
                near = [] if i in q.exact_only else self._near(t)
            for v, sim in near:
                q.fuzzy.setdefault(v, []).append((i, sim))
            if t in self.idf:
                q.weights.append(self.idf[t])
            elif near:
                q.weights.append(max(self.idf[v] for v, _ in near))
            else:
                q.weights.append(self.max_idf)
            guessed = i in q.exact_only or i in q.by_sound
            if not near and t not in self.idf and len(t) >= FUZZY2_MIN_LEN and not guessed:
                # Two list words run together and mistyped ("reyesmartniez"): the names that
                # write them apart are candidates (the scorer compares them without spaces).
                for v, sim in self._near2(t, self._joined_initials()):
                    q.joined_typos.setdefault(v, []).append((i, sim))
        for i in range(len(core) - 1):
            key = core[i] + core[i + 1]
            if key in self.idf:
                q.joined.setdefault(key, i)
            if sounds and system == "arabic" and core[i] in sounds and core[i + 1] in sounds:
                # "عبد الرحيم" = "Abdulrahim": keys of two words meet one list word
                for v, _ in self.sound_near((collapse(key),)):
                    q.joined.setdefault(v, i)
        q.org_like = any(f != "TITLE" for f in forms) or any(t in org_words() for t in core)
        weigh_evidence(q, org_words())
        if system == "mandarin":  # the generic short-word cap reads keys as words: not here
            q.typo_cap = {i: c for i, c in q.typo_cap.items() if i not in q.by_sound}
        if system == "mandarin" and len(core) == 1 and len(core[0]) < MANDARIN_SOLE_MIN:
            # one short transcribed word alone ("诺沃特" nwd ~ Novator, Novotech ...) is too
            # coarse to stand as a match; a longer one (亨索尔特 nsld ~ Hensoldt) may
            q.typo_cap = {0: SIM_SOLE_SHORT_TYPO}
        return q

    def readings(
        self,
        text: str,
        country: str | None,
        written_in: frozenset[str] | None = None,
        translated: bool = False,
        sounds: Mapping[str, tuple[str, ...]] | None = None,
        system: str = "arabic",
    ) -> list[PreparedQuery]:
        """The query as prepared, and as a person's name when only a syllable said otherwise.

        "Na Chu" and "Ja Hyong Ku" end in a short legal form (N.A., KU) and so read as
        organisations, which costs them the match with the individuals "CHU, Na" and "KU, Ja
        Hyong". When such a form is the query's only sign of an organisation, the name is
        also read with the syllable as a name word; the better reading wins per entry.
        """
        q = self.prepare(
            text, country, written_in, translated=translated, sounds=sounds, system=system
        )
        if q is None:
            return []
        syllables = [f for f, c in zip(q.form_text, q.forms, strict=True) if c != "TITLE"]
        if not syllables or not set(syllables) <= set(self.syllable_forms):
            return [q]
        if any(t in org_words() for t in q.core):
            return [q]
        as_person = self.prepare(text, country, written_in, True, translated, sounds, system)
        return [q] if as_person is None else [q, as_person]


def _buckets(words: Iterable[str]) -> dict[str, list[str]]:
    """Words long enough for a two-edit lookup, by first letter."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for v in words:
        if len(v) >= FUZZY2_MIN_LEN - 1:
            buckets[v[0]].append(v)
    return dict(buckets)
