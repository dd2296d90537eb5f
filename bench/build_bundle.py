"""Build the data files shipped in ``src/chipexport/data/lists/``.

Run from the repository root: ``.venv/bin/python -m bench.build_bundle [--shared DIR]``, where
DIR is the data set's ``data`` folder (default: ``../shared/data``, see bench/README.md).

Writes:
- gzip copies of the public-domain / attribution lists that ``bundled_snapshots()`` loads
  offline (the CSL compact JSON and the UN Security Council XML), plus ``bundle.json`` naming
  each file's format, version and origin;
- ``country_names.json``: English country names as lists write them -> ISO 3166-1 alpha-2,
  built from the tz database's ``iso3166.tab`` (public domain) plus the spellings the UN, OFAC,
  BIS and METI lists use (below). Readers need it to turn "Korea, North" into KP.

CC BY-NC and AGPL files are never bundled (bench/README.md gives each file's licence).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

from bench import SHARED

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "src" / "chipexport" / "data" / "lists"
ISO3166_TAB = Path("/usr/share/zoneinfo/iso3166.tab")

# (file under shared/data, format name, bundled file name, licence note)
BUNDLE = [
    ("us_csl/csl_compact_2026-07-31.json", "csl-json", "csl_compact_2026-07-31.json.gz"),
    ("un_sc/UN_consolidated_2026-02.xml", "un-xml", "un_consolidated_2026-02.xml.gz"),
]

# Spellings used by the lists that the tz table does not carry. Values are ISO alpha-2.
EXTRA_NAMES = {
    "Korea, North": "KP",
    "North Korea": "KP",
    "Democratic People's Republic of Korea": "KP",
    "Korea, South": "KR",
    "South Korea": "KR",
    "Republic of Korea": "KR",
    "United Kingdom": "GB",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "UK": "GB",
    "Great Britain": "GB",
    "United States": "US",
    "United States of America": "US",
    "USA": "US",
    "Burma": "MM",
    "Myanmar": "MM",
    "Syria": "SY",
    "Syrian Arab Republic": "SY",
    "Iran": "IR",
    "Iran (Islamic Republic of)": "IR",
    "Islamic Republic of Iran": "IR",
    "Russia": "RU",
    "Russian Federation": "RU",
    "Congo, Democratic Republic of the": "CD",
    "Democratic Republic of the Congo": "CD",
    "Congo, Republic of the": "CG",
    "Republic of the Congo": "CG",
    "Palestinian": "PS",
    "State of Palestine": "PS",
    "West Bank": "PS",
    "Region: Gaza": "PS",
    "Gaza": "PS",
    "Virgin Islands, British": "VG",
    "British Virgin Islands": "VG",
    "The Gambia": "GM",
    "Gambia, The": "GM",
    "Bahamas, The": "BS",
    "The Bahamas": "BS",
    "United Republic of Tanzania": "TZ",
    "Tanzania": "TZ",
    "Cote d Ivoire": "CI",
    "Cote d'Ivoire": "CI",
    "Côte d'Ivoire": "CI",
    "Ivory Coast": "CI",
    "Türkiye": "TR",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Viet Nam": "VN",
    "Vietnam": "VN",
    "China, Hong Kong Special Administrative Region": "HK",
    "Hong Kong": "HK",
    "Macau": "MO",
    "Macao": "MO",
    "China, Macao Special Administrative Region": "MO",
    "Taiwan": "TW",
    "Laos": "LA",
    "Lao People's Democratic Republic": "LA",
    "Bolivia (Plurinational State of)": "BO",
    "Venezuela (Bolivarian Republic of)": "VE",
    "Czech Republic": "CZ",
    "Czechia": "CZ",
    "Republic of Moldova": "MD",
    "Moldova": "MD",
    "Kosovo": "XK",
    "Region: Crimea": "UA",
    "Crimea": "UA",
    "Netherlands Antilles": "AN",
    "Samoa": "WS",
    "PRC": "CN",
    "People's Republic of China": "CN",
    "Mainland China": "CN",
    "Saint Kitts and Nevis": "KN",
    "Saint Vincent and the Grenadines": "VC",
    "Bosnia and Herzegovina": "BA",
    "Trinidad and Tobago": "TT",
    "Central African Republic": "CF",
    "North Macedonia": "MK",
    "Macedonia": "MK",
    "Brunei Darussalam": "BN",
    "Eswatini": "SZ",
    "Cabo Verde": "CV",
    "Micronesia (Federated States of)": "FM",
    "Holy See": "VA",
}


def _key(name: str) -> str:
    """The lookup key readers use too: case-folded, '&' as 'and', punctuation dropped."""
    name = name.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", name).split())


def country_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in ISO3166_TAB.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, name = line.split("\t")[:2]
        table[_key(name)] = code
        # "Myanmar (Burma)" -> also "Myanmar"; "Samoa (American)" stays qualified only.
        base = re.sub(r"\s*\(.*\)\s*$", "", name)
        if base != name and "American" not in name and _key(base) not in table:
            table[_key(base)] = code
    for name, code in EXTRA_NAMES.items():
        table[_key(name)] = code
    return dict(sorted(table.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=SHARED / "data")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from chipexport.lists.formats import FORMATS

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "country_names.json").write_text(
        json.dumps(country_table(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    manifest = []
    for rel, fmt, out_name in BUNDLE:
        data = (args.shared / rel).read_bytes()
        checksum = hashlib.sha256(data).hexdigest()
        snapshots = FORMATS[fmt].parse(data, rel, checksum)  # validates before shipping
        # mtime=0: the same input gives byte-identical output, so rebuilds make no git noise.
        (OUT / out_name).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        manifest.append(
            {
                "file": out_name,
                "format": fmt,
                "origin": rel,
                "sha256": checksum,
                "versions": {s.source: s.version for s in snapshots},
                "entries": sum(len(s.entries) for s in snapshots),
            }
        )
        print(
            f"{out_name}: {(OUT / out_name).stat().st_size:,} bytes, "
            f"{manifest[-1]['entries']:,} entries"
        )
    (OUT / "bundle.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
