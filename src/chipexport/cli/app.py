"""The Typer application object every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="chipexport",
    help="Export-control compliance for the semiconductor trade: screen parties, "
    "classify items, determine licence requirements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _Exit:
    """How the process may end once a command is done (read by :func:`chipexport.cli.main`)."""

    quick = False


def quick_exit_after_command() -> None:
    """Let the console script end the process without freeing its memory object by object.

    Python frees every object at exit; for the loaded screening index (millions of small
    objects) that is ~0.15 s of a single-name ``chipexport screen`` that must answer in under a
    second. A command calls this only when it has written all its output and holds nothing
    that needs closing (no open database connection, no worker processes). In-process callers
    (tests, the service) never reach the console script's exit, so it has no effect there.
    """
    _Exit.quick = True
