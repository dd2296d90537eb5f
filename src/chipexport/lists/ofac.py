"""Reader for OFAC's legacy CSV files (``sdn.csv`` / ``cons_prim.csv`` and their siblings).

No header; ``-0-`` (often with a trailing space) means empty; older files are cp1252/latin-1,
newer ones UTF-8; the last line is a DOS end-of-file mark. Names and programmes live in the
primary file, aliases in ``alt``, addresses in ``add``, all keyed by ``ent_num``.

Source codes follow the CSL so screening results read the same whichever file was loaded: the
SDN file is ``SDN``; a consolidated (non-SDN) row takes the code of the CSL list its programme
belongs to (SSI, CMIC, PLC, CAP, FSE, else NS-MBS). Ids are ``CODE-ent_num`` as in the CSL.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from chipexport.lists.common import name_problem
from chipexport.lists.countries import country_code
from chipexport.lists.errors import ListFormatError
from chipexport.lists.snapshots import build_snapshots
from chipexport.lists.text import csv_rows, decode_text
from chipexport.model import ListEntry, ListSnapshot

PRIMARY_COLUMNS = (
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage",
    "GRT", "Vess_flag", "Vess_owner", "Remarks",
)  # fmt: skip
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_zip", "country", "add_remarks")
_ENCODINGS = ("cp1252", "latin-1")
_TYPES = {"individual": "Individual", "vessel": "Vessel", "aircraft": "Aircraft", "": "Entity"}
# Programme -> CSL list code for rows of the consolidated (non-SDN) file, first match wins.
_CONS_CODES = (
    ("CMIC-", "CMIC"), ("UKRAINE-EO13662", "SSI"), ("NS-PLC", "PLC"), ("561-RELATED", "CAP"),
    ("FSE-", "FSE"),
)  # fmt: skip
TITLES = {
    "SDN": "Specially Designated Nationals (SDN) - Treasury Department",
    "SSI": "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    "CMIC": (
        "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department"
    ),
    "PLC": "Palestinian Legislative Council List (PLC) - Treasury Department",
    "CAP": "Capta List (CAP) - Treasury Department",
    "FSE": "Foreign Sanctions Evaders (FSE) - Treasury Department",
    "NS-MBS": "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
}


def _value(cell: str) -> str:
    """The cell with OFAC's ``-0-`` null marker read as empty."""
    cell = cell.strip()
    return "" if cell == "-0-" else cell


def _rows(data: bytes, origin: str, columns: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """Rows with exactly the expected number of fields and an integer ``ent_num``."""
    out = []
    for line, row in csv_rows(decode_text(data, origin, _ENCODINGS), origin):
        if len(row) != len(columns):
            raise ListFormatError(
                origin,
                f"row has {len(row)} fields, OFAC's layout {len(columns)} (truncated?)",
                line=line,
            )
        if not row[0].strip().isdigit():
            raise ListFormatError(origin, f"{row[0]!r} is not a number", line=line, field="ent_num")
        out.append((line, [_value(c) for c in row]))
    return out


def programs_of(cell: str) -> tuple[str, ...]:
    """``"UKRAINE-EO13662] [RUSSIA-EO14024"`` -> both programmes."""
    return tuple(p.strip(" []") for p in cell.split("] [") if p.strip(" []"))


def cons_source(programs: tuple[str, ...]) -> str:
    """The CSL list code of a consolidated-file row, from its programmes."""
    for prefix, code in _CONS_CODES:
        if any(p.upper().startswith(prefix) for p in programs):
            return code
    return "NS-MBS"


def parse_ofac(
    data: bytes,
    origin: str,
    checksum: str,
    *,
    alt: bytes | None = None,
    add: bytes | None = None,
    consolidated: bool | None = None,
) -> list[ListSnapshot]:
    """Parse a primary OFAC legacy file, with its alias and address files when given.

    ``consolidated`` says whether this is ``cons_prim`` (non-SDN) rather than ``sdn``; by
    default it is guessed from the file name in ``origin``.
    """
    if consolidated is None:
        consolidated = Path(origin).name.lower().startswith("cons")
    aliases: dict[str, list[str]] = defaultdict(list)
    if alt is not None:
        for _, row in _rows(alt, f"{origin} (alt)", ALT_COLUMNS):
            if row[3]:
                aliases[row[0]].append(row[3])
    addresses: dict[str, list[str]] = defaultdict(list)
    countries: dict[str, list[str]] = defaultdict(list)
    if add is not None:
        for _, row in _rows(add, f"{origin} (add)", ADD_COLUMNS):
            text = ", ".join(p for p in row[2:5] if p)
            if text:
                addresses[row[0]].append(text)
            code = country_code(row[4])
            if code and code not in countries[row[0]]:
                countries[row[0]].append(code)
    entries = []
    for line, row in _rows(data, origin, PRIMARY_COLUMNS):
        num, name, kind = row[0], row[1], row[2].lower()
        if problem := name_problem(name):
            raise ListFormatError(origin, problem, line=line, field="SDN_Name")
        if kind not in _TYPES:
            raise ListFormatError(origin, f"unknown type {row[2]!r}", line=line, field="SDN_Type")
        programs = programs_of(row[3])
        code = cons_source(programs) if consolidated else "SDN"
        entries.append(
            ListEntry(
                source=code,
                entry_id=f"{code}-{num}",
                name=name,
                aliases=tuple(dict.fromkeys(aliases.get(num, ()))),
                entity_type=_TYPES[kind],
                countries=tuple(countries.get(num, ())),
                addresses=tuple(addresses.get(num, ())),
                programs=programs,
                source_list_url="https://sanctionslist.ofac.treas.gov/Home/SdnList"
                if code == "SDN"
                else "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList",
                raw={k: v for k, v in zip(PRIMARY_COLUMNS, row, strict=True) if v},
            )
        )
    if not entries:
        raise ListFormatError(origin, "no rows")
    return build_snapshots(entries, origin, checksum, titles=TITLES)


def sibling_paths(path: Path) -> tuple[Path | None, Path | None]:
    """The alias and address files beside a primary file, when they exist.

    ``sdn_2021-07.csv`` -> ``alt_2021-07.csv``, ``add_2021-07.csv``;
    ``cons_prim.csv`` -> ``cons_alt.csv``, ``cons_add.csv``.
    """
    name = path.name
    lower = name.lower()
    if lower.startswith("cons_prim"):
        stem = name[len("cons_prim") :]
        candidates = (f"cons_alt{stem}", f"cons_add{stem}")
    elif lower.startswith("sdn"):
        stem = name[len("sdn") :]
        candidates = (f"alt{stem}", f"add{stem}")
    else:
        return None, None
    alt, add = (path.with_name(c) for c in candidates)
    return (alt if alt.is_file() else None), (add if add.is_file() else None)


def read_ofac(path: Path) -> list[ListSnapshot]:
    """Read an OFAC primary file and, when found beside it, its alias and address files."""
    data = path.read_bytes()
    alt, add = sibling_paths(path)
    return parse_ofac(
        data,
        str(path),
        hashlib.sha256(data).hexdigest(),
        alt=alt.read_bytes() if alt else None,
        add=add.read_bytes() if add else None,
    )
