"""The repository stands on its own: nothing in it points at documents or data outside it.

The suite runs from a clone with nothing beside it (tests/fixtures holds what the tests read);
the outside data set the benchmarks read is named only under bench/, which says so
(bench/README.md). The project's own documents replace the outside ones: docs/interfaces.md
(the interfaces users rely on), docs/regulations.md (the rules' sources), docs/architecture.md
and CONTRIBUTING.md.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Built from parts so that this file does not name them itself.
OUTSIDE = ("../" + "shared", "rules-" + "reference", "CONTRACTS" + ".md", "PROVENANCE" + ".md")
FIXTURES_MAX_BYTES = 400_000
NOT_SHIPPABLE = ("opensanctions_", "kaixinol", "zala")  # CC BY-NC and AGPL data


def tracked_files() -> list[Path]:
    """The files git tracks (a copy without .git: every file but caches and the venv)."""
    try:
        out = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True,
                             check=True).stdout.decode()
        return [REPO / name for name in out.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
        return [p for p in REPO.rglob("*") if p.is_file() and not skip & set(p.parts)]


def test_no_file_outside_bench_points_outside_the_repository() -> None:
    found = []
    for path in tracked_files():
        rel = path.relative_to(REPO)
        if rel.parts[0] == "bench" or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", "ignore")
        found += [f"{rel}: {needle}" for needle in OUTSIDE if needle in text]
    assert found == []


def test_bench_says_where_its_outside_data_set_comes_from() -> None:
    readme = (REPO / "bench" / "README.md").read_text(encoding="utf-8")
    assert OUTSIDE[0] in readme and "CHIPEXPORT_SHARED" in readme and "Licence" in readme


def test_fixtures_are_small_and_shippable() -> None:
    files = [p for p in (REPO / "tests" / "fixtures").rglob("*") if p.is_file()]
    assert files
    assert sum(p.stat().st_size for p in files) < FIXTURES_MAX_BYTES
    assert [p.name for p in files if any(bad in p.name for bad in NOT_SHIPPABLE)] == []
    readme = (REPO / "tests" / "fixtures" / "README.md").read_text(encoding="utf-8")
    for path in files:
        if path.parent.name != "fixtures":
            assert path.name in readme or path.name.split("_")[0] in readme, path
