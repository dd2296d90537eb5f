"""``chipexport screen`` end to end (in-process, through the real error handling).

The store holds a real but small slice of the CSL (Entity List + CMIC + a few thousand SDN
rows) so each test builds its index in well under a second.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from chipexport.cli import app, run_guarded
from chipexport.lists import read_path
from chipexport.model import ListSnapshot
from chipexport.store import Store

CONTRACT_KEYS = {
    "source",
    "name",
    "matched_name",
    "score",
    "entity_id",
    "countries",
    "license_requirement",
    "license_policy",
    "federal_register_notice",
    "explanation",
}


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> tuple[int, str, str]:
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["chipexport", *args])
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="session")
def small_lists(list_data: Path) -> list[ListSnapshot]:
    snaps = read_path(list_data / "us_csl" / "csl_compact_2026-07-31.json")
    keep = []
    for s in snaps:
        if s.source in ("EL", "CMIC"):
            keep.append(s)
        elif s.source == "SDN":
            keep.append(
                ListSnapshot(s.source, s.version, s.entries[:3000], s.origin, s.checksum, s.title)
            )
    return keep


@pytest.fixture()
def loaded(chipexport_home: Path, small_lists: list[ListSnapshot]) -> Path:
    chipexport_home.mkdir(parents=True, exist_ok=True)
    with Store() as store:
        store.replace_lists(small_lists)
    return chipexport_home


def test_single_name_json_follows_the_contract(
    loaded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        monkeypatch, capsys, "screen", "Huawei Technologies Co Ltd", "--country", "CN", "--json"
    )
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["name"] == "Huawei Technologies Co Ltd" and doc["country"] == "CN"
    assert doc["matches"] and set(doc["matches"][0]) == CONTRACT_KEYS
    scores = [m["score"] for m in doc["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert any(m["source"] == "CMIC" for m in doc["matches"])


def test_single_name_table(
    loaded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(monkeypatch, capsys, "screen", "QuantumCTek CO LTD")
    assert code == 0 and "QuantumCTek" in out
    code, out, _ = run(monkeypatch, capsys, "screen", "Tokyo Electron Limited", "--country", "JP")
    assert code == 0 and "No list match" in out


def test_batch_keeps_order_columns_and_row_errors(
    loaded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(
        b"id,name,country,order_ref\n"
        b"a,Shenzhen Pengxinxu Technology Co Ltd,CN,PO-1\n"
        b"b,,CN,PO-2\n"
        b"c,Tokyo Electron Limited,JP,PO-3\n"
        b"d," + b"X" * 10_000 + b",US,PO-4\n"
        b"e,bad \xff\xfe bytes,CN,PO-5\n"
        b"f,Corad Technology Ltd.,Hong Kong,PO-6\n"
    )
    out = tmp_path / "out.jsonl"
    for workers in ("1", "2"):
        code, _, err = run(
            monkeypatch,
            capsys,
            "screen",
            "--input",
            str(src),
            "--output",
            str(out),
            "--workers",
            workers,
        )
        assert code == 0
        # Each bad row is named on stderr with its file, line and field, the good ones are not.
        err_lines = err.strip().splitlines()
        assert [ln.split(", line ")[1].split(":")[0] for ln in err_lines] == ["3", "5", "6"]
        assert all(ln.startswith(f"chipexport: error: {src}, line ") for ln in err_lines)
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert [r["id"] for r in rows] == list("abcdef")
        assert [r["order_ref"] for r in rows] == [f"PO-{i}" for i in range(1, 7)]
        assert rows[0]["matches"][0]["name"] == "Shenzhen Pengxinxu Technology Co., Ltd."
        assert "line 3" in rows[1]["error"] and "'name'" in rows[1]["error"]
        assert rows[2]["matches"] == [] and "error" not in rows[2]
        assert "10000 characters" in rows[3]["error"]
        assert "UTF-8" in rows[4]["error"]
        # "Hong Kong" is read as HK, as the web upload reads it: no warning, same matches
        assert rows[5]["matches"] and "warnings" not in rows[5]


def test_threshold_and_lists_filter(
    loaded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,name\n1,Huawei Technologies Co Ltd\n")
    out = tmp_path / "out.jsonl"
    run(
        monkeypatch,
        capsys,
        "screen",
        "--input",
        str(src),
        "--output",
        str(out),
        "--lists",
        "CMIC",
        "--threshold",
        "0.95",
    )
    matches = json.loads(out.read_text())["matches"]
    assert matches and all(m["source"] == "CMIC" and m["score"] >= 0.95 for m in matches)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"ident,nom\n1,x\n", "no 'id' column"),
        (b"id,country\n1,CN\n", "no 'name' column"),
        (bytes(range(256)) * 4, "not a CSV file"),
        (b"", "empty file"),
        # A stray quote would pull the 300 rows after it into one name (silently lost rows).
        (
            b"id,name,country\nr1,\"Acme Trading,CN\n"
            + b"".join(b"r%d,ZTE,CN\n" % i for i in range(2, 300)),
            "line 2: unclosed quote",
        ),
        ("id,name\n1,x\n".encode("utf-16-le"), "save it as 'CSV UTF-8'"),
    ],
)
def test_unusable_files_exit_2(
    loaded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    needle: str,
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    code, out, err = run(
        monkeypatch, capsys, "screen", "--input", str(src), "--output", str(tmp_path / "o.jsonl")
    )
    assert code == 2 and needle in err and str(src) in err and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_no_lists_loaded(
    chipexport_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "screen", "Huawei")
    assert code == 2 and "chipexport lists load" in err


def test_index_cache_follows_the_lists(
    loaded: Path,
    small_lists: list[ListSnapshot],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(monkeypatch, capsys, "screen", "Huawei")
    first = sorted((loaded / "cache").glob("screening-*.idx"))
    assert len(first) == 1
    with Store() as store:  # a list changes: the next screen must not use the old index
        store.replace_lists(
            [s for s in small_lists if s.source == "CMIC"][:1]
            and [
                ListSnapshot("CMIC", "later", s.entries[:10], s.origin, "x", s.title)
                for s in small_lists
                if s.source == "CMIC"
            ]
        )
    code, out, _ = run(
        monkeypatch, capsys, "screen", "Huawei Technologies Co Ltd", "--json", "--lists", "CMIC"
    )
    second = sorted((loaded / "cache").glob("screening-*.idx"))
    assert code == 0 and len(second) == 1 and second != first
    assert json.loads(out)["matches"] == []  # Huawei is not among the first 10 CMIC rows


def test_bad_usage(
    loaded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(monkeypatch, capsys, "screen")[0] == 2
    assert run(monkeypatch, capsys, "screen", "X", "--threshold", "2")[0] == 2
    code, _, err = run(monkeypatch, capsys, "screen", "Huawei", "--lists", "NOPE")
    assert code == 2 and "NOPE" in err
    code, _, err = run(monkeypatch, capsys, "screen", "?!")
    assert code == 2 and "letters or digits" in err


def test_console_script_ends_quickly_with_all_output_written(loaded: Path) -> None:
    # main() leaves by os._exit after a single-name screen (no freeing of the index): what it
    # printed must still be complete, through a pipe, with the exit code.
    import os
    import subprocess

    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run_cli = [sys.executable, "-c", "from chipexport.cli import main; main()", "screen"]
    cjk = [*run_cli, "华为技术有限公司", "--json"]
    done = subprocess.run(cjk, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["matches"]
    bad = subprocess.run([*run_cli, "...", "--json"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "letters or digits" in bad.stderr


def test_batch_csv_output_neutralises_formula_cells(
    chipexport_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--output FILE.csv`` goes through the shared CSV writer: names starting like a formula
    (from the order file and from the list alike) come out with a leading quote."""
    import csv

    from chipexport.csv_writer import FORMULA_START
    from chipexport.model import ListEntry

    chipexport_home.mkdir(parents=True, exist_ok=True)
    listed = ListEntry("EL", "e1", "=Quiet Meadow Semiconductor Ltd", countries=("CN",))
    with Store() as store:
        store.replace_lists([ListSnapshot("EL", "2026-01-01", (listed,), "self-made", "0")])
    src = tmp_path / "in.csv"
    src.write_text("id,name,country\n@1,Quiet Meadow Semiconductor Ltd,CN\n"
                   "2,\"=HYPERLINK(\"\"http://x.example\"\")\",CN\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = run(monkeypatch, capsys, "screen", "--input", str(src), "--output", str(out),
                       "--workers", "1")
    assert code == 0, err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, for spreadsheets
    rows = list(csv.reader(out.open(encoding="utf-8-sig", newline="")))
    assert rows[0][:3] == ["id", "name", "country"]
    assert rows[1][0] == "'@1" and rows[1][5] == "'=Quiet Meadow Semiconductor Ltd"
    assert rows[2][1] == "'=HYPERLINK(\"http://x.example\")"
    assert not any(c.startswith(FORMULA_START) for row in rows for c in row)


def test_an_output_file_name_decides_the_format_or_is_refused(
    chipexport_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--output res.xlsx`` got JSON Lines written into it; ``--help`` hid the default."""
    src = tmp_path / "in.csv"
    src.write_text("id,name\n1,Acme\n", encoding="utf-8")
    target = tmp_path / "res.xlsx"
    code, _, err = run(monkeypatch, capsys, "screen", "--input", str(src), "--output", str(target))
    assert code == 2 and "cannot write .xlsx files" in err and not target.exists()
    code, out, _ = run(monkeypatch, capsys, "screen", "--help")
    assert "[default: (0.80)]" in " ".join(out.split())
