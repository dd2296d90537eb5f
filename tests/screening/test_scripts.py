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


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return build_index(
        ListEntry(source="T", entry_id=i, name=n, entity_type=t, aliases=a) for i, n, t, a in _NAMES
    )


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
