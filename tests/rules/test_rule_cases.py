"""Table-driven rule cases: ``cases/*.yaml``, each citing the provision it tests.

Every change date is tested on both sides. The file format and what each ``expect`` key checks
are in :mod:`chipexport.determine.rule_cases`, the runner ``chipexport rules test`` uses too:
keys are read strictly, so a misspelt one fails collection instead of being skipped.
A file whose header says ``screener: real`` runs against the real screening index over the
bundled lists (plus the fixtures' CN and JP lists); the others use their declared parties.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chipexport.determine.rule_cases import CaseFile, ListedScreener, load_case_file, run_case

CASES = Path(__file__).parent / "cases"
FILES = [load_case_file(path) for path in sorted(CASES.glob("*.yaml"))]
ALL = [(f"{f.path.stem}:{case['id']}", case, f) for f in FILES for case in f.cases]


def test_enough_cases_each_citing_a_provision() -> None:
    assert len(ALL) >= 60
    for name, case, _ in ALL:
        assert case.get("provision"), f"{name} cites no provision"


@pytest.mark.parametrize(("name", "case", "file"), ALL, ids=[a[0] for a in ALL])
def test_rule_case(name: str, case: dict[str, Any], file: CaseFile,
                   request: pytest.FixtureRequest) -> None:
    screener = request.getfixturevalue("real_index") if file.real else ListedScreener(file.listed)
    assert run_case(case, screener) == [], name
