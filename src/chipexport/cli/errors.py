"""One place that maps user-facing errors to a one-line message and exit code 2."""

from __future__ import annotations

import sys

import click
import typer

from chipexport.lists.errors import ListFormatError


class UserError(Exception):
    """Bad usage or bad input: shown as one line on stderr, exit code 2, no traceback."""


def run_guarded(app: typer.Typer) -> int:
    """Run the app and translate expected failures into exit codes (0 ok, 2 bad input)."""
    try:
        rv = app(standalone_mode=False)
    except (UserError, ListFormatError) as exc:
        print(f"chipexport: error: {exc}", file=sys.stderr)
        return 2
    except click.exceptions.Abort:
        print("chipexport: aborted", file=sys.stderr)
        return 130
    except click.exceptions.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    return rv if isinstance(rv, int) else 0
