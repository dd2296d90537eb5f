"""Reader for the UN Security Council Consolidated List XML (``sc-sanctions.xsd``).

``INDIVIDUAL`` records spread the name over FIRST..FOURTH_NAME; ``ENTITY`` records use
FIRST_NAME alone. Aliases come from ``*_ALIAS/ALIAS_NAME`` and ``NAME_ORIGINAL_SCRIPT`` (Arabic,
Korean... names screening must find). The public, stable id is REFERENCE_NUMBER (``CDi.001``),
so entries are ``UN-CDi.001``. UN material: attribution to the United Nations is required.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from chipexport.lists.common import name_problem, stable_id, unique
from chipexport.lists.countries import country_code
from chipexport.lists.errors import ListFormatError
from chipexport.lists.snapshots import build_snapshots, parse_date
from chipexport.lists.text import decode_text
from chipexport.model import ListEntry, ListSnapshot

TITLE = "United Nations Security Council Consolidated List"
URL = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
_RECORDS = {"INDIVIDUAL": "Individual", "ENTITY": "Entity"}


def _text(el: ET.Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def _line_of(data: bytes, dataid: str) -> int | None:
    """Line of a record's DATAID, for errors (ElementTree does not keep element lines)."""
    pos = data.find(f"<DATAID>{dataid}</DATAID>".encode())
    return data.count(b"\n", 0, pos) + 1 if pos >= 0 and dataid else None


def _entry(rec: ET.Element, data: bytes, origin: str) -> ListEntry:
    kind = rec.tag
    dataid = _text(rec.find("DATAID"))
    name = " ".join(p for p in (_text(rec.find(t)) for t in _NAME_PARTS) if p)
    if problem := name_problem(name):
        raise ListFormatError(origin, problem, line=_line_of(data, dataid), field="FIRST_NAME")
    reference = _text(rec.find("REFERENCE_NUMBER"))
    addresses, countries = [], []
    for addr in rec.iter(f"{kind}_ADDRESS"):
        parts = [_text(addr.find(t)) for t in _ADDRESS_PARTS]
        if any(parts):
            addresses.append(", ".join(p for p in parts if p))
        countries.append(country_code(_text(addr.find("COUNTRY"))))
    aliases = [_text(a.find("ALIAS_NAME")) for a in rec.iter(f"{kind}_ALIAS")]
    aliases += [_text(n) for n in rec.iter("NAME_ORIGINAL_SCRIPT")]
    listed = _text(rec.find("LISTED_ON"))
    try:
        listed_on = parse_date(listed, origin, None, "LISTED_ON")
    except ListFormatError as exc:
        raise ListFormatError(
            origin, exc.message, line=_line_of(data, dataid), field="LISTED_ON"
        ) from None
    raw = {child.tag: _text(child) for child in rec if len(child) == 0 and _text(child)}
    for group in ("NATIONALITY", "DESIGNATION", "TITLE"):
        raw[group] = "; ".join(_text(v) for v in rec.iterfind(f"{group}/VALUE") if _text(v))
    return ListEntry(
        source="UN",
        entry_id=f"UN-{reference}"
        if reference
        else (f"UN-{dataid}" if dataid else stable_id("UN", name)),
        name=name,
        aliases=tuple(a for a in unique(aliases) if a != name),
        entity_type=_RECORDS[kind],
        countries=unique(countries),
        addresses=unique(addresses),
        programs=unique([_text(rec.find("UN_LIST_TYPE"))]),
        listed_on=listed_on,
        source_list_url=URL,
        raw={k: v for k, v in raw.items() if v},
    )


def parse_un_xml(data: bytes, origin: str, checksum: str) -> list[ListSnapshot]:
    """Parse the UN consolidated XML into a single ``UN`` snapshot."""
    decode_text(data, origin)  # the UN publishes UTF-8: refuses empty, UTF-16 and binary input
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        # The UN file has no DTD; one in a download is at best wrong, at worst entity expansion.
        raise ListFormatError(origin, "XML with a DOCTYPE/ENTITY declaration refused", line=1)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, _col = exc.position
        reason = str(exc).split(":")[0]
        raise ListFormatError(origin, f"invalid XML (truncated?): {reason}", line=line) from None
    if root.tag != "CONSOLIDATED_LIST":
        raise ListFormatError(
            origin, f"root element is <{root.tag}>, expected <CONSOLIDATED_LIST>", line=1
        )
    entries = [
        _entry(rec, data, origin)
        for path in ("INDIVIDUALS/INDIVIDUAL", "ENTITIES/ENTITY")
        for rec in root.iterfind(path)
    ]
    if not entries:
        raise ListFormatError(origin, "no INDIVIDUAL or ENTITY records")
    stamp = root.get("dateGenerated")
    return build_snapshots(
        entries, origin, checksum, version=stamp[:10] if stamp else None, titles={"UN": TITLE}
    )
