"""Batch rows: the reader's file errors and row problems, and the output object per row."""

from __future__ import annotations

import pytest

from chipexport.screening import ScreeningIndex
from chipexport.screening.batch import BatchFileError, read_rows, row_problem, screen_row


def rows(data: bytes) -> list[tuple[dict[str, str | None], str | None, int]]:
    return [(r, p, n) for r, p, n, _ in read_rows(data.splitlines(keepends=True), "in.csv")]


def test_header_is_matched_without_case_or_spaces_and_bom_is_dropped() -> None:
    got = rows(b"\xef\xbb\xbf ID , Name ,Country\n1,Acme,US\n")
    assert got == [({"id": "1", "name": "Acme", "country": "US"}, None, 2)]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty file"),
        (b"name\nAcme\n", "no 'id' column"),
        (b"id,nom\n1,Acme\n", "no 'name' column"),
        (b"id,name,id\n1,a,2\n", "appears twice"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV file"),
    ],
)
def test_unusable_files(data: bytes, needle: str) -> None:
    with pytest.raises(BatchFileError, match=needle):
        rows(data)


def test_bad_bytes_spoil_only_their_row() -> None:
    got = rows(b"id,name\n1,ok\n2,bad \xff\n3,nul \x00 here\n\n4,fine\n")
    assert [r["id"] for r, _, _ in got] == ["1", "2", "3", "4"]
    assert [p is None for _, p, _ in got] == [True, False, False, True]
    assert "line 3" in (got[1][1] or "") and "UTF-8" in (got[1][1] or "")
    assert "NUL" in (got[2][1] or "")
    assert got[3][2] == 6  # line numbers count the blank line that was skipped


def test_short_rows_get_missing_columns_as_none() -> None:
    assert rows(b"id,name,country\n1,Acme\n")[0][0]["country"] is None


def test_row_problems() -> None:
    assert row_problem(None) and row_problem("   ")
    assert "no letters" in (row_problem("--- ...") or "")
    assert "10000 characters" in (row_problem("x" * 10_000) or "")
    assert row_problem("华为") is None and row_problem("Acme Ltd") is None


def test_screen_row_output(csl_index: ScreeningIndex) -> None:
    out = screen_row(
        csl_index, {"id": "7", "name": "QuantumCTek CO LTD", "country": "CN", "po": "PO-1"}
    )
    assert list(out)[:4] == ["id", "name", "country", "po"]
    assert out["matches"][0]["name"] == "QuantumCTek Co., Ltd." and "error" not in out
    bad = screen_row(csl_index, {"id": "8", "name": ""}, line=9)
    assert bad["matches"] == [] and bad["error"].startswith("line 9: field 'name'")
    named = screen_row(csl_index, {"id": "9", "name": "QuantumCTek", "country": "China"})
    assert named["matches"] and "warnings" not in named
    coded = screen_row(csl_index, {"id": "9", "name": "QuantumCTek", "country": "CN"})
    assert named["matches"] == coded["matches"]
    warned = screen_row(csl_index, {"id": "9", "name": "QuantumCTek", "country": "Chinaa"})
    assert warned["matches"] and "not a country code or name" in warned["warnings"][0]


def test_extra_cells_spoil_their_row(csl_index: ScreeningIndex) -> None:
    """An unquoted comma splits a name: screening its first half would be a silent miss."""
    got = rows(b"id,name,country\n1,Acme, Inc,US\n2,Beta Corp,US,\n3,\"Acme, Inc\",US\n")
    assert "line 2" in (got[0][1] or "") and "4 fields" in (got[0][1] or "")
    assert got[1][1] is None and got[2][1] is None  # a trailing empty cell is harmless
    assert got[2][0]["name"] == "Acme, Inc"
    screened = screen_row(csl_index, got[0][0], problem=got[0][1])
    assert screened["matches"] == [] and "double quotes" in screened["error"]


def _parts(data: bytes) -> list[bytes]:
    """Byte lines as a file object yields them (cut after every b"\\n", whatever the encoding)."""
    return data.splitlines(keepends=True)


@pytest.mark.parametrize(
    "data",
    [
        # 60 rows after a quote that is never closed: stopped by the line cap, not read to EOF
        b'id,name,country\nr1,"Acme Trading,CN\n' + b"r2,ZTE,CN\n" * 60,
        # a few rows: they look like rows inside the name field
        b'id,name,country\nr1,Huawei,CN\nr2,"Acme Trading,CN\nr3,ZTE,CN\nr4,Sugon,CN\n',
        # the stray quote in a note column swallows two rows
        b'id,name,note\nr1,Huawei,"call back\nr2,ZTE,x\nr3,Sugon,y\n',
    ],
)
def test_an_unclosed_quote_stops_the_file_at_its_line(data: bytes) -> None:
    with pytest.raises(BatchFileError, match=r"line \d: unclosed quote"):
        rows(data)


def test_line_breaks_inside_a_closed_cell_are_kept() -> None:
    # Excel's Alt+Enter: a quoted cell over several lines is one cell, not an error.
    got = rows(b'id,name,note\nr1,"Acme\nTrading",plain\nr2,ZTE,"line one, with a comma\nline 2"\n')
    assert [r["id"] for r, _, _ in got] == ["r1", "r2"]
    assert got[0][0]["name"] == "Acme\nTrading" and got[1][2] == 4


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(codec: str) -> None:
    text = "id,name,country\r\nr1,Huawei Technologies,CN\r\nr2,Société Générale,FR\r\n"
    data = text.encode(codec) if codec == "utf-16" else b"\xfe\xff" + text.encode(codec)
    # rows() cuts the bytes after every b"\n", as a file does, whatever the encoding
    assert [(r["id"], r["name"], r["country"], p, n) for r, p, n in rows(data)] == [
        ("r1", "Huawei Technologies", "CN", None, 2),
        ("r2", "Société Générale", "FR", None, 3),
    ]


def test_utf16_without_a_byte_order_mark_says_how_to_save() -> None:
    with pytest.raises(BatchFileError, match=r"UTF-16.*CSV UTF-8"):
        rows("id,name\n1,Acme\n".encode("utf-16-le"))
