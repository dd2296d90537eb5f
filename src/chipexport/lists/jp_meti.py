"""Reader for Japan's list of third-country entities under the Russia/Belarus export ban.

METI/MOFA publish it only as a PDF (MOFA Notice No. 447 of Reiwa 5); the JSON read here is a
parse of that PDF's text (tests/fixtures/README.md): ``{designated, last_updated,
entries[{no, name_ja, name_zh[], aliases_ja[], name_en, aliases_en[], address,
countries_mentioned[], parse_suspect, raw}]}``. Source code ``JP-METI``; the English name is
primary (it is what order systems hold), every Japanese and Chinese form becomes an alias so a
名義 typed in either script is found.
"""

from __future__ import annotations

import re
from typing import Any

from chipexport.lists.common import name_problem, unique
from chipexport.lists.countries import country_code
from chipexport.lists.errors import ListFormatError
from chipexport.lists.snapshots import build_snapshots, parse_date
from chipexport.lists.text import decode_text, json_document
from chipexport.model import ListEntry, ListSnapshot

SOURCE = "JP-METI"
TITLE = "Japan: third-country entities subject to the Russia/Belarus export ban (MOFA Notice 447)"
URL = "https://www.meti.go.jp/policy/external_economy/trade_control/01_seido/04_seisai/crimea.html"
# The PDF parser sometimes leaves the alias preamble in name_en
# ("X, the following two aliases: ...").
_LATIN = re.compile(r"[A-Za-z][\w .,&()'/-]*[\w.)]", re.ASCII)
_PREAMBLE = re.compile(r",?\s*(?:a\.k\.a\.,?\s*)?the following .*$|,?\s*a\.k\.a\..*$", re.I | re.S)


def _strings(entry: dict[str, Any], key: str, origin: str, line: int) -> list[str]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ListFormatError(origin, "expected text or a list of text", line=line, field=key)
    return [v.strip() for v in value if v.strip()]


def parse_jp_meti(data: bytes, origin: str, checksum: str) -> list[ListSnapshot]:
    """Parse the METI third-country JSON into a single ``JP-METI`` snapshot.

    ``line`` in errors is the entry's position in ``entries[]``.
    """
    doc = json_document(decode_text(data, origin), origin)
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise ListFormatError(origin, "not a METI list (no 'entries' list)", field="entries")
    entries = []
    for i, raw in enumerate(doc["entries"], start=1):
        if not isinstance(raw, dict):
            raise ListFormatError(origin, "entry is not an object", line=i)
        name_en = raw.get("name_en")
        if name_en is not None and not isinstance(name_en, str):
            raise ListFormatError(origin, "expected the name as text", line=i, field="name_en")
        name = _PREAMBLE.sub("", name_en or "").strip()
        names_ja = _strings(raw, "name_ja", origin, i)
        if not name and names_ja:
            # The parser left the English name inside name_ja
            # ("タイム・アート...Time Art ... LTD別称：...").
            for part in names_ja[0].split("別称"):
                latin = _LATIN.search(part)
                if latin:
                    names_ja.append(latin.group())
            name = names_ja.pop(-1) if len(names_ja) > 1 else names_ja[0]
            names_ja = [n for n in names_ja if n != name]
        if problem := name_problem(name):
            raise ListFormatError(origin, problem, line=i, field="name_en")
        no = raw.get("no")
        if not isinstance(no, int) or isinstance(no, bool):
            raise ListFormatError(origin, f"{no!r} is not an entry number", line=i, field="no")
        aliases = [
            *_strings(raw, "aliases_en", origin, i),
            *names_ja,
            # "香港旗速電子有限公司、香港旗速電子科技有限公司": two names joined with 、.
            *(z for zh in _strings(raw, "name_zh", origin, i) for z in zh.split("、")),
            *_strings(raw, "aliases_ja", origin, i),
        ]
        address = raw.get("address")
        entries.append(
            ListEntry(
                source=SOURCE,
                entry_id=f"{SOURCE}-{no}",
                name=name,
                aliases=tuple(a for a in unique(aliases) if a != name),
                entity_type="Entity",
                countries=unique(
                    country_code(c) for c in _strings(raw, "countries_mentioned", origin, i)
                ),
                addresses=(address.strip(),)
                if isinstance(address, str) and address.strip()
                else (),
                programs=("MOFA Notice 447 (2023)",),
                source_list_url=URL,
                raw=raw,
            )
        )
    if not entries:
        raise ListFormatError(origin, "no entries", field="entries")
    updated = parse_date(
        doc.get("last_updated") or doc.get("designated"), origin, None, "last_updated"
    )
    return build_snapshots(
        entries,
        origin,
        checksum,
        version=updated.isoformat() if updated else None,
        titles={SOURCE: TITLE},
    )
