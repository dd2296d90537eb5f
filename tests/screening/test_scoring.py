"""Scoring rules on real list names: rarity, country, entity type, affiliates, explanations."""

from __future__ import annotations

import pytest

from chipexport.model import ListEntry
from chipexport.screening import DEFAULT_THRESHOLD, STRONG_THRESHOLD, ScreeningIndex


def best(
    index: ScreeningIndex,
    query: str,
    source: str,
    name: str,
    country: str | None = None,
) -> float:
    """The score the named entry gets for ``query`` (0 when it is not reported at all)."""
    res = index.screen(query, country, threshold=0.0)
    return max(
        (m.score for m in res.matches if m.entry.source == source and m.entry.name == name),
        default=0.0,
    )


def test_thresholds_are_ordered() -> None:
    assert 0.0 < DEFAULT_THRESHOLD < STRONG_THRESHOLD <= 1.0


def test_exact_name_scores_strong(csl_index: ScreeningIndex) -> None:
    assert (
        best(
            csl_index,
            "Shenzhen Pengxinxu Technology Co., Ltd.",
            "EL",
            "Shenzhen Pengxinxu Technology Co., Ltd.",
        )
        >= STRONG_THRESHOLD
    )


def test_common_words_do_not_carry_a_match(csl_index: ScreeningIndex) -> None:
    res = csl_index.screen("International Technology Trading Co., Ltd.", "CN")
    assert all(m.score < STRONG_THRESHOLD for m in res.matches)
    # The rare word decides: swapping it for another rare word drops the match.
    assert (
        best(
            csl_index,
            "Shenzhen Goodix Technology Co., Ltd.",
            "EL",
            "Shenzhen Pengxinxu Technology Co., Ltd.",
        )
        < DEFAULT_THRESHOLD
    )


def test_typo_in_a_rare_word_still_matches(csl_index: ScreeningIndex) -> None:
    assert (
        best(
            csl_index,
            "Shenzhen Pengxinsu Technology Co Ltd",
            "EL",
            "Shenzhen Pengxinxu Technology Co., Ltd.",
        )
        >= DEFAULT_THRESHOLD
    )


def test_word_order_and_person_name_order(csl_index: ScreeningIndex) -> None:
    assert best(csl_index, "Salar Mahmoud Zadeh", "SDN", "ZADEH, Salar Mahmoud") >= STRONG_THRESHOLD


def test_dropped_parenthesis(csl_index: ScreeningIndex) -> None:
    assert best(csl_index, "ACM Research", "EL", "ACM Research (Shanghai)") >= STRONG_THRESHOLD


def test_affiliate_is_found_by_its_own_name(csl_index: ScreeningIndex) -> None:
    full = (
        "Huawei Technologies Co., Ltd. (Huawei). "
        "Affiliated Entity: Huawei Marine Networks Co., Ltd."
    )
    res = csl_index.screen("Huawei Marine Networks Co Ltd", "CN")
    hit = next(m for m in res.matches if m.entry.name == full)
    assert hit.score >= STRONG_THRESHOLD
    assert hit.matched_name == "Huawei Marine Networks Co., Ltd."
    assert "matched the affiliate name" in hit.explanation


def test_country_is_evidence(csl_index: ScreeningIndex) -> None:
    name = "Shenzhen Pengxinxu Technology Co., Ltd."
    query = "Shenzhen Pengxinsu Technology"  # a typo keeps the score below 1
    same = best(csl_index, query, "EL", name, "CN")
    other = best(csl_index, query, "EL", name, "DE")
    none = best(csl_index, query, "EL", name)
    assert same > none > other


def test_company_query_does_not_match_a_vessel(csl_index: ScreeningIndex) -> None:
    alone = best(csl_index, "TIFON", "SDN", "TIFON")
    as_company = best(csl_index, "Tifon Trading Company", "SDN", "TIFON")
    assert alone >= STRONG_THRESHOLD
    assert as_company < DEFAULT_THRESHOLD


def test_different_institute_numbers_are_different_parties(csl_index: ScreeningIndex) -> None:
    res = csl_index.screen("China Electronics Technology Group Corporation 14th Research Institute")
    assert not any(
        " 13th " in f" {m.entry.name} " and m.score >= STRONG_THRESHOLD for m in res.matches
    )


def test_explanation_names_the_evidence(csl_index: ScreeningIndex) -> None:
    res = csl_index.screen("Corad Technology Ltd.", "HK")
    hit = next(m for m in res.matches if m.entry.name == "Corad Technology Limited")
    text = " | ".join(hit.explanation)
    assert "corad" in text and "country HK matches" in text
    assert 0.0 <= hit.score <= 1.0


def test_sources_filter(csl_index: ScreeningIndex) -> None:
    res = csl_index.screen("Huawei Technologies Co Ltd", "CN", sources={"CMIC"})
    assert res.matches and {m.entry.source for m in res.matches} == {"CMIC"}


def test_unusable_query_reports_an_error(csl_index: ScreeningIndex) -> None:
    res = csl_index.screen("...")
    assert not res.matches and res.errors


def test_chinese_query_reaches_english_name(csl_index: ScreeningIndex) -> None:
    res = csl_index.screen("华为技术有限公司")
    assert any(m.entry.name.startswith("Huawei Technologies Co., Ltd.") for m in res.matches)


def test_pairwise_compare(csl_index: ScreeningIndex) -> None:
    assert csl_index.compare("Siemens Aktiengesellschaft", "Siemens AG").score >= STRONG_THRESHOLD
    assert csl_index.compare("SiemensAG", "Siemens AG").score >= DEFAULT_THRESHOLD
    assert csl_index.compare("Angela Merkel", "Olaf Scholz").score < 0.3


def test_cached_index_gives_identical_results(csl_entries: list[ListEntry]) -> None:
    from chipexport.screening import build_index

    small = build_index(csl_entries[:3000])
    again = ScreeningIndex.loads(small.dumps())
    for q in ("Salar Mahmoud Zadeh", "Asia International Trading Comapny", "GEA LLC"):
        a, b = small.screen(q, threshold=0.5), again.screen(q, threshold=0.5)
        assert [(m.entry, m.score) for m in a.matches] == [(m.entry, m.score) for m in b.matches]
    assert again.entry(0) == small.entry(0)


def test_a_different_word_costs_more_than_a_left_out_one(csl_index: ScreeningIndex) -> None:
    left_out = csl_index.compare("ZADEH, Salar", "ZADEH, Salar Mahmoud")
    different = csl_index.compare("ZADEH, Salar Hamid", "ZADEH, Salar Mahmoud")
    assert different.score < left_out.score
    assert any("differ on both sides" in line for line in different.explanation)


def test_a_cut_short_legal_form_still_weighs_little(csl_index: ScreeningIndex) -> None:
    assert csl_index.idf["liability"] <= 1.0 < csl_index.idf["shanghai"]
    assert (
        best(
            csl_index,
            "Limited Liability Nornickel Sfera",
            "SDN",
            "LIMITED LIABILITY COMPANY NORNICKEL SFERA",
        )
        >= DEFAULT_THRESHOLD
    )


@pytest.mark.parametrize(
    ("query", "name"),
    [
        # Individuals whose names hold a syllable that is also a legal form somewhere:
        # queried as listed and in the other order (SDN entries).
        ("YU, Kwang Ho", "YU, Kwang Ho"),
        ("Kwang Ho Yu", "YU, Kwang Ho"),
        ("ZHANG, Yu", "ZHANG, Yu"),
        ("KU, Ja Hyong", "KU, Ja Hyong"),
        ("Ja Hyong Ku", "KU, Ja Hyong"),
        ("CHU, Na", "CHU, Na"),
        ("Na Chu", "CHU, Na"),
        ("RO, Kwang Chol", "RO, Kwang Chol"),
        ("KIM, Yong Ju", "KIM, Yong Ju"),
        ("GHALI, Iyad ag", "GHALI, Iyad ag"),
        ("Yu Liang Pao", "PAO, Yu Liang"),
    ],
)
def test_person_names_with_form_syllables_match(
    csl_index: ScreeningIndex, query: str, name: str
) -> None:
    assert best(csl_index, query, "SDN", name) >= STRONG_THRESHOLD


def test_a_transliterated_form_does_not_empty_a_company_name(csl_index: ScreeningIndex) -> None:
    # "DP" (Ukrainian ДП) once made "DP World Limited" read as "World Limited".
    assert best(csl_index, "DP World Limited", "ISN", "World Co Ltd.", "AE") < DEFAULT_THRESHOLD
    # A surname alone is not the whole person: "Yu" is part of the name.
    assert best(csl_index, "Zhang", "SDN", "ZHANG, Yu", "CN") < STRONG_THRESHOLD


def test_a_real_form_still_marks_an_organisation(csl_index: ScreeningIndex) -> None:
    # "LLC" is no name syllable (no individual on the lists has it), so "Lenta LLC" is not
    # also read as a person's name, which would meet the SDN alias "LENA" by one edit.
    res = csl_index.screen("Lenta LLC", "RU")
    assert not res.matches


@pytest.mark.parametrize(
    ("query", "country", "source", "name", "found"),
    [
        # A short sole word one edit from a listed one: two parties more often than a typo.
        ("OOO Avito", "RU", "EL", "Aviton", False),
        ("Divar", "IR", "SDN", "DORE", False),  # via the alias DAVAR
        # ... unless the letters are only swapped, or the word is long enough to tell.
        ("Arugt OOO", "RU", "EL", "Argut OOO", True),
        ("PINTER ELECTRONICS", "IN", "SDN", "POINTER ELECTRONICS", True),
        # A short acronym or one generic word with the party in another country.
        (
            "NEC Corporation",
            "JP",
            "SDN",
            "AKTSIONERNOE OBSHCHESTVO NATSIONALNAYA INZHINIRINGOVAYA KORPORATSIYA",
            False,
        ),  # via the alias JSC NEC
        ("NV Energy, Inc.", "US", "SDN", "JSC ENERGIES", False),
        # The same names in the lists' country are still found.
        (
            "JSC NEC",
            "RU",
            "SDN",
            "AKTSIONERNOE OBSHCHESTVO NATSIONALNAYA INZHINIRINGOVAYA KORPORATSIYA",
            True,
        ),
        ("JSC Energies", "RU", "SDN", "JSC ENERGIES", True),
        (
            "NEC",
            None,
            "SDN",
            "AKTSIONERNOE OBSHCHESTVO NATSIONALNAYA INZHINIRINGOVAYA KORPORATSIYA",
            True,
        ),
    ],
)
def test_short_and_generic_names_need_more_evidence(
    csl_index: ScreeningIndex, query: str, country: str | None, source: str, name: str, found: bool
) -> None:
    assert (best(csl_index, query, source, name, country) >= DEFAULT_THRESHOLD) is found


@pytest.mark.parametrize(
    ("query", "country", "source", "name"),
    [
        ("OOO FABRIK0N", "RU", "SDN", "OOO FABRIKON"),
        ("Mohammad Abdu1salam", "OM", "SDN", "ABDULSALAM, Mohammad"),
        ("Ugur Yilcliz", None, "DTC", "Ugur Yildiz"),
        (
            "LIRNITED LIABILITY COMPANY ALFAKOMPONENT",
            "RU",
            "SDN",
            "LIMITED LIABILITY COMPANY ALFAKOMPONENT",
        ),
        ("HALEEL COMMODITIEES LIMITED", "KE", "SDN", "HALEEL COMMODITIES LIMITED"),
        ("DIRECTORATE OF DEFENSE INDSUTRIES", "MM", "SDN", "DIRECTORATE OF DEFENSE INDUSTRIES"),
        ("JONT STOCK COMPANY POST BANK", "RU", "SDN", "JOINT STOCK COMPANY POST BANK"),
        (
            "NA HAVACILIK VE TEKNIK TIC. LTD. STI.",
            "TR",
            "SDN",
            "NA HAVACILIK VE TEKNIK TICARET LIMITED SIRKETI",
        ),
    ],
)
def test_typos_beyond_one_edit_of_a_list_word(
    csl_index: ScreeningIndex, query: str, country: str | None, source: str, name: str
) -> None:
    assert best(csl_index, query, source, name, country) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "source", "name"),
    [
        (
            "杭州海康威视数字技术股份有限公司",
            "EL",
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
        ),
        (
            "杭州海康威視數字技術股份有限公司",
            "EL",
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
        ),
        ("北京理工大學", "EL", "Beijing Institute of Technology"),
        ("國家超級計算無錫中心", "EL", "National Supercomputing Center Wuxi"),
        (
            "中芯北方集成电路制造（北京）有限公司",
            "EL",
            "SMIC Northern Integrated Circuit Manufacturing (Beijing) Co., Ltd.",
        ),
    ],
)
def test_chinese_registered_names_reach_the_entry(
    csl_index: ScreeningIndex, query: str, source: str, name: str
) -> None:
    assert best(csl_index, query, source, name, "CN") >= STRONG_THRESHOLD


def test_smic_in_chinese_is_smic_not_its_sibling(csl_index: ScreeningIndex) -> None:
    res = csl_index.screen("中芯国际集成电路制造（北京）有限公司", "CN")
    assert res.matches[0].entry.name == (
        "Semiconductor Manufacturing International (Beijing) Corporation"
    )
    assert not any(m.entry.name.startswith("SMIC Northern") for m in res.matches)


def test_a_chinese_place_name_is_not_a_typo_of_another(csl_index: ScreeningIndex) -> None:
    # 北京大学 (Peking University, not listed) once met "Beihang University" via beijing ~ beihang.
    assert not csl_index.screen("北京大学", "CN").matches
