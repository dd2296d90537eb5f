"""The screening index: every list name prepared once, found by token, scored on demand.

Why an index and not a scan: 26k entries carry ~60k names; scoring each per query is what makes
spreadsheet-style fuzzy search run at ~25 names/s. Here each name variant is tokenised at build
time; a query collects candidates through an inverted index (exact tokens, one-edit typos via a
deletion-neighbourhood table, run-together or split words), keeps the best few by summed token
rarity, and only those are scored (:mod:`chipexport.screening.scorer`).
"""

from __future__ import annotations

import gc
import heapq
import itertools
import marshal
import math
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from operator import itemgetter

from chipexport.model import ListEntry, Match, ScreeningResult
from chipexport.screening.lazy import LazyMap, LazyRows
from chipexport.screening.legal_forms import is_short_form, person_shaped, split_forms, word_form
from chipexport.screening.query import FUZZY_MIN_LEN, MAX_QUERY_TOKENS, QueryLookup
from chipexport.screening.readings import script_readings
from chipexport.screening.scorer import (
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

CANDIDATES = 40  # names scored per query variant, after ranking by summed token rarity
ALWAYS_SCORE = 8
PRUNE_RATIO = 0.5
COMMON_DF = 3000  # tokens in more entries than this do not generate candidates on their own
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

    def candidates(self, q: PreparedQuery, sources: Collection[str] | None) -> list[int]:
        acc: dict[int, float] = defaultdict(float)

        def add(key: str, weight: float, table: dict[str, bytes]) -> None:
            blob = table.get(key)
            if blob:
                for ni in memoryview(blob).cast("I"):
                    acc[ni] += weight

        rare = [i for i, t in enumerate(q.core) if self.df.get(t, 0) <= COMMON_DF]
        for i in rare or range(len(q.core)):
            add(q.core[i], q.weights[i], self.postings)
            add(q.core[i], q.weights[i], self.joined_postings)
        for v, hits in q.fuzzy.items():
            for i, sim in hits:
                add(v, q.weights[i] * sim, self.postings)
        for key, i in q.joined.items():
            add(key, q.weights[i] + q.weights[i + 1], self.postings)
        if sources is not None:
            wanted = set(sources)
            items = [(k, v) for k, v in acc.items() if self.meta[self.name_entry[k]][0] in wanted]
        else:
            items = list(acc.items())
        # Rank like a cosine: a name that is all matched words beats a long name sharing one
        # rare word (a query for "Gazprom" must see "Gazprom PJSC" before 200 subsidiaries).
        wsum = self.name_wsum
        ranked = [(k, v * v / wsum[k]) for k, v in items]
        top = heapq.nlargest(CANDIDATES, ranked, key=itemgetter(1))
        # v*v/wsum/Wq estimates the squared score from exact and typo words alone. Names far
        # below the best are not scored in full: sound-alike and similar words can lift a score
        # by a fraction, not from nothing. The first few are always scored.
        floor = PRUNE_RATIO**2 * sum(q.weights)
        return [k for n, (k, r) in enumerate(top) if n < ALWAYS_SCORE or r >= floor]

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
            for ni in self.candidates(q, sources):
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
