"""Score one prepared query against one indexed name: token alignment weighted by rarity.

Why this shape: list names differ from what users type mostly by dropped or added *common*
words, legal forms, word order and one-letter typos. So tokens are aligned regardless of order
(exact, one-edit typo, two words run together, initial), each token weighs its inverse document
frequency in the lists (``Technology``, ``Co``, ``International`` weigh little, ``Pengxinxu``
much), and the score is the product of how much of the query's weight and how much of the list
name's weight was explained. A product, not a mean: a match must explain both sides.
Qualifiers (country, entity type, numbers, legal-form class) then move the score, each with a
line of explanation. The result is in 0..1; its thresholds live in ``data/calibration.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from chipexport.screening.legal_forms import compatible
from chipexport.screening.names import PATRONYMIC_WEIGHT, both_syllables, initials_of, is_patronymic
from chipexport.screening.text import skeleton
from chipexport.screening.typos import lookalike_readings

# Similarity credited to each kind of token correspondence.
SIM_EXACT = 1.0
SIM_JOINED = 0.97  # "hua wei" = "huawei", "zhongxin" = "zhong xin"
SIM_INITIAL = 0.6  # "j" = "john": weak evidence, but not none
RESIDUE_MIN = 0.6  # leftover words this similar (normalised Levenshtein) still count, scaled
RESIDUE_SCALE = 0.8
# Score = cover_q ** QUERY_EXP * cover_c ** NAME_EXP: a weighted geometric mean of how much of
# each side was explained (exponents near 0.5 each, so a one-to-one match with similarity s
# scores about s). The query side weighs a little more: a word the user typed that the list name
# lacks is stronger evidence of a different party than a list word the user left out (users
# drop cities, "Group", middle names). Chosen with bench/screening_bench.py, see calibration.json.
QUERY_EXP = 0.5
NAME_EXP = 0.45
SIM_SOUND = 0.85  # same sound key: "Husayn" ~ "Hussein", "Zelenskyy" ~ "Selenskyj"
COMPACT_MIN = 0.9  # whole names this similar without spaces ("SiemensAG" ~ "Siemens AG")
# Both names have a word the other lacks: "Abdul Hasib" vs "Abdul Ahmad" is a different word,
# stronger evidence of a different party than a word merely left out ("Abdul Ahmad Turk").
SUBSTITUTION_FACTOR = 0.9
# A typo in a short word that is (nearly) the whole name: "Avito" is one edit from the listed
# "Aviton", "Divar" from "DAVAR". Among the lists' ~27k names and the world's companies, every
# four- or five-letter name has one-edit neighbours; with no other word to confirm it, such a
# pair is more often two parties than one typo, so it scores below the default threshold.
# Swapped letters ("Arugt" for "Argut") and look-alike characters ("Satc0") are exceptions:
# names seldom differ that way.
SOLE_WORD_SHARE = 0.75  # of the query's rarity weight
SOLE_SHORT_LEN = 5
SIM_SOLE_SHORT_TYPO = 0.75
# Qualifier adjustments (additive on the 0..1 score unless noted).
COUNTRY_MATCH = 0.02
COUNTRY_MISMATCH = -0.08
# A name that is only a short acronym ("NEC", "3M") or one generic word ("Energy") is shared
# by parties all over the world: when the lists' party is in another country, it most likely
# is another party (NEC Corporation, JP vs the Russian "JSC NEC").
THIN_NAME_LEN = 4
COUNTRY_MISMATCH_THIN = -0.25
FORM_CONFLICT = -0.04
TYPE_CONFLICT = -0.3
NUMBER_CONFLICT_FACTOR = 0.7
SIM_ACRONYM = 0.9  # "VO" = "Vneshneekonomicheskoe Obedinenie" (organisation names only)
ACRONYM_LEN = (2, 6)
# An individual matched by no word as written (only typos and merely similar words) on a name
# of one or two words typed in Latin script: character similarity alone is how different
# people's short names look alike, so such a match stays below the default threshold. Longer
# names (three similar words rarely meet by chance) and names typed in another script (their
# romanisation is seldom the list's: Лидия Ермошина / Lidziya Yarmoshina) are exempt.
UNANCHORED_PERSON_CAP = 0.79
UNANCHORED_MAX_WORDS = 2
# Kinds of correspondence that rest on a word as written (the rest are approximate).
ANCHORS = frozenset({"exact", "joined", "initials"})


@dataclass(slots=True)
class PreparedQuery:
    """A query variant ready for scoring (built once per query, reused for every candidate)."""

    core: list[str]
    weights: list[float]
    forms: list[str]
    form_text: list[str]
    # vocabulary token -> [(query position, similarity)] for typo corrections
    fuzzy: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    # joined adjacent query tokens -> first position ("hua"+"wei" -> "huawei": 0)
    joined: dict[str, int] = field(default_factory=dict)
    positions: dict[str, list[int]] = field(default_factory=dict)
    org_like: bool = False
    # query position -> the most a typo of that word may be credited (see SIM_SOLE_SHORT_TYPO)
    typo_cap: dict[int, float] = field(default_factory=dict)
    # the name is a short acronym or generic words only (see COUNTRY_MISMATCH_THIN)
    thin: bool = False
    country: str | None = None
    # A reading of Chinese script through the glossary: word substitutions are expected there.
    translated: bool = False
    # query positions matched only exactly (glossary place/company names, translated reading)
    exact_only: frozenset[int] = frozenset()
    # query positions that are sound keys of another script (their fuzzy matches are by sound)
    by_sound: frozenset[int] = frozenset()
    # typed in another script and romanised here (its spelling is ours, not the user's)
    romanised: bool = False
    # two adjacent list words written together -> [(query position, similarity)], for a long
    # unknown word that is a typo of them ("reyesmartniez" ~ "reyes martinez"): finds candidates
    joined_typos: dict[str, list[tuple[int, float]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scored:
    """The outcome of one comparison: score and the human-readable reasons."""

    score: float
    explanation: tuple[str, ...]
    # some word matched as written (exactly, joined or as initials), not only approximately
    anchored: bool = True


def weigh_evidence(q: PreparedQuery, generic: frozenset[str]) -> None:
    """Mark what makes a name weak evidence: a short sole word, an acronym, a generic word."""
    total = sum(q.weights) or 1.0
    q.typo_cap = {
        i: SIM_SOLE_SHORT_TYPO
        for i, (t, w) in enumerate(zip(q.core, q.weights, strict=True))
        if len(t) <= SOLE_SHORT_LEN and w >= SOLE_WORD_SHARE * total
    }
    # "Delta Electronics": one short word beside generic ones is as thin as the word alone
    specific = [t for t in q.core if t not in generic]
    q.thin = (len(q.core) == 1 and (len(q.core[0]) <= THIN_NAME_LEN or q.core[0] in generic)) or (
        len(q.core) == 2 and len(specific) == 1 and len(specific[0]) <= THIN_NAME_LEN + 1
    )


def _evident_typo(typed: str, listed: str) -> bool:
    """A typo that is no other name: swapped letters ("arugt" / "argut"), look-alike
    characters ("satc0" / "satco")."""
    swapped = len(typed) == len(listed) and sorted(typed) == sorted(listed)
    return swapped or listed in lookalike_readings(typed)


def _options(
    q: PreparedQuery, c_core: tuple[str, ...]
) -> list[tuple[float, tuple[int, ...], tuple[int, ...], str]]:
    """Every plausible token correspondence: (similarity, query positions, name positions, kind)."""
    opts: list[tuple[float, tuple[int, ...], tuple[int, ...], str]] = []
    qset = q.positions
    for j, ct in enumerate(c_core):
        for i in qset.get(ct, ()):
            opts.append((SIM_EXACT, (i,), (j,), "exact"))
        for i, sim in q.fuzzy.get(ct, ()):
            if i in q.by_sound:
                opts.append((min(sim, q.typo_cap.get(i, sim)), (i,), (j,), "sounds like"))
                continue
            if both_syllables(q.core[i], ct):
                continue  # Yang is not a typo of Ying: two Chinese names
            if i in q.typo_cap and not _evident_typo(q.core[i], ct):
                sim = min(sim, q.typo_cap[i])
            opts.append((sim, (i,), (j,), "typo"))
        start = q.joined.get(ct)
        if start is not None:
            opts.append((SIM_JOINED, (start, start + 1), (j,), "joined"))
        if j + 1 < len(c_core):
            for i in qset.get(ct + c_core[j + 1], ()):
                opts.append((SIM_JOINED, (i,), (j, j + 1), "joined"))
        if len(ct) == 1:
            for i, qt in enumerate(q.core):
                if len(qt) > 1 and qt[0] == ct:
                    opts.append((SIM_INITIAL, (i,), (j,), "initial"))
        elif ct[0] in qset and len(ct) > 1:
            for i in qset[ct[0]]:
                opts.append((SIM_INITIAL, (i,), (j,), "initial"))
    return opts


def _acronyms(
    q: PreparedQuery, c_core: tuple[str, ...], q_used: set[int], c_used: set[int]
) -> list[tuple[float, tuple[int, ...], tuple[int, ...], str]]:
    """An acronym on one side spelt out on the other ("VO" / "Vneshneekonomicheskoe
    Obedinenie"), in organisation names only: persons' initials are matched one by one."""
    lo = ACRONYM_LEN[0]
    opts: list[tuple[float, tuple[int, ...], tuple[int, ...], str]] = []
    # an acronym of n letters needs n words left over on the other side
    q_hi = min(ACRONYM_LEN[1], len(q.core) - len(q_used))
    c_hi = min(ACRONYM_LEN[1], len(c_core) - len(c_used))
    if q_hi < lo and c_hi < lo:
        return opts
    q_initials = "".join(t[:1] for t in q.core)
    c_initials = "".join(t[:1] for t in c_core)
    for j, ct in enumerate(c_core):
        if j not in c_used and lo <= len(ct) <= q_hi and ct in q_initials and ct.isalpha():
            for i in range(len(q.core)):
                if initials_of(q.core, i, ct):
                    opts.append((SIM_ACRONYM, tuple(range(i, i + len(ct))), (j,), "initials"))
    for i, qt in enumerate(q.core):
        if i not in q_used and lo <= len(qt) <= c_hi and qt in c_initials and qt.isalpha():
            for j in range(len(c_core)):
                if initials_of(c_core, j, qt):
                    opts.append((SIM_ACRONYM, (i,), tuple(range(j, j + len(qt))), "initials"))
    return opts


def _residue(
    q: PreparedQuery, c_core: tuple[str, ...], q_used: set[int], c_used: set[int]
) -> list[tuple[int, int, float]]:
    """Pair leftover words that are merely similar ("Merkur" ~ "Merkel"), best first."""
    pairs = []
    for i, qt in enumerate(q.core):
        if i in q_used or len(qt) < 3 or i in q.exact_only:
            continue
        for j, ct in enumerate(c_core):
            if j in c_used or len(ct) < 3:
                continue
            ratio = Levenshtein.normalized_similarity(qt, ct)
            sim = ratio * RESIDUE_SCALE if ratio >= RESIDUE_MIN else 0.0
            if sim and both_syllables(qt, ct):
                continue
            if len(qt) >= 4 and len(ct) >= 4 and sim < SIM_SOUND:
                sq, sc = skeleton(qt), skeleton(ct)
                if len(sq) >= 3 and sq == sc:
                    sim = SIM_SOUND
            if sim:
                pairs.append((sim, i, j))
    out: list[tuple[int, int, float]] = []
    taken_q: set[int] = set()
    taken_c: set[int] = set()
    for sim, i, j in sorted(pairs, reverse=True):
        if i not in taken_q and j not in taken_c:
            taken_q.add(i)
            taken_c.add(j)
            out.append((i, j, sim))
    return out


def score_pair(
    q: PreparedQuery,
    c_core: tuple[str, ...],
    c_weights: tuple[float, ...],
    c_forms: tuple[str, ...],
    c_form_text: tuple[str, ...],
) -> Scored:
    """Align tokens greedily by weighted similarity and turn coverage into a 0..1 score."""
    opts = _options(q, c_core)
    opts.sort(key=lambda o: o[0] * sum(c_weights[j] for j in o[2]), reverse=True)
    q_used: set[int] = set()
    c_used: set[int] = set()
    matched_q = matched_c = 0.0
    notes: list[str] = []
    anchored = False
    for pass_opts in (opts, None):
        if pass_opts is None:
            # acronyms only where words are left over on both sides: most pairs have none,
            # and this runs for every candidate of every organisation query
            if not q.org_like or len(q_used) == len(q.core) or len(c_used) == len(c_core):
                break
            pass_opts = _acronyms(q, c_core, q_used, c_used)
        for sim, qi, cj, kind in pass_opts:
            if q_used.intersection(qi) or c_used.intersection(cj):
                continue
            anchored = anchored or kind in ANCHORS
            q_used.update(qi)
            c_used.update(cj)
            matched_q += sim * sum(q.weights[i] for i in qi)
            matched_c += sim * sum(c_weights[j] for j in cj)
            if kind != "exact":
                qs = " ".join(q.core[i] for i in qi)
                cs = " ".join(c_core[j] for j in cj)
                notes.append(f"{kind} '{qs}' ~ '{cs}'")
    for i, j, sim in _residue(q, c_core, q_used, c_used):
        q_used.add(i)
        c_used.add(j)
        matched_q += sim * q.weights[i]
        matched_c += sim * c_weights[j]
        notes.append(f"similar '{q.core[i]}' ~ '{c_core[j]}'")
    total_q = sum(q.weights) or 1.0
    # A left-out patronymic ("Maxim Oreshkin" / "ORESHKIN, Maxim Stanislavovich") costs little.
    left_out = [j for j in range(len(c_core)) if j not in c_used and is_patronymic(c_core[j])]
    total_c = sum(c_weights) - (1 - PATRONYMIC_WEIGHT) * sum(c_weights[j] for j in left_out)
    total_c = total_c or 1.0
    cover_q = matched_q / total_q
    cover_c = matched_c / total_c
    score = cover_q**QUERY_EXP * cover_c**NAME_EXP
    substituted = not q.translated and len(q_used) < len(q.core) and len(c_used) < len(c_core)
    if substituted:
        score *= SUBSTITUTION_FACTOR
    exact = [q.core[i] for i in sorted(q_used)]
    lines = [f"words matched: {' '.join(exact)}" if exact else "no words matched", *notes]
    missing_c = [c_core[j] for j in range(len(c_core)) if j not in c_used]
    missing_q = [q.core[i] for i in range(len(q.core)) if i not in q_used]
    if missing_q:
        lines.append(f"not in list name: {' '.join(missing_q[:6])}")
    if missing_c:
        lines.append(f"not in query: {' '.join(missing_c[:6])}")
    if left_out:
        lines.append("a left-out patronymic weighs little")
    if substituted:
        lines.append("words differ on both sides (a different word, not a left-out one)")
    q_compact = "".join(q.core) + "".join(q.form_text).replace(" ", "")
    c_compact = "".join(c_core) + "".join(c_form_text).replace(" ", "")
    # Only where words were split or run together (the word counts differ): with equal counts
    # the alignment above already saw every word, and long shared words would dominate.
    q_count = len(q.core) + len(q.form_text)
    c_count = len(c_core) + len(c_form_text)
    if q_count != c_count and len(q_compact) >= 6 and len(c_compact) >= 6:
        whole = Levenshtein.normalized_similarity(q_compact, c_compact)
        if whole >= COMPACT_MIN and whole > score:
            score = whole
            lines.append("same letters when spaces are ignored")
    q_nums = {t for t in q.core if t.isdigit()}
    c_nums = {t for t in c_core if t.isdigit()}
    if q_nums and c_nums and q_nums != c_nums:
        score *= NUMBER_CONFLICT_FACTOR
        lines.append(f"numbers differ: {' '.join(sorted(q_nums))} vs {' '.join(sorted(c_nums))}")
    if q.form_text and c_form_text:
        if compatible(q.forms, list(c_forms)):
            if q.form_text != list(c_form_text):
                lines.append(f"legal form '{' '.join(q.form_text)}' = '{' '.join(c_form_text)}'")
        else:
            score += FORM_CONFLICT
            lines.append(
                f"legal forms differ: '{' '.join(q.form_text)}' vs '{' '.join(c_form_text)}'"
            )
    return Scored(max(0.0, min(1.0, score)), tuple(lines), anchored or bool(q.by_sound))


def qualify(
    base: Scored, q: PreparedQuery, countries: tuple[str, ...], entity_type: str | None
) -> Scored:
    """Apply country and entity-type evidence to a name score."""
    score = base.score
    lines = list(base.explanation)
    if q.country and countries:
        if q.country in countries:
            score += COUNTRY_MATCH
            lines.append(f"country {q.country} matches")
        else:
            score += COUNTRY_MISMATCH_THIN if q.thin else COUNTRY_MISMATCH
            lines.append(f"country {q.country} not among list countries {','.join(countries)}")
            if q.thin:
                lines.append("a short or generic name: many parties elsewhere share it")
    kind = (entity_type or "").lower()
    if kind in ("vessel", "aircraft") and q.org_like:
        score += TYPE_CONFLICT
        lines.append(f"list entry is a {kind}; query is a party name")
    elif kind == "individual" and q.org_like:
        score += TYPE_CONFLICT
        lines.append("list entry is an individual; query names an organisation")
    if (
        kind == "individual"
        and not base.anchored
        and not q.romanised
        and len(q.core) <= UNANCHORED_MAX_WORDS
        and score > UNANCHORED_PERSON_CAP
    ):
        score = UNANCHORED_PERSON_CAP
        lines.append("no word of the name matches as written: similar spelling alone")
    return Scored(max(0.0, min(1.0, score)), tuple(lines), base.anchored)
