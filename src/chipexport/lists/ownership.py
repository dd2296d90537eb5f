"""Readers for ownership data: FollowTheMoney JSONL (OpenSanctions, yente) and a simple CSV.

FtM: one entity per line. ``Ownership`` records point at their ``owner`` and ``asset`` by id;
the names come from the Company/Person/... records of the same file (``caption``, else the
first ``name``). An id with no record in the file is kept as the name, so nothing is dropped.
``percentage`` is a string list (``["51"]``); dates may be partial (``"2015"``, ``"2015-11"``).

CSV (for users without FtM): header ``owner,asset,percent,start,end`` plus optional
``owner_id,asset_id,source``; percent may be blank or carry a ``%``; dates are ISO.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Any

from chipexport.lists.errors import ListFormatError
from chipexport.lists.text import check_columns, csv_rows, decode_text, json_document
from chipexport.model.ownership import OwnershipLink

CSV_COLUMNS = ("owner", "asset", "percent", "start", "end")
CSV_OPTIONAL = ("owner_id", "asset_id", "source", "owner_country")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def partial_date(value: str, origin: str, line: int, field: str, *, end: bool) -> date | None:
    """An ISO date that may lack day or month; filled to the widest period it can mean.

    A start of ``"2015"`` means 2015-01-01 and an end of ``"2015"`` means 2015-12-31, so a
    link is never treated as over before its source says.
    """
    value = value.strip()
    if not value:
        return None
    m = _PARTIAL_DATE.match(value)
    try:
        if not m:
            raise ValueError
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else (12 if end else 1)
        last_day = calendar.monthrange(year, month)[1]
        day = int(m.group(3)) if m.group(3) else (last_day if end else 1)
        return date(year, month, day)
    except ValueError:
        raise ListFormatError(origin, f"{value!r} is not a date", line=line, field=field) from None


def percent_value(value: str, origin: str, line: int, field: str) -> float | None:
    """``"51"``, ``"49.5%"`` -> float; blank -> None; out of 0..100 or not a number -> error."""
    value = value.strip().rstrip("%").strip()
    if not value:
        return None
    try:
        pct = float(value)
    except ValueError:
        raise ListFormatError(
            origin, f"{value!r} is not a number", line=line, field=field
        ) from None
    if not 0 <= pct <= 100:
        raise ListFormatError(origin, f"{pct} is outside 0-100", line=line, field=field)
    return pct


def _first(props: dict[str, Any], key: str, origin: str, line: int) -> str:
    values = props.get(key) or []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
        raise ListFormatError(origin, "expected a list of values", line=line, field=key)
    return str(values[0]) if values else ""


def parse_ftm_ownership(data: bytes, origin: str) -> list[OwnershipLink]:
    """Every ``Ownership`` record of a FollowTheMoney JSONL file, owners and assets named."""
    records: list[tuple[int, dict[str, Any]]] = []
    names: dict[str, str] = {}
    countries: dict[str, str] = {}
    for line, text in enumerate(decode_text(data, origin).splitlines(), start=1):
        if not text.strip():
            continue
        entity = json_document(text, origin, line)
        if not isinstance(entity, dict) or not isinstance(entity.get("properties", {}), dict):
            raise ListFormatError(origin, "not an FtM entity object", line=line)
        if entity.get("schema") == "Ownership":
            records.append((line, entity))
            continue
        caption = entity.get("caption")
        name = caption if isinstance(caption, str) and caption.strip() else ""
        name = name or _first(entity.get("properties", {}), "name", origin, line)
        if isinstance(entity.get("id"), str) and name:
            names[entity["id"]] = name
            # FtM writes countries in lower case ("cn"); the owner's seat feeds the HQ rules
            cc = _first(entity.get("properties", {}), "country", origin, line) or _first(
                entity.get("properties", {}), "jurisdiction", origin, line)
            if len(cc) == 2 and cc.isalpha():
                countries[entity["id"]] = cc.upper()
    links = []
    for line, rec in records:
        props = rec.get("properties", {})
        owner_id = _first(props, "owner", origin, line)
        asset_id = _first(props, "asset", origin, line)
        if not owner_id:
            raise ListFormatError(origin, "ownership without an owner", line=line, field="owner")
        if not asset_id:
            raise ListFormatError(origin, "ownership without an asset", line=line, field="asset")
        datasets = rec.get("datasets")
        links.append(
            OwnershipLink(
                owner=names.get(owner_id, owner_id),
                asset=names.get(asset_id, asset_id),
                percent=percent_value(
                    _first(props, "percentage", origin, line), origin, line, "percentage"
                ),
                start=partial_date(
                    _first(props, "startDate", origin, line), origin, line, "startDate", end=False
                ),
                end=partial_date(
                    _first(props, "endDate", origin, line), origin, line, "endDate", end=True
                ),
                owner_id=owner_id,
                asset_id=asset_id,
                owner_country=countries.get(owner_id),
                source=", ".join(d for d in datasets if isinstance(d, str))
                if isinstance(datasets, list) and datasets
                else None,
            )
        )
    return links


def parse_ownership_csv(data: bytes, origin: str) -> list[OwnershipLink]:
    """Links from a ``owner,asset,percent,start,end[,owner_id,asset_id,source]`` CSV."""
    rows = csv_rows(decode_text(data, origin), origin)
    first = next(rows, None)
    if first is None:
        raise ListFormatError(origin, "file is empty")
    header = [h.strip().lower() for h in first[1]]
    index = check_columns(header, CSV_COLUMNS, origin, known=(*CSV_COLUMNS, *CSV_OPTIONAL))
    links = []
    for line, row in rows:
        if len(row) != len(header):
            raise ListFormatError(
                origin, f"row has {len(row)} fields, the header {len(header)}", line=line
            )

        def cell(name: str, row: list[str] = row) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None else ""

        for field in ("owner", "asset"):
            if not cell(field):
                raise ListFormatError(origin, f"empty {field}", line=line, field=field)
        links.append(
            OwnershipLink(
                owner=cell("owner"),
                asset=cell("asset"),
                percent=percent_value(cell("percent"), origin, line, "percent"),
                start=partial_date(cell("start"), origin, line, "start", end=False),
                end=partial_date(cell("end"), origin, line, "end", end=True),
                owner_id=cell("owner_id") or None,
                asset_id=cell("asset_id") or None,
                source=cell("source") or None,
                owner_country=_country(cell("owner_country"), origin, line),
            )
        )
    return links


def _country(value: str, origin: str, line: int) -> str | None:
    if not value:
        return None
    if len(value) != 2 or not value.isalpha():
        raise ListFormatError(origin, f"{value!r} is not an ISO-2 country code", line=line,
                              field="owner_country")
    return value.upper()


def read_ownership(path: str | Path) -> list[OwnershipLink]:
    """Read ownership links from FtM JSONL (``.jsonl``/``.json``/``.ftm.json``) or CSV."""
    path = Path(path)
    data = path.read_bytes()
    if path.suffix.lower() == ".csv":
        return parse_ownership_csv(data, str(path))
    return parse_ftm_ownership(data, str(path))
