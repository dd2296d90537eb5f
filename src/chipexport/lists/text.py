"""Turning list bytes into text and rows, with every failure reported as a ListFormatError.

The csv, json and codecs modules raise their own exceptions with messages that name neither the
file nor the row; users see those as tracebacks. Everything that decodes or splits list input
goes through here so that a bad file always ends in one line: file, line, field, what is wrong.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from chipexport.errors import did_you_mean
from chipexport.json_input import JsonInputError, parse_json
from chipexport.lists.errors import ListFormatError

# Ctrl-Z: OFAC's legacy files end with a DOS end-of-file marker.
_EOF_MARK = "\x1a"
# The csv module refuses fields over 128 KiB; trade.gov's ``ids``/``remarks`` cells for large
# SDN entries can grow past that, and a refused field would reject the whole download.
_FIELD_LIMIT = 16 * 1024 * 1024
if csv.field_size_limit() < _FIELD_LIMIT:
    csv.field_size_limit(_FIELD_LIMIT)


def decode_text(data: bytes, origin: str, fallbacks: Sequence[str] = ()) -> str:
    """UTF-8 text (BOM removed), else the first fallback encoding that decodes.

    Refuses input with NUL bytes up front: that is UTF-16 or a binary file, and a single-byte
    fallback such as latin-1 would otherwise "decode" it into garbage names.
    """
    if not data.strip():
        raise ListFormatError(origin, "file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:65536]:
        raise ListFormatError(origin, "binary data or UTF-16 text (NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        for encoding in fallbacks:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        line = data.count(b"\n", 0, exc.start) + 1
        raise ListFormatError(
            origin,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line=line,
        ) from None


def json_document(text: str, origin: str, line: int | None = None) -> Any:
    """The JSON document ``text`` (one line of a JSON Lines file when ``line`` is given).

    Truncated, malformed and absurdly nested JSON (a RecursionError in the decoder) are all a
    ListFormatError naming the file and line. No depth bound beyond the decoder's: every
    reader checks the type of each value it uses, and list files are large.
    """
    try:
        return parse_json(text, max_depth=None)
    except JsonInputError as exc:
        message = exc.message.replace("malformed JSON: ", "invalid JSON (truncated?): ")
        if line is not None:
            message = message.replace(" at line 1 column ", " at column ")
        raise ListFormatError(origin, message, line if line is not None else exc.line) from None


def csv_rows(
    text: str, origin: str, delimiter: str = ",", *, strict: bool = True
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, row)`` for each non-blank CSV row.

    A file cut in the middle (a failed download) shows as a row ending inside a quoted field or a
    last line with no newline. In strict mode that is an error, because a partial list silently
    misses parties; lenient callers get the cut row as it stands and must say so in a warning.
    """
    text = text.rstrip(_EOF_MARK)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                if strict:
                    raise ListFormatError(
                        origin, "file ends inside a quoted field (truncated?)", line=line + 1
                    ) from None
                yield line + 1, _close_cut_row(text, line, delimiter)
                return
            raise ListFormatError(origin, f"malformed CSV: {exc}", line=reader.line_num) from None
        line = reader.line_num
        if row and any(cell.strip() for cell in row):
            yield line, row


def _close_cut_row(text: str, lines_done: int, delimiter: str) -> list[str]:
    """The last record, which the file cuts inside a quoted field, parsed as if the quote closed."""
    rest = "".join(io.StringIO(text, newline="").readlines()[lines_done:]) + '"'
    rows = list(csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter))
    return rows[0] if rows else []


def ends_mid_row(text: str) -> bool:
    """True when the text does not end with a newline: the last row may be cut short."""
    return not text.rstrip(_EOF_MARK).endswith(("\n", "\r"))


def check_columns(
    header: Sequence[str], required: Sequence[str], origin: str,
    known: Sequence[str] | None = None,
) -> dict[str, int]:
    """Map column name to index, raising on the first required column that is absent and,
    when ``known`` is given (a format whose columns are all known), on the first column that
    is not among them: a misspelt column would otherwise be dropped without a word."""
    index = {name.strip(): i for i, name in enumerate(header)}
    for name in required:
        if name not in index:
            raise ListFormatError(origin, "required column missing from header", line=1, field=name)
    if known is not None:
        for name in unknown_columns(header, known):
            raise ListFormatError(origin, f"unknown column{did_you_mean(name, known)}", line=1,
                                  field=name)
    return index


def unknown_columns(header: Sequence[str], known: Sequence[str]) -> list[str]:
    """Header names that are not in ``known`` (blank names from a trailing comma aside)."""
    return [h.strip() for h in header if h.strip() and h.strip() not in known]
