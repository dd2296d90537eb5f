"""``chipexport ownership load`` and ``chipexport flags resolve`` feed ``chipexport check``:
ownership held by the store derives an ultimate parent's headquarters, and a recorded
resolution (audit trail) clears its red flag in the next determination."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from chipexport.cli import main
from chipexport.model import ScreeningResult

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ownership_small.csv"
H100_SG = {"id": "own-1", "date": "2024-06-01", "export_from": "US", "destination": "SG",
           "items": [{"product": "NVIDIA H100 SXM5 80GB"}],
           "parties": [{"role": "end_user", "name": "Merlion AI Pte Ltd", "country": "SG"}]}


class NoMatches:
    def screen(self, name: str, country: str | None = None, threshold: float | None = None,
               sources: object = None) -> ScreeningResult:
        return ScreeningResult(name, country)


@pytest.fixture(autouse=True)
def fake_lists(monkeypatch: pytest.MonkeyPatch, chipexport_home: Path) -> None:
    monkeypatch.setattr("chipexport.store.index_cache.load_screening_index", lambda: NoMatches())


def run(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> tuple[int, str, str]:
    """The real entry point (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["chipexport", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    out = capsys.readouterr()
    return (exc.value.code if isinstance(exc.value.code, int) else 0), out.out, out.err


def check(txn: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(txn), encoding="utf-8")
    code, out, err = run(["check", str(path), "--json"], monkeypatch, capsys)
    assert code == 0, err
    result: dict[str, object] = json.loads(out)
    return result


def test_loaded_ownership_gives_the_headquarters_rule(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert check(H100_SG, tmp_path, monkeypatch, capsys)["outcome"] == "NLR"
    code, out, _ = run(["ownership", "load", str(FIXTURE)], monkeypatch, capsys)
    assert code == 0 and "loaded 2 ownership links" in out
    result = check(H100_SG, tmp_path, monkeypatch, capsys)
    assert result["outcome"] == "LICENSE_REQUIRED"
    reasons = result["jurisdictions"]["US"]["reasons"]  # type: ignore[index]
    hq = [r for r in reasons if "744.23(a)(3)" in r["rule"]]
    assert hq and "Shenzhen Dragon Investment Group" in hq[0]["summary"]
    assert "ownership data" in hq[0]["summary"]
    # loading the same data set again replaces it rather than doubling it
    code, out, _ = run(["ownership", "load", str(FIXTURE)], monkeypatch, capsys)
    assert "replacing 2" in out


def test_bad_ownership_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("owner,asset,percent,start,end\nA Ltd,B Ltd,130,,\n", encoding="utf-8")
    code, _, err = run(["ownership", "load", str(bad)], monkeypatch, capsys)
    assert code == 2 and err.count("\n") == 1 and "percent" in err and "Traceback" not in err


def test_cycle_and_excess_are_warned_on_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "loop.csv"
    data.write_text("owner,asset,percent,start,end\nA Ltd,B Ltd,60,,\nB Ltd,A Ltd,100,,\n"
                    "C Ltd,B Ltd,60,,\n", encoding="utf-8")
    code, _, err = run(["ownership", "load", str(data)], monkeypatch, capsys)
    assert code == 0
    assert "cycle" in err and "120 %" in err


def test_resolution_recorded_then_carried_into_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    txn = {**H100_SG, "id": "own-2", "payment_terms": "cash"}
    before = check(txn, tmp_path, monkeypatch, capsys)
    assert before["outcome"] == "REVIEW"
    code, _, err = run(["flags", "resolve", "own-2", "--code", "cash_paymnet", "--by", "x",
                        "--reason", "checked"], monkeypatch, capsys)
    assert code == 2 and "did you mean 'cash_payment'" in err
    code, out, _ = run(["flags", "resolve", "own-2", "--code", "cash_payment", "--by",
                        "a.officer", "--reason", "prepayment by wire", "--evidence", "SWIFT MT103"],
                       monkeypatch, capsys)
    assert code == 0 and "audit record" in out
    after = check(txn, tmp_path, monkeypatch, capsys)
    assert after["outcome"] == "NLR"
    assert any("resolved by a.officer" in w for w in after["warnings"])  # type: ignore[attr-defined]
    # another transaction id is not cleared by it
    assert check({**txn, "id": "own-3"}, tmp_path, monkeypatch, capsys)["outcome"] == "REVIEW"


def test_ftm_ownership_with_owner_country(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    ftm = FIXTURE.with_name("ownership_small.ftm.jsonl")
    code, out, _ = run(["ownership", "load", str(ftm), "--json"], monkeypatch, capsys)
    assert code == 0 and json.loads(out)["links"] == 1
    code, out, _ = run(["ownership", "status"], monkeypatch, capsys)
    assert "ownership_small.ftm.jsonl: 1 links" in out
    result = check({**H100_SG, "id": "ftm-1"}, tmp_path, monkeypatch, capsys)
    assert result["outcome"] == "LICENSE_REQUIRED"
    # before the link starts (2024-03), the owner does not count
    early = check({**H100_SG, "id": "ftm-2", "date": "2024-01-15"}, tmp_path, monkeypatch,
                  capsys)
    assert early["outcome"] == "NLR"
