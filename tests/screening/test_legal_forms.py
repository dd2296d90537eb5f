"""Legal-form canonicalisation: spellings differ, classes agree."""

from __future__ import annotations

import pytest

from chipexport.screening.legal_forms import compatible, person_shaped, split_forms
from chipexport.screening.text import cjk_variants, scripts, tokens


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


@pytest.mark.parametrize(
    ("name", "core", "classes"),
    [
        # Transliterated short forms of other scripts are Latin name words, not forms.
        ("YU, Kwang Ho", ["yu", "kwang", "ho"], []),  # Korean (유) -> "yu"
        ("KIM, Yong Ju", ["kim", "yong", "ju"], []),  # Korean ㈜ -> "ju"
        ("GU, Wenlong", ["gu", "wenlong"], []),  # Cyrillic ГУ -> "gu"
        ("DP World Limited", ["dp", "world"], ["LLC"]),  # Ukrainian ДП -> "dp"
        # ... but count in their own script,
        ("ГУ Ромашка", ["romashka"], ["SOE"]),
        ("(유)삼성", ["samseong"], ["LLC"]),
        # and where the lists write the transliteration as a form (vetted in the extras).
        ("EUROBET OOD", ["eurobet"], ["LLC"]),
        ("DART, TOV", ["dart"], ["LLC"]),
        ("SVR ROSSII FKU", ["svr", "rossii"], ["SOE"]),
    ],
)
def test_short_forms_count_only_in_their_own_script(
    name: str, core: list[str], classes: list[str]
) -> None:
    got_core, got_classes, _ = split_forms(tokens(name), scripts(name), person_shaped(name))
    assert (got_core, got_classes) == (core, classes)


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("YU, Kwang Ho", True),
        ("CHU, Na", True),  # "Na" is a given name here, not N.A.
        ("PAO, Yu Liang", True),  # a surname that is a form by itself
        ("GHALI, Iyad ag", True),
        ("AG ALBACHAR, Ahmed", True),
        ("Acme, Inc.", False),
        ("Citibank, N.A.", False),
        ("Huawei Technologies Co., Ltd.", False),
        ("DART, TOV", False),
        ("OOO ROMASHKA, Moscow", False),
        ("Bank Melli, Branch 12", False),
        ("Kwang Ho Yu", False),
    ],
)
def test_person_shaped_names(name: str, person: bool) -> None:
    assert person_shaped(name) is person


def test_a_person_keeps_short_form_syllables() -> None:
    assert split_forms(tokens("CHU, Na"), person=True)[0] == ["chu", "na"]
    assert split_forms(tokens("Dr. Abdul Khan"), person=True)[0] == ["abdul", "khan"]
    assert split_forms(tokens("Na Chu"))[0] == ["chu"]


@pytest.mark.parametrize(
    "name",
    [
        "JONT STOCK COMPANY POST BANK",  # short form words repaired where they complete a form
        "JOIN STOCK COMPANY POST BANK",
        "JOINT SOCK COMPANY POST BANK",
        "JOINT STOC COMPANY POST BANK",
        "JOINT STOCK CORNPANY POST BANK",  # look-alike characters
        "J0INT STOCK COMPANY POST BANK",
    ],
)
def test_mistyped_short_form_words_are_repaired_inside_a_form(name: str) -> None:
    assert forms(name) == (["post", "bank"], ["JSC"])


def test_short_words_are_not_repaired_outside_a_form() -> None:
    assert forms("Join Sock Trading")[0] == ["join", "sock", "trading"]
    assert forms("LIRNITED LIABILITY COMPANY ALFAKOMPONENT") == (["alfakomponent"], ["LLC"])


def test_turkish_abbreviations_meet_the_full_spelling() -> None:
    short = forms("NA HAVACILIK VE TEKNIK TIC. LTD. STI.")
    full = forms("NA HAVACILIK VE TEKNIK TICARET LIMITED SIRKETI")
    assert short[0] == full[0] and compatible(short[1], full[1])
    assert forms("ERA Metalurji San. Ve Tic.")[0] == forms("ERA METALURJI SANAYI VE TICARET")[0]


def test_turkish_foreign_trade_is_part_of_the_name() -> None:
    # rigour lists "dis tic ltd" (Dış Ticaret Limited) as a form; "Dış Ticaret" is the business.
    assert forms("Karasani Dis Ticaret Limited Sirketi") == (
        ["karasani", "dis", "ticaret"],
        ["LLC"],
    )
    assert forms("CTM Dis Tic. Ltd. Sti.")[0] == ["ctm", "dis", "ticaret"]
