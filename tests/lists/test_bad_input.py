"""Bad list input: always a ListFormatError whose message is one line naming file, line, field.

``pytest.raises(ListFormatError)`` lets any other exception (csv.Error, JSONDecodeError,
ParseError, UnicodeDecodeError, IndexError...) through, which fails the test: that is the point.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chipexport.lists import FORMATS, ListFormatError, parse_bytes

REAL = {
    "csl-json": "us_csl/csl_compact_2026-07-31.json",
    "csl-csv": "us_csl/csl_flat_2026-07-31.csv",
    "ofac": "ofac_legacy_csv/sdn_2021-07.csv",
    "dpl": "bis_dpl/dpl_2023-11.txt",
    "un-xml": "un_sc/UN_consolidated_2026-02.xml",
    "cn-sanctions": "cn/cn_sanctions.csv",
    "jp-meti": "jp_meti/meti_third_country_entities_2025-09-12.json",
}
ONE_LINE = re.compile(
    r"^(?P<file>[^,\n]+)(, line (?P<line>\d+))?(, field '(?P<field>[^']+)')?: .+$"
)


def error_of(data: bytes, origin: str, fmt: str | None) -> ListFormatError:
    with pytest.raises(ListFormatError) as info:
        parse_bytes(data, origin, fmt)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    match = ONE_LINE.match(message)
    assert match, message
    assert match["file"] == origin
    return info.value


def cut_in_middle(data: bytes) -> bytes:
    """The first half of a file, not ending on a line break (a download that stopped)."""
    cut = len(data) // 2
    while data[cut - 1 : cut] in (b"\n", b"\r"):
        cut += 7
    return data[:cut]


@pytest.fixture(scope="session")
def real_bytes(list_data: Path) -> dict[str, bytes]:
    return {fmt: (list_data / rel).read_bytes() for fmt, rel in REAL.items()}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("data", [b"", b"   \n\n"], ids=["empty", "blank"])
def test_empty_file(fmt: str, data: bytes) -> None:
    assert "empty" in error_of(data, "list.dat", fmt).message


def test_empty_file_with_detection() -> None:
    assert "empty" in error_of(b"", "list.csv", None).message


@pytest.mark.parametrize("fmt", sorted(REAL))
def test_truncated_file(fmt: str, real_bytes: dict[str, bytes]) -> None:
    err = error_of(cut_in_middle(real_bytes[fmt]), f"cut.{fmt}", fmt)
    assert err.line is not None, str(err)


def test_truncated_raw_trade_gov_csv(list_data: Path) -> None:
    data = (list_data / "us_csl" / "csl_partial_sample_2023-11.csv").read_bytes()
    err = error_of(cut_in_middle(data), "consolidated.csv", "csl-csv")
    assert "truncated" in err.message


@pytest.mark.parametrize("fmt", sorted(REAL))
def test_utf16_refused(fmt: str, real_bytes: dict[str, bytes]) -> None:
    text = real_bytes[fmt][:5000].decode("utf-8", "ignore")
    err = error_of(text.encode("utf-16"), "utf16.dat", fmt)
    assert "UTF-16" in err.message


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_binary_junk_refused(fmt: str) -> None:
    junk = bytes(range(256)) * 40
    error_of(junk, "junk.bin", fmt)


@pytest.mark.parametrize("fmt", ["csl-json", "csl-csv", "un-xml", "cn-sanctions", "jp-meti"])
def test_latin1_where_utf8_expected(fmt: str, real_bytes: dict[str, bytes]) -> None:
    head = real_bytes[fmt][:3000]
    data = head[: head.rfind(b"\n") + 1] + "Société Générale\n".encode("latin-1")
    err = error_of(data, "latin1.dat", fmt)
    assert "not UTF-8" in err.message and err.line == data.count(b"\n")


def test_unknown_csv_header_names_the_column() -> None:
    err = error_of(b"foo,bar\n1,2\n", "orders.csv", "csl-csv")
    assert err.field == "foo" and err.line == 1


@pytest.mark.parametrize(
    ("fmt", "column"),
    [
        ("csl-csv", "name"),
        ("csl-csv", "alt_names"),
        ("dpl", "FR_Citation"),
        ("cn-sanctions", "List"),
    ],
)
def test_missing_required_column(fmt: str, column: str, real_bytes: dict[str, bytes]) -> None:
    text = real_bytes[fmt].decode("utf-8")
    header, rest = text.split("\n", 1)
    renamed = header.replace(column, f"{column}_x", 1)
    err = error_of((renamed + "\n" + rest[:20000]).encode(), "cols.csv", fmt)
    assert err.field == column and err.line == 1


FLAT_HEADER = (
    "source,source_code,entity_number,type,programs,name,alt_names,address_countries,"
    "license_requirement,license_policy,federal_register_notice,source_list_url\n"
)


# One row per CSV-like format; "{N}" is where the primary name goes.
NAME_CASES = [
    ("csl-csv", FLAT_HEADER + 'Entity List (EL),EL,,,,"{N}",,CN,,,,\n', 2, "name"),
    ("ofac", '5,"{N}",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', 1, "SDN_Name"),
    (
        "dpl",
        '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t'
        '"Effective_Date"\t"Expiration_Date"\t"Standard_Order"\t"Last_Update"\t"Action"\t'
        '"FR_Citation"\n"{N}"\t"1 Main St"\t""\t""\t"US"\t""\t""\t""\t"Y"\t""\t""\t""\n',
        2,
        "Name",
    ),
    (
        "cn-sanctions",
        'Type,Name,Alias,Chinese name,Country,Body,List,Date\nCompany,"{N}",,,US,,UEL,01.01.2024\n',
        2,
        "Name",
    ),
]


@pytest.mark.parametrize(("fmt", "data", "line", "field"), NAME_CASES)
def test_empty_name(fmt: str, data: str, line: int, field: str) -> None:
    err = error_of(data.replace("{N}", " ").encode(), "names.csv", fmt)
    assert (err.line, err.field) == (line, field)
    assert "empty name" in err.message


@pytest.mark.parametrize(("fmt", "data", "line", "field"), NAME_CASES)
@pytest.mark.parametrize(
    ("name", "why"), [("!!! ... ---", "no letters or digits"), ("A" * 10_000, "10000 characters")]
)
def test_unmatchable_name(fmt: str, data: str, line: int, field: str, name: str, why: str) -> None:
    """A name screening could never match is refused like an empty one, in every format."""
    err = error_of(data.replace("{N}", name).encode(), "names.csv", fmt)
    assert (err.line, err.field) == (line, field)
    assert why in err.message and len(str(err)) < 200


def test_names_in_other_scripts_are_accepted() -> None:
    for name in ("华为技术有限公司", "ООО Ромашка", "Ltd. 7"):
        data = NAME_CASES[0][1].replace("{N}", name).encode()
        [snapshot] = parse_bytes(data, "names.csv", "csl-csv")
        assert snapshot.entries[0].name == name


def test_empty_name_in_json_and_xml(real_bytes: dict[str, bytes]) -> None:
    doc = json.loads(real_bytes["csl-json"])
    doc["entries"] = doc["entries"][:5]
    doc["entries"][3]["n"] = " "
    err = error_of(json.dumps(doc).encode(), "csl.json", "csl-json")
    assert (err.line, err.field) == (4, "n")
    xml = (
        real_bytes["un-xml"]
        .replace(b"<FIRST_NAME>FRANK KAKOLELE</FIRST_NAME>", b"<FIRST_NAME/>")
        .replace(b"<SECOND_NAME>BWAMBALE</SECOND_NAME>", b"")
    )
    err = error_of(xml, "un.xml", "un-xml")
    assert err.field == "FIRST_NAME" and err.line is not None
    assert b"6907994" in xml.splitlines()[err.line - 1]  # the record's DATAID line


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("a", "one alias", "a"),
        ("c", [1, 2], "c"),
        ("s", "EL", "s"),
        ("n", 42, "n"),
        ("fr", 7, "fr"),
    ],
)
def test_wrong_type_in_compact_json(
    key: str, value: object, field: str, real_bytes: dict[str, bytes]
) -> None:
    doc = json.loads(real_bytes["csl-json"])
    doc["entries"] = doc["entries"][:3]
    doc["entries"][1][key] = value
    err = error_of(json.dumps(doc).encode(), "csl.json", "csl-json")
    assert (err.line, err.field) == (2, field)


def test_wrong_type_of_cell_values(real_bytes: dict[str, bytes]) -> None:
    ofac = b'abc,"X",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    assert error_of(ofac, "sdn.csv", "ofac").field == "ent_num"
    dpl_text = real_bytes["dpl"].decode()
    header, first, *_ = dpl_text.split("\n")
    bad = first.replace('"06/19/2003"', '"2003-19-06"')
    err = error_of(f"{header}\n{first}\n{bad}\n".encode(), "dpl.txt", "dpl")
    assert (err.line, err.field) == (3, "Effective_Date")
    un = real_bytes["un-xml"].replace(b"<LISTED_ON>2012-12-31", b"<LISTED_ON>last year", 1)
    assert error_of(un, "un.xml", "un-xml").field == "LISTED_ON"
    cn = "Type,Name,Alias,Chinese name,Country,Body,List,Date\nCompany,Acme,,,US,,UEL,31.02.2024\n"
    assert error_of(cn.encode(), "cn.csv", "cn-sanctions").field == "Date"
    jp = json.dumps({"last_updated": "2025-09-12", "entries": [{"no": "one", "name_en": "X"}]})
    assert error_of(jp.encode(), "jp.json", "jp-meti").field == "no"


def test_wrong_root_element() -> None:
    err = error_of(b"<?xml version='1.0'?><html><body/></html>", "page.xml", "un-xml")
    assert "CONSOLIDATED_LIST" in err.message


def test_ofac_row_with_wrong_field_count() -> None:
    err = error_of(b'5,"X",individual\n', "sdn.csv", "ofac")
    assert err.line == 1 and "fields" in err.message


def test_xml_entity_declarations_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>"
    )
    assert "DOCTYPE" in error_of(bomb, "un.xml", "un-xml").message
