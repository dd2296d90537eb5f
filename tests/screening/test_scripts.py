"""Names written in other scripts against Latin list names (a small self-made list)."""

from __future__ import annotations

import pytest

from chipexport.model import ListEntry
from chipexport.screening import DEFAULT_THRESHOLD, ScreeningIndex, build_index
from chipexport.screening.arabic import latin_key, reading

# Names as US and UN lists write them (public-domain list text), plus decoys that share
# consonants or words with them, so that rarity weights and competition are realistic.
_NAMES = [
    ("p1", "ZARIF, Mohammad Javad", "Individual", ()),
    ("p2", "MUTHANNA HARITH SALMAN AL-DARI", "Individual", ("Muthanna Hareth al-Dari",)),
    ("p3", "ABD AL-RAHMAN OULD MUHAMMAD AL-HUSAYN", "Individual", ()),
    ("p4", "OTHMAN AHMED OTHMAN AL-GHAMDI", "Individual", ("Uthman al-Ghamidi",)),
    ("p5", "SAJIDA KHAYRALLAH TILFAH", "Individual", ()),
    ("p6", "HASSAN DAHIR AWEYS", "Individual", ()),
    ("o1", "BANK MELLI IRAN", "Entity", ("Melli Bank",)),
    ("o2", "HANIFA MONEY EXCHANGE OFFICE", "Entity", ()),
    ("d1", "MAHMOUD RASHID TRADING CO", "Entity", ()),
    ("d2", "ZAREEF SHIPPING LLC", "Entity", ()),
    ("d3", "HASHEM AHMADI", "Individual", ()),
    ("d4", "MELLAT BANK", "Entity", ()),
    ("d5", "SALMAN KHAN", "Individual", ()),
    ("d6", "RAHMAN INDUSTRIES", "Entity", ()),
]


def _index(rows: list[tuple[str, str, str, tuple[str, ...]]]) -> ScreeningIndex:
    return build_index(
        ListEntry(source="T", entry_id=i, name=n, entity_type=t, aliases=a)
        for i, n, t, a in rows
    )


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return _index(_NAMES)


def _found(index: ScreeningIndex, query: str) -> list[str]:
    return [m.entry.entry_id for m in index.screen(query).matches]


def test_latin_spellings_share_a_key() -> None:
    for spellings in (
        ("muhammad", "mohammed", "mohamad", "muhamed"),
        ("husayn", "hussein", "hosein"),
        ("abdullah", "abdallah", "abdalla"),
        ("fatima", "fatimah"),
        ("uthman", "othman"),
    ):
        assert len({latin_key(s) for s in spellings}) == 1, spellings
    assert latin_key("ahmad") != latin_key("mahmoud")


def test_arabic_reading_keeps_the_article_and_splits_abd_al() -> None:
    text, keys = reading("عبدالرحمن الحسين")
    assert text.split() == ["bd", "rhmn", "al", "hsn"]
    assert set(keys) == {"bd", "rhmn", "hsn"}


def test_persian_letters_and_presentation_forms_fold() -> None:
    # ی/ي and ک/ك are one letter; presentation forms (U+FExx) are the same letters after NFKC
    assert reading("ملی")[0].split() == reading("ملي")[0].split()
    assert reading("ﻣﺤﻤﺪ")[0].split() == reading("محمد")[0].split()
    assert reading("مُحَمَّد")[0].split() == ["mhmd"]  # vowel marks are dropped


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ("محمد جواد ظریف", "p1"),  # Persian letters
        ("مثنى حارث سلمان الضاري", "p2"),
        ("عبد الرحمن ولد محمد الحسين", "p3"),
        ("عثمان أحمد عثمان الغامدي", "p4"),
        ("ساجدة خير الله طلفاح", "p5"),  # خير الله = Khayrallah
        ("حسن ظاهر عويس", "p6"),  # ظ read as d (Dahir) as well as z
        ("بانک ملی ایران", "o1"),  # glossary word بانک = bank
        ("شركة حنيفة للصرافة", "o2"),
    ],
)
def test_arabic_script_finds_the_latin_entry(
    index: ScreeningIndex, query: str, expect: str
) -> None:
    res = index.screen(query)
    assert res.matches and res.matches[0].entry.entry_id == expect
    assert any("sounds like" in line for line in res.matches[0].explanation)


def test_arabic_script_does_not_match_other_names(index: ScreeningIndex) -> None:
    assert _found(index, "محمود رشيد") == []  # Mahmoud Rashid, no trading company
    assert "d4" not in _found(index, "بانک ملی ایران")  # Mellat is another bank
    # a sound match is evidence for review, never near-certain on its own
    assert all(m.score < 0.92 for m in index.screen("محمد جواد ظریف").matches), (
        "sound keys alone reached the near-certain band"
    )
    assert index.screen("محمد جواد ظریف").matches[0].score >= DEFAULT_THRESHOLD


# --- Cyrillic, patronymics, acronyms and person-name guards ------------------------------

_PEOPLE = [
    ("c1", "ORESHKIN, Maxim Stanislavovich", "Individual", ()),
    ("c2", "ZUBKOV, Sergei Yevgenevich", "Individual", ("Zubkou Siarhei Yaugenavich",)),
    ("c3", "ZDRILIUK, Serhii Anatoliyovych", "Individual", ()),
    ("c4", "LI, Ying", "Individual", ()),
    ("c5", "OAO VO Technopromexport", "Entity", ()),
    ("c6", "SHARMA, Rakesh", "Individual", ()),
    ("c7", "ORESHKOV, Ivan", "Individual", ()),
    ("c8", "WANG, Yong", "Individual", ()),
    ("c9", "VOLGA OBEDINENIE SHIPPING", "Entity", ()),
]


@pytest.fixture(scope="module")
def people() -> ScreeningIndex:
    return _index(_PEOPLE)


def _score(index: ScreeningIndex, query: str, entry_id: str) -> float:
    return max(
        (
            m.score
            for m in index.screen(query, threshold=0.0).matches
            if m.entry.entry_id == entry_id
        ),
        default=0.0,
    )


def test_left_out_patronymic_and_name_order(people: ScreeningIndex) -> None:
    assert _score(people, "Maxim Oreshkin", "c1") >= 0.92
    assert _score(people, "Oreshkin Maksim", "c1") >= DEFAULT_THRESHOLD  # x = ks
    assert _score(people, "Орешкин Максим Станиславович", "c1") >= 0.92
    # a patronymic typed and different still counts against the match
    assert _score(people, "Maxim Petrovich Oreshkin", "c1") < _score(people, "Maxim Oreshkin", "c1")


def test_ukrainian_and_belarusian_letters(people: ScreeningIndex) -> None:
    assert _score(people, "Сяргей Яўгенавiч Зубкоў", "c2") >= DEFAULT_THRESHOLD
    assert _score(people, "Здрилюк Сергій Анатолійович", "c3") >= DEFAULT_THRESHOLD


def test_spelled_out_legal_form_and_initials(people: ScreeningIndex) -> None:
    spelled = "Otkrytoe Aktsionernoe Obshchestvo Vneshneekonomicheskoe Obedinenie Technopromexport"
    assert _score(people, spelled, "c5") >= DEFAULT_THRESHOLD
    # Tekhnopromeksport (Russian romanisation) ~ Technopromexport (the brand): review band
    assert _score(people, "Открытое акционерное общество ВО Технопромэкспорт", "c5") >= 0.8


def test_two_chinese_syllables_are_not_a_typo(people: ScreeningIndex) -> None:
    assert _score(people, "Yang Li", "c4") < DEFAULT_THRESHOLD
    assert _score(people, "Wang Yang", "c8") < DEFAULT_THRESHOLD
    assert _score(people, "Li Ying", "c4") >= 0.92  # the same name in the other order


def test_person_matched_only_by_similar_spelling_stays_below_review(
    people: ScreeningIndex,
) -> None:
    # every word differs by a letter: a different person, however alike the letters look
    assert _score(people, "Rakish Sherma", "c6") < DEFAULT_THRESHOLD
    assert _score(people, "Rakesh Sharma", "c6") >= 0.92
    assert _score(people, "Rakesh Sharrma", "c6") >= DEFAULT_THRESHOLD  # one word as written


# --- Chinese transcriptions of foreign names ---------------------------------------------

_FOREIGN = [
    ("f1", "Lockheed Martin Corporation", "Entity", ()),
    ("f2", "TAICLET, James Donald", "Individual", ()),
    ("f3", "Novotech, Inc.", "Entity", ()),
    ("f4", "Alex Nahardani", "Individual", ()),
    ("f5", "Madden Trading Company", "Entity", ()),
    ("f6", "ZHANG, Wei", "Individual", ()),
]


@pytest.fixture(scope="module")
def foreign() -> ScreeningIndex:
    return _index(_FOREIGN)


def test_mandarin_keys_fold_what_transcription_loses() -> None:
    from chipexport.screening.mandarin import latin_key, pinyin_key, transcription_parts

    assert latin_key("martin") == pinyin_key("mading")  # r before a consonant, t/d, ng
    assert latin_key("donald") != pinyin_key("tangnade")  # one edit: met as a near key
    assert transcription_parts("洛克希德") == ["洛克希德"]
    assert transcription_parts("詹姆斯·唐纳德") == ["詹姆斯", "唐纳德"]
    assert transcription_parts("张伟") == []  # a Chinese name is not a transcription


def test_transcribed_names_meet_their_latin_spelling(foreign: ScreeningIndex) -> None:
    assert _score(foreign, "洛克希德·马丁公司", "f1") >= DEFAULT_THRESHOLD
    assert _score(foreign, "詹姆斯·唐纳德·泰克里特", "f2") >= DEFAULT_THRESHOLD
    assert _score(foreign, "张伟", "f6") >= 0.92  # pinyin reading, unchanged


def test_transcription_guards(foreign: ScreeningIndex) -> None:
    # one transcribed word alone is too coarse to report
    assert _score(foreign, "诺沃特公司", "f3") < DEFAULT_THRESHOLD
    # a sound match is review-band evidence, never near-certain
    assert _score(foreign, "洛克希德·马丁公司", "f1") < 0.92
    assert _score(foreign, "洛克希德·马丁公司", "f4") < DEFAULT_THRESHOLD
    assert _score(foreign, "洛克希德·马丁公司", "f5") < DEFAULT_THRESHOLD
