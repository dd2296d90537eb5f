"""The typed contract must not change an answer: outputs on the bundled examples, byte for byte.

``tests/fixtures/golden/`` was written by the CLI before the input and output models existed
(``check --input examples/transactions.jsonl``, ``check examples/transaction-h800.json --json``
and the screening demo ``screen --input examples/orders.csv``). Any change to these files is a
change of behaviour and must be made on purpose, with the fixture regenerated and reviewed.
Only the times that say when the lists were loaded and the parties screened
(``screening_evidence``) differ from run to run; they are masked on both sides, nothing else.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from chipexport.cli import app, run_guarded
from chipexport.lists import bundled_snapshots
from chipexport.store import Store

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "fixtures" / "golden"
EXAMPLES = REPO / "examples"
_TIMES = re.compile(r'("(?:screened_at|loaded_at)": )"[^"]*"')


def _masked(text: str) -> str:
    """``text`` with the run's own times replaced by a placeholder."""
    return _TIMES.sub(r'\1"<time>"', text)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CHIPEXPORT_HOME whose default database holds the bundled lists."""
    path = tmp_path_factory.mktemp("golden-home")
    with Store(f"sqlite:///{path / 'chipexport.db'}") as store:
        store.replace_lists(bundled_snapshots())
    return path


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], home: Path,
         *args: str) -> tuple[int, str]:
    monkeypatch.setenv("CHIPEXPORT_HOME", str(home))
    monkeypatch.delenv("CHIPEXPORT_DATABASE_URL", raising=False)
    monkeypatch.setattr(sys, "argv", ["chipexport", *args])
    capsys.readouterr()
    code = run_guarded(app)
    return code, capsys.readouterr().out


def test_check_batch_output_is_unchanged(home: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "determinations.jsonl"
    code, _ = _run(monkeypatch, capsys, home, "check", "--input",
                   str(EXAMPLES / "transactions.jsonl"), "--output", str(out))
    assert code == 0
    assert _masked(out.read_text(encoding="utf-8")) == \
        _masked((GOLDEN / "determinations.jsonl").read_text(encoding="utf-8"))


def test_check_single_json_is_unchanged(home: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, printed = _run(monkeypatch, capsys, home, "check",
                         str(EXAMPLES / "transaction-h800.json"), "--json")
    assert code == 0
    assert _masked(printed) == \
        _masked((GOLDEN / "transaction-h800.json").read_text(encoding="utf-8"))


def test_screening_demo_output_is_unchanged(home: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "screening.jsonl"
    code, _ = _run(monkeypatch, capsys, home, "screen", "--input",
                   str(EXAMPLES / "orders.csv"), "--output", str(out))
    assert code == 0
    assert out.read_bytes() == (GOLDEN / "screening.jsonl").read_bytes()
