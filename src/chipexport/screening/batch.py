"""One batch row in, one docs/interfaces.md output object out: validation and screening, no I/O.

:func:`read_rows` turns raw CSV byte lines (from a file, an upload, a queue) into rows; it does
not open anything itself.

The CLI and the service both screen rows of ``id, name, country, ...``;
doing the per-row checks here keeps their errors identical. A bad row never stops a batch: it
comes back with an ``error`` and no matches, and the rows after it are screened as usual. Only
what makes rows unreadable stops it (no header, not text, a quote that swallows later rows).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from chipexport.lists.countries import screening_country
from chipexport.screening.batch_lines import BatchFileError, TextLines
from chipexport.screening.index import ScreeningIndex
from chipexport.screening.text import MAX_NAME_CHARS, is_usable, strip_markup

__all__ = ["BatchFileError", "read_rows", "row_problem", "screen_row"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def row_problem(name: str | None) -> str | None:
    """Why a name cannot be screened, in words a user can act on; None when it can."""
    if name is None or not name.strip():
        return "field 'name' is empty"
    if len(name) > MAX_NAME_CHARS:
        return f"field 'name' is {len(name)} characters long (limit {MAX_NAME_CHARS})"
    if _CONTROL.search(name):
        return "field 'name' holds control characters or bytes that are not UTF-8 text"
    if not is_usable(name):
        if strip_markup(name) != name:
            return "field 'name' holds only markup (HTML tags, a script), no name"
        return "field 'name' has no letters or digits"
    return None


def screen_row(
    index: ScreeningIndex,
    row: Mapping[str, Any],
    threshold: float | None = None,
    sources: Collection[str] | None = None,
    problem: str | None = None,
    line: int | None = None,
) -> dict[str, Any]:
    """Screen one input row; ``problem`` is an error already found by the reader (bad bytes).

    The output keeps the input columns in order (``id``, ``name``, ``country`` first) and adds
    ``matches``; an unusable row gets ``error`` and an empty ``matches`` instead.
    """
    out: dict[str, Any] = {"id": row.get("id"), "name": row.get("name")}
    out["country"] = row.get("country") or None
    for key, value in row.items():
        if key not in out and key is not None:
            out[key] = value
    name = row.get("name")
    error = problem or (None if row.get("id") else "field 'id' is empty") or row_problem(name)
    if error is not None:
        out["matches"] = []
        out["error"] = error if problem or line is None else f"line {line}: {error}"
        return out
    assert isinstance(name, str)
    country, warning = screening_country(row.get("country"))
    if warning:
        out["warnings"] = [warning]
    result = index.screen(name, country=country, threshold=threshold, sources=sources)
    out["matches"] = [m.to_json() for m in result.matches]
    return out


_REQUIRED = ("id", "name")
_KEY_COLUMNS = ("id", "name", "country")


def read_rows(
    lines: Iterable[bytes], origin: str
) -> Iterator[tuple[dict[str, str | None], str | None, int, int]]:
    """CSV rows from raw byte lines: ``(row, problem, line number, bytes consumed so far)``.

    Bytes that are not UTF-8 or hold NULs spoil only their row (``problem`` says so), as do
    more non-empty cells than the header has columns (an unquoted comma); a header
    without ``id`` or ``name`` spoils the file (:class:`BatchFileError`), and so does a quote
    that is never closed, which would otherwise pull every following row into one field:
    one output object per input row is the contract. Column names are matched without regard
    to case or surrounding spaces; blank lines are skipped. UTF-16 files with a byte-order
    mark are read too (:mod:`chipexport.screening.batch_lines`).
    """
    text = TextLines(lines, origin)
    bad = text.bad
    reader = csv.reader(text)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise BatchFileError(
            f"{origin}: empty file (expected a header line id,name[,country])"
        ) from None
    except csv.Error as exc:
        raise BatchFileError(f"{origin}, line 1: not a CSV header ({exc})") from None
    if 1 in bad:
        raise BatchFileError(f"{origin}, line 1: header holds {bad[1]}: not a CSV file")
    for col in _REQUIRED:
        if col not in header:
            shown = ",".join(header)[:80]
            raise BatchFileError(
                f"{origin}, line 1: no '{col}' column (header is '{shown}'; need id,name[,country])"
            )
    if len(set(header)) != len(header):
        raise BatchFileError(f"{origin}, line 1: a column name appears twice")
    last = reader.line_num
    while True:
        first = text.record_start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last = reader.line_num
            yield (
                {"id": None, "name": None},
                f"line {first}: unreadable CSV ({exc})",
                first,
                text.consumed,
            )
            continue
        last = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if last > first:
            _check_swallowed(header, cells, first, last, origin)
        row: dict[str, str | None] = dict(zip(header, cells, strict=False))
        for col in header[len(cells) :]:
            row[col] = None
        problem = next((bad[n] for n in range(first, last + 1) if n in bad), None)
        message = f"line {first}: row holds {problem}" if problem else None
        if message is None and any(c.strip() for c in cells[len(header) :]):
            # "r1,Acme, Inc,CN": screening "Acme" with country " Inc" would be a silent miss.
            message = (
                f"line {first}: row has {len(cells)} fields but the header {len(header)} "
                "(put a name that holds a comma in double quotes)"
            )
        yield row, message, first, text.consumed


def _check_swallowed(
    header: list[str], cells: list[str], first: int, last: int, origin: str
) -> None:
    """Stop the file when a quoted field spanning lines holds what look like the next rows.

    A cell may legally hold line breaks (Excel's Alt+Enter), but a stray quote makes the
    reader take every following line into one field. Lines inside a field that hold as many
    commas as a row are such rows: one is enough in the id, name or country column (none of
    which holds a line break honestly), two elsewhere (a note may have one line with commas).
    """
    need = max(1, len(header) - 1)
    for col, cell in zip(header, cells, strict=False):
        inner = cell.replace("\r\n", "\n").split("\n")[1:]
        rowlike = sum(line.count(",") >= need for line in inner)
        if rowlike >= (1 if col in _KEY_COLUMNS else 2):
            span = f"line {last}" if last == first + 1 else f"lines {first + 1}-{last}"
            raise BatchFileError(
                f"{origin}, line {first}: unclosed quote in field '{col}': it takes in {span} "
                f"({rowlike} looking like rows); close or remove the stray '\"'"
            )
