"""Pairwise comparison of two names with the index's word rarities (no candidate search).

Used by the name-pair benchmark and by reviewers asking why two names did or did not match.
The typo and join lookups are done against the other name instead of the whole vocabulary.
"""

from __future__ import annotations

import itertools

from rapidfuzz.distance import OSA

from chipexport.screening.index import ScreeningIndex
from chipexport.screening.legal_forms import person_shaped, split_forms
from chipexport.screening.query import FUZZY_MIN_LEN, MAX_QUERY_TOKENS
from chipexport.screening.scorer import Scored, score_pair
from chipexport.screening.text import cjk_variants, has_cjk, scripts, tokens
from chipexport.screening.typos import folded_typo, lookalike_readings
from chipexport.screening.variants import typo_similarity


def compare_names(index: ScreeningIndex, query: str, name: str) -> Scored:
    """The best score over the readings of both names (Chinese script has several)."""
    texts = cjk_variants(query) if has_cjk(query) else [query]
    names = cjk_variants(name) if has_cjk(name) else [name]
    best = Scored(0.0, ("no words to compare",))
    for text in texts:
        q = index.prepare(text, None, scripts(query), translated=has_cjk(query))
        if q is None:
            continue
        q.translated = has_cjk(query) or has_cjk(name)
        for other in names:
            core, forms, found = split_forms(
                tokens(other)[:MAX_QUERY_TOKENS], scripts(name), person_shaped(other)
            )
            weights = tuple(index.idf.get(t, index.max_idf) for t in core)
            for i, t in enumerate(q.core):  # typo lookup against this name, not the lists
                if i in q.exact_only:
                    continue
                near = {*lookalike_readings(t), *folded_typo(t)}
                for v in core:
                    one_edit = len(t) >= FUZZY_MIN_LEN and OSA.distance(t, v) <= 1
                    if v != t and (one_edit or v in near):
                        q.fuzzy.setdefault(v, []).append((i, typo_similarity(t)))
            joined = {a + b: i for i, (a, b) in enumerate(itertools.pairwise(q.core))}
            q.joined.update({k: i for k, i in joined.items() if k in core})
            scored = score_pair(q, tuple(core), weights, tuple(forms), tuple(found))
            if scored.score > best.score:
                best = scored
    return best
