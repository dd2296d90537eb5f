"""Normalisation rules, each checked on names as the lists and users write them."""

from __future__ import annotations

import pytest

from chipexport.screening.text import (
    cjk_variants,
    is_usable,
    simplified,
    skeleton,
    split_aka,
    strip_parentheses,
    tokens,
)


def test_case_and_punctuation_do_not_matter() -> None:
    assert tokens("T-RUBBER CO., LTD") == tokens("t rubber co ltd")


def test_initialisms_collapse_to_one_word() -> None:
    assert tokens("ARDIS-BEARINGS L.L.C.") == tokens("ARDIS-BEARINGS LLC")
    assert tokens("S.A. DE C.V.")[0] == "sa"


def test_apostrophes_join_words() -> None:
    assert tokens("Xi'an Research Institute")[0] == "xian"


def test_ordinals_and_number_words_become_digits() -> None:
    assert "204" in tokens("204th Research Institute")
    assert tokens("Brigade Forty-Four") == tokens("Brigade 44")
    assert tokens("Second Academy")[0] == "2"


def test_plurals_and_abbreviations_fold() -> None:
    assert tokens("Huawei Technologies") == tokens("Huawei Technology")
    assert tokens("Siemens")[0] == "siemens"  # proper names keep their final s
    assert tokens("Semiconductor Mfg Intl") == tokens("Semiconductor Manufacturing International")


def test_cyrillic_is_transliterated() -> None:
    assert tokens("ООО Ромашка") == ["ooo", "romashka"]


def test_chinese_goes_through_glossary_and_pinyin() -> None:
    english, pinyin = cjk_variants("华为技术有限公司")
    assert tokens(english)[:2] == ["huawei", "technology"]
    assert tokens(pinyin)[:4] == ["hua", "wei", "ji", "shu"]


def test_traditional_characters_share_the_glossary() -> None:
    assert tokens(cjk_variants("積體電路")[0]) == tokens(cjk_variants("集成电路")[0])


def test_parenthesised_parts_can_be_dropped() -> None:
    assert strip_parentheses("BGI Tech Solutions (Hongkong) Co., Ltd") == (
        "BGI Tech Solutions Co., Ltd"
    )
    assert strip_parentheses("FERDIE (A.K.A. FERNANDO SERO) RESADA") == "FERDIE RESADA"


def test_aka_names_split() -> None:
    assert split_aka("JIE LUO -AKA- IVY LUO") == ["JIE LUO", "IVY LUO"]
    assert split_aka("Akamai Technologies") == ["Akamai Technologies"]


def test_unusable_names() -> None:
    assert not is_usable("")
    assert not is_usable("!!! ...")
    assert is_usable("华为")


def test_sound_key_joins_transliterations() -> None:
    assert skeleton("husayn") == skeleton("hussein")
    assert skeleton("ahmadinezhad") == skeleton("ahmadinejad")
    assert skeleton("huawei") != skeleton("hikvision")


@pytest.mark.parametrize(
    ("traditional", "simplified_form"),
    [
        ("北京理工大學", "北京理工大学"),
        ("國家超級計算無錫中心", "国家超级计算无锡中心"),
        ("杭州海康威視數字技術股份有限公司", "杭州海康威视数字技术股份有限公司"),
        ("中芯國際集成電路製造有限公司", "中芯国际集成电路制造有限公司"),
    ],
)
def test_traditional_characters_are_read_as_simplified(
    traditional: str, simplified_form: str
) -> None:
    assert simplified(traditional) == simplified_form
    assert cjk_variants(traditional) == cjk_variants(simplified_form)


def test_text_without_chinese_is_not_converted() -> None:
    assert simplified("Huawei Technologies") == "Huawei Technologies"


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        # business words once left as pinyin, each an unmatched rare word
        ("杭州海康威视数字技术股份有限公司", ["hangzhou", "hikvision", "digital", "technology"]),
        ("浪潮电子信息产业股份有限公司", ["inspur", "electronic", "and", "information"]),
        ("北京市商汤科技开发有限公司", ["beijing", "sensetime", "technology", "development"]),
        ("中国移动通信集团有限公司", ["china", "mobile", "communication", "group"]),
        # the registered English name of the whole, not the brand of the parts
        ("中芯国际集成电路制造有限公司", ["semiconductor", "manufacturing", "international"]),
    ],
)
def test_glossary_reads_registered_names(chinese: str, english: list[str]) -> None:
    first = tokens(cjk_variants(chinese)[0])
    assert first[: len(english)] == english
