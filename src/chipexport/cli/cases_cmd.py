"""``chipexport cases list|show|dispose``: the review inbox from the command line.

The same store functions as the API; a decision made here is audited with the actor
``cli:<user>``.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import typer

from chipexport.cli.app import app
from chipexport.cli.errors import UserError
from chipexport.store.vocabulary import DECISIONS, MAX_REASON_CHARS, MIN_REASON_CHARS, STATUSES

if TYPE_CHECKING:
    from chipexport.model import ListSnapshot
    from chipexport.store import ListVersion, Store
    from chipexport.store.screened import ScreenContext
    from chipexport.store.store import Progress

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
        finish_interrupted(store)
        for case in list_cases(store.engine, status, 0, limit):
            typer.echo(json.dumps(case, ensure_ascii=False))


@cases_app.command("show")
def show(case_id: int = typer.Argument(..., help="Case number.")) -> None:
    """Print one case and its audited events as JSON."""
    from chipexport.store import Store
    from chipexport.store import audit as audit_store
    from chipexport.store.cases import get_case

    with Store() as store:
        finish_interrupted(store)
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
        finish_interrupted(store)
        case = dispose(
            store.engine, case_id, decision, reason, evidence, expires, f"cli:{getpass.getuser()}"
        )
    typer.echo(json.dumps(case, indent=2))


def _context(store: Store) -> Callable[[], ScreenContext]:
    """Builds the screening index of the active lists, when a re-screen needs it."""
    from chipexport.store.index_cache import load_screening_index
    from chipexport.store.screened import ScreenContext

    def context() -> ScreenContext:
        return ScreenContext(
            load_screening_index(store), tuple(store.list_status()), store.active_fingerprint()
        )

    return context


def load_lists_audited(
    store: Store, snapshots: Sequence[ListSnapshot], progress: Progress | None = None
) -> list[ListVersion]:
    """The ``lists load|update`` path: swap, ``list_change`` record and owed re-screen in one
    transaction, then the re-screen; prints what changed.

    Prints nothing when nothing changed or when it is a first load (every entry is new and
    nobody was screened before), so those commands read as they always did.
    """
    from chipexport.store.index_cache import warm
    from chipexport.store.rescreen import load_and_rescreen

    results, report = load_and_rescreen(store, snapshots, f"cli:{getpass.getuser()}",
                                        _context(store), progress)
    updates = [c for c in report["lists"] if c["from_version"] is not None]
    if updates:
        typer.echo("Changes (entries):")
        for c in updates:
            typer.echo(
                f"  {c['source']}: {c['added']} added, {c['removed']} removed, "
                f"{c['modified']} modified ({c['from_version']} -> {c['to_version']})"
            )
    for done in [report, *report.get("resumed", [])]:
        _print_rescreen(done)
    warm(store)  # build the screening index for the new lists now, not on the next screen
    return results


def _print_rescreen(report: dict[str, Any]) -> None:
    if report["parties_rescreened"]:
        which = (f" (list change #{report['list_change_seq']}, interrupted before)"
                 if "list_change_seq" in report else "")
        typer.echo(
            f"Re-screened {report['parties_rescreened']} parties against the changed entries"
            f"{which}: {report['parties_with_new_matches']} hit one; cases opened "
            f"{report['cases_opened'] or 'none'}, re-opened {report['cases_reopened'] or 'none'}"
        )


def finish_interrupted(store: Store) -> None:
    """Finish re-screens a killed process left owed (any command that opens the store)."""
    from chipexport.store.rescreen import finish_pending, pending

    owed = pending(store.engine)
    if not owed:
        return
    for item in owed:
        print(f"chipexport: finishing the re-screen after list change #{item['list_change_seq']}"
              f" (interrupted after {item['parties_done']} parties)", file=sys.stderr)
    for done in finish_pending(store.engine, _context(store)):
        _print_rescreen(done)
