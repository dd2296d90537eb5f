"""The ``chipexport`` command line (Typer + Rich): parses, calls the core, prints.

Each command group lives in its own module and registers itself on :data:`app`. Bad input never
shows a traceback: :func:`main` turns :class:`chipexport.cli.errors.UserError` (and list format
errors) into a one-line message and exit code 2, as docs/interfaces.md requires.
"""

from __future__ import annotations

import os
import sys

from chipexport.cli.app import _Exit, app
from chipexport.cli.errors import run_guarded

# Command modules register themselves on import.
from chipexport.cli import (  # noqa: F401  isort: skip
    audit_cmd,
    cases_cmd,
    check_cmd,
    keys_cmd,
    lists_cmd,
    ownership_cmd,
    rules_cmd,
    schema_cmd,
    screen_cmd,
    serve_cmd,
)


def main() -> None:
    """Console-script entry point."""
    code = run_guarded(app)
    if _Exit.quick:  # see chipexport.cli.app.quick_exit_after_command
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
