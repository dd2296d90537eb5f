"""The list snapshot shipped inside the package, for offline first use (``lists load``).

``data/lists/bundle.json`` (written by bench/build_bundle.py) names each gzip file, its format
and where it came from; only public-domain or attribution-only lists are bundled (see
``data/lists/SOURCES.md``). Read through importlib.resources so it works from a wheel or zip.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from chipexport.lists.errors import ListFormatError
from chipexport.lists.formats import get_format
from chipexport.model import ListSnapshot

MANIFEST = "bundle.json"


def _bundle_dir() -> Traversable:
    return resources.files("chipexport") / "data" / "lists"


def bundle_manifest() -> list[dict[str, Any]]:
    """The manifest entries: ``file, format, origin, sha256, versions, entries``."""
    path = _bundle_dir() / MANIFEST
    if not path.is_file():
        raise ListFormatError(f"chipexport/data/lists/{MANIFEST}", "bundled lists are missing")
    manifest: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


@cache
def _load() -> tuple[ListSnapshot, ...]:
    snapshots: list[ListSnapshot] = []
    for item in bundle_manifest():
        data = gzip.decompress((_bundle_dir() / item["file"]).read_bytes())
        snapshots.extend(get_format(item["format"]).parse_bytes(data, f"bundled:{item['file']}"))
    return tuple(snapshots)


def bundled_snapshots() -> list[ListSnapshot]:
    """Every bundled snapshot (CSL sources + UN). Parsed once per process, then cached."""
    return list(_load())
