"""Screening as the list grows: recall of real entries, build cost, memory and names/s per size.

``python -m bench.scale_bench [SIZE ...]`` (default 26924 100000 400000; reads ../shared for the
held-out batch). Each size is the bundled entries plus generated ones (bench/synthetic_lists.py).
Per size, one process builds the index and writes its file (build seconds, peak memory of the
build); a fresh process opens the file memory-mapped, as the CLI does, and screens a fixed batch
of held-out names one at a time on one core (open seconds, names/s, resident memory after the
batch). Real entries a name found at the bundled size and no longer finds at the default
threshold are counted as lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

BATCH = 2000
SIZES = [26_924, 100_000, 400_000]

_BUILD = """
import json, resource, sys, time
from bench.synthetic_lists import scaled_entries
from chipexport.screening import build_index
entries = scaled_entries(int(sys.argv[1]))
t = time.perf_counter()
index = build_index(entries)
built = time.perf_counter() - t
open(sys.argv[2], "wb").write(index.dumps())
print(json.dumps({"build_s": built, "build_peak_mb": resource.getrusage(
    resource.RUSAGE_SELF).ru_maxrss / 1024, "names": len(index.name_entry)}))
"""

_SCREEN = """
import json, mmap, resource, sys, time
from bench.screening_cases import heldout_cases
from chipexport.lists import bundled_snapshots
from chipexport.screening import ScreeningIndex
real = [e for s in bundled_snapshots() for e in s.entries]
cases = [c for c in heldout_cases(real) if c.category != "negative"][: int(sys.argv[2])]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
with open(sys.argv[1], "rb") as fh:
    index = ScreeningIndex.loads(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
opened = time.perf_counter() - t
t = time.perf_counter()
found = [sorted(m.entry.entry_id for m in index.screen(c.query, c.country).matches
         if m.entry.source != "SYN") for c in cases]
took = time.perf_counter() - t
rss = int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
print(json.dumps({"open_s": opened, "names_per_s": len(cases) / took, "rss_mb": rss,
                  "rss_before_mb": before / 1024, "found": found}))
"""


def _run(code: str, *args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(sizes: list[int] | None = None) -> str:
    lines = [
        "| entries | names | build s | build peak MiB | index file MiB | open s | names/s "
        "(one core) | resident MiB after batch | bytes/entry | real matches lost |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base: list[list[str]] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes or SIZES:
            path = Path(tmp) / f"index-{size}.idx"
            built = _run(_BUILD, str(size), str(path))
            screened = _run(_SCREEN, str(path), str(BATCH))
            found = screened["found"]
            assert isinstance(found, list)
            if base is None:
                base = found
            lost = sum(len(set(a) - set(b)) for a, b in zip(base, found, strict=True))
            rss = float(screened["rss_mb"])  # type: ignore[arg-type]
            lines.append(
                f"| {size:,} | {built['names']:,} | {built['build_s']:.1f} | "
                f"{built['build_peak_mb']:,.0f} | {path.stat().st_size / 2**20:,.0f} | "
                f"{screened['open_s']:.2f} | {screened['names_per_s']:,.0f} | {rss:,.0f} | "
                f"{rss * 2**20 / size:,.0f} | {lost} |"
            )
            path.unlink()
    head = (
        "## Screening at list scale\n\n"
        "Command: `.venv/bin/python -m bench scale_bench` (sizes: "
        "`python -m bench.scale_bench 26924 400000 1500000`). Each size is the bundled entries "
        "plus generated ones (`bench/synthetic_lists.py`, seeded). One process builds the index "
        "and writes its file; a fresh process opens it memory-mapped, as the CLI does, and "
        f"screens {BATCH:,} held-out names one at a time on one core. *lost*: real entries a "
        "name found at the bundled size and no longer reports at the default threshold.\n\n"
    )
    return head + "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run([int(a) for a in sys.argv[1:]] or None))
