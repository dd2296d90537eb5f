"""``chipexport check``: determine transactions (docs/interfaces.md), one file or a JSONL stream.

The engine is built once per run with the screening index of the loaded lists (cached, see
``store.index_cache``) and any ownership files given with ``--ownership``. A transaction
the engine cannot determine comes back as an output object with ``errors`` (outcome
``ERROR`` overall and under every jurisdiction it names). Exit codes: 0 when every transaction
was determined; :data:`EXIT_SOME_ERRORS` (3) when some were ``ERROR`` (every row is still
written); 2 when none could be (bad input), or the file cannot be read at all.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from chipexport.cli.app import app
from chipexport.cli.errors import UserError
from chipexport.cli.rules_cmd import RULES_DIR_HELP, use_rules_dir
from chipexport.json_input import JsonInputError, parse_json

if TYPE_CHECKING:
    from chipexport.determine import Engine

# Some transactions are ``ERROR`` (the others are determined and written): an order system must
# not read the run as clean. 2 stays "nothing could be determined" (bad input or usage).
EXIT_SOME_ERRORS = 3


def _evidence(engine: Engine) -> dict[str, Any] | None:
    """The lists, versions, threshold and time parties are screened against now (None when
    no lists are loaded: the engine's warning says so)."""
    if engine.screener is None:
        return None
    from chipexport.screening import DEFAULT_THRESHOLD
    from chipexport.store.evidence import current_evidence

    return current_evidence(DEFAULT_THRESHOLD)


def _with(evidence: dict[str, Any] | None, result: dict[str, Any]) -> dict[str, Any]:
    if evidence is None or result.get("screening") is None:
        return result
    return {**result, "screening_evidence": evidence}


def _engine(ownership: list[Path]) -> tuple[Engine, dict[str, list[dict[str, Any]]]]:
    """The engine with the loaded lists, the store's ownership links and ``--ownership``
    files, and the stored red-flag resolutions by transaction id."""
    from chipexport.determine import Engine
    from chipexport.lists.ownership import read_ownership
    from chipexport.store import Store
    from chipexport.store.index_cache import NoListsLoaded, load_screening_index
    from chipexport.store.ownership import all_resolutions, ownership_links

    links = []
    for path in ownership:
        if not path.is_file():
            raise UserError(f"--ownership {path}: no such file")
        links.extend(read_ownership(path))
    with Store() as store:
        links = [*links, *ownership_links(store.engine)]
        resolved = all_resolutions(store.engine)
    try:
        screener = load_screening_index()
    except NoListsLoaded as exc:
        print(f"chipexport: warning: {exc}; parties are not screened", file=sys.stderr)
        screener = None
    return Engine(screener, links), resolved


def _with_stored(resolved: dict[str, list[dict[str, Any]]], obj: Any) -> Any:
    """The transaction with its stored red-flag resolutions (``chipexport flags resolve``)."""
    from chipexport.store.ownership import with_resolutions

    return with_resolutions(resolved, obj)


def _read_json(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    if b"\x00" in data:
        raise UserError(f"{path}: NUL bytes (binary data or UTF-16 text); expected UTF-8 JSON")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise UserError(f"{path}: empty file (expected a JSON transaction or a list of them)")
    try:
        return parse_json(text)
    except JsonInputError as exc:
        raise UserError(f"{path}: {exc.message}") from None


@app.command("check")
def check(
    file: Path | None = typer.Argument(None, help="A JSON file: one transaction or a list."),  # noqa: B008
    as_json: bool = typer.Option(False, "--json", help="Print the determination as JSON."),
    explain: bool = typer.Option(False, "--explain", help="Print a memo with the reasoning."),
    input_file: Path | None = typer.Option(None, "--input", help="JSON Lines of transactions."),  # noqa: B008
    output: Path | None = typer.Option(None, "--output", help="JSON Lines output file."),  # noqa: B008
    ownership: list[Path] = typer.Option(  # noqa: B008
        [], "--ownership", help="Ownership data (FtM JSONL or CSV); repeatable."),
    summary: bool = typer.Option(False, "--summary", help="Print batch counts when done."),
    rules_dir: Path | None = typer.Option(None, "--rules-dir", help=RULES_DIR_HELP),  # noqa: B008
) -> None:
    """Determine licence requirements per jurisdiction for export transactions."""
    use_rules_dir(rules_dir)
    if (file is None) == (input_file is None):
        raise UserError("give either FILE.json or --input FILE.jsonl (with --output FILE.jsonl)")
    if input_file is not None:
        if output is None:
            raise UserError("--input needs --output FILE.jsonl")
        counts = _batch(input_file, output, ownership, summary)
        if summary:
            _print_counts(counts, output)
        return
    assert file is not None
    doc = _read_json(file)
    many = isinstance(doc, list)
    objs = doc if many else [doc]
    if not objs:
        raise UserError(f"{file}: no transactions in the file")
    engine, resolved = _engine(ownership)
    evidence = _evidence(engine)
    results = [_with(evidence, r)
               for r in engine.check_many(_with_stored(resolved, o) for o in objs)]
    if as_json:
        print(json.dumps(results if many else results[0], ensure_ascii=False, indent=2))
    elif explain:
        from chipexport.determine import memo

        print("\n\n".join(memo(r) for r in results))
    else:
        _summary(results)
    failed = [r for r in results if r.get("errors")]
    for r in failed:
        print(f"chipexport: error: {file}: transaction {r['id']}: {r['errors'][0]}",
              file=sys.stderr)
    if failed:
        raise typer.Exit(2 if len(failed) == len(results) else EXIT_SOME_ERRORS)


def _print_counts(counts: Counter[str], output: Path) -> None:
    total = sum(counts.values())
    by_outcome = ", ".join(f"{k} {v}" for k, v in counts.most_common())
    print(f"checked {total} transactions: {by_outcome or 'none'}; results in {output}")


def _summary(results: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="Determination", show_lines=True)
    for col in ("id", "outcome", "jurisdictions", "screening", "duties"):
        table.add_column(col, overflow="fold")
    for r in results:
        jurs = "\n".join(
            f"{k}: {j['outcome']}" + (f" ({j['review_policy']})" if j.get("review_policy") else "")
            + (f" [{', '.join(j['classifications'])}]" if j["classifications"] else "")
            + (f" via {', '.join(j['license_exceptions'])}" if j["license_exceptions"] else "")
            for k, j in r["jurisdictions"].items()) or "-"
        if r.get("errors"):
            jurs = "; ".join(r["errors"])
        hits = "\n".join(f"party {s['party']}: {m['source']} {m['name']} ({m['score']:.2f})"
                         for s in r["screening"] for m in s["matches"]) or "-"
        duties = "\n".join(f"item {d['item']}: {d['rate_percent']} %" for d in r["duties"]) or "-"
        table.add_row(r["id"], r["outcome"], jurs, hits, duties)
    console.print(table)
    for r in results:
        for w in r["warnings"]:
            console.print(f"[yellow]warning[/yellow] {r['id']}: {w}")
    console.print("Run with --explain for the reasons, citations and in-force dates.")


# Per-transaction errors echoed on stderr before the rest are only counted (all are in OUTPUT).
SHOWN_ERRORS = 10
_BOM = b"\xef\xbb\xbf"


def _parse_line(raw: bytes) -> tuple[Any, str | None]:
    """One JSON Lines line: (object, None) or (None, what is wrong with it)."""
    if b"\x00" in raw:
        return None, "NUL bytes (binary data or UTF-16 text; expected UTF-8 JSON Lines)"
    try:
        return parse_json(raw.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except JsonInputError as exc:  # the line is the file's: only the column is the JSON's
        return None, exc.message.replace(" at line 1 column ", " at column ")


def _lines(path: Path) -> Iterator[tuple[int, Any, str | None, int]]:
    """(line number, parsed object or None, problem, bytes consumed) per non-blank line.

    A bad line spoils only its transaction, but a file whose first non-blank line is not a
    JSON object is not JSON Lines of transactions at all (a CSV, a UTF-16 export, binary data,
    a cut-off download): that, or an empty file, is a :class:`UserError` raised before the
    first line is yielded, so the caller can refuse the file before writing any output.
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    consumed = 0
    seen = False
    with fh:
        for n, raw in enumerate(fh, start=1):
            consumed += len(raw)
            if n == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            if not raw.strip():
                continue
            obj, problem = _parse_line(raw)
            if not seen and (problem is not None or not isinstance(obj, dict)):
                why = problem or "not a JSON object"
                raise UserError(
                    f"{path} line {n}: {why}: expected JSON Lines, one transaction object a line"
                )
            seen = True
            yield n, obj, None if problem is None else f"{path} line {n}: {problem}", consumed
    if not seen:
        raise UserError(f"{path}: empty file (expected JSON Lines, one transaction a line)")


def _batch(input_file: Path, output: Path, ownership: list[Path], summary: bool = False
           ) -> Counter[str]:
    """Check every line of ``input_file`` into ``output``; returns the count per outcome.

    Each failed transaction is also named on stderr (the first :data:`SHOWN_ERRORS`, then a
    count). Once every row is written: exit code 2 when not one transaction could be
    determined (the file was unusable), :data:`EXIT_SOME_ERRORS` when some could not.
    """
    from itertools import chain

    from rich.progress import Progress

    from chipexport.determine.engine import error_result

    if not input_file.is_file():
        raise UserError(f"--input {input_file}: no such file")
    lines = _lines(input_file)
    first = next(lines)  # refuses an unusable file before any work or output
    engine, resolved = _engine(ownership)
    evidence = _evidence(engine)
    size = input_file.stat().st_size
    tty = sys.stderr.isatty()
    try:
        out = output.open("w", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"--output {output}: cannot write ({exc.strerror})") from None
    counts: Counter[str] = Counter()
    failed = 0
    with out, Progress(disable=not tty, transient=True) as bar:
        task = bar.add_task("checking", total=size)
        for n, obj, problem, consumed in chain([first], lines):
            if problem is not None:
                result = error_result(f"line {n}", [problem])
            else:
                result = _with(evidence, engine.check(_with_stored(resolved, obj), n))
                if result.get("errors"):
                    result["errors"] = [f"{input_file} line {n}: {e}" for e in result["errors"]]
            if result.get("errors"):
                failed += 1
                if failed <= SHOWN_ERRORS:
                    print(f"chipexport: error: {result['errors'][0]}", file=sys.stderr)
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            counts[str(result.get("outcome"))] += 1
            bar.update(task, completed=consumed)
    if failed > SHOWN_ERRORS:
        print(f"chipexport: error: {input_file}: {failed - SHOWN_ERRORS} more transactions with "
              f"errors (see 'errors' in {output})", file=sys.stderr)
    if failed:
        if summary:
            _print_counts(counts, output)
        raise typer.Exit(2 if failed == sum(counts.values()) else EXIT_SOME_ERRORS)
    return counts
