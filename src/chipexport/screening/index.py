"""The screening index: every list name prepared once, found by token, scored on demand.

Why an index and not a scan: 26k entries carry ~60k names; scoring each per query is what makes
spreadsheet-style fuzzy search run at ~25 names/s. Here each name variant is tokenised at build
time; a query collects candidates through an inverted index (exact tokens, one-edit typos via a
deletion-neighbourhood table, run-together or split words), keeps the best few by summed token
rarity, and only those are scored (:mod:`chipexport.screening.scorer`).
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from chipexport.model import ListEntry, Match, ScreeningResult
from chipexport.screening.arrays import HashedLists
from chipexport.screening.legal_forms import is_short_form, person_shaped, split_forms, word_form
from chipexport.screening.query import FUZZY_MIN_LEN, MAX_QUERY_TOKENS, QueryLookup
from chipexport.screening.readings import script_readings
from chipexport.screening.scorer import (
    SIM_INITIAL,
    PreparedQuery,
    Scored,
    qualify,
    score_pair,
)
from chipexport.screening.stored import open_state, pack_state
from chipexport.screening.text import (
    is_usable,
    scripts,
    tokens,
)
from chipexport.screening.variants import (
    deletes,
    from_row,
    name_variants,
    to_row,
)

# Candidates (see ScreeningIndex.candidates): every name whose estimated score is within
# NEAR_MARGIN of the reporting threshold is scored (at most MAX_SCORED, a guard against
# pathological queries); of those below, the best CANDIDATES with an estimate of at least
# PRUNE_SCORE, and always the best ALWAYS_SCORE. CANDIDATES is per REFERENCE_NAMES names (the
# bundled lists' ~58k name variants) and grows with the list.
CANDIDATES = 40
REFERENCE_NAMES = 58_000
ALWAYS_SCORE = 8
NEAR_MARGIN = 0.15
PRUNE_SCORE = 0.5
MAX_SCORED = 2000
# Words in more than this share of the names (and at least COMMON_MIN) do not seed candidates on
# their own; they still add their weight to the names other words found.
COMMON_SHARE = 0.05
COMMON_MIN = 1000
FORM_WORD_RATIO = 3  # used inside legal forms at least this many times as often as outside
FORM_WORD_IDF = 1.0


NAME_MEMO = 100_000  # decoded names kept per process before starting afresh
# entry position, words, their weights, legal-form classes and text, entity type, countries
_NameInfo = tuple[
    int, tuple[str, ...], tuple[float, ...], tuple[str, ...], tuple[str, ...], str | None,
    tuple[str, ...],
]


class ScreeningIndex(QueryLookup):
    """All list names of the given entries, ready to screen queries against.

    The query side (tokens, typo lookups, readings) is :class:`QueryLookup`. The tables are
    views into one array file (:mod:`chipexport.screening.stored`), built or memory-mapped.
    """

    vocab: Mapping[str, int]
    idf: Mapping[str, float]
    df: Mapping[str, int]
    postings: Mapping[str, Any]  # word -> ascending name positions (numpy uint32)
    joined_postings: Mapping[str, Any]  # two adjacent name words joined -> name positions
    deletes: HashedLists
    name_entry: Sequence[int]
    name_entry_array: Any
    name_tok: Any  # name position -> word ids (numpy)
    name_wsum: Any  # name position -> summed word rarity (numpy float64)
    idf_array: Any
    name_text: Sequence[str]
    name_kind: Sequence[str]
    name_core: Sequence[tuple[str, ...]]
    name_forms: Sequence[tuple[str, ...]]
    name_form_text: Sequence[tuple[str, ...]]
    rows: Sequence[tuple[object, ...]]
    meta: Sequence[tuple[str, str | None, tuple[str, ...]]]
    entry_source: Any  # entry position -> index into source_codes (numpy)
    source_codes: list[str]
    max_idf: float
    syllable_forms: list[str]

    def __init__(self, entries: Iterable[ListEntry] = ()) -> None:
        # Entries are kept as plain tuples (fast to cache and load) and rebuilt as ListEntry
        # only when they match; the bulky verbatim ``raw`` is not kept.
        rows: list[tuple[object, ...]] = []
        name_entry: list[int] = []
        name_text: list[str] = []
        name_kind: list[str] = []
        name_core: list[tuple[str, ...]] = []
        name_forms: list[tuple[str, ...]] = []
        name_form_text: list[tuple[str, ...]] = []
        df: dict[str, int] = defaultdict(int)
        in_forms: dict[str, int] = defaultdict(int)  # entries using the word inside a legal form
        person_words: set[str] = set()
        for ei, entry in enumerate(entries):
            rows.append(to_row(entry))
            seen: set[tuple[str, ...]] = set()
            entry_tokens: set[str] = set()
            form_tokens: set[str] = set()
            individual = (entry.entity_type or "").lower() == "individual"
            for text, kind in name_variants(entry):
                core, forms, found = split_forms(
                    tokens(text)[:MAX_QUERY_TOKENS],
                    scripts(text),
                    person=individual or person_shaped(text),
                )
                if not core or tuple(core) in seen:
                    continue
                seen.add(tuple(core))
                name_entry.append(ei)
                name_text.append(text)
                name_kind.append(kind)
                name_core.append(tuple(core))
                name_forms.append(tuple(forms))
                name_form_text.append(tuple(found))
                entry_tokens.update(core)
                form_tokens.update(w for phrase in found for w in phrase.split())
                if individual:
                    person_words.update(core)
            for t in entry_tokens:
                df[t] += 1
            for t in form_tokens:
                in_forms[t] += 1
        n = len(rows) + 1
        idf = {t: math.log(n / (c + 0.5)) for t, c in df.items()}
        # Legal-form vocabulary left over when a form is cut short ("Limited Liability Fattura"
        # lacks "Company") is rare as a name word only because whole forms are taken out: a word
        # the lists mostly use inside legal forms weighs like one, whatever its own rarity.
        for t, c in in_forms.items():
            if t in idf and c >= FORM_WORD_RATIO * df[t]:
                idf[t] = min(idf[t], FORM_WORD_IDF)
        max_idf = math.log(n / 0.5)
        # Short legal forms that are also words of individuals' names on the lists ("Na", "Ag",
        # "Ku", "Pao"): a query ending in one may be a person (see :meth:`readings`).
        syllable_forms = sorted(
            t for t in person_words if is_short_form(t) and word_form(t) not in (None, "TITLE")
        )
        name_wsum = [sum(idf[t] for t in c) or 1.0 for c in name_core]
        postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
        joined: dict[str, array[int]] = defaultdict(lambda: array("I"))
        for ni, name_toks in enumerate(name_core):
            for t in set(name_toks):
                postings[t].append(ni)
            for a, b in itertools.pairwise(name_toks):
                joined[a + b].append(ni)
        neighbours: dict[str, list[str]] = defaultdict(list)
        for t in idf:
            if len(t) >= FUZZY_MIN_LEN and t.isalpha():
                for d in deletes(t):
                    neighbours[d].append(t)
        data = pack_state(
            rows=rows,
            words=idf,
            df=df,
            postings=postings,
            joined=joined,
            deletes=neighbours,
            name_entry=name_entry,
            name_text=name_text,
            name_kind=name_kind,
            name_core=name_core,
            name_forms=name_forms,
            name_form_text=name_form_text,
            name_wsum=name_wsum,
            scalars={"max_idf": max_idf, "syllable_forms": syllable_forms},
        )
        # From here on the index is its array form only, as it is when loaded from the cache.
        self._adopt(data)

    def _adopt(self, data: Any) -> None:
        for key, value in open_state(data).items():
            setattr(self, key, value)
        self._data = data
        self._entries: dict[int, ListEntry] = {}
        self._by_initial: dict[str, list[str]] | None = None

    def dumps(self) -> bytes:
        """The index as one file's bytes (:mod:`chipexport.screening.arrays`, versioned)."""
        return bytes(self._data)

    @classmethod
    def loads(cls, data: Any) -> ScreeningIndex:
        """The index in ``data``: bytes from :meth:`dumps`, or a memory map of such a file
        (then nothing is read until a query needs it, and processes share the pages).
        Raises :class:`chipexport.screening.arrays.IndexFormatError` for another format."""
        index = cls.__new__(cls)
        index._adopt(data)
        return index

    def entry(self, ei: int) -> ListEntry:
        """The list entry at position ``ei`` (rebuilt from its row once, then cached)."""
        found = self._entries.get(ei)
        if found is None:
            found = self._entries[ei] = from_row(self.rows[ei])
        return found

    def sources(self) -> frozenset[str]:
        """The list codes present in the index (``EL``, ``SDN`` ...), computed once: the
        service asks on every request to check a ``lists`` filter."""
        found: frozenset[str] | None = getattr(self, "_source_codes", None)
        if found is None:
            found = frozenset(self.source_codes)
            self._source_codes = found
        return found

    def warm_up(self) -> None:
        """Build the per-process tables queries use (legal forms, glossary, typo tables,
        transliteration) by screening one query of each script, so that a server's first
        requests are not the slow ones. The index loaded from its cache has none of them."""
        for query in (
            "Warm Up Trading Co., Ltd.",
            "SMITH, John",
            "华為技术有限公司",
            "ООО Ромашка",
        ):
            self.screen(query, country="CN")
        self.sources()

    def __len__(self) -> int:
        return len(self.rows)

    def candidates(
        self, q: PreparedQuery, sources: Collection[str] | None, limit: float = 0.8
    ) -> list[int]:
        """The names worth scoring in full for ``q``, best estimate first.

        Each query word's posting lists (exact, one-edit typos, joined words) add the matched
        weight on both sides: the query word's rarity (``mq``) and the list word's own rarity
        (``mc``), so a typo neighbour that is a common word ("marine" for "parine") brings its
        own small weight, not the rare query word's. From those an estimate of the score is
        formed like the scorer's (``cover_q^0.5 * cover_name^0.45``). Words in a large share of
        the names do not seed candidates (their postings are long and say little) but still add
        their weight to the names the other words found. Every name whose estimate comes near
        ``limit`` is scored, however many; of the rest only the best few: sound-alike and
        similar words can lift a score by a fraction, not from nothing. So what is found does
        not depend on how many other names the list holds.
        """
        seed_cut = max(COMMON_MIN, COMMON_SHARE * len(self.name_entry))
        seeds: list[tuple[Any, float, float]] = []
        common: list[tuple[Any, float, float]] = []
        fallback: list[tuple[Any, float, float]] = []  # common, but may seed if need be

        def add(
            key: str, table: Mapping[str, bytes], wq: float, wc: float, seed: bool = True
        ) -> None:
            ids = table.get(key)
            if ids is not None and len(ids):
                if seed and len(ids) <= seed_cut:
                    seeds.append((ids, wq, wc))
                else:
                    common.append((ids, wq, wc))
                    fallback.extend([(ids, wq, wc)] if seed else [])

        idf = self.idf
        for i, t in enumerate(q.core):
            w = q.weights[i]
            add(t, self.postings, w, w)
            add(t, self.joined_postings, w, w)
            if len(t) > 1 and t[0] in idf:  # a list name's initial ("LLC A Invest")
                add(t[0], self.postings, w * SIM_INITIAL, idf[t[0]] * SIM_INITIAL, seed=False)
        for v, hits in q.fuzzy.items():
            for i, sim in hits:
                add(v, self.postings, q.weights[i] * sim, idf[v] * sim)
        for v, hits in q.joined_typos.items():
            for i, sim in hits:
                add(v, self.joined_postings, q.weights[i] * sim, q.weights[i] * sim)
        for key, i in q.joined.items():
            add(key, self.postings, q.weights[i] + q.weights[i + 1], idf[key])
        if not seeds:  # only common words (or none known): they are all there is
            seeds = fallback
            common = [c for c in common if not any(c is f for f in fallback)]
        if not seeds:
            return []
        ids = np.concatenate([s[0] for s in seeds])
        sizes = [len(s[0]) for s in seeds]
        names, inverse = np.unique(ids, return_inverse=True)
        mq = np.bincount(inverse, np.repeat([s[1] for s in seeds], sizes), len(names))
        mc = np.bincount(inverse, np.repeat([s[2] for s in seeds], sizes), len(names))
        for posting, wq, wc in common:
            at = np.searchsorted(posting, names)
            hit = posting[np.minimum(at, len(posting) - 1)] == names
            mq += hit * wq
            mc += hit * wc
        if sources is not None:
            codes = [i for i, c in enumerate(self.source_codes) if c in set(sources)]
            keep = np.isin(self.entry_source[self.name_entry_array[names]], codes)
            names, mq, mc = names[keep], mq[keep], mc[keep]
        wsum = self.name_wsum[names]
        total_q = sum(q.weights) or 1.0
        est = np.minimum(mq / total_q, 1.0) ** 0.5 * np.minimum(mc / wsum, 1.0) ** 0.45
        order = np.argsort(-est, kind="stable")
        est = est[order]
        near = int(np.searchsorted(-est, -(limit - NEAR_MARGIN), side="right"))
        near = min(near, MAX_SCORED)
        # Names far below the best are not scored in full; the first few always are.
        rest = int(np.searchsorted(-est, -PRUNE_SCORE, side="right"))
        # As many as the list holds names like these: a list ten times the size holds ten
        # times the names that share a word with the query without being the party.
        room = round(CANDIDATES * max(1.0, len(self.name_entry) / REFERENCE_NAMES))
        take = max(near, min(rest, near + room), min(len(est), ALWAYS_SCORE))
        return names[order[:take]].tolist()  # type: ignore[no-any-return]

    def screen(
        self,
        name: str,
        country: str | None = None,
        threshold: float | None = None,
        sources: Collection[str] | None = None,
    ) -> ScreeningResult:
        """Matches for one name at or above ``threshold`` (default: the calibrated default)."""
        from chipexport.screening import DEFAULT_THRESHOLD

        limit = DEFAULT_THRESHOLD if threshold is None else threshold
        cc = country.strip().upper() if country and country.strip() else None
        if not isinstance(name, str) or not is_usable(name):
            return ScreeningResult(name, cc, (), ("name has no letters or digits to match",))
        written_in = scripts(name)
        best: dict[int, tuple[Scored, int]] = {}
        for q in (
            q
            for r in script_readings(name)
            for q in self.readings(r.text, cc, written_in, r.translated, r.sounds, r.system)
        ):
            for ni in self.candidates(q, sources, limit):
                ei, core, weights, forms, form_text, kind, countries = self._name(ni)
                base = score_pair(q, core, weights, forms, form_text)
                scored = qualify(base, q, countries, kind)
                if ei not in best or scored.score > best[ei][0].score:
                    best[ei] = (scored, ni)
        matches = [
            Match(
                entry=self.entry(ei),
                score=round(s.score, 4),
                matched_name=self.name_text[ni],
                explanation=(f"matched the {self.name_kind[ni]}", *s.explanation),
            )
            for ei, (s, ni) in best.items()
            if s.score >= limit
        ]
        matches.sort(key=lambda m: (-m.score, m.entry.source, m.entry.entry_id))
        return ScreeningResult(name, cc, tuple(matches))

    def _name(self, ni: int) -> _NameInfo:
        """What scoring reads of one indexed name and its entry, decoded from the arrays once
        per process (a batch meets the same candidates again and again)."""
        memo: dict[int, _NameInfo] | None = getattr(self, "_name_memo", None)
        if memo is None or len(memo) >= NAME_MEMO:
            memo = {}
            self._name_memo = memo
        found = memo.get(ni)
        if found is None:
            ei = self.name_entry[ni]
            _, kind, countries = self.meta[ei]
            weights = tuple(self.idf_array[self.name_tok[ni]].tolist())
            found = memo[ni] = (
                ei, self.name_core[ni], weights, self.name_forms[ni], self.name_form_text[ni],
                kind, countries,
            )
        return found

    def compare(self, query: str, name: str) -> Scored:
        """Score two names directly with this index's word rarities (no candidate search).

        For pairwise evaluation and for a reviewer asking "why did these two not match?".
        Words the lists do not contain count as rare.
        """
        from chipexport.screening.pairs import compare_names

        return compare_names(self, query, name)


def build_index(entries: Iterable[ListEntry]) -> ScreeningIndex:
    """Prepare list entries for screening (seconds for the full CSL; cache the result)."""
    return ScreeningIndex(entries)
