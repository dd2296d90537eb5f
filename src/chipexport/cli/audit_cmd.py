"""``chipexport audit verify|show``: check the hash chain, read records.

``verify`` exits 0 and prints the record count and head hash when every link holds, and exits 1
naming the first record that does not (altered, inserted or deleted rows). Keep the printed head
hash somewhere else: it is what reveals records cut from the end of the chain.
"""

from __future__ import annotations

import json

import typer

from chipexport.cli.app import app
from chipexport.cli.errors import UserError
from chipexport.store.vocabulary import KINDS

audit_app = typer.Typer(help="Verify and read the audit trail.")
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(
    known_head: str | None = typer.Option(
        None,
        "--known-head",
        metavar="HASH",
        help="A head hash printed by an earlier verify: fail unless that record is still "
        "in the chain (detects records cut from the end).",
    ),
) -> None:
    """Recompute the hash chain; exit 1 naming the first broken record."""
    from chipexport.store import Store
    from chipexport.store import audit as audit_store

    with Store() as store:
        result = audit_store.verify(store.engine)
        kept = known_head is None or audit_store.find_hash(store.engine, known_head) is not None
    if result.ok and not kept:
        typer.echo(
            f"chipexport: known head not found: the chain was cut short or rewritten; no record "
            f"has the hash {known_head} ({result.count} records verify as a chain)",
            err=True,
        )
        raise typer.Exit(1)
    if result.ok:
        typer.echo(f"audit chain intact: {result.count} records, head {result.head}")
        return
    typer.echo(
        f"chipexport: audit chain broken at record {result.broken_seq}: {result.problem} "
        f"({result.count} records before it verify)",
        err=True,
    )
    raise typer.Exit(1)


@audit_app.command("show")
def show(
    after: int = typer.Option(0, "--after", help="Records after this sequence number."),
    limit: int = typer.Option(20, "--limit", help="How many records."),
    kind: list[str] = typer.Option([], "--kind", help="Only records of this kind (repeatable)."),  # noqa: B008
) -> None:
    """Print audit records as JSON Lines, oldest first."""
    from chipexport.store import Store
    from chipexport.store import audit as audit_store

    unknown = [k for k in kind if k not in KINDS]
    if unknown:  # a typo would print nothing, which reads as "no such records"
        raise UserError(f"--kind: {unknown[0]!r} is not one of {', '.join(KINDS)}")
    if limit < 1:
        raise UserError(f"--limit: {limit} is not a positive number of records")
    if after < 0:
        raise UserError(f"--after: {after} is not a sequence number")

    with Store() as store:
        found = audit_store.records(store.engine, kinds=tuple(kind), after=after, limit=limit)
    for rec in found:
        typer.echo(json.dumps(rec.to_json(), ensure_ascii=False))
