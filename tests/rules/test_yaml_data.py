"""The bundled YAML is read with YAML 1.2 booleans: an unquoted ``NO`` is Norway, not False."""

from __future__ import annotations

from datetime import date

from chipexport.rules.provisions import rulebook
from chipexport.rules.us.countries import groups_of, is_known_country
from chipexport.yamldata import load_yaml_text


def test_country_codes_stay_strings() -> None:
    assert load_yaml_text("[NO, ON, Y, N, yes, off]") == ["NO", "ON", "Y", "N", "yes", "off"]
    assert load_yaml_text("{a: true, b: False}") == {"a": True, "b": False}


def test_norway_is_a_country_with_its_groups() -> None:
    assert is_known_country("NO")
    assert "A:1" in groups_of("NO", date(2024, 6, 1))


def test_japan_bulk_destinations_hold_norway() -> None:
    params = rulebook("jp").versions("jp.fefta.list")[0].params
    assert "NO" in params["bulk_destinations"]
    assert all(isinstance(cc, str) for cc in params["bulk_destinations"])
