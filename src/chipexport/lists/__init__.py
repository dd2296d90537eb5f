"""Restricted-party list ingestion: every supported format in, ``ListSnapshot`` out.

Public API (stable; the CLI, the store and the service use only this):

- ``read_path(path, fmt=None, *, strict=True) -> list[ListSnapshot]``
- ``parse_bytes(data, origin, fmt=None, *, strict=True) -> list[ListSnapshot]``
- ``bundled_snapshots() -> list[ListSnapshot]``
- ``detect_format(path, head) -> str`` and ``FORMATS`` (name -> ListFormat)
- ``ListFormatError``: bad input; ``str()`` is one line naming file, line and field.

``strict=False`` accepts a file whose last row is cut short (the 2023 trade.gov sample is one)
and records that in ``ListSnapshot.warnings``; the default refuses it, because a truncated
download silently drops parties.
"""

from __future__ import annotations

from pathlib import Path

from chipexport.lists.bundled import bundled_snapshots
from chipexport.lists.errors import ListFormatError
from chipexport.lists.formats import FORMATS, HEAD_BYTES, ListFormat, detect_format, get_format
from chipexport.model import ListSnapshot

__all__ = [
    "FORMATS",
    "ListFormat",
    "ListFormatError",
    "bundled_snapshots",
    "detect_format",
    "parse_bytes",
    "read_path",
]


def read_path(
    path: str | Path, fmt: str | None = None, *, strict: bool = True
) -> list[ListSnapshot]:
    """Read a list file, detecting its format unless ``fmt`` names one of ``FORMATS``."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise ListFormatError(str(path), exc.strerror or "cannot read file") from None
    name = fmt or detect_format(path, head)
    return get_format(name).read(path, strict=strict)


def parse_bytes(
    data: bytes, origin: str, fmt: str | None = None, *, strict: bool = True
) -> list[ListSnapshot]:
    """Parse list bytes (a download, an upload); ``origin`` names them in errors and snapshots."""
    name = fmt or detect_format(origin, data[:HEAD_BYTES])
    return get_format(name).parse_bytes(data, origin, strict=strict)
