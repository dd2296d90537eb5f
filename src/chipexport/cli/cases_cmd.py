"""``chipexport cases list|show|dispose``: the review inbox from the command line.

The same store functions as the API; a decision made here is audited with the actor
``cli:<user>``.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import typer

from chipexport.cli.app import app
from chipexport.cli.errors import UserError
from chipexport.store.vocabulary import DECISIONS, MAX_REASON_CHARS, MIN_REASON_CHARS, STATUSES

if TYPE_CHECKING:
    from chipexport.store import ListVersion, Store

cases_app = typer.Typer(help="Review cases opened by possible list matches.")
app.add_typer(cases_app, name="cases")


@cases_app.command("list")
def list_(
    status: str | None = typer.Option(None, "--status", help=f"One of: {', '.join(STATUSES)}."),
    limit: int = typer.Option(100, "--limit"),
) -> None:
    """Print cases as JSON Lines ('--status open' is the inbox)."""
    from chipexport.store import Store
    from chipexport.store.cases import list_cases

    if status is not None and status not in STATUSES:
        raise UserError(f"--status: {status!r} is not one of {', '.join(STATUSES)}")
    with Store() as store:
        for case in list_cases(store.engine, status, 0, limit):
            typer.echo(json.dumps(case, ensure_ascii=False))


@cases_app.command("show")
def show(case_id: int = typer.Argument(..., help="Case number.")) -> None:
    """Print one case and its audited events as JSON."""
    from chipexport.store import Store
    from chipexport.store import audit as audit_store
    from chipexport.store.cases import get_case

    with Store() as store:
        case = get_case(store.engine, case_id)
        if case is None:
            raise UserError(f"no case {case_id}")
        events = audit_store.records(store.engine, subject=f"case:{case_id}", limit=1000)
    typer.echo(json.dumps({**case, "events": [e.to_json() for e in events]}, indent=2))


@cases_app.command("dispose")
def dispose_cmd(
    case_id: int = typer.Argument(..., help="Case number."),
    decision: str = typer.Option(..., "--decision", help=f"One of: {', '.join(DECISIONS)}."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the audit trail)."),
    evidence: list[str] = typer.Option([], "--evidence", help="A reference; repeatable."),  # noqa: B008
    valid_days: int = typer.Option(365, "--valid-days", help="How long a false positive holds."),
) -> None:
    """Record a decision on a case."""
    from chipexport.store import Store
    from chipexport.store.cases import dispose

    if decision not in DECISIONS:
        raise UserError(f"--decision: {decision!r} is not one of {', '.join(DECISIONS)}")
    if len(reason.strip()) < MIN_REASON_CHARS:
        raise UserError(f"--reason: at least {MIN_REASON_CHARS} characters (it is what an "
                        "auditor reads)")
    if len(reason.strip()) > MAX_REASON_CHARS:
        raise UserError(f"--reason: {len(reason.strip())} characters; at most {MAX_REASON_CHARS}")
    if valid_days <= 0:
        raise UserError("--valid-days: must be positive")
    expires = datetime.now(UTC) + timedelta(days=valid_days)
    with Store() as store:
        case = dispose(
            store.engine, case_id, decision, reason, evidence, expires, f"cli:{getpass.getuser()}"
        )
    typer.echo(json.dumps(case, indent=2))


def after_lists_load(store: Store, before: list[ListVersion], results: list[ListVersion]) -> None:
    """The ``lists load|update`` hook: diff, audit, re-screen known parties, print what changed.

    Prints nothing when nothing changed or when it is a first load (every entry is new and
    nobody was screened before), so those commands read as they always did.
    """
    from chipexport.store.index_cache import load_screening_index, warm
    from chipexport.store.rescreen import after_load
    from chipexport.store.screened import ScreenContext

    def context() -> ScreenContext:
        return ScreenContext(
            load_screening_index(store), tuple(store.list_status()), store.active_fingerprint()
        )

    report = after_load(store.engine, before, results, f"cli:{getpass.getuser()}", context)
    updates = [c for c in report["lists"] if c["from_version"] is not None]
    if updates:
        typer.echo("Changes (entries):")
        for c in updates:
            typer.echo(
                f"  {c['source']}: {c['added']} added, {c['removed']} removed, "
                f"{c['modified']} modified ({c['from_version']} -> {c['to_version']})"
            )
    if report["parties_rescreened"]:
        typer.echo(
            f"Re-screened {report['parties_rescreened']} parties against the changed entries: "
            f"{report['parties_with_new_matches']} hit one; cases opened "
            f"{report['cases_opened'] or 'none'}, re-opened {report['cases_reopened'] or 'none'}"
        )
    warm(store)  # build the screening index for the new lists now, not on the next screen
