"""The screening index's on-disk form: flat numpy arrays in one versioned file, memory-mapped.

Why: every process that screens (a CLI run, each batch worker, each server worker) used to read
and unmarshal the whole index, which at a million entries takes seconds and ~1.5 KB of private
memory per entry. Here the index is a set of flat arrays (postings as one integer array with
offsets, weights as floats, strings as one UTF-8 blob with offsets) laid out in one file: opening
it maps the file, and every process reads the same pages from the operating system's cache.
Nothing is decoded until a query touches it. The layout is our own and versioned
(:data:`FORMAT`), not ``marshal`` or ``pickle``, whose bytes change between Python versions.

File: :data:`MAGIC`, an 8-byte little-endian header length, a JSON header naming each array's
dtype, offset and length and holding the small scalars, then the arrays, each 64-byte aligned.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from chipexport.errors import ChipexportError

MAGIC = b"CHIPEXPORT SCREENING INDEX\n"
FORMAT = 1
_ALIGN = 64


class IndexFormatError(ChipexportError, ValueError):
    """The bytes are not an index file of this format (another version, or cut short).

    The cache rebuilds such a file; were one to reach a user, the server's index is broken.
    """

    status = 500


def key_hash(key: str) -> int:
    """A 64-bit hash that is the same in every process and Python version (not ``hash()``)."""
    b = key.encode("utf-8", "surrogatepass")
    return (zlib.crc32(b) << 32) | zlib.adler32(b)


def pack(arrays: Mapping[str, npt.NDArray[Any]], scalars: Mapping[str, Any]) -> bytes:
    """One index file from named arrays and JSON-able scalars."""
    layout: dict[str, list[Any]] = {}
    at = 0
    for name, arr in arrays.items():
        at = -(-at // _ALIGN) * _ALIGN
        layout[name] = [arr.dtype.str, at, int(arr.size)]
        at += arr.nbytes
    header = json.dumps({"format": FORMAT, "arrays": layout, "scalars": scalars}).encode()
    start = -(-(len(MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
    out = bytearray(start + at)
    out[: len(MAGIC)] = MAGIC
    out[len(MAGIC) : len(MAGIC) + 8] = struct.pack("<Q", len(header))
    out[len(MAGIC) + 8 : len(MAGIC) + 8 + len(header)] = header
    for name, arr in arrays.items():
        off = start + layout[name][1]
        out[off : off + arr.nbytes] = np.ascontiguousarray(arr).tobytes()
    return bytes(out)


def unpack(buf: Any) -> tuple[dict[str, npt.NDArray[Any]], dict[str, Any]]:
    """Arrays (views into ``buf``, no copy) and scalars of an index file."""
    view = memoryview(buf)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise IndexFormatError("not a screening index file")
    (size,) = struct.unpack("<Q", view[len(MAGIC) : len(MAGIC) + 8])
    try:
        header = json.loads(bytes(view[len(MAGIC) + 8 : len(MAGIC) + 8 + size]))
    except ValueError as exc:
        raise IndexFormatError(f"index header unreadable: {exc}") from None
    if header.get("format") != FORMAT:
        raise IndexFormatError(f"index format {header.get('format')}, expected {FORMAT}")
    start = -(-(len(MAGIC) + 8 + size) // _ALIGN) * _ALIGN
    arrays = {}
    for name, (dtype, off, n) in header["arrays"].items():
        dt = np.dtype(dtype)
        if start + off + n * dt.itemsize > len(view):
            raise IndexFormatError("index file cut short")
        arrays[name] = np.frombuffer(buf, dtype=dt, count=n, offset=start + off)
    return arrays, header["scalars"]


def ragged(parts: Iterable[Sequence[int]], dtype: str = "<u4") -> tuple[Any, Any]:
    """Lists of integers as one flat array and ``len + 1`` offsets."""
    flat: list[int] = []
    offsets = [0]
    for p in parts:
        flat.extend(p)
        offsets.append(len(flat))
    return np.asarray(flat, dtype=dtype), np.asarray(offsets, dtype="<i8")


def strings(items: Iterable[str]) -> tuple[Any, Any]:
    """Strings as one UTF-8 blob and ``len + 1`` byte offsets."""
    encoded = [s.encode("utf-8", "surrogatepass") for s in items]
    offsets = np.zeros(len(encoded) + 1, dtype="<i8")
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded) or b"\0", dtype=np.uint8), offsets


class Decoded(Sequence[Any]):
    """Items made on access by ``get(i)`` (decoded from arrays), with the sequence protocol."""

    def __init__(self, n: int, get: Callable[[int], Any]) -> None:
        self._n = n
        self._get = get

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self._get(k) for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self._get(i)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[Any]:
        return (self._get(i) for i in range(self._n))


class Strings(Decoded):
    """A blob and offsets read as a sequence of strings, each decoded when asked for."""

    def __init__(self, blob: npt.NDArray[Any], offsets: npt.NDArray[Any]) -> None:
        data, off = blob.data, offsets.data.cast("B").cast("q")
        super().__init__(
            len(offsets) - 1, lambda i: str(data[off[i] : off[i + 1]], "utf-8", "surrogatepass")
        )


class Ragged:
    """A flat integer array and offsets: part ``i`` is a zero-copy numpy slice."""

    def __init__(self, flat: npt.NDArray[Any], offsets: npt.NDArray[Any]) -> None:
        self.flat = flat
        self._off = offsets.data.cast("B").cast("q")

    def __getitem__(self, i: int) -> npt.NDArray[Any]:
        return self.flat[self._off[i] : self._off[i + 1]]

    def __len__(self) -> int:
        return len(self._off) - 1


class Vocabulary(Mapping[str, int]):
    """Token -> id over a :class:`Strings` table. The dict is built when the file is opened
    (tens of milliseconds per 100k words; every query looks words up), so a batch's forked
    workers share it."""

    def __init__(self, words: Strings) -> None:
        self.words = words
        self.ids = {w: i for i, w in enumerate(words)}

    def __getitem__(self, key: str) -> int:
        return self.ids[key]

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return self.ids.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


class ByToken(Mapping[str, Any]):
    """A per-token value (rarity, count, posting list) looked up through a vocabulary."""

    def __init__(self, vocab: Vocabulary, values: Any) -> None:
        self._vocab = vocab
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._vocab.ids[key]]

    def get(self, key: str, default: Any = None) -> Any:
        i = self._vocab.ids.get(key)
        return default if i is None else self._values[i]

    def __contains__(self, key: object) -> bool:
        return key in self._vocab.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._vocab)

    def __len__(self) -> int:
        return len(self._vocab)


class HashedLists(Mapping[str, str]):
    """Key -> space-joined words, stored as sorted 64-bit key hashes and word ids.

    For the typo table (deletion variant -> vocabulary words), whose keys outnumber the words
    eightfold: the keys themselves are not stored. A hash collision can only add a word that
    is not one edit away, and every caller checks the edit distance of what it gets.
    """

    def __init__(
        self, hashes: npt.NDArray[Any], offsets: npt.NDArray[Any], ids: npt.NDArray[Any],
        words: Strings,
    ) -> None:
        self._hashes = hashes
        self._lists = Ragged(ids, offsets)
        self._words = words

    @staticmethod
    def build(mapping: Mapping[str, Sequence[int]]) -> dict[str, Any]:
        """The arrays for ``mapping`` (key -> word ids), keyed as :meth:`__init__` takes them."""
        merged: dict[int, list[int]] = {}
        for key, ids in mapping.items():
            merged.setdefault(key_hash(key), []).extend(ids)
        order = sorted(merged)
        flat, offsets = ragged(merged[h] for h in order)
        return {"hashes": np.asarray(order, dtype="<u8"), "offsets": offsets, "ids": flat}

    def words(self, keys: Iterable[str]) -> set[str]:
        """The words listed under any of ``keys`` (one vectorised search for all of them)."""
        hashes = np.fromiter((key_hash(k) for k in keys), dtype=np.uint64)
        at = np.searchsorted(self._hashes, hashes)
        found = at < len(self._hashes)
        found[found] = self._hashes[at[found]] == hashes[found]
        return {self._words[i] for a in at[found].tolist() for i in self._lists[a].tolist()}

    def get(self, key: str, default: Any = None) -> Any:
        h = np.uint64(key_hash(key))  # a numpy scalar: a Python int would cast the whole array
        at = int(np.searchsorted(self._hashes, h))
        if at == len(self._hashes) or self._hashes[at] != h:
            return default
        return " ".join(self._words[i] for i in self._lists[at].tolist())

    def __getitem__(self, key: str) -> str:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return str(found)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a hashed table's keys are not stored")

    def __len__(self) -> int:
        return len(self._hashes)


class HashedPostings(Mapping[str, Any]):
    """Key -> integer array, found by a 64-bit hash of the key among sorted hashes.

    For tables with more keys than a per-process dict should hold (two adjacent name words
    joined: about two per name). The key is compared after the hash matches.
    """

    def __init__(
        self, hashes: npt.NDArray[Any], keys: Strings, postings: Ragged
    ) -> None:
        self._hashes = hashes
        self._keys = keys
        self._postings = postings

    @staticmethod
    def build(mapping: Mapping[str, Sequence[int]]) -> dict[str, Any]:
        """The arrays for ``mapping``, keyed as :func:`chipexport.screening.stored` names them."""
        keyed = sorted((key_hash(k), k) for k in mapping)
        blob, offsets = strings(k for _, k in keyed)
        flat, starts = ragged(mapping[k] for _, k in keyed)
        hashes = np.asarray([h for h, _ in keyed], dtype="<u8")
        return {"hashes": hashes, "key_blob": blob, "key_off": offsets, "ids": flat,
                "offsets": starts}

    def get(self, key: str, default: Any = None) -> Any:
        h = np.uint64(key_hash(key))
        at = int(np.searchsorted(self._hashes, h))
        while at < len(self._hashes) and self._hashes[at] == h:
            if self._keys[at] == key:
                return self._postings[at]
            at += 1
        return default

    def __getitem__(self, key: str) -> Any:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
