"""The screening index: every list name prepared once, found by token, scored on demand.

Why an index and not a scan: 26k entries carry ~60k names; scoring each per query is what makes
spreadsheet-style fuzzy search run at ~25 names/s. Here each name variant is tokenised at build
time; a query collects candidates through an inverted index (exact tokens, one-edit typos via a
deletion-neighbourhood table, run-together or split words), keeps the best few by summed token
rarity, and only those are scored (:mod:`chipexport.screening.scorer`).
"""

from __future__ import annotations

import gc
import itertools
import marshal
import math
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from chipexport.model import ListEntry, Match, ScreeningResult
from chipexport.screening.lazy import LazyMap, LazyRows
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
from chipexport.screening.text import (
    is_usable,
    scripts,
    tokens,
)
from chipexport.screening.variants import (
    COUNTRIES,
    SOURCE,
    TYPE,
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


class ScreeningIndex(QueryLookup):
    """All list names of the given entries, ready to screen queries against.

    The query side (tokens, typo lookups, readings) is :class:`QueryLookup`.
    """

    def __init__(self, entries: Iterable[ListEntry] = ()) -> None:
        # Entries are kept as plain tuples (fast to cache and load) and rebuilt as ListEntry
        # only when they match; the bulky verbatim ``raw`` is not kept.
        self.rows: Sequence[tuple[object, ...]] = []
        rows: list[tuple[object, ...]] = []
        self.name_entry: list[int] = []
        self.name_text: list[str] = []
        self.name_kind: list[str] = []
        self.name_core: list[tuple[str, ...]] = []
        self.name_forms: list[tuple[str, ...]] = []
        self.name_form_text: list[tuple[str, ...]] = []
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
                self.name_entry.append(ei)
                self.name_text.append(text)
                self.name_kind.append(kind)
                self.name_core.append(tuple(core))
                self.name_forms.append(tuple(forms))
                self.name_form_text.append(tuple(found))
                entry_tokens.update(core)
                form_tokens.update(w for phrase in found for w in phrase.split())
                if individual:
                    person_words.update(core)
            for t in entry_tokens:
                df[t] += 1
            for t in form_tokens:
                in_forms[t] += 1
        self.rows = rows
        n = len(rows) + 1
        self.df = dict(df)
        self.idf = {t: math.log(n / (c + 0.5)) for t, c in df.items()}
        # Legal-form vocabulary left over when a form is cut short ("Limited Liability Fattura"
        # lacks "Company") is rare as a name word only because whole forms are taken out: a word
        # the lists mostly use inside legal forms weighs like one, whatever its own rarity.
        for t, c in in_forms.items():
            if t in self.idf and c >= FORM_WORD_RATIO * df[t]:
                self.idf[t] = min(self.idf[t], FORM_WORD_IDF)
        self.max_idf = math.log(n / 0.5)
        # Short legal forms that are also words of individuals' names on the lists ("Na", "Ag",
        # "Ku", "Pao"): a query ending in one may be a person (see :meth:`readings`).
        self.syllable_forms = sorted(
            t for t in person_words if is_short_form(t) and word_form(t) not in (None, "TITLE")
        )
        self.name_wsum = [sum(self.idf[t] for t in c) or 1.0 for c in self.name_core]
        postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
        joined: dict[str, array[int]] = defaultdict(lambda: array("I"))
        for ni, name_toks in enumerate(self.name_core):
            for t in set(name_toks):
                postings[t].append(ni)
            for a, b in itertools.pairwise(name_toks):
                joined[a + b].append(ni)
        # Posting lists are stored as bytes of uint32 and read through memoryview: no per-list
        # object is created when a cached index is loaded.
        self.postings = {k: v.tobytes() for k, v in postings.items()}
        self.joined_postings = {k: v.tobytes() for k, v in joined.items()}
        neighbours: dict[str, list[str]] = defaultdict(list)
        for t in self.idf:
            if len(t) >= FUZZY_MIN_LEN and t.isalpha():
                for d in deletes(t):
                    neighbours[d].append(t)
        # One space-joined string per key: ~10x faster to load from the cache than lists.
        self.deletes: Mapping[str, str] = {k: " ".join(v) for k, v in neighbours.items()}
        # What scoring reads of every candidate's entry, apart from the (lazily loaded) rows.
        self.meta = [(row[SOURCE], row[TYPE], row[COUNTRIES]) for row in self.rows]
        self._entries: dict[int, ListEntry] = {}
        self._by_initial: dict[str, list[str]] | None = None

    _STATE = (
        "rows",
        "meta",
        "name_entry",
        "name_text",
        "name_kind",
        "name_core",
        "name_forms",
        "name_form_text",
        "df",
        "idf",
        "max_idf",
        "syllable_forms",
        "name_wsum",
        "postings",
        "joined_postings",
        "deletes",
    )

    def dumps(self) -> bytes:
        """The built index as bytes (marshal of plain containers: loads in ~0.1 s).

        The entry rows and the typo table are stored in pieces decoded on first use
        (:mod:`chipexport.screening.lazy`): one query needs few of either.
        """
        state = dict(zip(self._STATE, (getattr(self, k) for k in self._STATE), strict=True))
        state["rows"] = (LazyRows.pack(self.rows), len(self.rows))
        state["deletes"] = LazyMap.pack(self.deletes)
        return marshal.dumps(tuple(state[k] for k in self._STATE))

    @classmethod
    def loads(cls, data: bytes) -> ScreeningIndex:
        """Rebuild an index from :meth:`dumps` output of the same ENGINE_VERSION."""
        index = cls()
        gc_was_on = gc.isenabled()
        gc.disable()  # hundreds of thousands of small containers: GC passes only cost time
        try:
            state = dict(zip(cls._STATE, marshal.loads(data), strict=True))
        finally:
            if gc_was_on:
                gc.enable()
        state["rows"] = LazyRows(*state["rows"])
        state["deletes"] = LazyMap(state["deletes"])
        for key, value in state.items():
            setattr(index, key, value)
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
            found = frozenset(str(source) for source, _, _ in self.meta)
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
        seeds: list[tuple[np.ndarray, float, float]] = []
        common: list[tuple[np.ndarray, float, float]] = []
        fallback: list[tuple[np.ndarray, float, float]] = []  # common, but may seed if need be

        def add(
            key: str, table: Mapping[str, bytes], wq: float, wc: float, seed: bool = True
        ) -> None:
            blob = table.get(key)
            if blob:
                ids = np.frombuffer(blob, dtype=np.uint32)
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
            wanted = set(sources)
            keep = np.fromiter(
                (self.meta[self.name_entry[k]][0] in wanted for k in names.tolist()),
                dtype=bool,
                count=len(names),
            )
            names, mq, mc = names[keep], mq[keep], mc[keep]
        wsum = self._wsum_array()[names]
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

    def _wsum_array(self) -> np.ndarray:
        found: np.ndarray | None = getattr(self, "_wsum_arr", None)
        if found is None:
            found = self._wsum_arr = np.asarray(self.name_wsum, dtype=np.float64)
        return found

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
                ei = self.name_entry[ni]
                _, kind, countries = self.meta[ei]
                base = score_pair(
                    q,
                    self.name_core[ni],
                    tuple(self._weights(ni)),
                    self.name_forms[ni],
                    self.name_form_text[ni],
                )
                scored = qualify(base, q, countries, kind)  # type: ignore[arg-type]
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

    def _weights(self, ni: int) -> list[float]:
        return [self.idf[t] for t in self.name_core[ni]]

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
