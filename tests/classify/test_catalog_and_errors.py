"""Catalog name matching, unknown-product suggestions, declared ECCNs, conservative defaults."""

from __future__ import annotations

from datetime import date

import pytest

from chipexport.classify import classify_item
from chipexport.classify.catalog import build_catalog, catalog, fold
from chipexport.model.items import Item

DAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("H100 SXM", "NVIDIA H100 SXM5 80GB"), ("h100", "NVIDIA H100 SXM5 80GB"),
     ("nvidia  h100-sxm5 80gb", "NVIDIA H100 SXM5 80GB"),
     ("NVIDIA H100 PCIe 80GB", "NVIDIA H100 PCIe 80GB"),
     ("NXT:2000i", "ASML TWINSCAN NXT:2000i"), ("nxt 1980i", "ASML TWINSCAN NXT:1980Di"),
     ("ASML TWINSCAN NXE:3400C", "ASML TWINSCAN NXE:3400C"),
     ("rtx 4090d", "NVIDIA GeForce RTX 4090 D"),
     ("mi300x", "AMD Instinct MI300X"), ("HBM3E", "HBM3E stack")],
)
def test_names_match_loosely(typed: str, expected: str) -> None:
    record, near = catalog().lookup(typed)
    assert record is not None and record.name == expected, near


def test_unknown_product_suggests_near_names() -> None:
    result = classify_item(Item(product="NVIDA H100"), DAY)
    assert result.controls == [] and result.product is None
    (error,) = result.errors
    assert error.startswith("unknown product 'NVIDA H100'; did you mean: ")
    suggestions = error.split("did you mean: ", 1)[1].split(", ")
    assert 1 <= len(suggestions) <= 3
    assert suggestions[0] == "NVIDIA H100 SXM5 80GB"


def test_catalog_keys_are_unambiguous() -> None:
    clashes = {k: [r.name for r in v] for k, v in catalog().index.items() if len(v) > 1}
    assert clashes == {}


def test_ambiguous_alias_is_reported_not_guessed() -> None:
    cat = build_catalog([
        {"name": "X One", "kind": "ic", "aliases": ["X"], "source": "t", "confidence": "verified"},
        {"name": "X Two", "kind": "ic", "aliases": ["X"], "source": "t", "confidence": "verified"},
    ])
    record, names = cat.lookup("x")
    assert record is None and sorted(names) == ["X One", "X Two"]
    assert fold(" X-One ") == "xone"


def test_every_catalog_record_names_its_source() -> None:
    for rec in catalog().records:
        assert rec.source.strip(), rec.name
        assert rec.params or rec.contains, rec.name


def test_declared_eccn_is_kept_beside_a_contradicting_classification() -> None:
    # An H100 declared 3A090.b (NAC-eligible) or EAR99 is still a 3A090.a item by its figures:
    # both codes are applied, so the stricter answer stands until a person confirms.
    for declared in ("3A090.b", "EAR99", "5A992.c"):
        result = classify_item(Item(product="H100", eccn=declared), DAY)
        assert result.codes("US") == [declared, "3A090.a"], declared
        assert any("differs" in w and "3A090.a" in w for w in result.warnings)


def test_declared_eccn_matching_parameters_gives_no_warning() -> None:
    result = classify_item(Item(product="H100", eccn="3A090"), DAY)
    assert result.codes("US") == ["3A090"] and result.warnings == []


def test_declared_ear99_has_a_citation() -> None:
    result = classify_item(Item(eccn="EAR99", description="office chairs"), DAY)
    (entry,) = result.controls
    assert entry.code == "EAR99" and "734.3" in entry.citation.rule


def test_declared_eccn_before_it_existed_warns() -> None:
    result = classify_item(Item(eccn="3B993", description="scanner"), date(2024, 1, 1))
    assert result.codes("US") == ["3B993"]
    assert any("not on the CCL on 2024-01-01" in w for w in result.warnings)


def test_declared_eccn_unknown_to_the_ccl_warns() -> None:
    result = classify_item(Item(eccn="3A777"), DAY)
    assert any("not in the Commerce Control List" in w for w in result.warnings)


def test_missing_parameter_reads_as_most_restrictive_with_warning() -> None:
    # ArF immersion scanner without its chuck overlay: the most restrictive US paragraph.
    result = classify_item(Item(kind="lithography", light_source="ArF", immersion=True),
                           date(2025, 6, 1))
    us = [c for c in result.controls if c.regime == "US"]
    assert [c.code for c in us] == ["3B001.f.1"] and us[0].assumed
    assert any("chuck_overlay_nm" in w and "assumed" in w for w in result.warnings)


def test_no_parameters_is_not_an_assumption() -> None:
    result = classify_item(Item(kind="ic", description="microcontroller"), DAY)
    assert result.controls == []
    assert any("cannot test" in w for w in result.warnings)


def test_summary_and_facts_carry_the_numbers() -> None:
    result = classify_item(Item(product="NVIDIA H100 SXM5 80GB"), DAY)
    (entry,) = result.controls
    assert "15832" in entry.summary and "19.45" in entry.summary
    assert entry.facts["tpp"] == 15832 and entry.facts["performance_density"] == 19.45
    assert entry.citation.notice == "88 FR 73458"
    assert entry.in_force.as_json() == ["2023-11-17", None]


def test_item_parameter_overrides_catalog_with_warning() -> None:
    result = classify_item(Item(product="H20", tpp=5000.0), DAY)
    assert result.codes("US") == ["3A090.a"]
    assert any("differs from catalog" in w for w in result.warnings)


def test_hts_and_origin_pass_through() -> None:
    result = classify_item(Item.from_json({"hts": "8542.31", "origin": "CN",
                                           "value_usd": 100000}, 6), DAY)
    assert (result.hts, result.origin, result.controls, result.errors) == ("8542.31", "CN", [], [])


def test_catalog_notes_become_warnings() -> None:
    result = classify_item(Item(product="H20"), date(2025, 6, 1))
    assert any("is-informed" in w for w in result.warnings)


def test_as_json_is_plain_json() -> None:
    import json

    result = classify_item(Item(product="HBM3E"), date(2025, 3, 1))
    out = json.loads(json.dumps(result.as_json()))
    (control,) = out["controls"]
    assert out["product"] == "HBM3E stack" and out["kind"] == "hbm"
    assert control["code"] == "3A090.c" and control["in_force"] == ["2024-12-02", None]
    assert control["citation"]["notice"] == "89 FR 96790" and control["confidence"] == "verified"
    assert control["facts"]["compliance_date"] == "2024-12-31"


def test_by_words_reads_word_order_and_descriptive_words() -> None:
    """Another word order or descriptive extras name the same product; a leftover model number
    ("SXM6") or an ambiguous name stays unknown."""
    from chipexport.classify.catalog import catalog

    cat = catalog()
    found = cat.by_words("NVIDIA A800 80GB PCIe")
    assert found is not None and found[0].name == "NVIDIA A800 PCIe 80GB"
    found = cat.by_words("GeForce RTX 4090 D Founders Edition")
    assert found is not None and found[0].name == "NVIDIA GeForce RTX 4090 D"
    assert found[1] == frozenset({"founders", "edition"})
    assert cat.by_words("NVIDIA H100 SXM6 80GB") is None
    assert cat.by_words("H200 NVL") is None
    assert cat.by_words("accelerator") is None


def test_system_words_make_a_computer() -> None:
    from datetime import date

    from chipexport.classify import classify_item
    from chipexport.model.items import Item

    result = classify_item(Item(product="NVIDIA HGX B200"), date(2025, 6, 1))
    assert [c.code for c in result.controls if c.regime == "US"] == ["4A090.a"]
    assert any("computer containing NVIDIA B200" in w for w in result.warnings)
