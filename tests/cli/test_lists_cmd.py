"""``chipexport lists load|status|update`` end to end, through the real error handling.

``lists update`` is pointed at a local HTTP server (never the network). Every failing case
checks that the lists loaded before are still the active ones, untouched.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from chipexport.cli import app, run_guarded
from chipexport.lists import bundled_snapshots
from chipexport.store import Store

RAW_HEADER = [
    *("_id", "source", "entity_number", "type", "programs", "name", "title", "addresses"),
    *("federal_register_notice", "start_date", "end_date", "standard_order"),
    *("license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage"),
    *("gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url"),
    *("alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth"),
    *("source_information_url", "ids"),
]


class Cli:
    """Runs the CLI in-process the way the console script does (run_guarded, real exit codes)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self.monkeypatch, self.capsys = monkeypatch, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        self.monkeypatch.setattr(sys, "argv", ["chipexport", *args])
        code = run_guarded(app)
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def status(self) -> list[dict[str, Any]]:
        code, out, err = self("lists", "status", "--json")
        assert (code, err) == (0, "")
        rows: list[dict[str, Any]] = json.loads(out)
        return rows


@pytest.fixture()
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(monkeypatch, capsys)


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the bundled lists loaded, copied into each test that needs one."""
    path = tmp_path_factory.mktemp("bundled") / "chipexport.db"
    with Store(f"sqlite:///{path}") as store:
        store.replace_lists(bundled_snapshots())
    return path


@pytest.fixture()
def loaded_home(chipexport_home: Path, bundled_db: Path) -> Path:
    chipexport_home.mkdir(parents=True)
    for part in bundled_db.parent.glob(bundled_db.name + "*"):
        shutil.copy(part, chipexport_home / part.name)
    return chipexport_home


def _assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2
    assert err.startswith("chipexport: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err


# -- load and status ----------------------------------------------------------------------------


def test_load_bundled_then_status(cli: Cli, chipexport_home: Path) -> None:
    code, out, err = cli("lists", "load")
    assert (code, err) == (0, "")  # not a terminal: no progress bar
    assert out.count("loaded") == len(bundled_snapshots())
    code, out, _ = cli("lists", "status")
    assert code == 0
    el_rows = [line for line in out.splitlines() if line.split("│")[1:2] == [" EL     "]]
    assert len(el_rows) == 1 and " 3420 " in el_rows[0] and "Entity List" in el_rows[0]
    status = {row["source"]: row for row in cli.status()}
    assert status["EL"]["entries"] == 3420
    assert status["EL"]["version"] == "2026-07-31"
    assert set(status) == {s.source for s in bundled_snapshots()}


def test_load_again_reports_unchanged(cli: Cli, loaded_home: Path) -> None:
    before = cli.status()
    code, out, _ = cli("lists", "load")
    assert code == 0
    assert out.count("unchanged") == len(before) and " loaded " not in out
    assert cli.status() == before


def test_load_named_files(cli: Cli, chipexport_home: Path, list_data: Path) -> None:
    compact = list_data / "us_csl" / "csl_compact_2026-07-31.json"
    un = list_data / "un_sc" / "UN_consolidated_2026-02.xml"
    args = ("lists", "load", "--source", f"csl-json={compact}", "--source", f"auto={un}")
    code, _, err = cli(*args)
    assert code == 0, err
    status = {row["source"]: row for row in cli.status()}
    assert status["EL"]["origin"] == str(compact)
    assert status["UN"]["origin"] == str(un) and status["UN"]["entries"] > 0
    code, out, _ = cli(*args)  # the same files again change nothing
    assert code == 0 and " loaded " not in out
    assert cli.status() == list(status.values())


@pytest.mark.parametrize(
    ("make_arg", "needles"),
    [
        (lambda d, bad: f"csl-csv={bad}", ["bad.csv", "line 1"]),
        (lambda d, bad: f"csl-json={d / 'missing.json'}", ["missing.json", "no such file"]),
        (lambda d, bad: f"nonsense={bad}", ["unknown format 'nonsense'", "csl-json"]),
        (lambda d, bad: str(bad), ["expected NAME=PATH"]),
        (lambda d, bad: f"csl-json={bad}", ["bad.csv"]),
    ],
)
def test_bad_load_is_one_line_and_keeps_lists(
    cli: Cli, loaded_home: Path, tmp_path: Path, make_arg: Any, needles: list[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name;country\nACME;CN\n")
    before = cli.status()
    code, _, err = cli("lists", "load", "--source", make_arg(tmp_path, bad))
    _assert_one_line_error(code, err, *needles)
    assert cli.status() == before


@pytest.mark.parametrize(
    ("fmt", "text", "needles"),
    [
        ("csl-json", "[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
        ("jp-meti", "[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
        ("csl-json", '{"entries": [{"n": "ACME', ["line 1", "Unterminated string starting at "
                                                  "line 1 column 20"]),
    ],
)
def test_deep_or_cut_json_list_files_are_one_line(
    cli: Cli, loaded_home: Path, tmp_path: Path, fmt: str, text: str, needles: list[str]
) -> None:
    bad = tmp_path / "deep.json"
    bad.write_text(text, encoding="utf-8")
    before = cli.status()
    code, _, err = cli("lists", "load", "--source", f"{fmt}={bad}")
    _assert_one_line_error(code, err, str(bad), *needles)
    assert cli.status() == before


def test_console_script_never_shows_a_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "chipexport"
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"entries": [')
    env = {"CHIPEXPORT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [str(script), "lists", "load", "--source", f"csl-json={bad}"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    _assert_one_line_error(done.returncode, done.stderr, str(bad))


def test_status_on_empty_store(cli: Cli, chipexport_home: Path) -> None:
    assert cli.status() == []
    code, out, err = cli("lists", "status")
    assert code == 0 and out == "" and "lists load" in err


# -- update against a local server ----------------------------------------------------------------


def _raw_layout(flat_csv: Path) -> tuple[bytes, Counter[str]]:
    """The flat CSL CSV rewritten in trade.gov's raw layout, and its rows per source code."""
    out = io.StringIO()
    writer = csv.DictWriter(out, RAW_HEADER, lineterminator="\n")
    writer.writeheader()
    counts: Counter[str] = Counter()
    with flat_csv.open(newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            counts[row["source_code"]] += 1
            writer.writerow(
                {
                    "_id": f"row-{n}",
                    "source": row["source"],
                    "entity_number": row["entity_number"],
                    "type": row["type"],
                    "programs": row["programs"],
                    "name": row["name"],
                    "addresses": "; ".join(row["address_countries"].split(";")),
                    "federal_register_notice": row["federal_register_notice"],
                    "license_requirement": row["license_requirement"],
                    "license_policy": row["license_policy"],
                    "source_list_url": row["source_list_url"],
                    "alt_names": row["alt_names"],
                }
            )
    return out.getvalue().encode(), counts


class _Handler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.csv":
            time.sleep(2)
        if self.path == "/short.csv":  # promises more bytes than it sends, then hangs up
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"_id,source,name\n1,Entity List (EL),ACME\n")
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    """A client that stops reading (a refused download) is expected here: socketserver's default
    prints the server thread's BrokenPipeError to stderr, where it would mix with the CLI's."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, list_data: Path) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("www")
    good, counts = _raw_layout(list_data / "us_csl" / "csl_flat_2026-07-31.csv")
    (root / "good.csv").write_bytes(good)
    (root / "truncated.csv").write_bytes(good[: len(good) * 3 // 5])
    (root / "garbage.csv").write_bytes(bytes(range(256)) * 40)
    (root / "slow.csv").write_bytes(good)
    # The Entity List cut to a quarter: a plausible file format, an implausible change.
    lines = good.decode().splitlines(keepends=True)
    el_lines = [i for i, line in enumerate(lines) if "(EL)" in line]
    dropped = set(el_lines[len(el_lines) // 4 :])
    (root / "shrunk.csv").write_text("".join(x for i, x in enumerate(lines) if i not in dropped))

    def handler(*args: Any) -> _Handler:
        return _Handler(*args, directory=str(root))

    httpd = _QuietServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {
        "base": f"http://127.0.0.1:{httpd.server_address[1]}",
        "counts": counts,
        "el_kept": len(el_lines) - len(dropped),
    }
    httpd.shutdown()
    httpd.server_close()


def test_update_swaps_in_a_good_download(
    cli: Cli, loaded_home: Path, server: dict[str, Any]
) -> None:
    url = f"{server['base']}/good.csv"
    before = {row["source"]: row for row in cli.status()}
    code, out, err = cli("lists", "update", "--url", url)
    assert (code, err) == (0, ""), err
    after = {row["source"]: row for row in cli.status()}
    for source, count in server["counts"].items():
        assert after[source]["entries"] == count
        assert after[source]["origin"] == url
    assert after["UN"] == before["UN"]  # not part of the CSL: left alone
    el_row = next(line for line in out.splitlines() if line.split("│")[1:2] == [" EL     "])
    assert el_row.count(str(server["counts"]["EL"])) == 2  # before and after columns
    code, out, _ = cli("lists", "update", "--url", url)
    assert code == 0 and "updated" not in out  # same content again: nothing written


@pytest.mark.parametrize(
    ("path", "args", "needles"),
    [
        ("truncated.csv", [], ["truncated.csv"]),
        ("garbage.csv", [], ["garbage.csv"]),
        ("missing.csv", [], ["HTTP 404"]),
        ("short.csv", [], ["short.csv"]),
        ("slow.csv", ["--timeout", "0.3"], ["no answer within 0.3 s"]),
        ("shrunk.csv", [], ["EL would shrink from 3420", "--force"]),
    ],
)
def test_bad_update_keeps_current_lists(
    cli: Cli,
    loaded_home: Path,
    server: dict[str, Any],
    path: str,
    args: list[str],
    needles: list[str],
) -> None:
    before = cli.status()
    code, _, err = cli("lists", "update", "--url", f"{server['base']}/{path}", *args)
    _assert_one_line_error(code, err, *needles)
    assert cli.status() == before


def test_truncated_real_sample_is_refused_even_with_force(
    cli: Cli, loaded_home: Path, list_data: Path
) -> None:
    before = cli.status()
    sample = list_data / "us_csl" / "csl_partial_sample_2023-11.csv"
    code, _, err = cli("lists", "load", "--source", f"csl-csv={sample}")
    _assert_one_line_error(code, err, "csl_partial_sample_2023-11.csv", "truncated")
    assert cli.status() == before


def test_force_accepts_a_shrinking_list(
    cli: Cli, loaded_home: Path, server: dict[str, Any]
) -> None:
    code, _, err = cli("lists", "update", "--url", f"{server['base']}/shrunk.csv", "--force")
    assert code == 0, err
    status = {row["source"]: row["entries"] for row in cli.status()}
    assert status["EL"] == server["el_kept"]
    assert status["SDN"] == server["counts"]["SDN"]


@pytest.mark.parametrize(
    ("url", "needles"),
    [
        ("postgresql://bob:hunter2@127.0.0.1:1/lists", ["bob:***@127.0.0.1:1", "refused"]),
        ("not a url", ["cannot open database"]),
    ],
)
def test_unusable_database_is_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, url: str, needles: list[str]
) -> None:
    monkeypatch.setenv("CHIPEXPORT_DATABASE_URL", url)
    code, _, err = cli("lists", "status")
    _assert_one_line_error(code, err, *needles)
    assert "hunter2" not in err


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--url", "http://[::1"], ["http://[::1", "download failed"]),  # httpx.InvalidURL
        (["--url", "http://a:b:c/"], ["Invalid port"]),
        (["--url", "file:///etc/passwd"], ["file:///etc/passwd"]),
        (["--timeout", "-1"], ["--timeout"]),
    ],
)
def test_unusable_update_url_or_timeout(
    cli: Cli, chipexport_home: Path, args: list[str], needles: list[str]
) -> None:
    """Refused before any network access, as one line (never an httpx traceback)."""
    code, _, err = cli("lists", "update", *args)
    _assert_one_line_error(code, err, *needles)


# -- load of chosen files: the same plausibility test, and no unknown columns ------------------


def _flat_with(list_data: Path, tmp_path: Path, keep_sdn: int) -> tuple[Path, int]:
    """The CSL flat CSV with only every ``keep_sdn``-th SDN row: a partial export."""
    lines = (list_data / "us_csl" / "csl_flat_2026-07-31.csv").read_text().splitlines(True)
    sdn = [i for i, line in enumerate(lines) if ",SDN," in line]
    dropped = {i for n, i in enumerate(sdn) if n % keep_sdn}
    path = tmp_path / "sdn_tenth.csv"
    path.write_text("".join(x for i, x in enumerate(lines) if i not in dropped))
    return path, len(sdn) - len(dropped)


def test_load_refuses_a_partial_file_unless_forced(
    cli: Cli, loaded_home: Path, list_data: Path, tmp_path: Path
) -> None:
    partial, kept = _flat_with(list_data, tmp_path, 10)
    before = cli.status()
    sdn = next(row["entries"] for row in before if row["source"] == "SDN")
    code, _, err = cli("lists", "load", "--source", f"csl-csv={partial}")
    _assert_one_line_error(code, err, f"{partial}: SDN would shrink from {sdn} to {kept}",
                           "--force")
    assert cli.status() == before
    code, _, err = cli("lists", "load", "--source", f"csl-csv={partial}", "--force")
    assert code == 0, err
    assert {r["source"]: r["entries"] for r in cli.status()}["SDN"] == kept
    small = list_data / "cn" / "cn_sanctions.csv"  # a few hundred entries
    code, _, err = cli("lists", "load", "--source", f"cn-sanctions={small}")
    assert code == 0, err  # one small list on its own is an ordinary load, not "too few"


def test_load_refuses_an_unknown_column_of_our_layouts(
    cli: Cli, loaded_home: Path, list_data: Path, tmp_path: Path
) -> None:
    lines = (list_data / "us_csl" / "csl_flat_2026-07-31.csv").read_text().splitlines()
    before = cli.status()
    for column, hint in (("bogus_col", ""), ("alt_name", " (did you mean 'alt_names'?)")):
        bad = tmp_path / "unknowncol.csv"
        bad.write_text("\n".join([f"{lines[0]},{column}", *(x + "," for x in lines[1:50])]))
        code, _, err = cli("lists", "load", "--source", f"csl-csv={bad}")
        _assert_one_line_error(code, err, f"{bad}, line 1, field '{column}': unknown column{hint}")
    assert cli.status() == before


def test_load_warns_about_a_column_trade_gov_added(
    cli: Cli, chipexport_home: Path, list_data: Path, tmp_path: Path
) -> None:
    raw, counts = _raw_layout(list_data / "us_csl" / "csl_flat_2026-07-31.csv")
    lines = raw.decode().splitlines()
    path = tmp_path / "consolidated.csv"
    path.write_text("\n".join([lines[0] + ",new_field", *(x + ",x" for x in lines[1:])]) + "\n")
    code, _, err = cli("lists", "load", "--source", f"csl-csv={path}")
    assert code == 0
    assert " ".join(err.split()) == (  # rich wraps long lines
        f"warning: {path}, line 1, field 'new_field': unknown column, not read")
    assert {r["source"]: r["entries"] for r in cli.status()}["EL"] == counts["EL"]
