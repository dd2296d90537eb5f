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
