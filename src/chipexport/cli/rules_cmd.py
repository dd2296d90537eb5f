"""``chipexport rules check|test|show``: the analyst's tools for the rules data.

``check [DIR]`` checks the bundled rules with an overlay folder (``DIR``, else
``CHIPEXPORT_RULES_DIR``); ``test FILE.yaml`` runs table-driven cases; ``show KEY`` prints a
provision's versions. Exit codes: 0 sound / every case passed, 1 problems found or a case
failed (one line each), 2 bad usage or an unreadable file. docs/rules.md shows them in use.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from chipexport.cli.app import app
from chipexport.cli.errors import UserError

rules_app = typer.Typer(help="Check, test and show the rules data (and a rules overlay folder).",
                        no_args_is_help=True)
app.add_typer(rules_app, name="rules")

RULES_DIR_HELP = ("A rules overlay folder: provisions and criteria that add to or replace the "
                  "bundled ones (default: $CHIPEXPORT_RULES_DIR).")


def use_rules_dir(folder: Path | None) -> None:
    """Make ``folder`` the rules overlay of this process, before any rule is read."""
    from chipexport.rules.overlay import ENV

    if folder is None:
        return
    if not folder.is_dir():
        raise UserError(f"--rules-dir {folder}: no such folder")
    os.environ[ENV] = str(folder.resolve())


@rules_app.command("check")
def check(
    folder: Path | None = typer.Argument(None, help=RULES_DIR_HELP),  # noqa: B008
) -> None:
    """Check every provision and criterion: fields, parameters, dates, references."""
    from chipexport.determine.rule_check import check_rules
    from chipexport.rules.overlay import overlay_dir

    use_rules_dir(folder)
    problems = check_rules()
    for line in problems:
        print(f"chipexport: error: {line}", file=sys.stderr)
    if problems:
        raise typer.Exit(1)
    overlay = overlay_dir()
    print(f"rules: no problems found{f' with the overlay {overlay}' if overlay else ''}")


@rules_app.command("test")
def test(
    file: Path = typer.Argument(..., help="A YAML file of table-driven cases."),  # noqa: B008
    rules_dir: Path | None = typer.Option(None, "--rules-dir", help=RULES_DIR_HELP),  # noqa: B008
) -> None:
    """Run table-driven rule cases (docs/rules.md); exit 1 when any case fails."""
    from chipexport.determine.context import Screener
    from chipexport.determine.rule_cases import ListedScreener, load_case_file, run_case

    use_rules_dir(rules_dir)
    cases = load_case_file(file)
    screener: Screener
    if cases.real:
        from chipexport.store.index_cache import load_screening_index

        screener = load_screening_index()
    else:
        screener = ListedScreener(cases.listed)
    failed = 0
    for case in cases.cases:
        misses = run_case(case, screener)
        failed += bool(misses)
        for miss in misses:
            print(f"FAIL {file}: {case['id']}: {miss}")
    print(f"{len(cases.cases) - failed} passed, {failed} failed ({file})")
    if failed:
        raise typer.Exit(1)


@rules_app.command("show")
def show(
    key: str = typer.Argument(..., help="A provision key, e.g. us.ac.scope."),
    rules_dir: Path | None = typer.Option(None, "--rules-dir", help=RULES_DIR_HELP),  # noqa: B008
) -> None:
    """Print a provision's versions: text, citation, dates in force and confidence."""
    from chipexport.errors import did_you_mean
    from chipexport.rules.provisions import all_provisions

    use_rules_dir(rules_dir)
    provisions = all_provisions()
    found = [p for p in provisions if p.key == key]
    if not found:
        raise UserError(f"{key}: no such provision{did_you_mean(key, {p.key for p in provisions})}")
    for p in found:
        windows = ", ".join(f"from {w.start}" + (f" until {w.end} (not included)" if w.end else "")
                            for w in p.windows)
        lines = [f"{p.key}" + (f" (version {p.version})" if p.version else ""),
                 f"  rule:       {p.citation.rule}"]
        if p.citation.notice:
            lines.append(f"  notice:     {p.citation.notice}")
        if p.citation.url:
            lines.append(f"  url:        {p.citation.url}")
        lines += [f"  in force:   {windows}", f"  confidence: {p.confidence.value}",
                  f"  summary:    {p.summary}"]
        lines += [f"  {e.status}: from {e.window.start}"
                  + (f" until {e.window.end}" if e.window.end else "") + f" ({e.note})"
                  for e in p.enforcement]
        print("\n".join(lines))
