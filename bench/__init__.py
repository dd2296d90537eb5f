"""Benchmarks (not part of the package). ``make bench`` runs ``python -m bench``.

Benchmarks and the checks in ``bench/data_checks`` read the full public data set (lists,
evaluation sets) that does not ship with the repository: ``../shared`` beside it, or the folder
named by ``$CHIPEXPORT_SHARED``. bench/README.md says what it holds and where each file comes from.
"""

import os
from pathlib import Path

SHARED = Path(os.environ.get("CHIPEXPORT_SHARED") or Path(__file__).resolve().parents[2] / "shared")
