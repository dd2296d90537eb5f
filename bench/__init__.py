"""Benchmarks (not part of the package). ``make bench`` runs ``python -m bench``.

Benchmarks and the checks in ``bench/data_checks`` read the full public data set (lists,
evaluation sets) that does not ship with the repository: ``../shared`` beside it, or the folder
named by ``$CHIPEXPORT_SHARED``. bench/README.md says what it holds and where each file comes from.
"""

import os
import subprocess
from pathlib import Path


def _data_set() -> Path:
    """``$CHIPEXPORT_SHARED``; else ``../shared`` beside the repository, or beside the repository
    this clone was made from (a clone in a temporary folder keeps its origin's data set)."""
    if os.environ.get("CHIPEXPORT_SHARED"):
        return Path(os.environ["CHIPEXPORT_SHARED"])
    repo = Path(__file__).resolve().parents[1]
    found = [repo.parent / "shared"]
    origin = subprocess.run(["git", "-C", str(repo), "config", "--get", "remote.origin.url"],
                            capture_output=True, text=True, check=False).stdout.strip()
    if origin and Path(origin).is_dir():
        found.append(Path(origin).resolve().parent / "shared")
    return next((path for path in found if path.is_dir()), found[0])


SHARED = _data_set()
