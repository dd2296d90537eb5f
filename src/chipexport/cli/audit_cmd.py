"""``chipexport audit verify|show``: check the hash chain, read records.

``verify`` exits 0 and prints the record count and head hash when every link holds, and exits 1
naming the first record that does not (altered, inserted or deleted rows). Keep the printed head
hash somewhere else: it is what reveals records cut from the end of the chain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
        metavar="SEQ:HASH",
        help="A head printed by an earlier verify (SEQ:HASH, or HASH alone): fail unless "
        "that record is still in the chain with that hash (detects records cut from the "
        "end and a chain rewritten and re-hashed).",
    ),
    signed: Path | None = typer.Option(  # noqa: B008
        None, "--signed-head", metavar="FILE",
        help="A head saved from 'audit head' (JSON): check its signature, then the same.",
    ),
) -> None:
    """Recompute the hash chain; exit 1 naming the first broken record."""
    from chipexport.store import Store
    from chipexport.store import audit as audit_store
    from chipexport.store.chain_head import HeadError, check_known_head, check_signed_head

    with Store() as store:
        result = audit_store.verify(store.engine)
        try:
            kept = check_known_head(store.engine, known_head) if known_head else None
            if signed is not None:
                kept = check_signed_head(store.engine, _read_head(signed))
        except HeadError as exc:
            raise UserError(str(exc)) from None
    if result.ok and kept is not None and kept.problem:
        typer.echo(
            f"chipexport: known head not found: {kept.problem} ({result.count} records verify "
            "as a chain)",
            err=True,
        )
        raise typer.Exit(1)
    if result.ok:
        typer.echo(f"audit chain intact: {result.count} records, head {result.count}:"
                   f"{result.head}")
        return
    typer.echo(
        f"chipexport: audit chain broken at record {result.broken_seq}: {result.problem} "
        f"({result.count} records before it verify)",
        err=True,
    )
    raise typer.Exit(1)


def _read_head(path: Path) -> dict[str, Any]:
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: cannot read a signed head ({exc})") from None
    if not isinstance(head, dict):
        raise UserError(f"{path}: a signed head is a JSON object")
    return head


@audit_app.command("head")
def head() -> None:
    """Print the chain's head, signed (JSON): keep it elsewhere for 'verify --signed-head'."""
    from chipexport.store import Store
    from chipexport.store.chain_head import signed_head

    with Store() as store:
        typer.echo(json.dumps(signed_head(store.engine), indent=2))


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
