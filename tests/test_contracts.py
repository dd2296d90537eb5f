"""docs/interfaces.md, driven through the real console script (``.venv/bin/chipexport``).

Users' scripts call the installed command, not our functions, so these tests do too: a separate
process, its own CHIPEXPORT_HOME, exit codes and stdout/stderr exactly as a shell sees them. The
bundled lists are loaded once per module (a load takes seconds) and shared by every test that
only reads them; the many small runs of the bad-input, ``--help`` and unknown-option matrices are
run once, concurrently, and each parametrized test then checks its own result.

Expected values come from the contract and from the data (the Entity List's size is counted in
the bundled list file), never from the code under test.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

CLI = Path(sys.executable).with_name("chipexport")
ISO_DAY = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
MATCH_FIELDS = {
    "source", "name", "matched_name", "score", "entity_id", "countries", "license_requirement",
    "license_policy", "federal_register_notice", "explanation",
}  # fmt: skip
LIST_CODES = {
    "EL", "SDN", "MEU", "UVL", "DPL", "CMIC", "SSI", "ISN", "DTC", "PLC", "NS-MBS", "CAP",
}  # fmt: skip
OUTCOMES = {"PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "LICENSE_EXCEPTION", "NLR"}
# The transaction of docs/interfaces.md (party names are ours: the contract elides them).
CONTRACT_TXN: dict[str, Any] = {
    "id": "t1", "date": "2024-06-01", "export_from": "US", "destination": "CN",
    "items": [
        {"product": "NVIDIA H100 SXM5 80GB"},
        {"eccn": "EAR99", "description": "office chairs"},
        {"kind": "ic", "tpp": 2896, "logic_die_area_mm2": 790, "datacenter": True,
         "bidirectional_io_gbps": 400},
        {"kind": "hbm", "bandwidth_gbps": 819, "package_area_mm2": 121},
        {"kind": "lithography", "light_source": "ArF", "immersion": True},
        {"kind": "material", "material": "gallium"},
        {"hts": "8542.31", "origin": "CN", "value_usd": 100000},
    ],
    "parties": [{"role": "end_user", "name": "Semiconductor Manufacturing International Corp",
                 "country": "CN", "ultimate_parent_hq": "CN",
                 "owners": [{"name": "Example Holdings", "percent": 60}]}],
    "end_use": {"kind": "ic_fab", "logic_node_nm": 14, "non_planar": True,
                "dram_half_pitch_nm": None, "nand_layers": None},
}  # fmt: skip
# Chinese-origin chips imported into the US: Section 301 duties apply.
DUTY_TXN: dict[str, Any] = {
    "id": "d1", "date": "2025-06-01", "export_from": "CN", "destination": "US",
    "items": [{"hts": "8542.31", "origin": "CN", "value_usd": 1000}], "parties": [],
}  # fmt: skip


def run(args: Sequence[str], home: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the console script; no output of any run may hold a traceback."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CHIPEXPORT_")}
    environ.update(CHIPEXPORT_HOME=str(home), COLUMNS="200", **env)
    proc = subprocess.run(
        [str(CLI), *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


def one_line_error(proc: subprocess.CompletedProcess[str], *names: str) -> str:
    """The single stderr line of a failed run, which must name each of ``names``."""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("chipexport: error: "), lines[0]
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CHIPEXPORT_HOME with the bundled lists loaded: read-only for the tests that share it."""
    assert CLI.is_file(), f"{CLI}: console script not installed"
    path = tmp_path_factory.mktemp("contracts") / "home"
    proc = run(["lists", "load"], path, path.parent)
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture()
def cli(home: Path, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``cli(*args)``: the console script on the shared home, run in this test's tmp dir."""
    return lambda *args, **env: run(args, home, tmp_path, **env)


# -- lists ---------------------------------------------------------------------------------------


def test_lists_status_after_bundled_load(cli: Any, list_data: Path) -> None:
    flat = list_data / "us_csl" / "csl_flat_2026-07-31.csv"
    with flat.open(encoding="utf-8") as fh:
        el_count = sum(1 for row in csv.DictReader(fh) if row["source_code"] == "EL")
    table = cli("lists", "status")
    assert table.returncode == 0, table.stderr
    el_line = next(line for line in table.stdout.splitlines() if re.search(r"\bEL\b", line))
    assert str(el_count) in el_line.split() or f" {el_count} " in el_line
    assert len(ISO_DAY.findall(el_line)) == 2, el_line  # list version and load date
    rows = {r["source"]: r for r in json.loads(cli("lists", "status", "--json").stdout)}
    assert rows["EL"]["entries"] == el_count
    assert ISO_DAY.match(rows["EL"]["version"]) and ISO_DAY.match(rows["EL"]["loaded_at"])
    assert {"EL", "SDN", "DPL", "MEU", "UVL"} <= set(rows)


# -- screen --------------------------------------------------------------------------------------


def _check_match(m: dict[str, Any]) -> None:
    assert set(m) >= MATCH_FIELDS, MATCH_FIELDS - set(m)
    assert isinstance(m["score"], float | int) and 0 <= m["score"] <= 1
    assert isinstance(m["countries"], list) and isinstance(m["explanation"], list)
    assert m["name"] and m["matched_name"] and m["entity_id"]
    assert m["source"] in LIST_CODES or m["source"].isupper()


def test_screen_one_name_json(cli: Any) -> None:
    proc = cli("screen", "Huawei Technologies Co Ltd", "--country", "CN", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for m in out["matches"]:
        _check_match(m)
    scores = [m["score"] for m in out["matches"]]
    assert scores == sorted(scores, reverse=True)
    el = [m for m in out["matches"] if m["source"] == "EL"]
    assert el and el[0]["name"].startswith("Huawei Technologies Co., Ltd.")
    assert "CN" in el[0]["countries"] and el[0]["license_requirement"]
    assert el[0]["license_policy"] and re.search(r"\d+ FR \d+", el[0]["federal_register_notice"])


def _write_orders(path: Path) -> list[dict[str, str]]:
    rows = [
        {"id": "z-9", "name": "Huawei Technologies Co Ltd", "country": "CN", "po": "PO-1",
         "note": 'says "urgent", twice'},
        {"id": "a-1", "name": "Acme Office Chairs of Ohio", "country": "", "po": "PO-2",
         "note": "ünïcode ✓"},
        {"id": "m-5", "name": "Huawei", "country": "CN", "po": "PO-3", "note": ""},
        {"id": "b-2", "name": "Semiconductor Manufacturing International Corp", "country": "CN",
         "po": "PO-4", "note": "x,y"},
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_screen_batch_keeps_order_and_extra_columns(cli: Any, tmp_path: Path) -> None:
    rows = _write_orders(tmp_path / "orders.csv")
    proc = cli("screen", "--input", "orders.csv", "--output", "out.jsonl")
    assert proc.returncode == 0, proc.stderr
    out = jsonl(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    for given, got in zip(rows, out, strict=True):
        assert got["name"] == given["name"] and got["po"] == given["po"]
        assert got["note"] == given["note"]
        assert got["country"] == (given["country"] or None)
        for m in got["matches"]:
            _check_match(m)
    assert any(m["source"] == "EL" for m in out[0]["matches"])
    assert not out[1]["matches"]


def test_screen_threshold_and_lists(cli: Any, tmp_path: Path) -> None:
    _write_orders(tmp_path / "orders.csv")

    def screened(*extra: str) -> dict[str, list[dict[str, Any]]]:
        proc = cli(
            "screen", "--input", "orders.csv", "--output", "o.jsonl", "--workers", "1", *extra
        )
        assert proc.returncode == 0, proc.stderr
        return {o["id"]: o["matches"] for o in jsonl(tmp_path / "o.jsonl")}

    default, strict, loose = (
        screened(),
        screened("--threshold", "0.95"),
        screened("--threshold", "0.3"),
    )
    for rid, matches in default.items():
        assert all(m["score"] >= 0.95 for m in strict[rid])
        assert {m["entity_id"] for m in strict[rid]} <= {m["entity_id"] for m in matches}
        assert {m["entity_id"] for m in matches} <= {m["entity_id"] for m in loose[rid]}
    assert any(m["score"] < 0.95 for ms in default.values() for m in ms), "threshold not tested"
    only = screened("--lists", "EL,SDN")
    assert all(m["source"] in {"EL", "SDN"} for ms in only.values() for m in ms)
    assert any(m["source"] == "EL" for ms in only.values() for m in ms)
    assert any(m["source"] not in {"EL", "SDN"} for ms in default.values() for m in ms)
    bad = cli("screen", "--input", "orders.csv", "--output", "o.jsonl", "--lists", "EL,NOPE")
    assert bad.returncode == 2 and "NOPE" in one_line_error(bad, "--lists")
    assert cli("screen", "Huawei", "--threshold", "1.5").returncode == 2


# -- check ---------------------------------------------------------------------------------------


def _check_determination(d: dict[str, Any], parties: int) -> None:
    assert {"id", "outcome", "jurisdictions", "screening", "duties", "warnings"} <= set(d)
    assert d["outcome"] in OUTCOMES
    for code, j in d["jurisdictions"].items():
        assert code in {"US", "JP", "NL", "CN"}
        assert {"outcome", "review_policy", "classifications", "reasons",
                "license_exceptions"} <= set(j)  # fmt: skip
        assert j["outcome"] in OUTCOMES and isinstance(j["license_exceptions"], list)
        for r in j["reasons"]:
            assert {"rule", "citation", "in_force", "summary"} <= set(r)
            start, end = r["in_force"]
            assert ISO_DAY.fullmatch(start) and (end is None or ISO_DAY.fullmatch(end))
    order = ["PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "LICENSE_EXCEPTION", "NLR"]
    most = min((order.index(j["outcome"]) for j in d["jurisdictions"].values()), default=4)
    assert d["outcome"] == order[most]
    assert [s["party"] for s in d["screening"]] == list(range(parties))
    assert all(isinstance(s["matches"], list) for s in d["screening"])
    for duty in d["duties"]:
        assert {"item", "hts", "rate_percent", "authority", "amount_usd"} <= set(duty)
    assert all(isinstance(w, str) for w in d["warnings"])


def test_check_one_transaction_json(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(json.dumps(CONTRACT_TXN), encoding="utf-8")
    proc = cli("check", "t.json", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    _check_determination(out, parties=1)
    assert out["id"] == "t1" and out["outcome"] == "LICENSE_REQUIRED"
    assert "3A090.a" in out["jurisdictions"]["US"]["classifications"]


def test_check_batch(cli: Any, tmp_path: Path) -> None:
    txns = [CONTRACT_TXN, DUTY_TXN, {**DUTY_TXN, "id": "d2"}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(t) + "\n" for t in txns))
    proc = cli("check", "--input", "in.jsonl", "--output", "out.jsonl")
    assert proc.returncode == 0, proc.stderr
    out = jsonl(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["t1", "d1", "d2"]
    for given, got in zip(txns, out, strict=True):
        _check_determination(got, parties=len(given["parties"]))
    assert out[1]["duties"] and out[1]["duties"][0]["item"] == 0


# -- bad input: every command, every kind of unusable file ----------------------------------------

LONG_NAME = "A" * 10_000
PUNCT_NAME = "!!! ... --- ???"


def _flat_csl(shared: Path, name: str | None = None, drop: str | None = None) -> bytes:
    """Three rows of the shared flat CSL CSV; the third row renamed, or a column dropped."""
    with (shared / "us_csl" / "csl_flat_2026-07-31.csv").open(encoding="utf-8") as fh:
        rows = [row for _, row in zip(range(4), csv.reader(fh), strict=False)]
    if name is not None:
        rows[3][rows[0].index("name")] = name
    if drop is not None:
        i = rows[0].index(drop)
        rows = [r[:i] + r[i + 1 :] for r in rows]
    return "".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows).encode()


def _txn_line(name: str = "Example Trading Co", **extra: Any) -> str:
    return json.dumps({**DUTY_TXN, "parties": [{"role": "end_user", "name": name,
                                                 "country": "CN"}], **extra})  # fmt: skip


def _bad_files(shared: Path) -> dict[str, dict[str, bytes]]:
    """``{kind: {use: bytes}}``: for each kind of bad input, a file per use (list/csv/json)."""
    binary = bytes((i * 167 + 13) % 256 for i in range(4096))  # holds NULs
    high = bytes(range(0x80, 0x100)) * 16  # not UTF-8, and no NUL
    csv_ok = "id,name,country\nr1,Huawei Technologies Co Ltd,CN\n"
    return {
        "empty": {"list": b"", "csv": b"", "json": b""},
        "binary": {"list": binary, "csv": binary, "json": binary},
        "not-utf8": {"list": high, "csv": high, "json": high},
        "utf16": {
            "list": _flat_csl(shared).decode().encode("utf-16"),
            "csv": csv_ok.encode("utf-16"),
            "json": _txn_line().encode("utf-16"),
        },
        "wrong-headers": {k: b"foo,bar\n1,2\n" for k in ("list", "csv", "json")},
        "no-id": {
            "list": _flat_csl(shared, drop="entity_number"),
            "csv": b"name,country\nHuawei Technologies,CN\n",
            "json": json.dumps({k: v for k, v in DUTY_TXN.items() if k != "id"}).encode(),
        },
        "truncated-json": {
            "list": (shared / "us_csl" / "csl_compact_2026-07-31.json").read_bytes()[:3000],
            "csv": _txn_line().encode()[:40],
            "json": _txn_line().encode()[:40],
        },
    }


# (case id, command, file kind or None for a missing file, expected fields named in the error)
Case = tuple[str, str, str | None, tuple[str, ...]]
KINDS: dict[str | None, tuple[str, ...]] = {
    None: (), "empty": (), "binary": (), "not-utf8": (), "utf16": (), "wrong-headers": (),
    "no-id": ("id",), "truncated-json": (),
}  # fmt: skip
COMMANDS = ("lists-load", "screen-batch", "check-one", "check-batch")
USE = {"lists-load": "list", "screen-batch": "csv", "check-one": "json", "check-batch": "json"}
BAD_FILE_CASES: list[Case] = [
    (f"{cmd}:{kind or 'missing'}", cmd, kind, fields)
    for cmd in COMMANDS
    for kind, fields in KINDS.items()
    if not (cmd == "lists-load" and kind == "no-id")  # covered below with the field named
    and not (cmd == "screen-batch" and kind == "utf16")  # Excel's "Unicode text": read (below)
] + [
    ("lists-load:no-id", "lists-load", "no-id", ("entity_number",)),
    ("lists-load:long-name", "lists-load", "long-name", ("line 4", "name")),
    ("lists-load:punct-name", "lists-load", "punct-name", ("line 4", "name")),
]


def _args(cmd: str, file: str) -> list[str]:
    return {
        "lists-load": ["lists", "load", "--source", f"auto={file}"],
        "screen-batch": ["screen", "--input", file, "--output", f"{file}.out"],
        "check-one": ["check", file, "--json"],
        "check-batch": ["check", "--input", file, "--output", f"{file}.out"],
    }[cmd]


@pytest.fixture(scope="module")
def bad_runs(home: Path, list_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Every bad-input case run once, concurrently: ``{case id: (file name, process)}``."""
    where = tmp_path_factory.mktemp("bad")
    files = _bad_files(list_data)
    files["long-name"] = {"list": _flat_csl(list_data, name=LONG_NAME)}
    files["punct-name"] = {"list": _flat_csl(list_data, name=PUNCT_NAME)}

    def one(case: Case) -> tuple[str, str, subprocess.CompletedProcess[str]]:
        case_id, cmd, kind, _ = case
        name = case_id.replace(":", "-") + (".csv" if USE[cmd] != "json" else ".json")
        if kind is not None:
            (where / name).write_bytes(files[kind][USE[cmd]])
        # A load writes: give each its own empty home so the shared one stays as loaded.
        run_home = where / f"home-{name}" if cmd == "lists-load" else home
        return case_id, name, run(_args(cmd, name), run_home, where)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return {cid: (name, proc) for cid, name, proc in pool.map(one, BAD_FILE_CASES)}


@pytest.mark.parametrize("case", BAD_FILE_CASES, ids=[c[0] for c in BAD_FILE_CASES])
def test_unusable_file_is_one_line_exit_2(case: Case, bad_runs: Any) -> None:
    name, proc = bad_runs[case[0]]
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    one_line_error(proc, name, *case[3])
    if case[2] != "no-id":  # an invalid transaction still gets its error object under --json
        assert proc.stdout == ""


def test_utf16_order_file_with_bom_is_screened(home: Path, tmp_path: Path) -> None:
    """Excel's "Unicode text" export is UTF-16 with a byte-order mark: read like UTF-8."""
    orders = tmp_path / "orders-utf16.csv"
    orders.write_bytes("id,name,country\nr1,Huawei Technologies Co Ltd,CN\n".encode("utf-16"))
    proc = run(_args("screen-batch", orders.name), home, tmp_path)
    assert proc.returncode == 0, proc.stderr
    (row,) = [json.loads(line) for line in (tmp_path / f"{orders.name}.out").read_text(
        encoding="utf-8").splitlines()]
    assert row["id"] == "r1" and any(m["source"] == "EL" for m in row["matches"])


def _orders_with_bad_names(path: Path) -> None:
    path.write_text(
        "id,name,country\n"
        "r1,Huawei Technologies Co Ltd,CN\n"
        f"r2,{LONG_NAME},CN\n"
        f'r3,"{PUNCT_NAME}",\n'
        "r4,Acme Office Chairs,US\n",
        encoding="utf-8",
    )


def test_screen_batch_bad_names_are_row_errors(cli: Any, tmp_path: Path) -> None:
    _orders_with_bad_names(tmp_path / "names.csv")
    proc = cli("screen", "--input", "names.csv", "--output", "out.jsonl")
    assert proc.returncode == 0, proc.stderr
    out = jsonl(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["r1", "r2", "r3", "r4"]
    assert out[0]["matches"] and "error" not in out[0] and "error" not in out[3]
    assert out[1]["error"] and out[2]["error"] and not out[1]["matches"]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2, proc.stderr
    for line, row in zip(lines, (3, 4), strict=True):
        assert "names.csv" in line and f"line {row}" in line and "'name'" in line, line


@pytest.mark.parametrize("name", [LONG_NAME, PUNCT_NAME], ids=["long", "punct"])
def test_screen_one_bad_name(cli: Any, name: str) -> None:
    proc = cli("screen", name)
    assert proc.returncode == 2
    assert len(one_line_error(proc, "NAME")) < 300


@pytest.mark.parametrize("name", [LONG_NAME, PUNCT_NAME], ids=["long", "punct"])
def test_check_unscreenable_party_name(cli: Any, tmp_path: Path, name: str) -> None:
    (tmp_path / "t.json").write_text(_txn_line(name), encoding="utf-8")
    one = cli("check", "t.json", "--json")
    assert one.returncode == 2
    one_line_error(one, "t.json", "parties[0].name")
    (tmp_path / "t.jsonl").write_text(_txn_line() + "\n" + _txn_line(name) + "\n")
    batch = cli("check", "--input", "t.jsonl", "--output", "o.jsonl")
    # Some rows could not be determined: the documented exit code, after every row is written.
    assert batch.returncode == 3
    assert len(jsonl(tmp_path / "o.jsonl")) == 2
    one_line_error(batch, "t.jsonl", "line 2", "parties[0].name")


def test_check_batch_bad_lines_are_row_errors(cli: Any, tmp_path: Path) -> None:
    good = _txn_line()
    lines = [good, good[:30], json.dumps({**DUTY_TXN, "id": "x", "destination": 7}), good]
    (tmp_path / "t.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = cli("check", "--input", "t.jsonl", "--output", "o.jsonl")
    assert proc.returncode == 3, proc.stderr  # some rows are ERROR; every row is still written
    out = jsonl(tmp_path / "o.jsonl")
    assert len(out) == 4 and out[0]["outcome"] in OUTCOMES and out[3]["outcome"] in OUTCOMES
    assert out[1].get("errors") and out[2].get("errors")
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 2, proc.stderr
    assert "t.jsonl" in errors[0] and "line 2" in errors[0]
    assert "t.jsonl" in errors[1] and "line 3" in errors[1] and "destination" in errors[1]


# -- usage: --help everywhere, unknown options, an unreachable database ---------------------------


def _command_paths() -> Iterator[tuple[str, ...]]:
    """Every command and sub-command of the installed CLI, from its own help."""
    from typer.main import get_command

    from chipexport.cli import app

    def walk(cmd: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, (*path, name))

    yield from walk(get_command(app), ())


COMMAND_PATHS = list(_command_paths())


@pytest.fixture(scope="module")
def usage_runs(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    where = tmp_path_factory.mktemp("usage")
    jobs = [(p, "--help") for p in COMMAND_PATHS] + [(p, "--no-such-option") for p in COMMAND_PATHS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = pool.map(lambda job: (job, run([*job[0], job[1]], home, where)), jobs)
        return dict(done)


def test_every_command_was_found() -> None:
    assert {("screen",), ("check",), ("serve",), ("lists", "load"), ("lists", "status"),
            ("lists", "update")} <= set(COMMAND_PATHS)  # fmt: skip


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "chipexport")
def test_help_and_unknown_option(path: tuple[str, ...], usage_runs: Any) -> None:
    helped = usage_runs[(path, "--help")]
    assert helped.returncode == 0 and "Usage" in helped.stdout, helped.stderr
    unknown = usage_runs[(path, "--no-such-option")]
    assert unknown.returncode == 2 and "--no-such-option" in unknown.stderr


@pytest.mark.parametrize(
    "args",
    [("lists", "status"), ("screen", "Huawei"), ("check", "t.json"),
     ("serve", "--port", "1")],
    ids=["lists status", "screen", "check", "serve"],
)  # fmt: skip
def test_unreachable_database_is_one_line(
    home: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "t.json").write_text(json.dumps(DUTY_TXN), encoding="utf-8")
    url = "postgresql://x@127.0.0.1:1/db"
    proc = run(args, home, tmp_path, CHIPEXPORT_DATABASE_URL=url)
    assert proc.returncode == 2
    assert "127.0.0.1" in one_line_error(proc) and proc.stdout == ""


def test_refused_load_keeps_the_loaded_lists(home: Path, tmp_path: Path, list_data: Path) -> None:
    """A load that fails validation leaves every active list as it was (on a copy of the home)."""
    copy = tmp_path / "home"
    shutil.copytree(home, copy)
    before = run(["lists", "status", "--json"], copy, tmp_path)
    (tmp_path / "bad.csv").write_bytes(_flat_csl(list_data, name=PUNCT_NAME))
    refused = run(["lists", "load", "--source", "csl-csv=bad.csv"], copy, tmp_path)
    assert refused.returncode == 2
    one_line_error(refused, "bad.csv", "line 4", "'name'")
    after = run(["lists", "status", "--json"], copy, tmp_path)
    assert json.loads(after.stdout) == json.loads(before.stdout) != []


@pytest.mark.parametrize("url", ["mysql://u@127.0.0.1/db", "postgresql://u@h:port/db", "nonsense"])
def test_unusable_database_url_is_one_line(home: Path, tmp_path: Path, url: str) -> None:
    proc = run(["lists", "status"], home, tmp_path, CHIPEXPORT_DATABASE_URL=url)
    assert proc.returncode == 2
    assert "cannot open database" in one_line_error(proc) and proc.stdout == ""
