"""``chipexport schema``: the published JSON schema of the transaction input (or the answer).

Order systems validate what they send before sending it, and generate their types from it;
the schema is written from the same models that check every input, so it cannot disagree with
what ``check`` and ``POST /v1/check`` accept.
"""

from __future__ import annotations

import json

import typer

from chipexport.cli.app import app


@app.command("schema")
def schema(
    output: bool = typer.Option(
        False, "--output", help="The schema of the determination (the answer) instead."),
) -> None:
    """Print the JSON schema of a transaction (as `check` reads it), or of its determination."""
    from chipexport.model.answers import Determination
    from chipexport.model.contracts_doc import json_schema
    from chipexport.model.transaction import TransactionIn

    print(json.dumps(json_schema(Determination if output else TransactionIn),
                     ensure_ascii=False, indent=2))
