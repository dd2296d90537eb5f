"""Run every benchmark and assemble ``docs/benchmarks.md`` from their sections.

Each benchmark module under ``bench/`` exposes ``run() -> str`` returning a Markdown section
(figures and the command that produced them). Sections are written in the order of
:data:`BENCHMARKS`; ``python -m bench NAME ...`` runs only the named ones and keeps the
other sections as they were in the file.
"""

from __future__ import annotations

import importlib
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = [
    "data_checks_bench",
    "screening_bench",
    "script_recall",
    "scale_bench",
    "determination_bench",
    "service_bench",
    "web_bench",
]
DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
_SECTION = re.compile(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench:\1 -->\n", re.S)


def main(argv: list[str]) -> int:
    wanted = argv or BENCHMARKS
    old = dict(_SECTION.findall(DOC.read_text())) if DOC.exists() else {}
    for name in wanted:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{name}":
                print(f"bench: {name} not present, skipped", file=sys.stderr)
                continue
            raise
        print(f"bench: running {name} ...", file=sys.stderr)
        old[name] = module.run().rstrip() + "\n"
    header = (
        "# Benchmarks\n\n"
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()}, Python {platform.python_version()}. "
        "Each section gives the command that produced it.\n\n"
    )
    body = "".join(
        f"<!-- bench:{n} -->\n{old[n]}<!-- /bench:{n} -->\n\n" for n in BENCHMARKS if n in old
    )
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(header + body)
    print(f"bench: wrote {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
