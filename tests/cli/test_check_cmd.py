"""``chipexport check`` end to end through the real entry point (exit codes, outputs)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from chipexport.cli import main
from chipexport.cli.check_cmd import EXIT_SOME_ERRORS
from chipexport.model import ListEntry, Match, ScreeningResult

H100_CN = {"id": "t1", "date": "2024-06-01", "export_from": "US", "destination": "CN",
           "items": [{"product": "NVIDIA H100 SXM5 80GB"}],
           "parties": [{"role": "end_user", "name": "Listed Co", "country": "CN"}]}


class OneNameScreener:
    def screen(self, name: str, country: str | None = None, threshold: float | None = None,
               sources: Sequence[str] | None = None) -> ScreeningResult:
        if name != "Listed Co":
            return ScreeningResult(name, country)
        entry = ListEntry(source="EL", entry_id="EL-1", name="Listed Co",
                          license_requirement="For all items subject to the EAR",
                          license_policy="Presumption of denial")
        return ScreeningResult(name, country, (Match(entry, 0.99, "Listed Co"),))


@pytest.fixture(autouse=True)
def fake_lists(monkeypatch: pytest.MonkeyPatch, chipexport_home: Path) -> None:
    monkeypatch.setattr(
        "chipexport.store.index_cache.load_screening_index", lambda: OneNameScreener()
    )


def run(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["chipexport", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    out = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out.out, out.err


def write(path: Path, obj: Any) -> Path:
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def test_single_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(write(tmp_path / "t.json", H100_CN)), "--json"],
                       monkeypatch, capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["outcome"] == "LICENSE_REQUIRED"
    assert set(doc) >= {"id", "outcome", "jurisdictions", "screening", "duties", "warnings"}
    us = doc["jurisdictions"]["US"]
    assert set(us) >= {"outcome", "review_policy", "classifications", "reasons",
                       "license_exceptions"}
    assert any("744.11" in r["rule"] for r in us["reasons"])


def test_explain_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(write(tmp_path / "t.json", H100_CN)), "--explain"],
                       monkeypatch, capsys)
    assert code == 0
    assert "Transaction t1" in out and "88 FR 73458" in out and "in force" in out


def test_summary_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(write(tmp_path / "t.json", H100_CN))], monkeypatch, capsys)
    assert code == 0 and "LICENSE_REQUIRED" in out and "--explain" in out


def test_unusable_file_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    code, out, err = run(["check", str(bad)], monkeypatch, capsys)
    assert code == 2 and "bad.json" in err and "Traceback" not in err + out


def test_single_bad_transaction_exits_2_with_errors(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    t = dict(H100_CN, date="2017-05-01")
    code, out, err = run(["check", str(write(tmp_path / "t.json", t)), "--json"],
                         monkeypatch, capsys)
    assert code == 2
    assert json.loads(out)["errors"] and "transaction t1: date" in err


def test_batch_streams_one_line_per_transaction(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    good = dict(H100_CN, id="a")
    bad = dict(H100_CN, id="b", destination="ZZ")
    src.write_text(json.dumps(good) + "\n{broken\n\n" + json.dumps(bad) + "\n", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    code, _, _ = run(["check", "--input", str(src), "--output", str(dst)], monkeypatch, capsys)
    assert code == EXIT_SOME_ERRORS == 3  # every row written, and the run is not read as clean
    rows = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "line 2", "b"]
    assert {k: j["outcome"] for k, j in rows[2]["jurisdictions"].items()} == {"US": "ERROR"}
    assert rows[0]["outcome"] == "LICENSE_REQUIRED"
    assert rows[1]["outcome"] == "ERROR" and "line 2" in rows[1]["errors"][0]
    assert "in.jsonl line 4: destination" in rows[2]["errors"][0]


def test_batch_missing_input_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--input", str(tmp_path / "none.jsonl"), "--output",
                        str(tmp_path / "o.jsonl")], monkeypatch, capsys)
    assert code == 2 and "none.jsonl" in err


def test_ownership_csv_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str], list_data: Path) -> None:
    ftm = list_data / "ownership" / "example_cluster.ftm.jsonl"
    t = dict(H100_CN, parties=[{"role": "end_user", "name": "Plain Co", "country": "CN"}])
    code, out, _ = run(["check", str(write(tmp_path / "t.json", t)), "--json", "--ownership",
                        str(ftm)], monkeypatch, capsys)
    assert code == 0 and json.loads(out)["outcome"] == "LICENSE_REQUIRED"
    code, _, err = run(["check", str(write(tmp_path / "t.json", t)), "--ownership",
                        str(tmp_path / "missing.csv")], monkeypatch, capsys)
    assert code == 2 and "missing.csv" in err


def test_usage_errors(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check"], monkeypatch, capsys)
    assert code == 2 and "FILE.json" in err


def test_batch_summary_counts_outcomes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    clean = dict(H100_CN, id="c", destination="DE",
                 parties=[{"role": "end_user", "name": "Other GmbH", "country": "DE"}])
    src.write_text("\n".join(json.dumps(t) for t in (H100_CN, clean, H100_CN)) + "\n",
                   encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    code, out, _ = run(["check", "--input", str(src), "--output", str(dst), "--summary"],
                       monkeypatch, capsys)
    assert code == 0
    assert "checked 3 transactions: LICENSE_REQUIRED 2, NLR 1" in out


DEEP = "[" * 100_000 + "]" * 100_000  # the decoder's RecursionError, not a JSONDecodeError


@pytest.mark.parametrize(
    ("text", "words"),
    [(DEEP, "nested too deeply"),
     (json.dumps({**H100_CN, "note": json.loads("[" * 150 + "]" * 150)}), "more than 100 levels"),
     ('{"id": "t1", "date": "2024', "Unterminated string starting at line 1 column 22")],
)
def test_deep_or_cut_json_is_one_line_exit_2(
    text: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["check", str(path)], monkeypatch, capsys)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith(f"chipexport: error: {path}: ") and words in err


def test_deep_json_lines_are_errors_not_tracebacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text(DEEP + "\n", encoding="utf-8")
    code, _, err = run(["check", "--input", str(first), "--output", str(tmp_path / "o.jsonl")],
                       monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1
    assert f"{first} line 1: JSON nested too deeply" in err
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps(H100_CN) + "\n" + DEEP + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, err = run(["check", "--input", str(later), "--output", str(out)], monkeypatch, capsys)
    assert code == EXIT_SOME_ERRORS and "Traceback" not in err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0]["outcome"] == "LICENSE_REQUIRED"
    assert rows[1]["errors"] == [f"{later} line 2: JSON nested too deeply to read"]


def test_unknown_transaction_party_and_owner_keys_are_warned_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    t = {**H100_CN, "order_no": "PO-1", "destinaton": "CN",
         "parties": [{"role": "end_user", "name": "Listed Co", "countyr": "CN",
                      "owners": [{"name": "Parent", "ultimate_parent_hg": "CN"}]}],
         "items": [{"product": "NVIDIA H100 SXM5 80GB", "sku": "H100-80", "prodcut": "x"}]}
    code, out, _ = run(["check", str(write(tmp_path / "t.json", t)), "--json"],
                       monkeypatch, capsys)
    assert code == 0
    warnings = json.loads(out)["warnings"]
    assert "order_no: unknown field ignored" in warnings
    assert "destinaton: unknown field ignored (did you mean 'destination'?)" in warnings
    assert "parties[0].countyr: unknown field ignored (did you mean 'country'?)" in warnings
    assert any(w.startswith("parties[0].owners[0].ultimate_parent_hg: unknown field")
               for w in warnings)
    # an item's own order-system column passes; a slip for an item field is named
    assert not any("sku" in w for w in warnings)
    assert any("'prodcut' ignored: did you mean 'product'" in w for w in warnings)


def test_a_date_past_the_rules_data_horizon_is_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from chipexport.rules.provisions import rulebook

    horizon = rulebook("engine").versions("engine.coverage")[0].params["current_to"]
    late, inside = dict(H100_CN, date="2099-01-01"), dict(H100_CN, date=str(horizon))
    code, out, _ = run(["check", str(write(tmp_path / "t.json", [late, inside])), "--json"],
                       monkeypatch, capsys)
    assert code == 0
    first, second = json.loads(out)
    assert any(w.startswith(f"date: 2099-01-01 is after {horizon}") for w in first["warnings"])
    assert not any(w.startswith("date:") for w in second["warnings"])


def test_single_file_with_some_errors_exits_3_after_printing_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = dict(H100_CN, id="bad", export_from="NL", date="2024-13-01")
    code, out, err = run(["check", str(write(tmp_path / "t.json", [H100_CN, bad])), "--json"],
                         monkeypatch, capsys)
    assert code == EXIT_SOME_ERRORS
    good, failed = json.loads(out)
    assert good["outcome"] == "LICENSE_REQUIRED" and failed["outcome"] == "ERROR"
    assert {k: j["outcome"] for k, j in failed["jurisdictions"].items()} == \
        {"US": "ERROR", "NL": "ERROR"}
    assert failed["errors"] == ["date: expected YYYY-MM-DD, got '2024-13-01'"]
    assert "transaction bad: date" in err
