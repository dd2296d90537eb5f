"""Rebuild the public-domain list fixtures under ``tests/fixtures/data/`` from the full data set.

The test suite runs from a clone with nothing beside it, so the pieces of real list files it
reads are kept in the repository, gzip-compressed and small. This script makes them from the
full public data set that the benchmarks read (``../shared/data`` beside the repository, or
``$CHIPEXPORT_SHARED/data``; see bench/README.md for where each file comes from):

- whole files, gzip-compressed, where they are small: the BIS Denied Persons List, OFAC's
  consolidated (non-SDN) list with its alias and address files, Japan's METI/MOFA notice;
- cuts of the large ones: OFAC's July 2021 SDN file (the first rows and the highest entry
  number, with their alias and address rows, and the file's Ctrl-Z end), the 2023 raw trade.gov
  CSL sample (both header lines, rows of every source, the rows the tests name, Entity List
  rows the 2026 list also has, and the file's cut last row), and the head of GLEIF's ELF code
  list (CC0), used only as a file that is not a list.

Only US Government works, UN and Japanese government notices, and CC0 data are copied: CC BY-NC
and AGPL files never are (the CN sanctions list and the ownership cluster in tests/fixtures/data
are written by hand instead). Run: ``.venv/bin/python -m bench.make_fixtures``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

from bench import SHARED

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "fixtures" / "data"
WHOLE = [
    "bis_dpl/dpl_2023-11.txt",
    "ofac_legacy_csv/cons_prim.csv",
    "ofac_legacy_csv/cons_alt.csv",
    "ofac_legacy_csv/cons_add.csv",
    "jp_meti/meti_third_country_entities_2025-09-12.json",
]
SDN_HEAD_ROWS = 300
RAW_ROWS_PER_SOURCE = 12
RAW_SHARED_EL_ROWS = 150
RAW_NAMED = {"30882", "Abdul Satar Ghoura", "Afghan-German Construction Company"}


def write_gz(rel: str, data: bytes) -> None:
    path = OUT / f"{rel}.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def sdn_cut(src: Path) -> None:
    """The first rows of the 2021 SDN file and its highest entry number, with their aliases and
    addresses; latin-1 bytes and the Ctrl-Z end kept as they are."""
    lines = (src / "sdn_2021-07.csv").read_bytes().split(b"\r\n")
    rows = [line for line in lines if line and line != b"\x1a"]
    top = max(rows, key=lambda r: int(r.split(b",", 1)[0]))
    kept = rows[:SDN_HEAD_ROWS] + ([top] if top not in rows[:SDN_HEAD_ROWS] else [])
    ids = {r.split(b",", 1)[0] for r in kept}
    write_gz("ofac_legacy_csv/sdn_2021-07.csv", b"\r\n".join(kept) + b"\r\n\x1a")
    for side in ("alt", "add"):
        side_lines = (src / f"{side}_2021-07.csv").read_bytes().split(b"\r\n")
        mine = [line for line in side_lines if line.split(b",", 1)[0] in ids]
        write_gz(f"ofac_legacy_csv/{side}_2021-07.csv", b"\r\n".join(mine) + b"\r\n")


def raw_csl_cut(src: Path) -> None:
    """Rows of the 2023 raw trade.gov sample, each kept as its original text."""
    text = (src / "csl_partial_sample_2023-11.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    complete, cut_tail = "\n".join(lines[:-1]) + "\n", lines[-1]
    reader = csv.reader(io.StringIO(complete))
    header = next(reader)
    records: list[tuple[list[str], str]] = []
    start = reader.line_num
    for row in reader:
        records.append((row, "\n".join(lines[start : reader.line_num])))
        start = reader.line_num
    col = {name: i for i, name in enumerate(header)}
    compact = json.loads((src / "csl_compact_2026-07-31.json").read_text(encoding="utf-8"))
    el_code = compact["tables"]["sources"].index(
        next(s for s in compact["tables"]["sources"] if "(EL)" in s)
    )
    el_2026 = {e["n"] for e in compact["entries"] if e["s"] == el_code}
    keep: set[int] = {0}  # trade.gov's duplicated header line
    per_source: dict[str, int] = {}
    newest: dict[str, tuple[str, int]] = {}
    shared_el = 0
    for i, (row, _) in enumerate(records[1:], start=1):
        if len(row) <= col["start_date"]:
            continue
        source, name = row[col["source"]], row[col["name"]]
        if per_source.get(source, 0) < RAW_ROWS_PER_SOURCE or RAW_NAMED & {name, row[0]}:
            keep.add(i)
            per_source[source] = per_source.get(source, 0) + 1
        if "(EL)" in source and name in el_2026 and shared_el < RAW_SHARED_EL_ROWS:
            keep.add(i)
            shared_el += 1
        day = row[col["start_date"]]
        if day and day > newest.get(source, ("", 0))[0]:
            newest[source] = (day, i)
    keep |= {i for _, i in newest.values()}
    keep |= {len(records) - 2, len(records) - 1}  # the rows before the cut one, as in the file
    body = "\n".join(records[i][1] for i in sorted(keep))
    write_gz("us_csl/csl_partial_sample_2023-11.csv", f"{lines[0]}\n{body}\n{cut_tail}".encode())


def main() -> int:
    src = SHARED / "data"
    if not src.is_dir():
        print(f"bench.make_fixtures: {src} not found (set CHIPEXPORT_SHARED)", file=sys.stderr)
        return 1
    for rel in WHOLE:
        write_gz(rel, (src / rel).read_bytes())
    sdn_cut(src / "ofac_legacy_csv")
    raw_csl_cut(src / "us_csl")
    head = (src / "gleif" / "elf-codes-1.4.1.csv").read_bytes().split(b"\n")[:40]
    write_gz("gleif/elf-codes-1.4.1.csv", b"\n".join(head) + b"\n")
    print(f"bench.make_fixtures: wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
