"""One place that maps expected failures to a one-line message and exit code 2.

Typer runs in standalone mode, so usage errors (unknown option, missing argument) are reported
by Typer itself with exit code 2. Everything the core or an adapter raises as a
:class:`~chipexport.errors.ChipexportError` (bad list file, bad item, unreachable database,
:class:`UserError`) is printed here as ``chipexport: error: ...`` with exit code 2, never as a
traceback.
"""

from __future__ import annotations

import sys

import typer

from chipexport.errors import ChipexportError


class UserError(ChipexportError):
    """Bad usage or bad input found by a command: one line on stderr, exit code 2."""


def run_guarded(app: typer.Typer) -> int:
    """Run the app and translate expected failures into exit codes (0 ok, 2 bad input)."""
    try:
        app()
    except ChipexportError as exc:
        print(f"chipexport: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0
