"""The checks of ``bench/data_checks`` against the full data set, as a benchmark section.

They keep the assertions the test suite cannot make from a clone alone: list readers on whole
files and on data whose licence keeps it out of the repository, the bundled copies equal to
their originals, and the development evaluation set of determinations (every row must pass).
A failing check fails ``make bench``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


class _Count:
    """A pytest plugin that counts outcomes per test module."""

    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = {}
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" and not (report.when == "setup" and report.failed):
            return
        module = report.nodeid.split("::")[0].rsplit("/", 1)[-1]
        row = self.rows.setdefault(module, [0, 0])
        row[0 if report.passed else 1] += 1
        if report.failed:
            self.failed.append(report.nodeid)


def run() -> str:
    count = _Count()
    code = pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", str(HERE.parent),
                        str(HERE / "data_checks")], plugins=[count])
    lines = [
        "## Checks on the full data set",
        "",
        "`.venv/bin/python -m bench data_checks_bench` (pytest over `bench/data_checks`, reading",
        "the full data set; the test suite reads cuts and stand-ins under `tests/fixtures`).",
        "",
        "| checks | passed | failed |",
        "|---|---:|---:|",
        *(f"| `{m}` | {p} | {f} |" for m, (p, f) in sorted(count.rows.items())),
    ]
    if code != 0:
        print(f"bench: data checks failed: {', '.join(count.failed) or code}", file=sys.stderr)
        raise SystemExit(1)
    return "\n".join(lines) + "\n"
