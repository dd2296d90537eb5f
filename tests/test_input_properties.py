"""Property tests of every list parser and input reader: a result or a clean error, never an
unhandled exception, whatever the bytes.

For each reader, Hypothesis builds inputs that look like the format (its header or its keys
and tags, with cells and values of every type and of garbage) as well as raw bytes, and the
reader must either return or raise its own one-line error type. Examples per property are
bounded (``EXAMPLES``) so the file runs in well under a minute; a failure prints the input
that caused it (shrunk), and the run writes no example database into the clone.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipexport.errors import ChipexportError
from chipexport.json_input import JsonInputError, parse_json
from chipexport.lists import FORMATS, ListFormatError, parse_bytes
from chipexport.lists.csl_csv import FLAT_COLUMNS
from chipexport.lists.ownership import CSV_COLUMNS, parse_ftm_ownership, parse_ownership_csv
from chipexport.model.transaction import TransactionError, parse_transaction
from chipexport.screening.batch import read_rows
from chipexport.screening.batch_lines import BatchFileError

EXAMPLES = 60
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Cell text: ordinary words, dates, numbers, separators, quotes, control characters, markup.
_words = st.sampled_from(["Acme", "Huawei Technologies Co Ltd", "CN", "RU", "2024-01-31",
                          "31.12.2019", "-0-", "50", "abc", "", " ", "EL", "Entity",
                          "Entity List (EL) - Bureau of Industry and Security", "a.k.a. 'X'",
                          "Moscow, RU", "ЗАО Ромашка", "北京理工大学", "<script>x</script>"])
_cells = st.one_of(_words, st.text(max_size=30), st.sampled_from(['"', ",", "\t", "\n",
                                                                  "\x00", ";", "\r\n"]))
_json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                          _words, st.text(max_size=20))


def _json_values(keys: list[str]) -> st.SearchStrategy[Any]:
    """JSON documents whose objects use the format's own keys (and others), nested."""
    return st.recursive(
        _json_scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.one_of(st.sampled_from(keys), st.text(max_size=5)), inner,
                            max_size=6)),
        max_leaves=25)


def _csv_bytes(header: list[str], delimiter: str = ",") -> st.SearchStrategy[bytes]:
    """A header taken (in part, shuffled) from ``header`` and rows of assorted cells."""
    def build(cols: list[str], rows: list[list[str]], encoding: str) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(cols)
        writer.writerows(rows)
        return out.getvalue().encode(encoding, "replace")

    return st.builds(
        build,
        st.lists(st.sampled_from(header), min_size=1, max_size=len(header) + 1, unique=True)
        .flatmap(lambda c: st.permutations(c)),
        st.lists(st.lists(_cells, max_size=len(header) + 2), max_size=6),
        st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))


def _xml_bytes() -> st.SearchStrategy[bytes]:
    tags = ["INDIVIDUAL", "ENTITY", "DATAID", "FIRST_NAME", "SECOND_NAME", "REFERENCE_NUMBER",
            "LISTED_ON", "INDIVIDUAL_ALIAS", "ENTITY_ALIAS", "ALIAS_NAME", "INDIVIDUAL_ADDRESS",
            "ENTITY_ADDRESS", "COUNTRY", "NAME_ORIGINAL_SCRIPT", "UN_LIST_TYPE"]

    def element(depth: int) -> st.SearchStrategy[str]:
        leaf = st.builds(lambda t, v: f"<{t}>{v}</{t}>", st.sampled_from(tags),
                         _words.map(lambda w: w.replace("<", "&lt;")))
        if depth == 0:
            return leaf
        return st.one_of(leaf, st.builds(
            lambda t, kids: f"<{t}>{''.join(kids)}</{t}>", st.sampled_from(tags),
            st.lists(element(depth - 1), max_size=4)))

    return st.builds(
        lambda groups, cut: (
            '<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated='
            f'"2026-02-27T00:00:00Z"><INDIVIDUALS>{"".join(groups)}</INDIVIDUALS>'
            "<ENTITIES></ENTITIES></CONSOLIDATED_LIST>").encode()[:cut],
        st.lists(element(2), max_size=4), st.integers(min_value=1, max_value=4000))


_HEADERS = {
    "csl-csv": [*list(FLAT_COLUMNS), "_id", "addresses", "title"],
    "cn-sanctions": ["Type", "QID", "Name", "Alias", "Chinese name", "Country", "Topics",
                     "Body", "List", "Date", "End date", "Source URL", "Address"],
    "ofac": [],  # header-less: rows of assorted cells
}
_JSON_KEYS = {
    "csl-json": ["tables", "entries", "sources", "programmes", "licenceRequirements",
                 "licencePolicies", "urls", "sourceGeneratedAt", "retrievedAt", "n", "s",
                 "a", "t", "c", "lr", "lp", "fr", "u", "e", "pg"],
    "jp-meti": ["entries", "designated", "last_updated", "no", "name_en", "name_ja",
                "address", "aliases", "country"],
}


def _format_input(fmt: str) -> st.SearchStrategy[bytes]:
    if fmt in _JSON_KEYS:
        return _json_values(_JSON_KEYS[fmt]).map(lambda v: json.dumps(v).encode())
    if fmt == "un-xml":
        return _xml_bytes()
    if fmt == "dpl":
        return _csv_bytes(["Name", "Street_Address", "City", "State", "Country",
                           "Postal_Code", "Effective_Date", "Expiration_Date",
                           "Standard_Order", "Last_Update", "Action", "FR_Citation"], "\t")
    if fmt == "ofac":
        return st.lists(st.lists(_cells, min_size=1, max_size=12), max_size=6).map(
            lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "replace"))
    return _csv_bytes(_HEADERS[fmt])


def test_every_format_has_a_generator() -> None:
    assert set(FORMATS) == {*_JSON_KEYS, "un-xml", "dpl", "ofac", *_HEADERS}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
def test_list_parsers_give_a_result_or_a_list_format_error(fmt: str, strict: bool) -> None:
    @SETTINGS
    @given(st.one_of(_format_input(fmt), st.binary(max_size=300)))
    def prop(data: bytes) -> None:
        try:
            snapshots = parse_bytes(data, "fuzz.dat", fmt, strict=strict)
        except ListFormatError as exc:
            assert "\n" not in str(exc)
        else:
            assert all(s.entries for s in snapshots)

    prop()


@SETTINGS
@given(st.one_of(_format_input("csl-csv"), _format_input("csl-json"), _xml_bytes(),
                 st.binary(max_size=200)))
def test_format_detection_gives_a_result_or_a_list_format_error(data: bytes) -> None:
    with contextlib.suppress(ListFormatError):
        parse_bytes(data, "upload.bin")


@SETTINGS
@given(st.one_of(_csv_bytes([*CSV_COLUMNS, "note"]), st.binary(max_size=200)))
def test_ownership_csv_gives_links_or_a_list_format_error(data: bytes) -> None:
    with contextlib.suppress(ListFormatError):
        parse_ownership_csv(data, "owners.csv")


@SETTINGS
@given(st.lists(_json_values(["id", "schema", "properties", "owner", "asset", "percentage",
                              "startDate", "endDate", "Ownership", "Company", "name"]),
                max_size=5))
def test_ftm_ownership_gives_links_or_a_list_format_error(lines: list[Any]) -> None:
    data = "\n".join(json.dumps(v) for v in lines).encode()
    with contextlib.suppress(ListFormatError):
        parse_ftm_ownership(data, "owners.jsonl")


@SETTINGS
@given(st.one_of(_csv_bytes(["id", "name", "country", "order_ref"]), st.binary(max_size=300)))
def test_order_csv_gives_rows_or_a_batch_file_error(data: bytes) -> None:
    try:
        for row, problem, line, _ in read_rows(data.splitlines(keepends=True), "orders.csv"):
            assert isinstance(row, dict) and line >= 1
            assert problem is None or "\n" not in problem
    except BatchFileError:
        pass


_TXN_KEYS = ["id", "date", "export_from", "destination", "items", "parties", "end_use",
             "subject_to_ear", "product", "eccn", "quantity", "role", "name", "country",
             "owners", "percent", "kind", "hq", "red_flags"]


@SETTINGS
@given(st.one_of(
    _json_values(_TXN_KEYS),
    st.fixed_dictionaries({"id": _json_scalars, "date": _json_scalars,
                           "export_from": _words, "destination": _words,
                           "items": st.lists(_json_values(_TXN_KEYS), max_size=3),
                           "parties": st.lists(_json_values(_TXN_KEYS), max_size=3)})))
def test_transactions_parse_or_give_a_transaction_error(obj: Any) -> None:
    with contextlib.suppress(TransactionError, ChipexportError):
        parse_transaction(obj)


@SETTINGS
@given(st.one_of(st.text(max_size=200), _json_values(_TXN_KEYS).map(json.dumps),
                 st.binary(max_size=100).map(lambda b: b.decode("latin-1"))))
def test_json_input_parses_or_gives_a_json_input_error(text: str) -> None:
    with contextlib.suppress(JsonInputError):
        parse_json(text)
