"""``chipexport screen``: one name, or a CSV batch streamed to JSON Lines (docs/interfaces.md).

Start-up matters (a single name must answer in well under a second), so heavy modules are
imported inside the command, and the built screening index is cached under
``chipexport.config.home()/cache`` keyed by the store's active-list fingerprint and the engine
version: building it takes seconds, loading it a tenth of one. A batch is read in chunks and
screened by forked worker processes that share the loaded index copy-on-write; results are
written in input order with a bounded number of chunks in flight, so memory does not grow with
the number of rows. A row that cannot be screened does not stop the batch: it gets an ``error``
in the output and a line on stderr naming file, line and field (exit code 2 only when no row
could be screened at all).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from chipexport.cli.app import app, quick_exit_after_command
from chipexport.cli.errors import UserError

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from chipexport.screening import ScreeningIndex

CHUNK_ROWS = 200


def _default_threshold() -> str:
    """The calibrated default threshold for --help, read from the screening data file itself
    (importing the screening package here would slow every command's start by ~0.3 s)."""
    path = Path(__file__).resolve().parent.parent / "screening" / "data" / "calibration.json"
    try:
        return f"{json.loads(path.read_text(encoding='utf-8'))['default_threshold']:.2f}"
    except (OSError, ValueError, KeyError):
        return "the calibrated threshold"


# The output format comes from the file name: CSV (best match per row) for FILE.csv, JSON Lines
# otherwise; a spreadsheet extension it cannot write is refused rather than filled with JSON.
CANNOT_WRITE = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")
# Row errors echoed on stderr before the rest are only counted (every one is in the output).
SHOWN_ERRORS = 10
_INDEX: ScreeningIndex | None = None  # set before forking; workers inherit it
_OPTS: tuple[float | None, frozenset[str] | None] = (None, None)


def load_index() -> ScreeningIndex:
    """The screening index of the active lists (see :mod:`chipexport.store.index_cache`)."""
    from chipexport.store.index_cache import load_screening_index

    return load_screening_index()


def _sources(lists: str | None, index: ScreeningIndex) -> frozenset[str] | None:
    if not lists:
        return None
    wanted = frozenset(c.strip().upper() for c in lists.split(",") if c.strip())
    known = index.sources()
    unknown = sorted(wanted - known)
    if unknown:
        raise UserError(
            f"--lists: unknown list code(s) {', '.join(unknown)}; "
            f"loaded: {', '.join(sorted(known))}"
        )
    return wanted


@app.command("screen")
def screen(
    name: str | None = typer.Argument(None, help="A party name to screen."),
    country: str | None = typer.Option(None, "--country", help="ISO-2 country of the party."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    input_file: Path | None = typer.Option(None, "--input", help="CSV with id,name[,country]."),  # noqa: B008
    output: Path | None = typer.Option(  # noqa: B008
        None, "--output", help="Output file: JSON Lines, or CSV (best match per row) if FILE.csv."),
    threshold: float | None = typer.Option(
        None, "--threshold", show_default=_default_threshold(),
        help="Report scores >= this (0-1)."),
    lists: str | None = typer.Option(None, "--lists", help="Only these lists, e.g. EL,SDN."),
    summary: bool = typer.Option(False, "--summary", help="Print batch counts when done."),
    workers: int = typer.Option(0, "--workers", help="Processes for a batch (0: one per CPU)."),
) -> None:
    """Screen a party name, or a CSV file of them, against the loaded restricted-party lists."""
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise UserError(f"--threshold: {threshold} is not between 0 and 1")
    if (name is None) == (input_file is None):
        raise UserError("give either a NAME or --input FILE.csv (with --output FILE.jsonl)")
    if output is not None and output.suffix.lower() in CANNOT_WRITE:
        raise UserError(f"--output {output}: cannot write {output.suffix} files; name it "
                        "FILE.csv (opens in spreadsheets) or FILE.jsonl")
    if input_file is not None:
        if output is None:
            raise UserError("--input needs --output FILE.jsonl")
        _batch(input_file, output, threshold, lists, summary, workers)
        return
    assert name is not None
    _single(name, country, threshold, lists, as_json)


def _single(
    name: str, country: str | None, threshold: float | None, lists: str | None, as_json: bool
) -> None:
    from datetime import date

    from chipexport.determine.ownership import owners_screened
    from chipexport.screening.batch import screen_row
    from chipexport.store import Store
    from chipexport.store.ownership import ownership_links

    index = load_index()
    with Store() as store:
        links = ownership_links(store.engine)
    wanted = _sources(lists, index)
    row = screen_row(index, {"id": "1", "name": name, "country": country}, threshold, wanted)
    if row.get("error"):
        raise UserError(row["error"].replace("field 'name'", "NAME"))
    row.pop("id")
    from chipexport.screening import DEFAULT_THRESHOLD
    from chipexport.store.evidence import current_evidence

    row["screening_evidence"] = current_evidence(
        DEFAULT_THRESHOLD if threshold is None else threshold, wanted)
    if links:  # the name's loaded owners, screened too (chipexport ownership load)
        row["owners"] = owners_screened(
            links, name, date.today(),
            lambda n, c: index.screen(n, country=c, threshold=threshold, sources=wanted).matches)
    if as_json:
        print(json.dumps(row, ensure_ascii=False, indent=2))
    else:
        _print_table(row)
    quick_exit_after_command()  # the index is all that is left: do not free it piece by piece


def _print_table(row: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from chipexport.determine.memo import evidence_lines
    from chipexport.model.screening import match_label
    from chipexport.screening import STRONG_THRESHOLD

    console = Console()
    matches = row["matches"]
    evidence = [escape(line) for line in evidence_lines(row["screening_evidence"])]
    for o in row.get("owners", ()):
        share = "?" if o["percent"] is None else f"{o['percent']:g}"
        found = ", ".join(f"{m['source']} '{m['name']}' ({m['score']:.2f})" for m in o["matches"])
        console.print(f"owned {share} % by {escape(o['name'])} (ownership data): "
                      f"{escape(found) if found else 'no list match'}")
    if not matches:
        console.print(f"No list match for [bold]{escape(row['name'])}[/bold].")
        console.print("\n".join(evidence), style="dim")
        return
    # Names and explanations are data, not Rich markup ("[" in a name must print as is).
    table = Table(title=f"Screening: {escape(row['name'])}", show_lines=True)
    for col in ("score", "list", "listed name", "matched on", "countries", "why"):
        table.add_column(col, overflow="fold")
    for m in matches:
        verdict = match_label(m["score"], m["score"] >= STRONG_THRESHOLD)
        table.add_row(
            f"{m['score']:.2f}\n{verdict}",
            m["source"],
            escape(m["name"]),
            escape(m["matched_name"]),
            ",".join(m["countries"]),
            escape("\n".join(m["explanation"])),
        )
    console.print(table)
    for w in row.get("warnings", ()):
        console.print(f"warning: {escape(w)}")
    console.print("\n".join(evidence), style="dim")


Chunk = list[tuple[dict[str, Any], str | None, int]]


def _screen_chunk(rows: Chunk) -> list[str]:
    """Worker side: screen rows and serialise them (JSON work is spread over the workers)."""
    from chipexport.screening.batch import screen_row

    assert _INDEX is not None
    threshold, sources = _OPTS
    return [
        json.dumps(screen_row(_INDEX, row, threshold, sources, problem, line), ensure_ascii=False)
        for row, problem, line in rows
    ]


def _open_lines(path: Path) -> Iterator[bytes]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        yield from fh


def _chunks(path: Path, report: list[Callable[[int], None]]) -> Iterator[Chunk]:
    """Rows of the CSV in chunks of CHUNK_ROWS, each with the reader's problem and line.

    ``report[0]`` is called with the bytes read so far (a list, so the progress bar can be
    attached after the header has been checked).
    """
    from chipexport.screening.batch import BatchFileError, read_rows

    chunk: Chunk = []
    try:
        for row, problem, line, consumed in read_rows(_open_lines(path), str(path)):
            chunk.append((row, problem, line))
            if len(chunk) >= CHUNK_ROWS:
                report[0](consumed)
                yield chunk
                chunk = []
    except BatchFileError as exc:
        raise UserError(str(exc)) from None
    if chunk:
        yield chunk


@contextmanager
def _progress(path: Path) -> Iterator[Callable[[int], None]]:
    """A byte-based progress bar on stderr when it is a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        yield lambda _done: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    total = path.stat().st_size or 1
    with Progress(
        TextColumn("screening"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("screening", total=total)
        yield lambda done: bar.update(task, completed=done)


def _batch(
    path: Path,
    output: Path,
    threshold: float | None,
    lists: str | None,
    summary: bool,
    workers: int,
) -> None:
    global _INDEX, _OPTS
    started = time.perf_counter()
    report: list[Callable[[int], None]] = [lambda _done: None]
    chunks = _chunks(path, report)
    first = next(chunks, [])  # reads the header first: a bad file fails before any work
    _INDEX = load_index()
    _OPTS = (threshold, _sources(lists, _INDEX))
    n_workers = workers or os.cpu_count() or 1
    counts = {"rows": 0, "with_matches": 0, "errors": 0}
    try:
        out = output.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UserError(f"{output}: cannot write ({exc.strerror})") from None
    emit = _emitter(out, output)
    with out, _progress(path) as progress:
        report[0] = progress
        for lines in _run(_prepend(first, chunks), n_workers):
            for line in lines:
                counts["rows"] += 1
                if line.endswith('"matches": []}'):
                    pass
                elif '"error": ' in line and (error := json.loads(line).get("error")):
                    counts["errors"] += 1
                    if counts["errors"] <= SHOWN_ERRORS:
                        print(f"chipexport: error: {path}, {error}", file=sys.stderr)
                else:
                    counts["with_matches"] += 1
                emit(line)
    if counts["errors"] > SHOWN_ERRORS:
        more = counts["errors"] - SHOWN_ERRORS
        print(f"chipexport: error: {path}: {more} more rows with errors (see 'error' in {output})",
              file=sys.stderr)
    if counts["errors"] and counts["errors"] == counts["rows"]:
        raise typer.Exit(2)  # not one row could be screened: the file is unusable
    elapsed = time.perf_counter() - started
    if summary:
        rate = counts["rows"] / elapsed if elapsed else 0.0
        print(
            f"screened {counts['rows']} rows in {elapsed:.1f} s ({rate:.0f} names/s): "
            f"{counts['with_matches']} with list matches, {counts['errors']} rows with errors; "
            f"results in {output}"
        )


def _emitter(out: TextIO, output: Path) -> Callable[[str], None]:
    """Writes one result line: as is (JSON Lines), or flattened into the shared CSV writer."""
    if output.suffix.lower() != ".csv":
        def as_is(line: str) -> None:
            out.write(line + "\n")

        return as_is
    from chipexport.csv_writer import (
        BOM,
        SCREENING_COLUMNS,
        extra_columns,
        row_writer,
        screening_row,
    )

    # The header waits for the first row: it names the input file's own extra columns.
    state: dict[str, Any] = {}

    def as_csv(line: str) -> None:
        result = json.loads(line)
        if not state:
            extras = extra_columns(result)
            out.write(BOM)
            state["extras"] = extras
            state["write"] = row_writer(out, [*SCREENING_COLUMNS[:3], *extras,
                                              *SCREENING_COLUMNS[3:]])
        state["write"](screening_row(result, state["extras"]))

    return as_csv


def _prepend(first: Chunk, rest: Iterator[Chunk]) -> Iterator[Chunk]:
    if first:
        yield first
    yield from rest


def _run(chunks: Iterator[list[Any]], n_workers: int) -> Iterator[list[str]]:
    """Screen chunks in order, in forked workers when there is more than one CPU to use."""
    if n_workers <= 1:
        for chunk in chunks:
            yield _screen_chunk(chunk)
        return
    import gc
    import multiprocessing

    gc.freeze()  # keep the inherited index out of the workers' GC passes (no page copies)
    pool = multiprocessing.get_context("fork").Pool(n_workers)
    try:
        pending: deque[AsyncResult[list[str]]] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_screen_chunk, (chunk,)))
            if len(pending) >= 2 * n_workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.terminate()


__all__ = ["load_index", "screen"]
