"""The names an entry answers to, and the cached row form of an entry."""

from __future__ import annotations

from datetime import date

from chipexport.model import ListEntry
from chipexport.screening.variants import from_row, name_variants, to_row, typo_similarity


def test_affiliate_parenthesis_and_aka_variants(
    by_name: dict[tuple[str, str], ListEntry],
) -> None:
    affiliate = by_name[
        (
            "EL",
            "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: "
            "Huawei Marine Networks Co., Ltd.",
        )
    ]
    texts = dict(name_variants(affiliate))
    assert texts["Huawei Marine Networks Co., Ltd."] == "affiliate name"
    acm = dict(name_variants(by_name[("EL", "ACM Research (Shanghai)")]))
    assert acm["ACM Research"] == "primary name without its parenthesised part"
    aka = dict(name_variants(by_name[("DPL", "JIE LUO -AKA- IVY LUO")]))
    assert {"JIE LUO", "IVY LUO"} <= set(aka)


def test_rows_round_trip_every_field() -> None:
    e = ListEntry(
        "EL",
        "EL-1",
        "Acme",
        aliases=("A",),
        entity_type="Entity",
        countries=("CN",),
        listed_on=date(2024, 5, 1),
        affiliate_name="B",
        affiliate_of="C",
        federal_register_notices=("89 FR 1",),
        raw={"x": 1},
    )
    back = from_row(to_row(e))
    assert back == e and back.raw == {}


def test_typo_credit_grows_with_word_length() -> None:
    assert 0.8 == typo_similarity("abcd") < typo_similarity("abcdefgh") < 1.0
