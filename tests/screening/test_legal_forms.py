"""Legal-form canonicalisation: spellings differ, classes agree."""

from __future__ import annotations

from chipexport.screening.legal_forms import compatible, split_forms
from chipexport.screening.text import cjk_variants, tokens


def forms(name: str) -> tuple[list[str], list[str]]:
    core, classes, _ = split_forms(tokens(name))
    return core, classes


def test_co_ltd_spellings_share_a_class() -> None:
    a = forms("Shenzhen Yidian Technology Company Limited")
    b = forms("Shenzhen Yidian Technology Co., Ltd.")
    c = forms("Shenzhen Yidian Technology Co Ltd")
    assert a[0] == b[0] == c[0] == ["shenzhen", "yidian", "technology"]
    assert a[1] == b[1] == c[1]


def test_chinese_legal_form_matches_english() -> None:
    zh = forms(cjk_variants("深圳市亿路发科技有限公司")[0])[1]
    assert zh == forms("Yilufa Technology Co., Ltd.")[1]


def test_russian_forms_map_to_classes() -> None:
    assert compatible(forms("GEA OOO")[1], forms("GEA LLC")[1])
    assert compatible(forms("AO RN NYAGANNEFTEGAZ")[1], forms("JSC RN NYAGANNEFTEGAZ")[1])
    assert forms("Limited Liability Company MIR STANOCHKINA")[0] == ["mir", "stanochkina"]


def test_mistyped_multi_word_forms_are_repaired() -> None:
    assert forms("LIMTIED LIABILITY COMPANY TORGOVYY DOM")[0] == ["torgovyy", "dom"]
    assert forms("KOHANA OCMPANY LIMITED")[0] == ["kohana"]


def test_short_forms_count_only_at_the_edges() -> None:
    assert "sa" in forms("Banco SA Trading")[0]
    assert "sa" not in forms("Banco Trading SA")[0]


def test_titles_are_not_name_words() -> None:
    assert forms("Mr. Rami Makhlouf")[0] == ["rami", "makhlouf"]


def test_conflicting_classes_are_not_compatible() -> None:
    assert not compatible(forms("Siemens GmbH")[1], forms("Siemens AG")[1])
    assert compatible([], ["LLC"])
