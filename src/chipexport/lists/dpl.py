"""Reader for BIS's Denied Persons List in its native tab-delimited format (``dpl.txt``).

Columns: Name, Street_Address, City, State, Country, Postal_Code, Effective_Date,
Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation. Order dates are MM/DD/YYYY,
``Last_Update`` is ISO. The list gives no ids, so ids are derived from the name exactly as for
the CSL's DPL rows. ``Expiration_Date`` becomes ``ends_on``: a denial order stops applying then.
"""

from __future__ import annotations

import re

from chipexport.lists.common import name_problem, stable_id
from chipexport.lists.countries import country_code
from chipexport.lists.errors import ListFormatError
from chipexport.lists.snapshots import build_snapshots, parse_date, plausible
from chipexport.lists.text import check_columns, csv_rows, decode_text, unknown_columns
from chipexport.model import ListEntry, ListSnapshot

COLUMNS = (
    "Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
    "Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation",
)  # fmt: skip
TITLE = "Denied Persons List (DPL) - Bureau of Industry and Security"
URL = "https://www.bis.gov/licensing/end-user-guidance/denied-persons-list-dpl"
_ORDER_DATE = "%m/%d/%Y"
# "68 F.R. 38290 6/27/03", "81.F.R. 22576", "88 F.R.2604", "84 FR  53405": volume, FR, page.
_FR = re.compile(r"(\d{1,3})\s*\.?\s*F\.?\s*R\.?\s*(\d[\d,]*\d|\d)")


def dpl_citations(value: str) -> tuple[str, ...]:
    """Every Federal Register citation in a DPL ``FR_Citation`` cell, as ``"68 FR 38290"``.

    The cell runs several citations together with their dates and no reliable separator
    (``"68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06"``), so citations are found, not split.
    A cell with no recognisable citation is kept whole rather than lost.
    """
    found = [f"{vol} FR {page.replace(',', '')}" for vol, page in _FR.findall(value)]
    if not found and value.strip():
        return (value.strip(),)
    return tuple(dict.fromkeys(found))


def parse_dpl(data: bytes, origin: str, checksum: str) -> list[ListSnapshot]:
    """Parse the DPL tab file into a single ``DPL`` snapshot."""
    rows = csv_rows(decode_text(data, origin, ("cp1252",)), origin, delimiter="\t")
    first = next(rows, None)
    if first is None:
        raise ListFormatError(origin, "file is empty")
    header = [h.strip() for h in first[1]]
    index = check_columns(header, COLUMNS, origin)
    entries = []
    updates = []
    # BIS's own file: a column it adds is read past with a warning (see csl_csv.RAW_COLUMNS)
    warnings = [f"{origin}, line 1, field '{name}': unknown column, not read"
                for name in unknown_columns(header, COLUMNS)]
    for line, row in rows:
        if len(row) != len(header):
            raise ListFormatError(
                origin, f"row has {len(row)} fields, the header {len(header)} (truncated?)", line
            )

        def cell(name: str, row: list[str] = row) -> str:
            return row[index[name]].strip()

        name = cell("Name")
        if problem := name_problem(name):
            raise ListFormatError(origin, problem, line=line, field="Name")
        address = ", ".join(
            p for p in (cell(c) for c in ("Street_Address", "City", "State", "Postal_Code")) if p
        )
        country = cell("Country")
        if country:
            address = f"{address}, {country}" if address else country
        updated = parse_date(cell("Last_Update"), origin, line, "Last_Update")
        if updated and not plausible(updated):
            warnings.append(f"{origin}, line {line}: Last_Update {updated} ignored for version")
        updates.append(updated)
        code = country_code(country)
        entries.append(
            ListEntry(
                source="DPL",
                entry_id=stable_id("DPL", name),
                name=name,
                entity_type=None,
                countries=(code,) if code else (),
                addresses=(address,) if address else (),
                federal_register_notices=dpl_citations(cell("FR_Citation")),
                listed_on=parse_date(
                    cell("Effective_Date"), origin, line, "Effective_Date", _ORDER_DATE
                ),
                ends_on=parse_date(
                    cell("Expiration_Date"), origin, line, "Expiration_Date", _ORDER_DATE
                ),
                source_list_url=URL,
                raw={k: v for k, v in zip(header, row, strict=True) if v.strip()},
            )
        )
    if not entries:
        raise ListFormatError(origin, "header but no rows")
    return build_snapshots(
        entries,
        origin,
        checksum,
        version_dates={"DPL": updates},
        titles={"DPL": TITLE},
        warnings=warnings,
    )
