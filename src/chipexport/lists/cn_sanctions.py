"""Reader for China's export-control and countermeasure lists, as curated by OpenSanctions.

The file (``cn_sanctions.csv``) is CC BY-NC 4.0: chipexport never ships or copies it; users
point ``lists load --source`` at their own copy. MOFCOM and MFA publish no structured list, so
this curated table is the only machine-readable source.

Source codes (ours; the CSL has none for Chinese lists):
- ``CN-UEL``   Unreliable Entity List (不可靠实体清单, MOFCOM);
- ``CN-ECL``   MOFCOM export control list (出口管制管控名单);
- ``CN-WATCH`` MOFCOM export control watch list (关注名单);
- ``CN-CMS``   every other countermeasure / Anti-Foreign Sanctions Law decision.
Dates are DD.MM.YYYY, sometimes DD.MM.YY (20YY).
"""

from __future__ import annotations

from datetime import date

from chipexport.lists.common import name_problem, split_names, stable_id, unique
from chipexport.lists.countries import country_code
from chipexport.lists.errors import ListFormatError
from chipexport.lists.snapshots import build_snapshots, parse_date
from chipexport.lists.text import check_columns, csv_rows, decode_text
from chipexport.model import ListEntry, ListSnapshot

REQUIRED = ("Type", "Name", "Alias", "Chinese name", "Country", "Body", "List", "Date")
# Every column of the curated file; the ones not read are kept in each entry's raw record.
COLUMNS = (
    *REQUIRED, "QID", "Topics", "Summary", "Chinese summary", "End date", "Source URL", "Address",
)
_LIST_CODES = {
    "uel": "CN-UEL",
    "list of export controls": "CN-ECL",
    "export control watch list": "CN-WATCH",
}
TITLES = {
    "CN-UEL": "Unreliable Entity List (不可靠实体清单) - MOFCOM",
    "CN-ECL": "Export Control List (出口管制管控名单) - MOFCOM",
    "CN-WATCH": "Export Control Watch List (出口管制关注名单) - MOFCOM",
    "CN-CMS": "Countermeasure and Anti-Foreign Sanctions Law lists - PRC",
}
_TYPES = {"person": "Individual", "company": "Entity", "organization": "Entity"}


def cn_source(list_name: str) -> str:
    """Our source code for the cell in the ``List`` column."""
    return _LIST_CODES.get(list_name.strip().casefold(), "CN-CMS")


def cn_date(value: str, origin: str, line: int, field: str) -> date | None:
    """``"24.02.2026"`` or ``"13.07.20"`` (two-digit years are 20YY on these lists)."""
    value = value.strip()
    fmt = "%d.%m.%y" if len(value) == 8 else "%d.%m.%Y"
    return parse_date(value, origin, line, field, fmt)


def parse_cn_sanctions(data: bytes, origin: str, checksum: str) -> list[ListSnapshot]:
    """Parse the curated China lists CSV into one snapshot per CN-* source."""
    rows = csv_rows(decode_text(data, origin), origin)
    first = next(rows, None)
    if first is None:
        raise ListFormatError(origin, "file is empty")
    header = [h.strip() for h in first[1]]
    index = check_columns(header, REQUIRED, origin, known=COLUMNS)
    entries = []
    for line, row in rows:
        if len(row) != len(header):
            raise ListFormatError(
                origin, f"row has {len(row)} fields, the header {len(header)} (truncated?)", line
            )

        def cell(name: str, row: list[str] = row) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None else ""

        name = cell("Name")
        if problem := name_problem(name):
            raise ListFormatError(origin, problem, line=line, field="Name")
        code = cn_source(cell("List"))
        country = country_code(cell("Country"))
        address = cell("Address")
        entries.append(
            ListEntry(
                source=code,
                entry_id=stable_id(code, name),
                name=name,
                aliases=tuple(
                    a for a in split_names([cell("Alias"), cell("Chinese name")]) if a != name
                ),
                entity_type=_TYPES.get(cell("Type").casefold()),
                countries=(country,) if country else (),
                addresses=(address,) if address else (),
                programs=unique([cell("List") or cell("Body")]),
                listed_on=cn_date(cell("Date"), origin, line, "Date"),
                ends_on=cn_date(cell("End date"), origin, line, "End date"),
                source_list_url=cell("Source URL") or None,
                raw={k: v for k, v in zip(header, row, strict=True) if v.strip()},
            )
        )
    if not entries:
        raise ListFormatError(origin, "header but no rows")
    return build_snapshots(entries, origin, checksum, titles=TITLES)
