"""Raw byte lines of a batch CSV -> text lines for the CSV reader, with what went wrong where.

Kept apart from the row logic in :mod:`chipexport.screening.batch` because it is about bytes:
UTF-8 (a BOM is dropped) line by line, so that a bad byte spoils only its own row; UTF-16 with a
byte-order mark (what Excel writes as "Unicode text") decoded as a stream, since its line breaks
are two bytes and the caller's byte lines are cut in the wrong place. No file is opened here.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator

from chipexport.errors import ChipexportError

_BOM_UTF8 = codecs.BOM_UTF8
_BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# A quoted field this many lines long is an unclosed quote, not a cell: no party's id, name or
# note runs that long, and reading on would pull the rest of the file into one field.
MAX_RECORD_LINES = 50


class BatchFileError(ChipexportError, ValueError):
    """A batch file that cannot be used at all (no header, no 'id'/'name' column, not text)."""


class TextLines:
    """Iterate the text lines of ``lines``; after (or during) iteration read the bookkeeping.

    ``bad`` maps line numbers to what spoils them ("NUL bytes (binary data)"), ``consumed`` is
    the number of bytes read so far (for a progress bar). The caller sets ``record_start`` to
    the line where the CSV record being read began: a record that runs on for more than
    :data:`MAX_RECORD_LINES` lines stops the file with an error naming that line.
    """

    def __init__(self, lines: Iterable[bytes], origin: str) -> None:
        self._lines = lines
        self._origin = origin
        self.bad: dict[int, str] = {}
        self.consumed = 0
        self.record_start = 1

    def __iter__(self) -> Iterator[str]:
        it = iter(self._lines)
        first = next(it, None)
        if first is None:
            return
        if first.startswith(_BOMS_UTF16):
            texts = self._utf16(first, it)
        else:
            if _utf16_without_bom(first):
                raise BatchFileError(
                    f"{self._origin}: the file is UTF-16 text without a byte-order mark; "
                    "save it as 'CSV UTF-8'"
                )
            texts = self._utf8(first, it)
        for n, text in enumerate(texts, start=1):
            if n - self.record_start >= MAX_RECORD_LINES:
                raise BatchFileError(
                    f"{self._origin}, line {self.record_start}: unclosed quote: the field "
                    f"opened on this line is still open {MAX_RECORD_LINES} lines later; "
                    "close or remove the stray '\"'"
                )
            if "\x00" in text:
                text = text.replace("\x00", "\ufffd")
                self.bad[n] = "NUL bytes (binary data)"
            yield text

    def _utf8(self, first: bytes, rest: Iterator[bytes]) -> Iterator[str]:
        for n, raw in enumerate(_chain(first, rest), start=1):
            self.consumed += len(raw)
            if n == 1 and raw.startswith(_BOM_UTF8):
                raw = raw[len(_BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad[n] = "bytes that are not UTF-8 text"
                yield raw.decode("utf-8", errors="replace")

    def _utf16(self, first: bytes, rest: Iterator[bytes]) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
        pending = ""
        n = 0
        for raw in _chain(first, rest):
            self.consumed += len(raw)
            pending += decoder.decode(raw)
            *done, pending = pending.split("\n")
            for text in done:
                n += 1
                if "\ufffd" in text:
                    self.bad[n] = "bytes that are not UTF-16 text"
                yield text + "\n"
        pending += decoder.decode(b"", final=True)
        if pending:
            yield pending


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _utf16_without_bom(line: bytes) -> bool:
    """ "i\\0d\\0,\\0..." (or the big-endian mirror): ASCII text stored as UTF-16."""
    head = line[:64]
    if len(head) < 4:
        return False
    return head[1::2].count(0) == len(head[1::2]) or head[0::2].count(0) == len(head[0::2])
