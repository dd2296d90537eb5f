"""Readers for the Consolidated Screening List as CSV, in both layouts found in the wild.

- *flat*: our expansion of the compact JSON (``source, source_code, entity_number, ...``). It
  must give entries identical to the JSON, so both use the same helpers.
- *raw*: trade.gov's own download (``_id, source, entity_number, type, programs, name, title,
  addresses, ...``), which ``lists update`` fetches. It repeats its header as the
  first data row and may have short rows; both are tolerated. Its addresses carry the country as
  a trailing ISO-2 part, and ids, remarks, dates of birth stay in ``raw`` for auditors.

The layout is picked by the header, so users need not know which one they have.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from chipexport.lists.common import (
    country_from_address,
    name_problem,
    source_code,
    split_affiliate,
    split_citations,
    split_list,
    split_names,
    stable_id,
    unique,
)
from chipexport.lists.errors import ListFormatError
from chipexport.lists.snapshots import build_snapshots, parse_date
from chipexport.lists.text import (
    check_columns,
    csv_rows,
    decode_text,
    ends_mid_row,
    unknown_columns,
)
from chipexport.model import ListEntry, ListSnapshot

Rows = Iterator[tuple[int, list[str]]]

FLAT_COLUMNS = (
    "source", "source_code", "entity_number", "type", "programs", "name", "alt_names",
    "address_countries", "license_requirement", "license_policy", "federal_register_notice",
    "source_list_url",
)  # fmt: skip
# trade.gov's layout; a column it adds is loaded past with a warning, since
# refusing it would stop every update until a release: the data we read is still there.
RAW_COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order",
    "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
    "source_information_url", "ids",
)  # fmt: skip
# The raw layout has 29 columns; these are the ones an entry cannot be built without.
RAW_REQUIRED = (
    "source", "entity_number", "type", "programs", "name", "addresses",
    "federal_register_notice", "start_date", "alt_names",
)  # fmt: skip


def csv_layout(header: Sequence[str]) -> str | None:
    """``"flat"``, ``"raw"`` or None for a header that is neither CSL layout."""
    names = {h.strip() for h in header}
    if "source_code" in names and "address_countries" in names:
        return "flat"
    if "_id" in names or ("addresses" in names and "alt_names" in names):
        return "raw"
    return None


def parse_csl_csv(
    data: bytes, origin: str, checksum: str, *, strict: bool = True
) -> list[ListSnapshot]:
    """Parse either CSL CSV layout into one snapshot per list source."""
    text = decode_text(data, origin)
    rows = csv_rows(text, origin, strict=strict)
    first = next(rows, None)
    if first is None:
        raise ListFormatError(origin, "file is empty")
    header = [h.strip() for h in first[1]]
    layout = csv_layout(header)
    if layout == "flat":
        return _parse_flat(header, rows, origin, checksum)
    if layout == "raw":
        return _parse_raw(header, rows, origin, checksum, strict, ends_mid_row(text))
    raise ListFormatError(
        origin,
        "unknown CSV header: expected the CSL flat layout (source_code, address_countries...) "
        "or trade.gov's layout (_id, addresses, alt_names...)",
        line=1,
        field=header[0] if header else None,
    )


def _cell(row: list[str], index: dict[str, int], name: str) -> str:
    i = index.get(name)
    return row[i].strip() if i is not None and i < len(row) else ""


def _name(row: list[str], index: dict[str, int], origin: str, line: int) -> str:
    i = index["name"]
    name = row[i] if i < len(row) else ""
    if problem := name_problem(name):
        raise ListFormatError(origin, problem, line=line, field="name")
    return name


def _parse_flat(header: list[str], rows: Rows, origin: str, checksum: str) -> list[ListSnapshot]:
    index = check_columns(header, FLAT_COLUMNS, origin, known=FLAT_COLUMNS)  # our own layout
    entries: list[ListEntry] = []
    titles: dict[str, str] = {}
    for line, row in rows:
        if len(row) != len(header):
            raise ListFormatError(
                origin,
                f"row has {len(row)} fields, the header {len(header)} (truncated or misquoted?)",
                line=line,
            )
        name = _name(row, index, origin, line)
        title = _cell(row, index, "source")
        code = _cell(row, index, "source_code") or source_code(title)
        if not code:
            raise ListFormatError(origin, "empty source", line=line, field="source_code")
        titles[code] = title
        number = _cell(row, index, "entity_number")
        parent, affiliate = split_affiliate(name)
        entries.append(
            ListEntry(
                source=code,
                entry_id=f"{code}-{number}" if number else stable_id(code, name),
                name=name,
                aliases=split_names([row[index["alt_names"]]]),
                entity_type=_cell(row, index, "type") or None,
                countries=split_list(_cell(row, index, "address_countries")),
                programs=split_list(_cell(row, index, "programs")),
                license_requirement=row[index["license_requirement"]] or None,
                license_policy=row[index["license_policy"]] or None,
                federal_register_notices=split_citations(row[index["federal_register_notice"]]),
                affiliate_name=affiliate,
                affiliate_of=parent,
                source_list_url=_cell(row, index, "source_list_url") or None,
                raw=dict(zip(header, row, strict=True)),
            )
        )
    if not entries:
        raise ListFormatError(origin, "header but no rows")
    return build_snapshots(entries, origin, checksum, titles=titles)


def _parse_raw(
    header: list[str], rows: Rows, origin: str, checksum: str, strict: bool, cut: bool
) -> list[ListSnapshot]:
    index = check_columns(header, RAW_REQUIRED, origin)
    parsed = list(rows)
    entries: list[ListEntry] = []
    titles: dict[str, str] = {}
    warnings = [f"{origin}, line 1, field '{name}': unknown column, not read"
                for name in unknown_columns(header, RAW_COLUMNS)]
    for n, (line, row) in enumerate(parsed):
        if [c.strip() for c in row] == header:
            continue  # trade.gov repeats the header as the first data row
        if len(row) < len(header) and n == len(parsed) - 1 and (cut or not strict):
            # A short last row is trade.gov's ragged quirk only if the file ends cleanly.
            if strict:
                raise ListFormatError(
                    origin, "last row cut short and no final newline (truncated?)", line=line
                )
            warnings.append(f"{origin}, line {line}: last row cut short; read as it stands")
        name = _name(row, index, origin, line)
        title = _cell(row, index, "source")
        if not title:
            raise ListFormatError(origin, "empty source", line=line, field="source")
        code = source_code(title)
        titles[code] = title
        number = _cell(row, index, "entity_number")
        addresses = split_list(_cell(row, index, "addresses"))
        parent, affiliate = split_affiliate(name)
        entries.append(
            ListEntry(
                source=code,
                entry_id=f"{code}-{number}" if number else stable_id(code, name),
                name=name,
                aliases=split_names([_cell(row, index, "alt_names")]),
                entity_type=_cell(row, index, "type") or None,
                countries=unique(country_from_address(a) for a in addresses),
                addresses=addresses,
                programs=split_list(_cell(row, index, "programs")),
                license_requirement=_cell(row, index, "license_requirement") or None,
                license_policy=_cell(row, index, "license_policy") or None,
                federal_register_notices=split_citations(
                    _cell(row, index, "federal_register_notice")
                ),
                listed_on=parse_date(_cell(row, index, "start_date"), origin, line, "start_date"),
                ends_on=parse_date(_cell(row, index, "end_date"), origin, line, "end_date"),
                affiliate_name=affiliate,
                affiliate_of=parent,
                source_list_url=_cell(row, index, "source_list_url") or None,
                raw={k: v for k, v in zip(header, row, strict=False) if v},
            )
        )
    if not entries:
        raise ListFormatError(origin, "header but no rows")
    return build_snapshots(entries, origin, checksum, titles=titles, warnings=warnings)
