"""Format detection, the public API, and the bundled snapshot."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from chipexport.lists import (
    FORMATS,
    ListFormatError,
    bundled_snapshots,
    detect_format,
    parse_bytes,
    read_path,
)
from chipexport.lists.bundled import bundle_manifest
from chipexport.model import ListSnapshot

FILES = {
    "us_csl/csl_compact_2026-07-31.json": "csl-json",
    "us_csl/csl_flat_2026-07-31.csv": "csl-csv",
    "us_csl/csl_partial_sample_2023-11.csv": "csl-csv",
    "ofac_legacy_csv/sdn_2021-07.csv": "ofac",
    "ofac_legacy_csv/cons_prim.csv": "ofac",
    "bis_dpl/dpl_2023-11.txt": "dpl",
    "un_sc/UN_consolidated_2026-02.xml": "un-xml",
    "cn/cn_sanctions.csv": "cn-sanctions",
    "jp_meti/meti_third_country_entities_2025-09-12.json": "jp-meti",
}


def test_registry_names() -> None:
    assert set(FORMATS) == {
        "csl-json", "csl-csv", "ofac", "dpl", "un-xml", "cn-sanctions", "jp-meti"
    }  # fmt: skip


@pytest.mark.parametrize(("rel", "fmt"), sorted(FILES.items()))
def test_detect_format_on_real_files(list_data: Path, rel: str, fmt: str) -> None:
    path = list_data / rel
    with path.open("rb") as fh:
        assert detect_format(path, fh.read(65536)) == fmt


def test_detection_uses_content_not_name(list_data: Path) -> None:
    head = (list_data / "bis_dpl" / "dpl_2023-11.txt").read_bytes()[:4096]
    assert detect_format("download.bin", head) == "dpl"


@pytest.mark.parametrize(
    "rel", ["gleif/elf-codes-1.4.1.csv", "ownership/example_cluster.ftm.jsonl"]
)
def test_unknown_format_is_a_one_line_error(list_data: Path, rel: str) -> None:
    with pytest.raises(ListFormatError) as err:
        read_path(list_data / rel)
    assert "cannot tell the list format" in str(err.value) and "\n" not in str(err.value)


def test_missing_file_is_a_list_error(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match=r"no-such\.csv"):
        read_path(tmp_path / "no-such.csv")


def test_parse_bytes_matches_read_path(list_data: Path, dpl: list[ListSnapshot]) -> None:
    data = (list_data / "bis_dpl" / "dpl_2023-11.txt").read_bytes()
    (snap,) = parse_bytes(data, "upload")
    assert snap.entries == dpl[0].entries
    assert snap.checksum == hashlib.sha256(data).hexdigest() == dpl[0].checksum
    assert snap.origin == "upload"


def test_explicit_format_overrides_detection(list_data: Path) -> None:
    data = (list_data / "us_csl" / "csl_flat_2026-07-31.csv").read_bytes()
    with pytest.raises(ListFormatError):
        parse_bytes(data, "x.csv", "dpl")


def test_bundled_snapshots_match_the_source_files(
    csl_compact: list[ListSnapshot], un: list[ListSnapshot]
) -> None:
    bundled = {s.source: s for s in bundled_snapshots()}
    for snap in [*csl_compact, *un]:
        got = bundled[snap.source]
        assert got.version == snap.version
        assert got.checksum == snap.checksum  # sha256 of the uncompressed original
        assert got.entries == snap.entries
        assert got.origin.startswith("bundled:")
    assert set(bundled) == {s.source for s in [*csl_compact, *un]}


def test_bundled_load_is_complete() -> None:
    """Every bundled entry loads from the package (its speed is a benchmark, not a test)."""
    from chipexport.lists import bundled

    bundled._load.cache_clear()
    snaps = bundled_snapshots()
    assert sum(len(s.entries) for s in snaps) == 25921 + 1003


def test_bundle_small_and_documented() -> None:
    folder = resources.files("chipexport") / "data" / "lists"
    manifest = bundle_manifest()
    total = sum((folder / item["file"]).stat().st_size for item in manifest)  # type: ignore[attr-defined]
    assert total < 2_000_000
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for item in manifest:
        assert item["file"] in sources
    assert "United Nations" in sources and "attribution" in sources


def test_lists_package_imports_no_store_cli_or_network() -> None:
    """The core rule: lists feeds screening and store, and imports neither (nor HTTP/DB)."""
    code = (
        "import sys, chipexport.lists, chipexport.lists.ownership; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('httpx', 'sqlalchemy', 'psycopg', 'typer', 'fastapi') "
        "or m.startswith(('chipexport.store', 'chipexport.cli', 'chipexport.service'))]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
