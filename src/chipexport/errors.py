"""The root of every *expected* failure: bad input, bad usage, an unreachable database.

Its ``str()`` is one line meant for the user (naming file, row and field where there are any).
Adapters catch this one class to print the message and exit 2 (CLI) or answer 4xx (API),
instead of each adapter knowing every module's error types.
"""

from __future__ import annotations


class ChipexportError(Exception):
    """An expected failure with a one-line, user-facing message."""
