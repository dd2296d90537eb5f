"""The registry of list formats, and telling a file's format from its name and first bytes.

``lists load --source NAME=PATH`` and ``lists update`` hand over a path or a download; users
should not have to name the format, and when detection fails the error lists the choices.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chipexport.lists.cn_sanctions import parse_cn_sanctions
from chipexport.lists.csl_compact import parse_csl_compact
from chipexport.lists.csl_csv import parse_csl_csv
from chipexport.lists.dpl import parse_dpl
from chipexport.lists.errors import ListFormatError
from chipexport.lists.jp_meti import parse_jp_meti
from chipexport.lists.ofac import parse_ofac, read_ofac
from chipexport.lists.un_xml import parse_un_xml
from chipexport.model import ListSnapshot

Parser = Callable[[bytes, str, str], list[ListSnapshot]]
# How many leading bytes detect_format looks at.
HEAD_BYTES = 65536


def checksum_of(data: bytes) -> str:
    """The snapshot checksum: sha256 of the bytes read."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ListFormat:
    """One supported list format: a pure parser over bytes, and how to read it from disk.

    ``read_file`` exists for formats spread over several files (OFAC's alt/add files beside
    ``sdn.csv``); the others read one file and hand its bytes to ``parse``.
    """

    name: str
    description: str
    parse: Parser
    lenient_parse: Parser | None = None  # tolerates a truncated tail, with a warning
    read_file: Callable[[Path], list[ListSnapshot]] | None = None

    def read(self, path: Path, *, strict: bool = True) -> list[ListSnapshot]:
        """Read ``path`` (and any sibling files the format needs)."""
        if self.read_file is not None:
            return self.read_file(path)
        return self.parse_bytes(path.read_bytes(), str(path), strict=strict)

    def parse_bytes(self, data: bytes, origin: str, *, strict: bool = True) -> list[ListSnapshot]:
        """Parse bytes; ``strict=False`` uses the lenient parser when the format has one."""
        parse = self.parse if strict or self.lenient_parse is None else self.lenient_parse
        return parse(data, origin, checksum_of(data))


def _csl_csv_lenient(data: bytes, origin: str, checksum: str) -> list[ListSnapshot]:
    return parse_csl_csv(data, origin, checksum, strict=False)


FORMATS: dict[str, ListFormat] = {
    f.name: f
    for f in (
        ListFormat("csl-json", "US Consolidated Screening List, compact JSON", parse_csl_compact),
        ListFormat(
            "csl-csv",
            "US Consolidated Screening List CSV (trade.gov download or flat layout)",
            parse_csl_csv,
            _csl_csv_lenient,
        ),
        ListFormat(
            "ofac",
            "OFAC legacy CSV (sdn.csv / cons_prim.csv + alt/add)",
            parse_ofac,
            read_file=read_ofac,
        ),
        ListFormat("dpl", "BIS Denied Persons List, tab-delimited", parse_dpl),
        ListFormat("un-xml", "UN Security Council Consolidated List XML", parse_un_xml),
        ListFormat(
            "cn-sanctions",
            "China export-control/countermeasure lists (curated CSV)",
            parse_cn_sanctions,
        ),
        ListFormat("jp-meti", "Japan METI third-country entities JSON", parse_jp_meti),
    )
}


def _first_line(head: bytes) -> str:
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    return text.split("\n", 1)[0].strip()


def detect_format(path: str | Path, head: bytes) -> str:
    """The FORMATS name for a file, from its extension and its first bytes.

    Content wins over the extension (downloads are often saved as ``.txt`` or without one).
    Raises ListFormatError naming the known formats when nothing fits.
    """
    name = Path(path).name.lower()
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    first = _first_line(head)
    if start.startswith(b"<"):
        if b"CONSOLIDATED_LIST" in head:
            return "un-xml"
    elif start.startswith(b"{"):
        if any(k in head for k in (b'"sourceGeneratedAt"', b'"listAuthority"', b'"tables"')):
            return "csl-json"
        if b'"name_ja"' in head or b'"daisangoku' in head or b'"designated"' in head:
            return "jp-meti"
    elif "\t" in first and first.replace('"', "").startswith("Name\t"):
        return "dpl"
    else:
        cols = [c.strip().strip('"') for c in first.split(",")]
        if "source" in cols and ("source_code" in cols or "_id" in cols or "alt_names" in cols):
            return "csl-csv"
        if "Chinese name" in cols and "List" in cols:
            return "cn-sanctions"
        if cols and cols[0].isdigit() and b"-0-" in head:
            return "ofac"
    if not start:
        raise ListFormatError(str(path), "file is empty")
    by_extension = {".xml": "un-xml", ".tsv": "dpl"}
    for ext, fmt in by_extension.items():
        if name.endswith(ext):
            return fmt
    raise ListFormatError(
        str(path),
        f"cannot tell the list format; pass one of: {', '.join(FORMATS)}",
        line=1,
    )


def get_format(name: str) -> ListFormat:
    """The registered format called ``name``, or a ListFormatError listing the known names."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ListFormatError(name, f"unknown list format; known: {', '.join(FORMATS)}") from None
