"""The analyst's rules tools: ``chipexport rules check|test|show`` and the rules overlay folder.

The overlay test does what docs/rules.md shows an analyst doing, without touching Python: the
folder tests/fixtures/rules_overlay adds a Dutch national control (a criteria record and a
provision) and an Entity List footnote (one record); the cases beside it pass with the overlay
and fail without it, so the determinations really change. Each command runs in its own process,
as an analyst runs it: the rules are read once per process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from chipexport.determine.rule_cases import CaseFileError, load_case_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OVERLAY = FIXTURES / "rules_overlay"
OVERLAY_CASES = FIXTURES / "rules_overlay_cases.yaml"


def chipexport(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "chipexport", *args], capture_output=True,
                          text=True, timeout=300, env=env, check=False)


def test_bundled_rules_check_clean() -> None:
    run = chipexport("rules", "check")
    assert run.returncode == 0, run.stderr
    assert "no problems" in run.stdout and run.stderr == ""


def test_overlay_adds_a_dutch_control_and_a_footnote() -> None:
    check = chipexport("rules", "check", str(OVERLAY))
    assert check.returncode == 0, check.stderr
    with_overlay = chipexport("rules", "test", str(OVERLAY_CASES), "--rules-dir", str(OVERLAY))
    assert with_overlay.returncode == 0, with_overlay.stdout
    assert "6 passed, 0 failed" in with_overlay.stdout
    without = chipexport("rules", "test", str(OVERLAY_CASES))
    assert without.returncode == 1
    failed = {line.split(": ")[1] for line in without.stdout.splitlines()
              if line.startswith("FAIL")}
    assert failed == {"nl-implanter-after", "footnote-6-after"}


def test_check_command_takes_the_overlay(tmp_path: Path) -> None:
    """``check --rules-dir`` and CHIPEXPORT_RULES_DIR give the overlay's determination."""
    import json
    import os

    txn = {"id": "t", "date": "2026-07-01", "export_from": "NL", "destination": "CN",
           "items": [{"kind": "equipment", "equipment_type": "ion_implanter", "origin": "NL"}],
           "parties": [{"role": "end_user", "name": "Plain Trading Co", "country": "CN"}]}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(txn), encoding="utf-8")
    env = {**os.environ, "CHIPEXPORT_HOME": str(tmp_path / "home")}
    env.pop("CHIPEXPORT_RULES_DIR", None)
    answers = []
    for extra, extra_env in (([], {}), (["--rules-dir", str(OVERLAY)], {}),
                             ([], {"CHIPEXPORT_RULES_DIR": str(OVERLAY)})):
        run = chipexport("check", str(path), "--json", *extra, env={**env, **extra_env})
        assert run.returncode == 0, run.stderr
        nl = json.loads(run.stdout)["jurisdictions"].get("NL", {"outcome": "NLR"})
        answers.append((nl["outcome"], "NL-IMPLANT-2026" in nl.get("classifications", [])))
    # Without the overlay no Dutch rule applies (no lists are loaded here: REVIEW, not NLR).
    assert answers[0][0] != "LICENSE_REQUIRED" and not answers[0][1]
    assert answers[1:] == [("LICENSE_REQUIRED", True)] * 2


def _broken(tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return chipexport("rules", "check", str(folder))


PROVISION = """provisions:
  - key: {key}
    rule: "example"
    in_force: [{window}]
    confidence: unresolved
    summary: "example"
    params: {params}
"""


@pytest.mark.parametrize(("name", "text", "needles"), [
    ("nl.yaml", PROVISION.format(key="nl.national.2026", window="[2026-06-01, null]",
                                 params="{kodes: [NL-SME-2023]}"),
     ["nl.yaml", "params.kodes", "unknown parameter", "did you mean 'codes'"]),
    ("us.yaml", PROVISION.format(key="us.le.nac", window="[2018-01-01, null]",
                                 params="{name: NAC}") + PROVISION.format(
        key="us.le.nac", window="[2025-01-01, null]", params="{name: NAC}").replace(
        "provisions:\n", ""),
     ["us.yaml", "us.le.nac", "overlap"]),
    ("nl.yaml", PROVISION.format(key="nl.national.2026", window="[2026-06-01, null]",
                                 params="{codes: [NL-NO-SUCH-CODE]}"),
     ["nl.yaml", "nl.national.2026", "NL-NO-SUCH-CODE", "no criteria record"]),
    ("us.yaml", PROVISION.format(key="us.eu.military", window="[2018-01-01, null]",
                                 params="{supp2_provision: us.list.NOPE}"),
     ["us.yaml", "us.list.NOPE", "no rules file"]),
    ("us.yaml", PROVISION.format(key="us.brand_new", window="[2018-01-01, null]", params="{}"),
     ["us.yaml", "no code reads provision key 'us.brand_new'"]),
    ("nl.yaml", "records:\n  - {key: NL:X, family: NL:sme, regime: NL, code: NL-X,"
                " kinds: [equipment], in_force: [[2026-01-01, null]], citation: {rule: r},"
                " confidence: unresolved, summary: s, when: {fact: equipment_type, in: [x]}}\n",
     ["NL:X", "NL-X", "listed by no nl.national"]),
    ("extra.yaml", "provisions: []\nrecords: []\nrules: []\n", ["extra.yaml", "'rules'"]),
])
def test_broken_overlay_is_one_line_exit_1(tmp_path: Path, name: str, text: str,
                                           needles: list[str]) -> None:
    run = _broken(tmp_path, name, text)
    assert run.returncode == 1, (run.stdout, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_missing_overlay_folder_is_a_usage_error(tmp_path: Path) -> None:
    run = chipexport("rules", "check", str(tmp_path / "nowhere"))
    assert run.returncode == 2 and "no such folder" in run.stderr


def test_show_prints_text_citation_dates_and_confidence() -> None:
    run = chipexport("rules", "show", "us.affiliates")
    assert run.returncode == 0, run.stderr
    assert "90 FR 47201" in run.stdout and "from 2025-09-29 until 2025-11-10" in run.stdout
    assert "confidence: secondary" in run.stdout and "Affiliates rule" in run.stdout
    wrong = chipexport("rules", "show", "us.affiliate")
    assert wrong.returncode == 2 and "did you mean 'us.affiliates'" in wrong.stderr


@pytest.mark.parametrize(("case", "needle"), [
    ("expect: {US: {outcome: NLR, cite: x}}", "'cite': unknown field (did you mean 'cites'?)"),
    ("expect: {US: {outcom: NLR}}", "expect.US.outcome': missing"),
    ("expect: {us: {outcome: NLR}}", "field 'us': unknown field"),
    ("expect: {warnings: x}", "did you mean 'warning'?"),
])
def test_case_keys_are_strict(tmp_path: Path, case: str, needle: str) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("cases:\n  - id: a\n    provision: p\n    txn: {date: 2024-01-01}\n"
                    f"    {case}\n", encoding="utf-8")
    with pytest.raises(CaseFileError) as err:
        load_case_file(path)
    assert needle in str(err.value) and str(path) in str(err.value)
    run = chipexport("rules", "test", str(path))
    assert run.returncode == 2 and needle in run.stderr
