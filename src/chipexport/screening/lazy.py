"""Cached-index tables that are decoded piece by piece, when a lookup first needs a piece.

A single-name ``chipexport screen`` loads the cached index and answers one query: decoding the
whole deletion-neighbourhood table (230k keys) and every entry's row (27k) took half of the
index's ~0.25 s load, for the few dozen keys and the handful of matched entries one query
touches. Here both are stored as many small marshalled pieces and decoded on first use; a batch
ends up decoding them all, at the same total cost as before.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import overload

MAP_BUCKETS = 4096
ROWS_PER_PIECE = 32


def _bucket(key: str, n: int) -> int:
    # crc32, not hash(): str hashes differ between processes, and the pieces are cached on disk.
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % n


class LazyMap(Mapping[str, str]):
    """A ``str -> str`` mapping kept as hashed buckets of marshalled dicts."""

    def __init__(self, pieces: list[bytes]) -> None:
        self._pieces = pieces
        self._decoded: list[dict[str, str] | None] = [None] * len(pieces)

    @classmethod
    def pack(cls, mapping: Mapping[str, str], buckets: int = MAP_BUCKETS) -> list[bytes]:
        """The pieces for ``mapping`` (what :meth:`__init__` takes, and what is cached)."""
        parts: list[dict[str, str]] = [{} for _ in range(buckets)]
        for key, value in mapping.items():
            parts[_bucket(key, buckets)][key] = value
        return [marshal.dumps(p) for p in parts]

    def _piece(self, key: str) -> dict[str, str]:
        i = _bucket(key, len(self._pieces))
        found = self._decoded[i]
        if found is None:
            found = self._decoded[i] = marshal.loads(self._pieces[i])
        return found

    def __getitem__(self, key: str) -> str:
        return self._piece(key)[key]

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self._piece(key).get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._piece(key)

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self._pieces)):
            piece = self._decoded[i]
            if piece is None:
                piece = self._decoded[i] = marshal.loads(self._pieces[i])
            yield from piece

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LazyRows(Sequence[tuple[object, ...]]):
    """A list of entry rows kept as marshalled runs of :data:`ROWS_PER_PIECE` rows."""

    def __init__(self, pieces: list[bytes], length: int) -> None:
        self._pieces = pieces
        self._length = length
        self._decoded: list[list[tuple[object, ...]] | None] = [None] * len(pieces)

    @classmethod
    def pack(cls, rows: Sequence[tuple[object, ...]]) -> list[bytes]:
        """The pieces for ``rows`` (what :meth:`__init__` takes, and what is cached)."""
        return [
            marshal.dumps(list(rows[i : i + ROWS_PER_PIECE]))
            for i in range(0, len(rows), ROWS_PER_PIECE)
        ]

    @overload
    def __getitem__(self, i: int) -> tuple[object, ...]: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[tuple[object, ...]]: ...

    def __getitem__(self, i: int | slice) -> tuple[object, ...] | Sequence[tuple[object, ...]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._length))]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        piece, at = divmod(i, ROWS_PER_PIECE)
        rows = self._decoded[piece]
        if rows is None:
            rows = self._decoded[piece] = marshal.loads(self._pieces[piece])
        return rows[at]

    def __len__(self) -> int:
        return self._length
