"""``chipexport lists load|status|update``: get restricted-party lists into the store.

Reading a file is the job of :mod:`chipexport.lists`, keeping versions that of
:mod:`chipexport.store`; this module parses options, downloads, shows progress and prints.
Every failure is a :class:`UserError` (or a ``ListFormatError``): one line, exit code 2, and the
lists already loaded stay active because the store only swaps after a complete, valid load.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from chipexport.cli.app import app
from chipexport.cli.cases_cmd import finish_interrupted, load_lists_audited
from chipexport.cli.errors import UserError
from chipexport.lists import FORMATS, bundled_snapshots, parse_bytes, read_path
from chipexport.model import ListSnapshot

if TYPE_CHECKING:
    from chipexport.store import ListVersion, Store

DEFAULT_UPDATE_URL = (
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
)
UPDATE_FORMAT = "csl-csv"  # the raw trade.gov CSV layout

lists_app = typer.Typer(help="Load, inspect and update restricted-party lists.")
app.add_typer(lists_app, name="lists")


def _stdout() -> Console:
    # Piped output gets a wide fixed width so long list titles are not wrapped mid-word.
    probe = Console()
    return probe if probe.is_terminal else Console(width=160)


def _stderr() -> Console:
    return Console(stderr=True)


@contextmanager
def _progress(*columns: ProgressColumn) -> Iterator[Progress]:
    """A progress bar on stderr when it is a terminal, a silent stand-in otherwise."""
    console = _stderr()
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        yield progress


@contextmanager
def _opened_store(finish: bool = True) -> Iterator[Store]:
    """The configured store; refusals and database failures become one-line user errors.

    A re-screen a killed process left owed is finished first (``finish``), so no command works
    on lists whose change has not reached every party yet.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from chipexport.store import Store, StoreError

    try:
        with Store() as store:
            if finish:
                finish_interrupted(store)
            yield store
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        raise UserError(f"database error: {detail[0] if detail else type(exc).__name__}") from None


def _store_lists(store: Store, snapshots: Sequence[ListSnapshot]) -> list[ListVersion]:
    """Load with a progress bar: swap, audit record and re-screen (see load_lists_audited)."""
    with _progress(
        TextColumn("storing lists"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()
    ) as progress:
        task = progress.add_task("store", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return load_lists_audited(store, snapshots, advance)


def _warn(snapshots: Sequence[ListSnapshot]) -> None:
    """Show what lenient readers tolerated, once per distinct message."""
    console = _stderr()
    for message in dict.fromkeys(w for s in snapshots for w in s.warnings):
        console.print(f"warning: {message}", highlight=False, markup=False)


def _read_sources(specs: Sequence[str]) -> list[ListSnapshot]:
    snapshots: list[ListSnapshot] = []
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise UserError(f"--source {spec!r}: expected NAME=PATH (NAME: auto or a format)")
        if name != "auto" and name not in FORMATS:
            choices = ", ".join(["auto", *FORMATS])
            raise UserError(f"--source {spec!r}: unknown format {name!r} (choose from {choices})")
        if not Path(path).is_file():
            raise UserError(f"{path}: no such file")
        snapshots.extend(read_path(Path(path), None if name == "auto" else name))
    return snapshots


def _shrinking(active: Sequence[ListVersion], snapshots: Sequence[ListSnapshot]) -> list[str]:
    """The plausibility test of ``lists update`` for chosen files: a source that would lose
    more than half its entries, named with the file it would come from. (A partial SDN file,
    19,181 entries cut to 1,918, used to replace the list without a word.)"""
    from chipexport.store.plausibility import implausible_changes

    problems: list[str] = []
    for origin in dict.fromkeys(s.origin for s in snapshots):
        from_file = [s for s in snapshots if s.origin == origin]
        found = implausible_changes(active, from_file, expected_sources=frozenset(), min_total=0)
        problems += [f"{origin}: {p}" for p in found]
    return problems


@lists_app.command("load")
def load(
    source: list[str] = typer.Option(  # noqa: B008  (Typer declares options this way)
        [],
        "--source",
        metavar="NAME=PATH",
        help="A list file to load; NAME is a format (csl-json, csl-csv, ofac, dpl, un-xml, "
        "cn-sanctions, jp-meti) or 'auto'. Repeatable. Default: the bundled snapshot.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Load even if a list would shrink by more than half."
    ),
) -> None:
    """Load restricted-party lists into the store (the bundled snapshot by default)."""
    snapshots = _read_sources(source) if source else bundled_snapshots()
    _warn(snapshots)
    with _opened_store() as store:
        before = store.list_status()
        problems = _shrinking(before, snapshots)
        if problems and not force:
            raise UserError(
                f"refusing to load: {'; '.join(problems)} (use --force to load anyway)"
            )
        results = _store_lists(store, snapshots)
    table = Table("Source", "Version", "Entries", "Result")
    for version in results:
        table.add_row(
            version.source,
            version.version,
            str(version.entry_count),
            "unchanged" if version.unchanged else "loaded",
        )
    _stdout().print(table)


@lists_app.command("status")
def status(json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show each active list: source, title, version/date, entry count and when it was loaded;
    warn when a list is older than CHIPEXPORT_STALE_LIST_DAYS (30 by default)."""
    from chipexport.store.evidence import list_date, stale_days, stale_warnings
    from chipexport.store.rescreen import pending

    with _opened_store(finish=False) as store:
        active = store.list_status()
        for item in pending(store.engine):
            _stderr().print(
                f"pending: the re-screen after list change #{item['list_change_seq']} was "
                f"interrupted ({item['parties_done']} parties done); finishing it now",
                markup=False, highlight=False)
        finish_interrupted(store)
    today = datetime.now(UTC).date()
    limit = stale_days()
    if json_out:
        rows = [{**v.as_json(), "age_days": (today - list_date(v)).days,
                 "stale": (today - list_date(v)).days > limit} for v in active]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not active:
        _stderr().print("no lists loaded; run `chipexport lists load`", markup=False)
        return
    table = Table("Source", "Title", "Version", "Entries", "Loaded at (UTC)")
    for v in active:
        loaded = v.loaded_at.strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(v.source, v.title or "", v.version, str(v.entry_count), loaded)
    _stdout().print(table)
    for warning in stale_warnings(active, today=today, max_days=limit):
        _stderr().print(f"warning: {warning}", markup=False)


def _download(url: str, target: Path, timeout: float) -> None:
    """Stream ``url`` to ``target``; any HTTP failure or short body is a UserError."""
    import httpx

    expected: int | None = None
    received = 0
    try:
        with (
            httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response,
            _progress(TextColumn("downloading"), BarColumn(), DownloadColumn()) as progress,
        ):
            response.raise_for_status()
            expected = int(response.headers.get("content-length", 0)) or None
            task = progress.add_task("download", total=expected)
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
                    received += len(chunk)
                    progress.update(task, completed=received)
    except httpx.HTTPStatusError as exc:
        status_line = f"{exc.response.status_code} {exc.response.reason_phrase}"
        raise UserError(f"{url}: HTTP {status_line}") from None
    except httpx.TimeoutException:
        raise UserError(f"{url}: no answer within {timeout:g} s (see --timeout)") from None
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        # InvalidURL ("http://[::1") and StreamError are not HTTPErrors in httpx's hierarchy.
        raise UserError(f"{url}: download failed: {exc}") from None
    if expected is not None and received != expected:
        raise UserError(f"{url}: download cut short ({received} of {expected} bytes)")
    if received == 0:
        raise UserError(f"{url}: empty download")


@lists_app.command("update")
def update(
    url: str = typer.Option(DEFAULT_UPDATE_URL, "--url", help="Where to fetch the CSL CSV."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds to wait on the network."),
    force: bool = typer.Option(
        False, "--force", help="Load even if sources shrink by more than half or go missing."
    ),
) -> None:
    """Fetch the Consolidated Screening List, validate it, and swap it in atomically."""
    if not timeout > 0:
        raise UserError(f"--timeout: {timeout:g} is not a positive number of seconds")
    from chipexport.store.plausibility import implausible_changes

    with tempfile.TemporaryDirectory(prefix="chipexport-update-") as tmp:
        target = Path(tmp) / "consolidated.csv"
        _download(url, target, timeout)
        snapshots = parse_bytes(target.read_bytes(), url, UPDATE_FORMAT)
    _warn(snapshots)
    with _opened_store() as store:
        before = {v.source: v.entry_count for v in store.list_status()}
        problems = implausible_changes(store.list_status(), snapshots)
        if problems and not force:
            raise UserError(
                f"{url}: refusing to update: {'; '.join(problems)} (use --force to load anyway)"
            )
        results = _store_lists(store, snapshots)
    table = Table("Source", "Version", "Before", "After", "Result")
    for version in results:
        previous = before.get(version.source)
        table.add_row(
            version.source,
            version.version,
            "-" if previous is None else str(previous),
            str(version.entry_count),
            "unchanged" if version.unchanged else "updated",
        )
    _stdout().print(table)
