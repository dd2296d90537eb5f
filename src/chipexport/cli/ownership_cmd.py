"""``chipexport ownership load|status`` and ``chipexport flags resolve|list``.

Ownership links (FollowTheMoney ``Ownership`` JSON lines or CSV, read by
``chipexport.lists.ownership``) go into the store, where ``check``, ``screen``, the API and the
web read them. A red-flag resolution (who, why, evidence) goes into the audit trail, and every
later ``check`` of the same transaction id carries it into the determination.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import typer

from chipexport.cli.app import app
from chipexport.cli.errors import UserError

ownership_app = typer.Typer(help="Load ownership data (who owns whom) into the store.")
app.add_typer(ownership_app, name="ownership")
flags_app = typer.Typer(help="Record and list red-flag resolutions (kept in the audit trail).")
app.add_typer(flags_app, name="flags")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@ownership_app.command("load")
def load(
    file: Path = typer.Argument(..., help="FtM JSON lines (Ownership records) or a CSV file."),  # noqa: B008
    dataset: str | None = typer.Option(
        None, "--dataset", help="Name of this data set (default: the file name); loading it "
        "again replaces its links."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Load ownership links into the store (replacing the data set's earlier links)."""
    from chipexport.lists.ownership import read_ownership
    from chipexport.store import Store
    from chipexport.store.ownership import load_ownership

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    links = read_ownership(file)  # ListFormatError: one line naming file, row and field
    if not links:
        raise UserError(f"{file}: no ownership links found (expected FtM Ownership records or "
                        "CSV rows owner,asset,percent,start,end)")
    with Store() as store:
        summary = load_ownership(store.engine, links, dataset or file.name, str(file), _actor())
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    typer.echo(f"loaded {summary['links']} ownership links as '{summary['dataset']}' "
               f"(replacing {summary['replaced']})")
    for w in summary["warnings"]:
        typer.echo(f"chipexport: warning: {file}: {w}", err=True)


@ownership_app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Print each loaded ownership data set with its number of links."""
    from chipexport.store import Store
    from chipexport.store.ownership import ownership_status

    with Store() as store:
        rows = ownership_status(store.engine)
    if as_json:
        typer.echo(json.dumps(rows, default=str))
        return
    if not rows:
        typer.echo("no ownership data loaded (chipexport ownership load FILE)")
    for r in rows:
        typer.echo(f"{r['dataset']}: {r['links']} links, loaded {r['loaded_at']:%Y-%m-%d %H:%M}")


@flags_app.command("resolve")
def resolve(
    transaction: str = typer.Argument(..., help="The transaction id the flag was raised on."),
    code: str = typer.Option(..., "--code", help="The red-flag code (see docs/rules.md)."),
    by: str = typer.Option(..., "--by", help="Who resolved it."),
    reason: str = typer.Option(..., "--reason", help="Why the flag no longer holds."),
    evidence: str | None = typer.Option(None, "--evidence", help="Document or reference."),
    party: str | None = typer.Option(
        None, "--party", help="The party's index (0-based) or name; omitted: every party."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored resolution as JSON."),
) -> None:
    """Record that a person inquired into a red flag and resolved it (audit trail)."""
    from chipexport.determine.red_flags import normalise, vocabulary
    from chipexport.errors import did_you_mean
    from chipexport.store import Store
    from chipexport.store.ownership import record_resolution

    flag = normalise(code)
    if flag not in vocabulary():
        raise UserError(f"--code: unknown red-flag code {code!r}"
                        f"{did_you_mean(flag, vocabulary())}")
    for name, value in (("--by", by), ("--reason", reason)):
        if not value.strip():
            raise UserError(f"{name}: must not be empty")
    body: dict[str, object] = {"code": flag, "by": by.strip(), "reason": reason.strip()}
    if evidence:
        body["evidence"] = evidence.strip()
    if party is not None:
        body["party"] = int(party) if party.strip().isdigit() else party.strip()
    with Store() as store:
        stored = record_resolution(store.engine, transaction, body, _actor())
    if as_json:
        typer.echo(json.dumps(stored, ensure_ascii=False))
        return
    typer.echo(f"red flag '{flag}' of transaction {transaction} resolved by {by} "
               f"(audit record {stored['audit']['seq']})")


@flags_app.command("list")
def list_resolutions(
    transaction: str = typer.Argument(..., help="The transaction id."),
) -> None:
    """Print the stored resolutions of a transaction as JSON lines."""
    from chipexport.store import Store
    from chipexport.store.ownership import resolutions

    with Store() as store:
        for r in resolutions(store.engine, transaction):
            typer.echo(json.dumps(r, ensure_ascii=False))
