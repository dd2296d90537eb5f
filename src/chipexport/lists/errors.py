"""Errors for bad list input, phrased so a user can find and fix the offending cell."""

from __future__ import annotations

from chipexport.errors import ChipexportError


class ListFormatError(ChipexportError, ValueError):
    """A list file that cannot be read. ``str()`` is the one-line message shown to users."""

    def __init__(self, path: str, message: str, line: int | None = None, field: str | None = None):
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        where = path
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")
